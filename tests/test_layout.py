"""The architecture as imports: the pages reach the model only through its public names, and the
model's modules import each other without a circle and never the pages."""

from __future__ import annotations

import ast
import importlib
import pathlib
from graphlib import CycleError, TopologicalSorter

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
KERNEL = {"sim.dynamics", "sim.engine", "sim._accel", "sim.batch", "sim.metrics"}
"""The compiled equations and the loop around them: the pages go through simulate, Result and the rest."""


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: pathlib.Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in a file, relative imports resolved against its package."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
            found.append((module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found


def _page_files() -> list[pathlib.Path]:
    return [ROOT / "app.py", *sorted((ROOT / "app_pages").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]


def _public_use(module: str, names: list[str]) -> list[str]:
    """What of one import is not the model's public face."""
    if module in KERNEL:
        return [f"{module} (the kernel)"]
    mod = importlib.import_module(module)
    public = set(getattr(mod, "__all__", ()))
    wrong = []
    for name in names:
        is_module = importlib.util.find_spec(f"{module}.{name}") is not None if hasattr(mod, "__path__") else False
        if name not in public and not is_module:
            wrong.append(f"{module}.{name}")
    return wrong


def test_the_pages_use_only_the_models_public_names() -> None:
    wrong = []
    for path in _page_files():
        for module, names in _imports(path):
            if module == "sim" or module.startswith("sim."):
                wrong += [f"{path.relative_to(ROOT)}: {what}" for what in _public_use(module, names)]
    assert wrong == []


def test_the_public_check_would_catch_a_reach_into_the_kernel_or_a_private_name() -> None:
    assert _public_use("sim.dynamics", ["TIP"]) == ["sim.dynamics (the kernel)"]
    assert _public_use("sim.signals", ["PURSUE_AT"]) == ["sim.signals.PURSUE_AT"]
    assert _public_use("sim", ["story", "simulate"]) == []


def _model_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "sim").rglob("*.py")):
        here = _module_name(path)
        graph[here] = set()
        for module, names in _imports(path):
            if not module.startswith("sim"):
                continue
            # "from . import x" imports the submodule x; "from .x import y" the module x.
            targets = [f"{module}.{n}" for n in names if (ROOT / (module.replace(".", "/") + f"/{n}.py")).exists()]
            graph[here].update(targets or [module])
        graph[here].discard(here)
    return graph


def test_the_models_modules_import_each_other_without_a_circle() -> None:
    graph = _model_graph()
    # A package's __init__ gathers its modules; the circle that matters is between modules.
    plain = {mod: {t for t in deps if not (ROOT / t.replace(".", "/") / "__init__.py").exists()}
             for mod, deps in graph.items() if not (ROOT / mod.replace(".", "/") / "__init__.py").exists()}
    try:
        order = list(TopologicalSorter(plain).static_order())
    except CycleError as err:  # pragma: no cover - the assertion message is the point
        pytest.fail(f"import circle: {' -> '.join(err.args[1])}")
    assert "sim.dynamics" in order and order.index("sim.dynamics") < order.index("sim.engine")


def test_the_model_never_imports_the_pages_or_streamlit() -> None:
    for path in sorted((ROOT / "sim").rglob("*.py")):
        for module, _ in _imports(path):
            assert module.split(".")[0] not in {"ui", "app_pages", "app", "streamlit"}, (path, module)


OWN_TEST = {"sim/__main__.py": "test_cli.py", "sim/_version.py": "test_package.py"}
"""Modules whose tests are named by what a user calls them: the command line and the package."""


def test_every_module_of_the_model_has_its_own_test_file() -> None:
    missing = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        rel = path.relative_to(ROOT / "sim")
        if path.name == "__init__.py":
            continue  # a package's face: tested through its modules and used by every test file
        parts = [part.lstrip("_") for part in rel.with_suffix("").parts]
        name = OWN_TEST.get(str(path.relative_to(ROOT)), "test_" + "_".join(parts) + ".py")
        if not (ROOT / "tests" / name).exists():
            missing.append(f"{path.relative_to(ROOT)} -> tests/{name}")
    assert missing == []
