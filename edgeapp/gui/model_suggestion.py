"""The first run's card above the chat: the built-in model is for trying edgeapp out, and the
model recommended for this computer (size, download time and what it assumes, licence), with one
button that downloads it (progress, Cancel) and switches to it. The first-run controller
(controllers/first_run.py) decides when it shows and does the work."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ..models.suggestion import LEAD

if TYPE_CHECKING:
    from ..models.downloads import Progress
    from ..models.suggestion import Suggestion


class SuggestionCard(QFrame):
    accepted = Signal()  # "Download and use it" / "Use it"
    cancelled = Signal()
    dismissed = Signal()  # "Not now": remembered, not shown again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestion")
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 8, 8, 8)
        col.setSpacing(4)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.headline.setObjectName("suggestionHeadline")
        col.addWidget(self.headline)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.details)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        col.addWidget(self.progress)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        row.addWidget(self.status, 1)
        self.accept_button = QPushButton(self)
        self.accept_button.setDefault(False)
        self.accept_button.clicked.connect(self.accepted)
        row.addWidget(self.accept_button)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancelled)
        self.cancel_button.hide()
        row.addWidget(self.cancel_button)
        self.close_button = QPushButton("Not now", self)
        self.close_button.setFlat(True)
        self.close_button.setToolTip(
            "Hide this for good (the Models panel, View ▸ Panels, still recommends a model)"
        )
        self.close_button.clicked.connect(self.dismissed)
        row.addWidget(self.close_button)
        col.addLayout(row)
        self.hide()

    def show_suggestion(self, suggestion: Suggestion) -> None:
        self.headline.setText(suggestion.headline)
        entry = suggestion.entry
        self.details.setText(
            f"{escape(LEAD)} <b>{escape(entry.title)}</b> ({escape(suggestion.facts)}).<br>"
            f"{escape(suggestion.fit_text)} {escape(entry.good_for)}"
        )
        self.accept_button.setText("Use it" if suggestion.installed else "Download and use it")
        self.accept_button.setToolTip(f"Same as `{suggestion.command}` in a terminal")
        self.status.setText("")
        self.show()

    def working(self, text: str) -> None:
        """A download or a switch is under way: progress shown, Cancel offered."""
        self.status.setText(text)
        self.accept_button.hide()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)

    def show_progress(self, p: Progress) -> None:
        if p.total:
            self.progress.setValue(int(1000 * p.done / p.total))
        self.progress.show()
        done = f"{p.done / 1e6:.0f} of {p.total / 1e6:.0f} MB" if p.total else f"{p.done / 1e6:.0f} MB"
        speed = f" · {p.bytes_per_s / 1e6:.1f} MB/s" if p.bytes_per_s else ""
        left = f" · {p.seconds_left:.0f} s left" if p.seconds_left is not None else ""
        self.status.setText(f"Downloading: {done}{speed}{left}")

    def stopped(self, text: str) -> None:
        """The work ended without a switch (failed or cancelled): say why, offer the button again."""
        self.progress.hide()
        self.cancel_button.hide()
        self.accept_button.show()
        self.status.setText(text)

    def done(self, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.accept_button.hide()
        self.close_button.setText("Dismiss")
        self.status.setText(text)
