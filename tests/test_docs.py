"""The docs stay true: the generated parameter tables are current, and the README quick start runs."""

import re
from pathlib import Path

import sim
from sim.docs import END, MODEL_DOC, START, parameter_tables

ROOT = Path(__file__).resolve().parents[1]


def test_model_doc_tables_match_the_field_metadata():
    text = MODEL_DOC.read_text(encoding="utf-8")
    generated = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert generated == parameter_tables().strip(), "run: python -m sim.docs"
    for name in (*sim.PARTNER_SCORES, *sim.PARTNER_PARAMS, *sim.COUPLE_PARAMS, *sim.INTERVENTION_KINDS):
        assert f"`{name}`" in generated


def test_readme_starts_with_the_two_commands():
    lines = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.strip()]
    commands = [line for line in lines[:12] if line.startswith(("pip ", "python", "bash ", "./"))]
    assert any("streamlit run app.py" in c for c in commands)
    assert any("pytest" in c for c in commands)


def test_readme_quick_start_runs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```python\n(.*?)```", text, re.S)
    assert block, "README has a Quick start python block"
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README quick start", "exec"), namespace)  # noqa: S102
    assert namespace["result"].verdict == "cycles"  # type: ignore[attr-defined]


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = next(line for line in readme.splitlines() if "pytest" in line and line.startswith("python3"))
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
