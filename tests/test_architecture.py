"""The shape of the code: rooms a newcomer can find (read from the source, no imports).

* no class over 600 lines and no module over 900;
* no import cycles among ``viewer`` modules, counting imports made only for type
  checking (a reader follows those too);
* dependencies point one way: the model and the store import no Qt and nothing of the
  UI, and the UI reads no driver (``sqlite3``) and parses no store text (``from_iso``);
* the canvas' colours are named in one module, :mod:`viewer.ui.theme`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "viewer"
MAX_CLASS_LINES = 600
MAX_MODULE_LINES = 900
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))


def imported(name: str) -> Iterator[str]:
    """The modules ``name`` imports (anywhere in it: also in functions and under
    ``TYPE_CHECKING``); ``from package import module`` counts as the module."""
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            yield base
            for a in node.names:
                if f"{base}.{a.name}" in MODULES:
                    yield f"{base}.{a.name}"


def test_the_package_is_found() -> None:
    assert "viewer.ui.main_window" in MODULES and "viewer.store" in MODULES


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_or_class_is_too_long(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines"
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.ClassDef):
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"{name}.{node.name} has {size} lines"


def test_no_import_cycles() -> None:
    graph = {n: {m for m in imported(n) if m in MODULES and m != n} for n in MODULES}
    # a package's __init__ re-exports its modules: importing the package is importing
    # those, so the edge goes to what it names, not back through it
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        path.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cycles.append([*path[path.index(m) :], m])
            elif m not in state:
                visit(m)
        path.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    assert cycles == []


def _layer_of(name: str) -> str:
    return name.split(".")[1] if name.count(".") >= 1 else ""


@pytest.mark.parametrize("name", [n for n in sorted(MODULES) if _layer_of(n) in ("model", "store")])
def test_model_and_store_import_no_qt_and_no_ui(name: str) -> None:
    for m in imported(name):
        assert not m.startswith(("PySide6", "pyqtgraph", "viewer.ui")), (name, m)
    if _layer_of(name) == "model":
        for m in imported(name):
            assert not m.startswith(("viewer.store", "viewer.io")), (name, m)


@pytest.mark.parametrize("name", [n for n in sorted(MODULES) if n.startswith("viewer.ui")])
def test_the_ui_reads_no_driver_and_parses_no_store_text(name: str) -> None:
    assert "sqlite3" not in set(imported(name)), name
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Attribute | ast.Name):
            ident = node.attr if isinstance(node, ast.Attribute) else node.id
            assert ident != "from_iso", f"{name} parses the store's ISO text"


def test_canvas_colours_are_named_in_the_theme_only() -> None:
    named = {
        name
        for name, path in MODULES.items()
        if name.startswith("viewer.ui") and COLOUR.search(path.read_text(encoding="utf-8"))
    }
    assert named == {"viewer.ui.theme"}
