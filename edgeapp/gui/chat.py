"""The chat pane: a scrolling column of messages, Markdown-rendered (the message box is composer.py).

One widget per message: a streaming answer re-renders only itself (throttled to ~25 frames a
second), so a long history costs nothing while tokens arrive. The view follows a streaming answer
unless the user scrolled up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import wording
from .flow_layout import FlowLayout
from .markdown import DARK, LIGHT, Colors, render

if TYPE_CHECKING:
    from ..assistant import TurnResult

    # what an answer's badge is made from: the turn just run, or its ledger row (a reopened chat)
    AnswerRecord: TypeAlias = TurnResult | dict[str, Any]

RENDER_MS = 40


def is_dark(widget: QWidget | None = None) -> bool:
    pal = widget.palette() if widget is not None else QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def colors(widget: QWidget | None = None) -> Colors:
    return DARK if is_dark(widget) else LIGHT


def glyph(widget: QWidget, text: str, fallback: str) -> str:
    """`text` when the font has it (emoji are often missing on Linux), else `fallback`."""
    fm = QFontMetrics(widget.font())
    return text if all(fm.inFontUcs4(ord(ch)) for ch in text) else fallback


# Material Design "thumb_up" (Apache-2.0); thumbs down is the same shape turned over
THUMB = (
    "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 "
    "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05"
    "c.09-.23.14-.47.14-.73v-2z"
)


def thumb_icon(off: str, on: str, *, down: bool = False, size: int = 16) -> QIcon:
    """A thumb drawn from its path in two colours (unchecked / checked): no emoji font needed."""
    from PySide6.QtSvg import QSvgRenderer  # Qt SVG loads with the first answer, not the window

    icon = QIcon()
    for color, state in ((off, QIcon.State.Off), (on, QIcon.State.On)):
        turn = ' transform="rotate(180 12 12)"' if down else ""
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path{turn} fill="{color}" '
            f'd="{THUMB}"/></svg>'
        )
        for scale in (1, 2):
            pix = QPixmap(size * scale, size * scale)
            pix.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pix)
            QSvgRenderer(QByteArray(svg.encode())).render(painter, QRectF(0, 0, size * scale, size * scale))
            painter.end()
            pix.setDevicePixelRatio(scale)
            icon.addPixmap(pix, QIcon.Mode.Normal, state)
    return icon


@dataclass(frozen=True)
class AnswerFacts:
    """What an answer's badge and buttons show, read once from a TurnResult or a ledger row."""

    route: str
    confidence: float | None
    cost: float
    cost_estimated: bool
    turn_id: int | None
    feedback: str | None

    @classmethod
    def of(cls, record: AnswerRecord) -> AnswerFacts:
        if isinstance(record, dict):  # a ledger `turns` row
            return cls(
                route=record.get("route") or "local",
                confidence=record.get("confidence"),
                cost=float(record.get("cost") or 0.0),
                cost_estimated=bool(record.get("cost_estimated")),
                turn_id=record.get("turn_id") or record.get("id"),
                feedback=record.get("feedback"),
            )
        return cls(
            route=record.route,
            confidence=record.confidence,
            cost=record.cost or 0.0,
            cost_estimated=record.cost_estimated,
            turn_id=record.turn_id,
            feedback=None,
        )


