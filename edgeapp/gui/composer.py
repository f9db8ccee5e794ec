"""The bar under the chat: the message box, the routing choice, Stop and Send."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

MODES = [("auto", "Auto"), ("local", "Local only"), ("cloud", "Cloud")]


class Composer(QPlainTextEdit):
    """The message box: Enter sends, Shift+Enter adds a line, Up in an empty box recalls the last
    message; grows with its text up to eight lines."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setPlaceholderText("Message edgeapp — Enter sends, Shift+Enter adds a line")
        self.setTabChangesFocus(True)
        self.last_sent = ""
        self.document().documentLayout().documentSizeChanged.connect(self._grow)
        self.setAccessibleName("Message")
        self._grow()

    def _grow(self, *_: object) -> None:
        fm = QFontMetrics(self.font())
        lines = max(1, min(8, int(self.document().size().height())))
        margins = self.contentsMargins()
        h = (
            lines * fm.lineSpacing()
            + 2 * int(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
            + 6
        )
        self.setFixedHeight(max(h, 2 * fm.lineSpacing() + 16))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (mods & Qt.KeyboardModifier.ShiftModifier):
            text = self.toPlainText()
            if text.strip():
                self.submitted.emit(text)
            return
        if key == Qt.Key.Key_Up and not self.toPlainText() and self.last_sent:
            self.setPlainText(self.last_sent)
            self.moveCursor(self.textCursor().MoveOperation.End)
            return
        super().keyPressEvent(event)

    def put_back(self, text: str) -> None:
        """Put `text` in the box to edit it, the cursor at its end."""
        self.setPlainText(text)
        self.setFocus()
        self.moveCursor(self.textCursor().MoveOperation.End)


class ComposerBar(QFrame):
    """The composer with, below it: Routing (Auto / Local only / Cloud), a hint, Stop and Send.
    `send_clicked(text)` when Send is pressed; Enter in the box is `composer.submitted`."""

    send_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerBar")
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 8, 24, 12)
        self.composer = Composer(self)
        column.addWidget(self.composer)
        controls = QHBoxLayout()
        self.mode_box = QComboBox(self)
        self.mode_box.setAccessibleName("Routing")
        self.mode_box.setToolTip(
            "Auto: the cloud helps when the local model is unsure. "
            "Local only: nothing leaves this computer. Cloud: always ask the cloud."
        )
        for value, label in MODES:
            self.mode_box.addItem(label, value)
        controls.addWidget(QLabel("Routing:", self))
        controls.addWidget(self.mode_box)
        controls.addStretch(1)
        self.hint = QLabel("", self)
        self.hint.setObjectName("hint")
        controls.addWidget(self.hint)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setToolTip("Stop the answer (Esc)")
        self.stop_button.hide()
        controls.addWidget(self.stop_button)
        self.send_button = QPushButton("Send", self)
        self.send_button.setDefault(True)
        self.send_button.setToolTip("Send (Enter)")
        self.send_button.clicked.connect(lambda: self.send_clicked.emit(self.composer.toPlainText()))
        controls.addWidget(self.send_button)
        column.addLayout(controls)

    def mode(self) -> str:
        """The routing chosen: auto, local or cloud."""
        return str(self.mode_box.currentData())

    def show_mode(self, mode: str) -> None:
        """Select `mode` without saving it again (it came from the settings)."""
        index = [m for m, _ in MODES].index(mode) if mode in dict(MODES) else 0
        self.mode_box.blockSignals(True)
        self.mode_box.setCurrentIndex(index)
        self.mode_box.blockSignals(False)

    def show_busy(self, busy: bool) -> None:
        self.stop_button.setVisible(busy)
        self.hint.setText("Generating… Esc stops" if busy else "")
