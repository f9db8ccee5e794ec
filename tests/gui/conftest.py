"""GUI tests: pytest-qt on Qt's offscreen platform (no display needed), the real embedded model
(shared with the rest of the suite) and the real loopback cloud server."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest  # noqa: E402

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
pytest.importorskip("markdown_it")

from ..assistants import make_assistant  # noqa: E402, F401 - GUI tests import it from here too


@pytest.fixture
def open_window(qtbot, local_model, gatekeeper):
    """open_window(url=None, **settings) -> a shown MainWindow whose model is ready."""
    from edgeapp.gui.app import create_main_window

    windows = []

    def make(url: str | None = None, *, assistant=None, wait_ready: bool = True, **settings):
        assistant = assistant or make_assistant(local_model, gatekeeper, url, **settings)
        window = create_main_window(assistant)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        if wait_ready:
            qtbot.waitUntil(lambda: window.ready or window.load_error is not None, timeout=60000)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()


def ask(qtbot, window, text: str, *, timeout: int = 300000, mode: str | None = None):
    """Type and send through the window; the TurnResult when the turn is done."""
    with qtbot.waitSignal(window.turn_finished, timeout=timeout) as blocker:
        if mode:
            window.turns.send(text, mode=mode)
        else:
            window.composer.setPlainText(text)
            window.bar.send_button.click()
    qtbot.waitUntil(lambda: not window.turns.busy(), timeout=10000)
    return blocker.args[0]
