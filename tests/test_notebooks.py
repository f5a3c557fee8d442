"""The notebooks run from any folder: they import the installed package, not the repository by path."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_finds_the_package_without_knowing_where_the_repository_is(path: Path) -> None:
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "sys.path" not in code and not re.search(r"['\"]\.\./", code) and "Path.cwd().parent" not in code


def test_a_notebook_copied_to_another_folder_runs_there(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "01_quick_start.ipynb"
    copy.parent.mkdir()
    shutil.copy(NOTEBOOKS[0], copy)
    notebook = nbformat.read(copy, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(copy.parent)}}
                   ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert outputs and not [o for o in outputs if o.get("output_type") == "error"]
