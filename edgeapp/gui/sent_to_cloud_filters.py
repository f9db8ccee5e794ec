"""The filter row of the "Sent to cloud" view: the period (or two dates), the model and a search.
`changed` fires when a filter changed (the search once typing stops); `current_filter()` is the
`CallFilter` the view queries with."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from ..ledger.history import CallFilter

PERIODS = ["Any time", "Today", "Last 7 days", "Last 30 days", "This month", "Dates…"]
DATES = "Dates…"
SEARCH_PAUSE_MS = 250


def period_start(period: str, now: datetime) -> datetime | None:
    """Where a named period begins (None: any time, or dates of the user's choice)."""
    start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "Today": start_of_today,
        "Last 7 days": now - timedelta(days=7),
        "Last 30 days": now - timedelta(days=30),
        "This month": start_of_today.replace(day=1),
    }.get(period)


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.period = QComboBox(self)
        self.period.addItems(PERIODS)
        self.period.setAccessibleName("Period")
        self.since_edit = QDateEdit(self)
        self.until_edit = QDateEdit(self)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.dateChanged.connect(self._dates_edited)
        self.model_box = QComboBox(self)
        self.model_box.addItem("All models", None)
        self.model_box.setAccessibleName("Model")
        self.model_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search questions, answers, models, masked types")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.period.currentIndexChanged.connect(self._period_changed)
        self.model_box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.row.addWidget(self.period)
        self.row.addWidget(self.since_edit)
        self.to_label = QLabel("to", self)
        self.row.addWidget(self.to_label)
        self.row.addWidget(self.until_edit)
        self.row.addWidget(self.model_box)
        self.row.addWidget(self.search, 1)
        self._show_dates(False)

    def add(self, widget: QWidget) -> None:
        """A button at the end of the row."""
        self.row.addWidget(widget)

    def _show_dates(self, shown: bool) -> None:
        for w in (self.since_edit, self.until_edit, self.to_label):
            w.setVisible(shown)

    def _period_changed(self, index: int) -> None:
        self._show_dates(PERIODS[index] == DATES)
        self.changed.emit()

    def _dates_edited(self, _d: QDate) -> None:
        if self.period.currentText() == DATES:
            self.changed.emit()

    def stop_waiting(self) -> None:
        """The filters are read now: a search still waiting for typing to stop need not fire."""
        self._search_timer.stop()

    def current_filter(self) -> CallFilter:
        now = datetime.now().astimezone()
        since, until = period_start(self.period.currentText(), now), None
        if self.period.currentText() == DATES:
            a, b = self.since_edit.date().toPython(), self.until_edit.date().toPython()
            a, b = min(a, b), max(a, b)
            since = datetime(a.year, a.month, a.day).astimezone()
            until = datetime(b.year, b.month, b.day).astimezone() + timedelta(days=1)
        text = self.search.text().strip() or None
        return CallFilter(since=since, until=until, model=self.model_box.currentData(), text=text)

    def set_dates(self, first: date, last: date) -> None:
        """Choose these dates (without `changed`: the caller reads the filters next)."""
        for edit, d in ((self.since_edit, first), (self.until_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(d.year, d.month, d.day))
            edit.blockSignals(False)
        self.period.blockSignals(True)
        self.period.setCurrentIndex(PERIODS.index(DATES))
        self.period.blockSignals(False)
        self._show_dates(True)

    def set_models(self, names: list[str]) -> None:
        """The models to choose from (the one chosen stays chosen, also when it is not listed)."""
        if [self.model_box.itemData(i) for i in range(1, self.model_box.count())] == names:
            return
        current = self.model_box.currentData()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItem("All models", None)
        for name in names:
            self.model_box.addItem(name, name)
        if current is not None and self.model_box.findData(current) < 0:
            self.model_box.addItem(current, current)  # still filtered by it
        self.model_box.setCurrentIndex(max(0, self.model_box.findData(current)))
        self.model_box.blockSignals(False)