class MarkdownView(QTextBrowser):
    """Rich text that grows to its content (no inner scrollbar); Copy links on code blocks."""

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextBrowser { background: transparent; }")
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.anchorClicked.connect(self._anchor)
        self.codes: list[str] = []
        self.markdown = ""
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def set_markdown(self, text: str, palette: Colors) -> None:
        self.markdown = text
        html, self.codes = render(text, palette)
        self.setHtml(f'<div style="color:{palette.text};">{html}</div>')

    def set_plain(self, text: str) -> None:
        self.markdown = text
        self.codes = []
        self.setPlainText(text)

    def _fit(self, _size: object = None) -> None:
        h = int(self.document().size().height()) + 4
        if self.height() != h:
            self.setFixedHeight(h)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - let the chat column scroll
        event.ignore()

    def _anchor(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("copy:"):
            index = int(target.split(":", 1)[1])
            if 0 <= index < len(self.codes):
                QGuiApplication.clipboard().setText(self.codes[index])
                self.copied.emit(self.codes[index])
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


class Message(QFrame):
    """One message. Assistant messages carry the badge, feedback and actions row."""

    badge_clicked = Signal(object)  # the Message
    feedback = Signal(object, str)  # Message, "good" | "bad"
    regenerate = Signal(object)
    cloud_anyway = Signal(object)
    edit = Signal(object)

    def __init__(self, role: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.text = text
        self.draft = ""  # the local answer when the turn escalated
        self.result: AnswerRecord | None = None
        self.facts: AnswerFacts | None = None
        self.streaming = False
        self.escalated = False
        self.cloud_ok = True  # a cloud is set up: "Ask the cloud anyway" makes sense
        self.setObjectName("userMessage" if role == "user" else "assistantMessage")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 4)
        self.bubble = QFrame(self)
        self.bubble.setObjectName("bubble" if role == "user" else "answer")
        col = QVBoxLayout(self.bubble)
        col.setContentsMargins(12, 8, 12, 8) if role == "user" else col.setContentsMargins(4, 2, 4, 2)
        col.setSpacing(4)
        if role == "user":
            outer.addStretch(1)
            outer.addWidget(self.bubble, 4)
        else:
            outer.addWidget(self.bubble, 1)
        self.status = QLabel(self.bubble)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.hide()
        col.addWidget(self.status)
        self.draft_view = QLabel(self.bubble)
        self.draft_view.setObjectName("draft")
        self.draft_view.setWordWrap(True)
        self.draft_view.hide()
        col.addWidget(self.draft_view)
        self.body = MarkdownView(self.bubble)
        col.addWidget(self.body)
        self.actions = QWidget(self.bubble)
        self._build_actions()
        col.addWidget(self.actions)
        self.actions.setVisible(role == "assistant")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_MS)
        self._timer.timeout.connect(self._render)
        self.badge.hide()
        self.render_now()

    def _build_actions(self) -> None:
        """The row under a message: badge, thumbs, Copy, Regenerate, Ask the cloud (answers); Edit
        (questions)."""
        self.badge = self._tool("", "Why this route? Confidence, threshold, what was masked, cost")
        self.badge.setObjectName("badge")
        self.badge.clicked.connect(lambda: self.badge_clicked.emit(self))
        self.good = self._tool("", "Good answer (teaches calibration)", checkable=True)
        self.bad = self._tool("", "Bad answer (teaches calibration)", checkable=True)
        c = colors(self)
        self.good.setIcon(thumb_icon(c.muted, c.link))
        self.bad.setIcon(thumb_icon(c.muted, c.link, down=True))
        self.good.setEnabled(False)  # until the answer has a turn in the ledger
        self.bad.setEnabled(False)
        self.good.clicked.connect(lambda: self._feedback("good"))
        self.bad.clicked.connect(lambda: self._feedback("bad"))
        self.copy_btn = self._tool("Copy", "Copy the answer as Markdown")
        self.copy_btn.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text))
        self.regen_btn = self._tool(glyph(self, "↻", "") + " Regenerate", "Answer the last message again")
        self.regen_btn.clicked.connect(lambda: self.regenerate.emit(self))
        self.cloud_btn = self._tool(
            "Ask the cloud anyway", "Send this question to the cloud (scrubbed, within the budget)"
        )
        self.cloud_btn.clicked.connect(lambda: self.cloud_anyway.emit(self))
        self.edit_btn = self._tool("Edit", "Edit this message and send it again")
        self.edit_btn.clicked.connect(lambda: self.edit.emit(self))
        self.edit_btn.hide()
        if self.role == "user":
            row = QHBoxLayout(self.actions)
            row.setContentsMargins(0, 0, 0, 0)
            for b in (self.badge, self.good, self.bad, self.regen_btn, self.cloud_btn):
                b.hide()
            row.addStretch(1)
            row.addWidget(self.edit_btn)
        else:  # wraps onto a second line in a narrow column rather than widening (and clipping) it
            flow = FlowLayout(self.actions)
            for b in (self.badge, self.good, self.bad, self.copy_btn, self.regen_btn, self.cloud_btn):
                flow.addWidget(b)
            self.regen_btn.hide()
            self.cloud_btn.hide()

    def _tool(self, text: str, tip: str, *, checkable: bool = False) -> QToolButton:
        b = QToolButton(self.actions)
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.setCheckable(checkable)
        b.setAutoRaise(True)
        b.setCursor(Qt.CursorShape.PointingHandCursor)
        return b

    def _feedback(self, value: str) -> None:
        (self.bad if value == "good" else self.good).setChecked(False)
        self.feedback.emit(self, value)

    # -- content ---------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        self.text = text
        if not self._timer.isActive():
            self._timer.start()

    def append(self, text: str) -> None:
        self.set_text(self.text + text)

    def render_now(self) -> None:
        self._timer.stop()
        self._render()

    def _render(self) -> None:
        if self.role == "user":
            self.body.set_plain(self.text)
        else:
            shown = self.text if self.text or not self.streaming else "…"
            self.body.set_markdown(shown, colors(self))

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_draft(self, text: str) -> None:
        """The local answer, dimmed above the cloud's, once the turn escalated."""
        self.draft = text
        short = text.strip()
        if len(short) > 280:
            short = short[:280].rstrip() + "…"
        self.draft_view.setText(f"Local draft: {short}" if short else "")
        self.draft_view.setVisible(bool(short))

    def set_result(self, result: AnswerRecord, *, currency: str = "USD") -> None:
        """The badge and actions for a finished turn: a TurnResult, or a ledger row (history)."""
        self.result = result
        facts = self.facts = AnswerFacts.of(result)
        parts = [wording.badge(result)]
        if facts.confidence is not None:
            parts.append(f"{facts.confidence:.0%} sure")
        if facts.route == "cloud":
            parts.append(wording.money(facts.cost, currency, estimated=facts.cost_estimated))
        flag = wording.guardian_flag(result)  # the guardian's findings are in the reasons
        if flag:
            parts.append(flag)
        self.badge.setText(" · ".join(parts) + "  ▾")
        self.badge.setProperty("route", facts.route)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.badge.show()
        self.cloud_btn.setVisible(facts.route != "cloud" and self.cloud_ok)
        has_turn = facts.turn_id is not None
        self.good.setEnabled(has_turn)
        self.bad.setEnabled(has_turn)
        self.good.setChecked(facts.feedback == "good")
        self.bad.setChecked(facts.feedback == "bad")

    def turn_id(self) -> int | None:
        return self.facts.turn_id if self.facts is not None else None

    def set_last(self, last: bool) -> None:
        """Regenerate / edit are offered on the last exchange only."""
        if self.role == "user":
            self.edit_btn.setVisible(last)
        else:
            self.regen_btn.setVisible(last and not self.streaming)
            if not last:
                self.cloud_btn.hide()
            elif self.facts is not None:
                self.cloud_btn.setVisible(self.facts.route != "cloud" and self.cloud_ok)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - light/dark switch: re-render in new colours
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and self.role == "assistant":
            self._timer.start()
        super().changeEvent(event)


