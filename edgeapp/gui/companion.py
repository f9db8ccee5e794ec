"""The companion switch of the desktop window: start or stop `edgeapp serve` in-process (on a
thread, over the window's own Assistant), opt in to the local network with the plain warning and
to HTTPS (a self-signed certificate; its fingerprint is shown), show the pairing QR code (a token
for one new device), list and revoke paired devices, rotate the main token.

The window reaches it through `controllers/companion.py` (File > Companion…), which imports this
module only when the user opens it. The server code is edgeapp/api (no Qt there); this file only
drives it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..api import tokens
from ..api.devices import Device, DeviceStore
from ..api.pairing import pairing_url, qr_png
from ..api.server import DEFAULT_PORT, LAN_WARNING, CompanionServer, ServeConfig
from ..errors import EdgeappError

if TYPE_CHECKING:
    from ..assistant import Assistant


class CompanionController:
    """Owns the running companion server (one at a time) for the window's Assistant."""

    def __init__(self, assistant: Callable[[], Assistant | None]) -> None:
        self._assistant = assistant
        self.server: CompanionServer | None = None
        self.token: tokens.Token | None = None
        self.device_url: str | None = None  # the pairing code of this start (a token for one device)

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    def start(self, *, lan: bool, port: int = DEFAULT_PORT, https: bool = False) -> CompanionServer:
        self.stop()
        if self.token is None:
            self.token = tokens.resolve()
        assistant = self._assistant()
        if assistant is None:
            raise EdgeappError("The model is still loading; start the companion when the window is ready.")
        config = ServeConfig(
            token=self.token.value, host="0.0.0.0" if lan else "127.0.0.1", port=port, lan=lan, https=https
        )
        self.server = CompanionServer(assistant, config).start()
        if lan:
            _, self.device_url = self.server.pair_device(f"phone paired {time.strftime('%Y-%m-%d %H:%M')}")
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
            self.device_url = None

    def devices(self) -> list[Device]:
        return DeviceStore().devices()

    def revoke(self, device_id: str) -> Device:
        """Revoke a paired device: a running server refuses its token at the next request."""
        return DeviceStore().revoke(device_id)

    def rotate(self) -> tokens.Token:
        """A new token; a running server accepts only the new one from now on."""
        self.token = tokens.rotate()
        if self.server is not None:
            self.server.config.token = self.token.value
            self.server.companion.options.token = self.token.value
        return self.token

    def pairing_url(self) -> str | None:
        """The page's URL to pair a phone: with --lan a token for one new device, else the main token."""
        if self.server is None or self.token is None:
            return None
        if self.device_url is not None:
            return self.device_url
        return pairing_url(
            self.server.config.host,
            self.server.port,
            self.token.value,
            tls=self.server.config.tls,
            fingerprint=self.server.fingerprint,
        )


class CompanionDialog(QDialog):
    def __init__(self, controller: CompanionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Phone and other apps")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Serve edgeapp to other apps (an OpenAI-compatible API) and to your phone's browser. "
            "Every request goes through the same model, privacy gatekeeper and budget, and is "
            "recorded in the history."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.lan = QCheckBox("Listen on the local network (to pair a phone)")
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        row.addWidget(self.lan, 1)
        row.addWidget(QLabel("Port"))
        row.addWidget(self.port)
        layout.addLayout(row)
        self.warning = QLabel(LAN_WARNING)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b3261e;")
        self.warning.setVisible(False)
        layout.addWidget(self.warning)
        self.lan.toggled.connect(self.warning.setVisible)
        self.https = QCheckBox(
            "Encrypt with HTTPS (a certificate made on this computer; compare its fingerprint)"
        )
        layout.addWidget(self.https)
        self.toggle = QPushButton()
        self.toggle.clicked.connect(self._toggle)
        layout.addWidget(self.toggle)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.qr)
        tokens_row = QHBoxLayout()
        self.token_field = QLineEdit()
        self.token_field.setReadOnly(True)
        self.token_field.setEchoMode(QLineEdit.EchoMode.Password)
        copy = QPushButton("Copy token")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.token_field.text()))
        self.rotate_button = QPushButton("Rotate token")
        self.rotate_button.setToolTip("Make a new token: paired phones and apps must use the new one.")
        self.rotate_button.clicked.connect(self._rotate)
        tokens_row.addWidget(self.token_field, 1)
        tokens_row.addWidget(copy)
        tokens_row.addWidget(self.rotate_button)
        layout.addLayout(tokens_row)
        layout.addWidget(QLabel("Paired devices (each has its own token):"))
        self.devices = QListWidget()
        self.devices.setMaximumHeight(110)
        layout.addWidget(self.devices)
        self.revoke_button = QPushButton("Revoke device")
        self.revoke_button.setToolTip("The selected device's token is refused from its next request on.")
        self.revoke_button.clicked.connect(self._revoke)
        layout.addWidget(self.revoke_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._refresh()

    def _toggle(self) -> None:
        try:
            if self.controller.running:
                self.controller.stop()
            else:
                self.controller.start(
                    lan=self.lan.isChecked(), port=self.port.value(), https=self.https.isChecked()
                )
        except EdgeappError as exc:
            self.status.setText(str(exc))
            return
        self._refresh()

    def _rotate(self) -> None:
        try:
            self.controller.rotate()
        except EdgeappError as exc:
            self.status.setText(str(exc))
            return
        self._refresh()

    def _revoke(self) -> None:
        item = self.devices.currentItem()
        if item is None:
            return
        try:
            self.controller.revoke(item.data(Qt.ItemDataRole.UserRole))
        except EdgeappError as exc:
            self.status.setText(str(exc))
            return
        self._refresh()

    def _list_devices(self) -> None:
        self.devices.clear()
        for d in self.controller.devices():
            state = (
                f"revoked {d.revoked_at[:10]}" if d.revoked else f"last seen {(d.last_seen or 'never')[:16]}"
            )
            item = QListWidgetItem(f"{d.name} · paired {d.paired_at[:10]} · {state}")
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.devices.addItem(item)

    def _refresh(self) -> None:
        self._list_devices()
        running = self.controller.running
        self.toggle.setText("Stop" if running else "Start")
        self.lan.setEnabled(not running)
        self.https.setEnabled(not running)
        self.port.setEnabled(not running)
        token = self.controller.token
        self.token_field.setText(token.value if token else "")
        url = self.controller.pairing_url()
        if not running or url is None:
            self.status.setText("Not running.")
            self.qr.clear()
            return
        server = self.controller.server
        lines = [f"OpenAI base_url: {server.url}/v1 (models edgeapp-auto, edgeapp-local, edgeapp-cloud)"]
        if token and token.note:
            lines.append(f"Note: {token.note}.")
        if server.certificate is not None:
            lines.append(f"Certificate SHA-256: {server.certificate.fingerprint_text}")
        if server.config.lan:
            lines.append("Scan the code with your phone's camera to open the chat signed in:")
            pixmap = QPixmap()
            pixmap.loadFromData(qr_png(url, scale=5))
            self.qr.setPixmap(pixmap)
        else:
            lines.append(
                "Only this computer can connect (tick 'Listen on the local network' to pair a phone)."
            )
            self.qr.clear()
        self.status.setText("\n".join(lines))
