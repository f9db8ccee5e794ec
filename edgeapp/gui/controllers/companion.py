"""The companion switch (File > Companion): serve the window's assistant to the phone and other
apps. The server's modules load only when the user first opens it; quitting stops it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ..session import Session

if TYPE_CHECKING:
    from ..companion import CompanionController


class CompanionMenu:
    def __init__(self, session: Session, parent: QWidget) -> None:
        self.session = session
        self.dialog_parent = parent
        self.controller: CompanionController | None = None  # made when first opened

    def open(self) -> None:
        """The companion dialog: start or stop the server, LAN opt-in, pairing QR, token rotation."""
        from ..companion import CompanionController, CompanionDialog

        if self.controller is None:
            session = self.session
            self.controller = CompanionController(lambda: session.assistant)
        CompanionDialog(self.controller, self.dialog_parent).exec()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
