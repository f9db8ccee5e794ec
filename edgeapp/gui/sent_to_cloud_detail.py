"""The details of one cloud call in the "Sent to cloud" view: the request body byte for byte as
recorded, placeholders (`<PERSON_1>`) highlighted, beside what the user typed and the reply as
restored on this computer."""

from __future__ import annotations

import html
import json
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .. import wording
from .sent_to_cloud_calls import CallRow, local_time, masked_text

# the gatekeeper's placeholder shape (edgeapp.gatekeeper.vault.PLACEHOLDER_RE; a test keeps them equal,
# copied so that opening the review does not load the NER stack)
PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*?)_(\d+)>")
NOTHING_SELECTED = "Select a call to see exactly what was sent."


class PlaceholderHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.fmt = QTextCharFormat()
        self.fmt.setBackground(QColor("#ffe08a"))
        self.fmt.setForeground(QColor("#5a3d00"))
        self.fmt.setFontWeight(QFont.Weight.Bold)

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        for m in PLACEHOLDER_RE.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self.fmt)


def _mono() -> QFont:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


class Pane(QWidget):
    """A bold title over read-only text."""

    def __init__(self, title: str, parent: QWidget | None = None, *, mono: bool = False):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        self.title = QLabel(title, self)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        if mono:
            self.text.setFont(_mono())
        lay.addWidget(self.title)
        lay.addWidget(self.text, 1)


def call_summary(detail: CallRow, currency: str) -> str:
    """The title line of a call (rich text): its number, time, provider and model, tokens, cost,
    what was masked and whether it failed."""
    cost = wording.money(detail.get("cost"), currency, estimated=bool(detail.get("estimated")))
    tokens = f"in {detail.get('input_tokens') or 0:,} / out {detail.get('output_tokens') or 0:,} tokens"
    status = (
        "" if detail.get("status") == "ok" else f" · failed: {detail.get('error') or detail.get('status')}"
    )
    rest = (
        f" · {local_time(detail.get('created_at'))} · {detail.get('provider')} {detail.get('model')} · "
        f"{tokens} · {cost} · masked: {masked_text(detail.get('entities'))}{status}"
    )
    return f"<b>Call #{detail['id']}</b>{html.escape(rest)}"


class DetailPane(QWidget):
    """`show_call(detail, currency)` / `clear()`. "Open conversation" is `open_conversation(id)`."""

    open_conversation = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.detail: CallRow | None = None
        self._readable = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        head = QHBoxLayout()
        self.title = QLabel(NOTHING_SELECTED, self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.readable_btn = QPushButton("Readable layout", self)
        self.readable_btn.setCheckable(True)
        self.readable_btn.setToolTip(
            "Indent the JSON for reading (Copy payload always copies the exact bytes)"
        )
        self.readable_btn.toggled.connect(self._toggle_readable)
        self.copy_btn = QPushButton("Copy payload", self)
        self.copy_btn.clicked.connect(self.copy_payload)
        self.open_btn = QPushButton("Open conversation", self)
        self.open_btn.clicked.connect(self.open_call_conversation)
        for b in (self.readable_btn, self.copy_btn, self.open_btn):
            b.setEnabled(False)
        head.addWidget(self.title, 1)
        head.addWidget(self.readable_btn)
        head.addWidget(self.copy_btn)
        head.addWidget(self.open_btn)
        column.addLayout(head)
        sides = QSplitter(Qt.Orientation.Horizontal, self)
        self.payload = Pane("Sent to the cloud (exact bytes)", sides, mono=True)
        self.highlighter = PlaceholderHighlighter(self.payload.text.document())
        right = QSplitter(Qt.Orientation.Vertical, sides)
        self.typed = Pane("You typed (never sent as is)", right)
        self.reply = Pane("The reply, placeholders restored on this computer", right)
        sides.addWidget(self.payload)
        sides.addWidget(right)
        sides.setStretchFactor(0, 3)
        sides.setStretchFactor(1, 2)
        column.addWidget(sides, 1)
        self.guardian = QLabel(self)  # what the guardian found in the reply, when it found something
        self.guardian.setObjectName("guardianFindings")
        self.guardian.setWordWrap(True)
        self.guardian.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guardian.hide()
        column.addWidget(self.guardian)

    def show_call(self, detail: CallRow, currency: str) -> None:
        self.detail = detail
        size = len((detail.get("request_json") or "").encode("utf-8"))
        self.title.setText(call_summary(detail, currency))
        self.payload.title.setText(
            f"Sent to the cloud (exact bytes, {size:,} bytes; placeholders highlighted)"
        )
        self._set_payload_text()
        typed = detail.get("user_text")
        self.typed.text.setPlainText(typed if typed is not None else "(the turn is not in the history)")
        answer = detail.get("answer")
        self.reply.text.setPlainText(answer if answer is not None else "")
        self.show_findings(detail)
        for b in (self.readable_btn, self.copy_btn):
            b.setEnabled(True)
        self.open_btn.setEnabled(bool(detail.get("conversation_id")))

    def show_findings(self, detail: CallRow) -> None:
        """The guardian's findings on the call's turn, one sentence each, under the panes."""
        lines = [wording.finding_line(f) for f in wording.guardian_findings(detail)]
        flag = wording.guardian_flag(detail)
        self.reply.title.setText(
            "The reply, placeholders restored on this computer" + (f"  ·  {flag}" if flag else "")
        )
        self.guardian.setText("<br>".join(f"⚠ {html.escape(line)}" for line in lines))
        self.guardian.setVisible(bool(lines))

    def clear(self) -> None:
        self.detail = None
        self.guardian.hide()
        self.title.setText(NOTHING_SELECTED)
        for pane in (self.payload, self.typed, self.reply):
            pane.text.clear()
        for b in (self.readable_btn, self.copy_btn, self.open_btn):
            b.setEnabled(False)

    def _set_payload_text(self) -> None:
        body = (self.detail or {}).get("request_json") or ""
        if self._readable:
            try:
                body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
            except ValueError:
                pass
        self.payload.text.setPlainText(body)

    def _toggle_readable(self, checked: bool) -> None:
        self._readable = checked
        self._set_payload_text()

    def payload_bytes(self) -> bytes:
        """The selected call's request body exactly as recorded (what the Copy button copies)."""
        return ((self.detail or {}).get("request_json") or "").encode("utf-8")

    def copy_payload(self) -> None:
        if self.detail is not None:
            QGuiApplication.clipboard().setText(self.detail.get("request_json") or "")

    def open_call_conversation(self) -> None:
        """Open the conversation of the call shown (in the chat)."""
        if self.detail and self.detail.get("conversation_id"):
            self.open_conversation.emit(self.detail["conversation_id"])
