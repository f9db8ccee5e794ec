"""The window's companion dialog (edgeapp/gui/companion.py) on Qt's offscreen platform: start the
server in-process, LAN opt-in shows the warning and the QR code, rotating the token takes effect
on the running server at once."""

from __future__ import annotations

import os
import ssl

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


def test_dialog_over_https_pairs_a_device_and_revokes_it(qtbot, local_model, gatekeeper, monkeypatch):
    from edgeapp import config
    from edgeapp.api import pairing
    from edgeapp.assistant import Assistant
    from edgeapp.gui.companion import CompanionController, CompanionDialog

    monkeypatch.setattr(pairing, "lan_address", lambda: "127.0.0.1")
    assistant = Assistant(config.load(), local_model=local_model, gatekeeper=gatekeeper)
    controller = CompanionController(lambda: assistant)
    dialog = CompanionDialog(controller)
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        dialog.lan.setChecked(True)
        dialog.https.setChecked(True)
        dialog.port.setValue(8796)
        dialog.toggle.click()
        made = controller.server.certificate
        assert made is not None and made.fingerprint_text in dialog.status.text()
        url = controller.pairing_url()
        assert url.startswith("https://127.0.0.1:8796/#token=") and url.endswith(f"&cert={made.fingerprint}")
        device_token = url.split("#token=")[1].split("&")[0]
        assert device_token != controller.token.value  # the code holds a token for this one device
        verify = ssl.create_default_context(cafile=str(made.cert_file))  # trusts exactly this certificate
        auth = {"Authorization": f"Bearer {device_token}"}
        assert httpx.get("https://127.0.0.1:8796/v1/models", headers=auth, verify=verify).status_code == 200
        dialog._refresh()
        assert dialog.devices.count() == 1 and "last seen 20" in dialog.devices.item(0).text()
        dialog.devices.setCurrentRow(0)
        dialog.revoke_button.click()
        assert "revoked" in dialog.devices.item(0).text()
        refused = httpx.get("https://127.0.0.1:8796/v1/models", headers=auth, verify=verify)
        assert refused.status_code == 401 and "revoked" in refused.json()["error"]["message"]
    finally:
        controller.stop()
        assistant.close()
