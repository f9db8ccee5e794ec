"""The line at the top of the chat: a notice or an error in plain words, with its action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ..errors import EdgeappError


def error_text(exc: BaseException) -> str:
    """An error in plain words: ours say what to do; anything else says it came from inside."""
    if isinstance(exc, EdgeappError):
        return str(exc)
    return f"Something went wrong inside edgeapp ({type(exc).__name__}: {exc})."


class Banner(QFrame):
    """`show_message(text, kind=info|warning|error, button=..., callback=..., timeout_ms=...)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        # the text over the whole width (one or two lines, never a word per line), its buttons under it
        self.row = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.row.setContentsMargins(12, 6, 8, 4)
        self.row.setSpacing(0)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row.addWidget(self.text, 1)
        self.buttons = QWidget(self)
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        self.button = QPushButton(self.buttons)
        self.button.hide()
        buttons.addWidget(self.button)
        self.close_button = QPushButton("Dismiss", self.buttons)
        self.close_button.setFlat(True)
        self.close_button.clicked.connect(self.dismiss)
        buttons.addWidget(self.close_button)
        self.row.addWidget(self.buttons)
        self._callback: Callable[[], None] | None = None
        self.kind = ""
        self.button.clicked.connect(self._clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    def show_message(
        self,
        text: str,
        *,
        kind: str = "info",
        button: str | None = None,
        callback: Callable[[], None] | None = None,
        timeout_ms: int = 0,
    ) -> None:
        self.kind = kind
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        self._callback = callback
        self.button.setText(button or "")
        self.button.setVisible(bool(button))
        self._timer.stop()
        if timeout_ms:
            self._timer.start(timeout_ms)
        self.show()

    def _clicked(self) -> None:
        callback = self._callback
        self.dismiss()
        if callback is not None:
            callback()

    def dismiss(self) -> None:
        self._timer.stop()
        self.kind = ""
        self.hide()
