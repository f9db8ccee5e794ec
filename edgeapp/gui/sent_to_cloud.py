"""The "Sent to cloud" view: every cloud call, and for the selected one exactly what left the machine.

- The table (sent_to_cloud_calls.py) holds the pages read so far and asks for the next one when the
  view scrolls near the end, so a year of history opens with one page. Sorting and filters
  (sent_to_cloud_filters.py: date range, model, text) re-run the query in SQL; every query runs on
  a worker thread and answers that arrive after a newer request are dropped.
- The details (sent_to_cloud_detail.py) show the request body byte for byte as recorded,
  placeholders (`<PERSON_1>`) highlighted, beside what the user typed and the reply as restored on
  this computer.
- Export writes the filtered calls in the formats of `edgeapp export --table cloud_calls`;
  deletion (a conversation, the dates shown, everything) goes through
  `edgeapp.ledger.history.delete_history`, which keeps the month's spending counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import wording
from ..ledger import Ledger, history
from ..ledger.history import CallFilter, Deleted
from .ledger_jobs import Jobs
from .sent_to_cloud_calls import CallRow, CallsModel
from .sent_to_cloud_detail import DetailPane
from .sent_to_cloud_filters import PERIODS, FilterBar

COLUMN_WIDTHS = [150, 110, 130, 90, 60, 60, 90, 72, 170]


@dataclass(frozen=True)
class Deletion:
    """What `delete_history` removes, and the words that ask before it does."""

    what: str
    conversation_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    everything: bool = False

    def run(self, ledger: Ledger) -> Deleted:
        return history.delete_history(
            ledger,
            conversation_id=self.conversation_id,
            since=self.since,
            until=self.until,
            everything=self.everything,
        )


class ReviewView(QWidget):
    """Standalone: `ReviewView(ledger)`; the window's panels controller mounts it in the dock."""

    open_conversation = Signal(str)  # a conversation id: the main window opens it
    detail_shown = Signal(int)  # a call id whose details are on screen
    history_deleted = Signal(object)  # edgeapp.ledger.history.Deleted

    PERIODS = PERIODS

    def __init__(self, ledger: Ledger, *, jobs: Jobs | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.jobs = jobs or Jobs.shared()
        self.model = CallsModel(ledger, self.jobs, self)
        self._detail_gen = 0
        self._build()
        self.model.counted.connect(self._counted)
        self.model.models_changed.connect(lambda: self.filters.set_models(self.model.models))
        self.model.first_page.connect(self._first_page)
        self.model.failed.connect(lambda text: self.summary.setText(f"Could not read the history: {text}"))
        self.model.currency = self._currency()
        self.model.reload(with_models=True)

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.setSpacing(6)
        self.filters = FilterBar(self)
        self.filters.changed.connect(self.apply_filters)
        # the filters, as tests and benchmarks drive them
        self.period, self.model_box, self.search = (
            self.filters.period,
            self.filters.model_box,
            self.filters.search,
        )
        self.filters.add(self._export_button())
        self.filters.add(self._delete_button())
        root.addWidget(self.filters)
        self.summary = QLabel(self)
        self.summary.setStyleSheet("color: #6b7280;")
        root.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = self._calls_table(split)
        self.details = DetailPane(split)
        self.details.open_conversation.connect(self.open_conversation)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        root.addWidget(split, 1)

    def _export_button(self) -> QToolButton:
        self.export_btn = QToolButton(self)
        self.export_btn.setText("Export")
        self.export_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_btn)
        menu.addAction("CSV…", lambda: self.export_dialog("csv"))
        menu.addAction("JSON…", lambda: self.export_dialog("json"))
        self.export_btn.setMenu(menu)
        return self.export_btn

    def _delete_button(self) -> QToolButton:
        self.delete_btn = QToolButton(self)
        self.delete_btn.setText("Delete")
        self.delete_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.delete_btn)
        self.delete_conv_action = menu.addAction(
            "This conversation…", lambda: self.delete_history("conversation")
        )
        self.delete_range_action = menu.addAction("The dates shown…", lambda: self.delete_history("range"))
        menu.addSeparator()
        menu.addAction("Everything…", lambda: self.delete_history("everything"))
        self.delete_btn.setMenu(menu)
        return self.delete_btn

    def _calls_table(self, parent: QWidget) -> QTableView:
        table = QTableView(parent)
        table.setModel(self.model)
        table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(i, width)
        table.selectionModel().currentRowChanged.connect(self._row_changed)
        table.doubleClicked.connect(lambda _i: self.details.open_call_conversation())
        return table

    def _currency(self) -> str:
        try:
            return self.ledger.settings["budget.currency"]
        except Exception:  # noqa: BLE001 - a broken settings file is reported elsewhere
            return "USD"

    # -- filters -----------------------------------------------------------------------------------
    def current_filter(self) -> CallFilter:
        return self.filters.current_filter()

    def apply_filters(self) -> None:
        self.filters.stop_waiting()
        self.model.currency = self._currency()
        self.model.set_filter(self.current_filter())

    def show_day(self, day: date) -> None:
        """Filter to one local day (the budget chart's click)."""
        self.set_dates(day, day)

    def set_dates(self, first: date, last: date) -> None:
        self.filters.set_dates(first, last)
        self.apply_filters()

    def refresh(self, *_: object) -> None:
        """Re-read with the current filters (connect it to the window's turn_finished)."""
        self.model.currency = self._currency()
        self.model.reload(with_models=True)

    def _first_page(self) -> None:
        detail = self.details.detail
        if detail is not None and not self.select_call(detail["id"]):
            self.details.clear()

    def _counted(self) -> None:
        m = self.model
        n = m.total
        newest = " · newest first" if m.sort_key == "time" and m.descending else ""
        total = wording.money(m.total_cost, m.currency)
        self.summary.setText(f"{n:,} call{'s' if n != 1 else ''} · {total}{newest}")

    # -- details -----------------------------------------------------------------------------------
    @property
    def detail(self) -> CallRow | None:
        """The call whose details are shown."""
        return self.details.detail

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= len(self.model.rows):
            return
        self.load_detail(int(self.model.rows[current.row()]["id"]))

    def select_call(self, call_id: int) -> bool:
        for i, row in enumerate(self.model.rows):
            if row["id"] == call_id:
                self.table.selectRow(i)
                return True
        return False

    def load_detail(self, call_id: int) -> None:
        self._detail_gen += 1
        gen = self._detail_gen
        self.jobs.run(lambda: (gen, history.call_detail(self.ledger, call_id)), self._show_detail)

    def _show_detail(self, value: tuple[int, CallRow | None]) -> None:
        gen, detail = value
        if gen != self._detail_gen:
            return
        if detail is None:
            self.details.clear()
            return
        self.details.show_call(detail, self.model.currency)
        self.detail_shown.emit(int(detail["id"]))

    # -- export ------------------------------------------------------------------------------------
    def export_to(self, path: Path, fmt: str, done: Callable[[int], None] | None = None) -> None:
        """Write the filtered calls to `path` (off the GUI thread); `done(count)` when written."""
        flt, ledger = self.model.filter, self.ledger

        def work() -> int:
            with open(path, "w", encoding="utf-8") as fh:  # as `edgeapp export -o FILE` opens it
                return history.export_calls(ledger, flt, fmt, fh)

        def finished(n: int) -> None:
            self.summary.setText(f"Exported {n:,} call{'s' if n != 1 else ''} to {path}")
            if done:
                done(n)

        self.jobs.run(
            work, finished, lambda exc: QMessageBox.warning(self, "Export", f"Could not export: {exc}")
        )

    def export_dialog(self, fmt: str) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the calls shown", f"sent-to-cloud.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if name:
            self.export_to(Path(name), fmt)

    # -- deletion ----------------------------------------------------------------------------------
    def _deletion(self, scope: str) -> Deletion | None:
        """What `scope` deletes; None (after saying why) when there is nothing chosen to delete."""
        if scope == "conversation":
            cid = (self.detail or {}).get("conversation_id")
            if not cid:
                QMessageBox.information(self, "Delete", "Select a call of the conversation to delete first.")
                return None
            return Deletion(f"conversation {cid}: every question, answer and cloud call in it", cid)
        if scope == "range":
            flt = self.current_filter()
            if flt.since is None:
                QMessageBox.information(
                    self, "Delete", "Choose a period or dates first (Today, Last 7 days, Dates…)."
                )
                return None
            until = flt.until or datetime.now().astimezone() + timedelta(seconds=1)
            last = until - timedelta(microseconds=1)
            what = (
                f"everything from {flt.since:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}: questions, answers "
                "and cloud calls, whatever the model or search filter"
            )
            return Deletion(what, since=flt.since, until=until)
        if scope == "everything":
            return Deletion("the whole history: every question, answer and cloud call", everything=True)
        raise ValueError(scope)

    def _confirmed(self, deletion: Deletion) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete history",
            f"Delete {deletion.what}?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            "It is removed from the ledger file for good (and from its search index). This month's "
            "spending still counts against the budget: money spent stays spent."
        )
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def delete_history(
        self, scope: str, *, confirm: bool = True, done: Callable[[Deleted], None] | None = None
    ) -> bool:
        """scope: 'conversation' (the selected call's), 'range' (the dates shown) or 'everything'."""
        deletion = self._deletion(scope)
        if deletion is None or (confirm and not self._confirmed(deletion)):
            return False
        self.delete_btn.setEnabled(False)

        def finished(result: Deleted) -> None:
            self.delete_btn.setEnabled(True)
            self.details.clear()
            self.summary.setText(f"Deleted {result.turns:,} turns and {result.calls:,} cloud calls.")
            self.history_deleted.emit(result)
            self.refresh()
            if done:
                done(result)

        def failed(exc: BaseException) -> None:
            self.delete_btn.setEnabled(True)
            QMessageBox.warning(self, "Delete history", f"Nothing was deleted: {exc}")

        ledger = self.ledger
        self.jobs.run(lambda: deletion.run(ledger), finished, failed)
        return True
