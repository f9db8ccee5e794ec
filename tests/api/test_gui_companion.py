"""The window's companion dialog (edgeapp/gui/companion.py) on Qt's offscreen platform: start the
server in-process, LAN opt-in shows the warning and the QR code, rotating the token takes effect
on the running server at once."""

from __future__ import annotations

import os

import httpx
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")  # its `qapp` fixture owns the QApplication


def test_dialog_starts_pairs_rotates_and_stops(qtbot, local_model, gatekeeper, monkeypatch):
    from edgeapp import config
    from edgeapp.api import pairing
    from edgeapp.assistant import Assistant
    from edgeapp.gui.companion import CompanionController, CompanionDialog

    monkeypatch.setattr(pairing, "lan_address", lambda: "127.0.0.1")  # no LAN probe in tests
    assistant = Assistant(config.load(), local_model=local_model, gatekeeper=gatekeeper)
    controller = CompanionController(lambda: assistant)
    dialog = CompanionDialog(controller)
    qtbot.addWidget(dialog)  # pytest-qt closes and deletes it before the QApplication goes
    try:
        dialog.show()
        assert dialog.toggle.text() == "Start" and not dialog.warning.isVisible()
        dialog.lan.setChecked(True)
        assert dialog.warning.isVisible() and "readable" in dialog.warning.text()
        dialog.port.setValue(8797)
        dialog.toggle.click()
        assert controller.running and dialog.toggle.text() == "Stop"
        assert not dialog.qr.pixmap().isNull()  # the pairing code
        url = controller.pairing_url()
        assert url.startswith("http://127.0.0.1:8797/#token=")
        old = controller.token.value
        auth = {"Authorization": f"Bearer {old}"}
        assert httpx.get("http://127.0.0.1:8797/v1/models", headers=auth).status_code == 200
        dialog.rotate_button.click()
        assert controller.token.value != old
        assert httpx.get("http://127.0.0.1:8797/v1/models", headers=auth).status_code == 401
        assert httpx.get("http://127.0.0.1:8797/v1/models",
                         headers={"Authorization": f"Bearer {controller.token.value}"}).status_code == 200
        dialog.toggle.click()
        assert not controller.running and dialog.toggle.text() == "Start"
    finally:
        controller.stop()
        assistant.close()
