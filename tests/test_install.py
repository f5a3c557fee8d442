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
from pathlib import Path

import pytest

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
