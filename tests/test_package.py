"""The package installs: a wheel that holds ``sim`` alone, its metadata, the ``attract-repel`` command,
and ``import sim`` from any folder; the version, licence and citation agree."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

import sim
import sim.datasets

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TIMEOUT = 600


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built (in an isolated build environment) from a copy of the sources."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "sim", source / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert built.returncode == 0, built.stderr
    return next(out.glob("attract_repel-*.whl"))


def test_the_wheel_holds_the_simulator_its_command_and_its_licence(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"sim", f"attract_repel-{sim.__version__}.dist-info"}
    assert "sim/__init__.py" in names and "sim/sweep/__init__.py" in names and "sim/plots/__init__.py" in names
    assert not [n for n in names if "__pycache__" in n], "no compiled caches in the wheel"
    meta = zipfile.ZipFile(wheel).read(f"attract_repel-{sim.__version__}.dist-info/METADATA").decode()
    assert f"Version: {sim.__version__}" in meta and "License-Expression: MIT" in meta
    assert 'Provides-Extra: dask' in meta and 'Provides-Extra: app' in meta
    entry = zipfile.ZipFile(wheel).read(f"attract_repel-{sim.__version__}.dist-info/entry_points.txt").decode()
    assert "attract-repel = sim.__main__:main" in entry
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert {"sim/data/diary.csv", "sim/data/diary_couples.csv"} <= set(names), "the teaching data set ships"


def test_installed_it_runs_from_any_folder_as_a_command(wheel: Path, tmp_path: Path) -> None:
    """A fresh venv gets the wheel (its dependencies lent from this environment, so the test stays
    offline and quick); from an unrelated folder, ``import sim`` finds the installed copy and the
    ``attract-repel`` command runs a couple."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=TIMEOUT)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "lent.pth").write_text(sysconfig.get_path("purelib") + "\n")
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    found = subprocess.run([str(python), "-c", "import sim, sim.datasets; print(sim.__version__); print(sim.__file__);"
                            "print(sim.datasets.diary()['dyad'].nunique())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    version, where, dyads = found.stdout.split()
    assert version == sim.__version__ and Path(where).is_relative_to(site), where
    assert int(dyads) == sim.datasets.DIARY_SETTINGS["couples"]
    command = subprocess.run([str(venv / "bin" / "attract-repel"), "run", "--preset", "secure", "--steps", "200",
                              "--json"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert command.returncode == 0, command.stderr
    report = json.loads(command.stdout)
    assert report["verdict"] == "settles" and report["provenance"]["version"] == sim.__version__
    usage = subprocess.run([str(venv / "bin" / "attract-repel"), "--help"], cwd=elsewhere, env=env,
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert usage.stdout.startswith("usage: attract-repel")


def test_the_requirements_are_the_packages_and_the_pages_own() -> None:
    """requirements.txt (the README's first command) is the package's dependencies plus the "app" extra."""
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    project = PYPROJECT["project"]
    assert sorted(lines) == sorted(project["dependencies"] + project["optional-dependencies"]["app"])
    dev = (ROOT / "requirements-dev.txt").read_text()
    assert all(_name(req) in dev.lower() for req in project["optional-dependencies"]["dask"])


def test_version_licence_and_citation_agree() -> None:
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^version: (.+)$", cff, re.M).group(1) == sim.__version__  # type: ignore[union-attr]
    assert re.search(r"^license: (.+)$", cff, re.M).group(1) == PYPROJECT["project"]["license"] == "MIT"  # type: ignore[union-attr]
    assert re.search(r"^cff-version: 1\.2\.0$", cff, re.M) and "authors:" in cff and "title:" in cff
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sim._version.__version__"}
