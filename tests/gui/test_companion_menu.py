"""The companion switch is in reach from the window's File menu, and quitting stops its server."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette")


def test_file_menu_opens_the_companion_and_quit_stops_it(open_window, monkeypatch):
    from edgeapp.gui import companion

    window = open_window()
    shown = []
    monkeypatch.setattr(companion.CompanionDialog, "exec", lambda self: shown.append(self) or 0)
    action = next(a for a in window.findChildren(type(window.new_action)) if a.text().startswith("&Companion"))
    action.trigger()
    assert len(shown) == 1 and window.companion.controller is not None
    assert window.companion.controller._assistant() is window.assistant
    stopped = []
    monkeypatch.setattr(window.companion.controller, "stop", lambda: stopped.append(True))
    window.close()
    assert stopped == [True]
