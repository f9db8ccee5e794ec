"""A damaged ledger file, recovered on open: the window says so on its banner, in the core's one
sentence (issue 28), on the first turn."""

from __future__ import annotations

from edgeapp import paths

from .. import ledger_damage as damage
from .conftest import ask


def test_the_banner_says_what_was_recovered(open_window, qtbot, tmp_path):
    path = paths.database_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    damage.build(path, 40)
    damage.header(path, tmp_path)
    window = open_window(local__max_tokens=8)
    result = ask(qtbot, window, "Hello there", mode="local")
    assert result.answer and result.turn_id is not None
    assert window.banner.isVisible() and window.banner.kind == "warning"
    text = window.banner.text.text()
    assert "40 turns and 40 cloud calls were recovered" in text and ".corrupt-" in text
