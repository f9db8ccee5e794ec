"""The house rules of edgeapp/, checked on the source: no import circles, no module over 500 lines,
no function over 80 lines, no SQL in the faces, ruff clean (line length 110).
docs/architecture.md explains the layers."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "edgeapp"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
FACES = ("edgeapp.gui", "edgeapp.api", "edgeapp.cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST):
    """Every import statement, at any depth (function-level imports count), except under
    `if TYPE_CHECKING:`, which never runs."""
    skipped = {id(n) for b in ast.walk(tree) if _type_checking(b) for s in b.body for n in ast.walk(s)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skipped:
            yield node


def imported_modules(name: str, path: Path) -> set[str]:
    """The edgeapp modules `name` imports: `from . import x` names the module x, not the package."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
            continue
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        submodules = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
        found.update(submodules)
        if len(submodules) < len(node.names):
            found.add(target)
    return {m for m in found if m in MODULES and m != name}


def import_circles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    graph = {name: imported_modules(name, path) for name, path in MODULES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return circles


def test_no_import_circles():
    assert import_circles() == []


def test_the_circle_finder_finds_a_circle(tmp_path, monkeypatch):
    pkg = tmp_path / "edgeapp"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from . import b\n")
    (pkg / "b.py").write_text("from .a import f\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n")
    here = sys.modules[__name__]
    monkeypatch.setattr(here, "PACKAGE", pkg)
    monkeypatch.setattr(here, "MODULES", {module_name(p): p for p in pkg.rglob("*.py")})
    assert import_circles() == [["edgeapp.a", "edgeapp.b"]]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_and_functions_are_short(name):
    source = MODULES[name].read_text(encoding="utf-8")
    lines = source.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines (at most {MAX_MODULE_LINES}): split it"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{name}: functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(FACES)))
def test_faces_run_no_sql(name):
    """The window, the API and the CLI reach the ledger through its public functions, never SQL."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    sql = [
        node.value[:40]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and node.value.lstrip().startswith(("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM "))
    ]  # fmt: skip
    assert not sql, f"{name} runs SQL: {sql}"


def test_ruff_passes_on_the_package_line_length_included():
    """ruff's rules with the line-length check (110 columns) on, as pyproject.toml sets them."""
    import shutil
    import subprocess

    ruff = Path(sys.executable).with_name("ruff")
    ruff = str(ruff) if ruff.exists() else shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the test extras: make test installs it)")
    proc = subprocess.run([ruff, "check", "--no-cache", str(PACKAGE)], capture_output=True, text=True,
                          cwd=PACKAGE.parent)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
