"""A read-only install (a container image): the kernels still run.

The package folder is made read-only for the child process (a read-only bind mount in a mount
namespace of its own when the tests run as root, for whom file modes do not count; ``chmod``
otherwise). The child then keeps its compiled kernel in the first writable place
(``sim._accel.cache_roots``), starting from the cache prepared in the package, or, with nowhere
to write at all, compiles it in memory.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim import _accel

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ("import sim; from sim import engine; sim.simulate(steps=50); s = engine._KERNEL.stats; "
          "print(sum(s.cache_hits.values()), sum(s.cache_misses.values()))")
"""Runs the kernel and prints how many of its loads came from a cache and how many compiled."""
TIMEOUT = 900


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME", "PYTHONPATH")}
    env.update(extra)
    return env


def _run(package: Path, env: dict[str, str], read_only: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run SCRIPT with ``package`` on the path, ``read_only`` (a folder) not writable for it."""
    env = {**env, "PYTHONPATH": str(package)}
    command = [sys.executable, "-c", SCRIPT]
    if read_only is not None and os.geteuid() == 0:
        mount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$1" -c "$2"'
        command = ["unshare", "--mount", "sh", "-c", mount, str(read_only), sys.executable, SCRIPT]
    elif read_only is not None:
        for path in (read_only, *read_only.rglob("*")):
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        return subprocess.run(command, cwd=package, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    finally:
        if read_only is not None and os.geteuid() != 0:
            for path in (read_only, *read_only.rglob("*")):
                path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of ``sim`` whose own ``__pycache__`` holds the compiled kernel (as an image build prepares it)."""
    root = tmp_path_factory.mktemp("install")
    shutil.copytree(ROOT / "sim", root / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    prepared = _run(root, _env(HOME=str(root / "home-of-the-build")))
    assert prepared.returncode == 0, prepared.stderr
    assert prepared.stdout.split() == ["0", "1"]  # compiled once, into the package's cache
    assert list((root / "sim" / "__pycache__").glob("numba-*/*/engine.*.nbi"))
    return root


def test_a_read_only_install_without_a_home_uses_the_prepared_cache(package: Path, tmp_path: Path) -> None:
    """No writable home and a read-only package crashed ("cannot cache function ... no locator available");
    now the prepared cache is copied to the temporary folder and loaded from there, without compiling."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    done = _run(package, _env(HOME=str(blocker / "home"), TMPDIR=str(temporary)), read_only=package / "sim")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "0"]  # loaded from the cache, nothing compiled
    assert list(temporary.glob("attract-repel-*/numba-*/*/engine.*.nbi"))
    assert not list((package / "sim" / "__pycache__").glob("*.tmp*"))


def test_with_nowhere_to_write_the_kernel_is_compiled_in_memory(package: Path, tmp_path: Path) -> None:
    """A cache folder that cannot be made (NUMBA_CACHE_DIR below a file): the run still works."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = _run(package, _env(HOME=str(blocker / "home"), NUMBA_CACHE_DIR=str(blocker / "cache")),
                read_only=package / "sim")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]  # compiled, and kept nowhere


def _folder(root: Path, name: str, days_old: float) -> Path:
    folder = root / name
    (folder / "sim").mkdir(parents=True)
    (folder / "sim" / "engine.1.nbi").write_text("index")
    when = time.time() - days_old * 86400
    os.utime(folder, (when, when))
    return folder


def test_the_package_cache_keeps_only_the_kernels_of_its_own_sources(tmp_path: Path) -> None:
    """Every edit of the model gave its kernel a new cache folder and the old ones stayed (38 folders,
    8.5 MB in one checkout); in the package's own cache the others of the same kernel now go at once."""
    live = _folder(tmp_path, "numba-engine-" + "a" * 16, 0)
    old = _folder(tmp_path, "numba-engine-" + "b" * 16, 0)
    legacy = _folder(tmp_path, "numba-" + "c" * 16, 0)
    other_kernel = _folder(tmp_path, "numba-stability-" + "d" * 16, 0)
    unrelated = _folder(tmp_path, "numba-engine-notes", 0)
    removed = _accel.prune_stale(tmp_path, "engine", live.name, own=True)
    assert sorted(removed) == sorted([old, legacy, unrelated])
    assert live.is_dir() and other_kernel.is_dir() and not old.exists() and not legacy.exists()


def test_a_shared_cache_removes_only_what_no_version_used_for_a_month(tmp_path: Path) -> None:
    """The user's cache may serve other installed versions: only folders unused for STALE_DAYS go."""
    live = _folder(tmp_path, "numba-engine-" + "a" * 16, 400)
    recent = _folder(tmp_path, "numba-engine-" + "b" * 16, _accel.STALE_DAYS - 1)
    stale = _folder(tmp_path, "numba-engine-" + "e" * 16, _accel.STALE_DAYS + 1)
    assert _accel.prune_stale(tmp_path, "engine", live.name, own=False) == [stale]
    assert live.is_dir() and recent.is_dir()


def test_choosing_a_cache_folder_marks_it_used_and_prunes_its_stale_siblings(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_accel.CACHE_ENV, str(tmp_path))
    import numba

    monkeypatch.setattr(numba.config, "CACHE_DIR", numba.config.CACHE_DIR)
    stale = _folder(tmp_path, "numba-engine-" + "e" * 16, _accel.STALE_DAYS + 5)
    assert _accel.use_cache_for("engine.py", "dynamics.py")
    chosen = Path(numba.config.CACHE_DIR)
    assert chosen.parent == tmp_path and chosen.name.startswith("numba-engine-") and chosen.is_dir()
    assert time.time() - chosen.stat().st_mtime < 3600 and not stale.exists()
