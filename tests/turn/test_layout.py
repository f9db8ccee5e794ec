"""The turn pipeline keeps the house's shape: a short facade, small stage modules with short
functions, no stage importing the facade back, no reaching into another module's private names,
and the faces' names still importable from `edgeapp.assistant`."""

from __future__ import annotations

import ast
from pathlib import Path

import edgeapp.assistant as facade
from edgeapp.turn import events

ROOT = Path(__file__).resolve().parents[2] / "edgeapp"
FILES = [ROOT / "assistant.py", *sorted((ROOT / "turn").glob("*.py"))]


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_a_short_facade_and_small_stages():
    assert len((ROOT / "assistant.py").read_text().splitlines()) <= 300
    for path in FILES:
        assert len(path.read_text().splitlines()) <= 500, path.name
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= 80, f"{path.name}:{node.lineno} {node.name} is {length} lines"


def test_no_stage_imports_the_facade_and_none_reaches_into_private_names():
    for path in FILES[1:]:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").endswith("assistant"), path.name
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                assert isinstance(owner, ast.Name) and owner.id in ("self", "cls"), (
                    f"{path.name}:{node.lineno} reads .{node.attr}")


def test_the_faces_import_the_events_from_the_facade():
    for name in ("TurnOptions", "LocalToken", "Escalating", "CloudToken", "CloudRestart", "Notice", "TurnDone",
                 "TurnResult", "Event"):
        assert name in facade.__all__ and getattr(facade, name) is getattr(events, name)
    for name in ("CancelToken", "Conversation", "Assistant", "CLOUD_SYSTEM", "local_system_prompt",
                 "estimate_tokens", "history_tokens"):
        assert name in facade.__all__ and getattr(facade, name) is not None