class ChatView(QScrollArea):
    """The column of messages. Every message's buttons are heard here: `badge_clicked`, `feedback`,
    `regenerate`, `cloud_anyway` and `edit` carry the message they came from."""

    badge_clicked = Signal(object)  # the Message
    feedback = Signal(object, str)  # Message, "good" | "bad"
    regenerate = Signal(object)
    cloud_anyway = Signal(object)
    edit = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.inner.setObjectName("chatColumn")
        self.column = QVBoxLayout(self.inner)
        self.column.setContentsMargins(24, 16, 24, 16)
        self.column.setSpacing(6)
        self.column.addStretch(1)
        self.setWidget(self.inner)
        self.messages: list[Message] = []
        self.follow = True
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._range_changed)
        bar.valueChanged.connect(self._value_changed)
        self._programmatic = False

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 480)

    def _value_changed(self, value: int) -> None:
        if not self._programmatic:
            self.follow = value >= self.verticalScrollBar().maximum() - 8

    def _range_changed(self, _lo: int, hi: int) -> None:
        if self.follow:
            self._programmatic = True
            self.verticalScrollBar().setValue(hi)
            self._programmatic = False

    def scroll_to_end(self) -> None:
        self.follow = True
        self._range_changed(0, self.verticalScrollBar().maximum())

    def add(self, message: Message) -> Message:
        self.column.insertWidget(self.column.count() - 1, message)
        self.messages.append(message)
        message.badge_clicked.connect(self.badge_clicked)
        message.feedback.connect(self.feedback)
        message.regenerate.connect(self.regenerate)
        message.cloud_anyway.connect(self.cloud_anyway)
        message.edit.connect(self.edit)
        self.mark_last()
        return message

    def remove(self, message: Message) -> None:
        if message in self.messages:
            self.messages.remove(message)
        self.column.removeWidget(message)
        message.deleteLater()
        self.mark_last()

    def clear(self) -> None:
        for m in list(self.messages):
            self.column.removeWidget(m)
            m.deleteLater()
        self.messages.clear()
        self.follow = True

    def mark_last(self) -> None:
        last_user = next((m for m in reversed(self.messages) if m.role == "user"), None)
        last_answer = next((m for m in reversed(self.messages) if m.role == "assistant"), None)
        for m in self.messages:
            m.set_last(m is last_user or m is last_answer)

    def last(self, role: str) -> Message | None:
        return next((m for m in reversed(self.messages) if m.role == role), None)
