"""Small windows: the reasons popup of a badge, and confirm-before-send."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import wording
from .chat import colors
from .markdown import highlight_placeholders

if TYPE_CHECKING:
    from ..gatekeeper import ScrubbedPayload
    from .chat import AnswerRecord


class ReasonsPopup(QFrame):
    """Why this answer took its route: the core's `wording.reasons(result)` lines."""

    def __init__(self, result: AnswerRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("reasons")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        title = QLabel(f"<b>{html.escape(wording.badge(result))}</b>", self)
        layout.addWidget(title)
        self.lines = wording.reasons(result)
        body = QLabel(self)
        body.setObjectName("reasonLines")
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setText("<br>".join(html.escape(str(line)) for line in self.lines))
        body.setMinimumWidth(360)
        body.setMaximumWidth(520)
        layout.addWidget(body)
        self.body = body

    def show_below(self, anchor: QWidget) -> None:
        self.adjustSize()
        self.move(anchor.mapToGlobal(QPoint(0, anchor.height() + 2)))
        self.show()


class ConfirmSendDialog(QDialog):
    """The exact scrubbed payload about to leave the machine, placeholders highlighted.
    Send -> accept(); Keep local -> reject()."""

    def __init__(self, payload: ScrubbedPayload, model: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send to the cloud?")
        self.setModal(True)
        self.resize(640, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setText(
            html.escape(wording.escalation_notice(model, payload.entities))
            + "<br>This is exactly what will be sent. Highlighted parts are placeholders: "
            "the real values stay on this computer."
        )
        layout.addWidget(intro)
        view = QTextBrowser(self)
        view.setObjectName("payload")
        c = colors(self)
        blocks = []
        for role, content in payload.messages:
            blocks.append(
                f'<p><span style="color:{c.muted}; font-size:small;">{html.escape(role)}</span><br>'
                f"{highlight_placeholders(content, c)}</p>"
            )
        view.setHtml("".join(blocks))
        layout.addWidget(view, 1)
        self.view = view
        buttons = QDialogButtonBox(self)
        self.send_button = buttons.addButton("Send", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button = buttons.addButton("Keep local", QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setDefault(True)  # the safe choice is the default
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
