"""The "Sent to cloud" view: every cloud call, and for the selected one exactly what left the machine.

- The table is a `QAbstractTableModel` over `edgeapp.ledger.history`: it holds the pages read so far
  and asks for the next one when the view scrolls near the end (`canFetchMore`/`fetchMore`), so a
  year of history opens with one page. Sorting and filters (date range, model, text) re-run the
  query in SQL; every query runs on a worker thread and answers that arrive after a newer request
  are dropped.
- The details show the request body byte for byte as recorded, placeholders (`<PERSON_1>`)
  highlighted, beside what the user typed and the reply as restored on this computer.
- Export writes the filtered calls in the formats of `edgeapp export --table cloud_calls`;
  deletion (a conversation, the dates shown, everything) goes through
  `edgeapp.ledger.history.delete_history`, which keeps the month's spending counted.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..ledger import Ledger
from ..ledger import history as core
from ..ledger.history import CallFilter
from .ledger_jobs import Jobs, money

# the gatekeeper's placeholder shape (edgeapp.gatekeeper.vault.PLACEHOLDER_RE; a test keeps them equal,
# copied so that opening the review does not load the NER stack)
PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*?)_(\d+)>")
PAGE = 200
_DISPLAY, _ALIGN, _FOREGROUND, _TOOLTIP = (
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
    )
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RED, _AMBER = QColor("#c8372d"), QColor("#9a6b00")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: str | None
    numeric: bool = False


COLUMNS = [
    Column("created_at", "Time", "time"),
    Column("conversation_id", "Conversation", "conversation"),
    Column("model", "Model", "model"),
    Column("provider", "Provider", "provider"),
    Column("input_tokens", "In", "input_tokens", True),
    Column("output_tokens", "Out", "output_tokens", True),
    Column("cost", "Cost", "cost", True),
    Column("estimated", "Billed", "estimated"),
    Column("entities", "Masked", "entities"),
    Column("reason", "Why it went", "reason"),
]


def local_time(utc_text: str | None) -> str:
    if not utc_text:
        return ""
    moment = datetime.fromisoformat(utc_text[:26]).replace(
        tzinfo=timezone.utc
    )  # the ledger's fixed-width UTC
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def masked_text(entities_json: str | None) -> str:
    try:
        entities = json.loads(entities_json or "{}")
    except ValueError:
        return entities_json or ""
    return ", ".join(f"{k}×{v}" for k, v in sorted(entities.items())) or "nothing"


@dataclass
class Page:
    generation: int
    rows: list[dict[str, Any]]
    total: int | None = None
    total_cost: float | None = None
    models: list[str] | None = None


class CallsModel(QAbstractTableModel):
    """Cloud calls, a page at a time. `reload()` re-queries; the view's scrolling fetches more."""

    first_page = Signal()  # a reload's first page is in the model (shown)
    counted = Signal()  # a reload's count and total cost are in
    loaded = Signal()  # both: the reload is complete (tests wait on it)
    page_loaded = Signal()  # a further page was appended (scrolling)
    models_changed = Signal()
    failed = Signal(str)

    def __init__(self, ledger: Ledger, jobs: Jobs, parent: Any = None):
        super().__init__(parent)
        self.ledger, self.jobs = ledger, jobs
        self.filter = CallFilter()
        self.sort_key, self.descending = "time", True
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.total_cost = 0.0
        self.models: list[str] = []
        self.currency = "USD"
        self.generation = 0
        self._fetching = False
        self._counted = self._paged = False
        self._more = False

    # -- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # called for every visible cell and role at each paint: plain int compares, and each row's
        # text formatted once, when it is first shown
        role = int(role)
        r, c = index.row(), index.column()
        if role == _DISPLAY:
            row = self.rows[r]
            cells = row.get("_cells")
            if cells is None:  # formatted when first shown, then kept
                cells = row["_cells"] = tuple(self.display(row, col.key) for col in COLUMNS)
            return cells[c]
        if role == _ALIGN:
            return _RIGHT if COLUMNS[c].numeric else None
        if role == _FOREGROUND:
            row = self.rows[r]
            if row.get("status") != "ok":
                return _RED
            if row.get("estimated") and COLUMNS[c].key in ("cost", "estimated"):
                return _AMBER
            return None
        if role == _TOOLTIP:
            row, key = self.rows[r], COLUMNS[c].key
            if key == "reason":
                return row.get("reason") or ""
            if key == "entities":
                return "Kinds of personal data replaced by placeholders before sending: " + masked_text(
                    row.get("entities")
                )
            if key == "estimated" and row.get("estimated"):
                return "The provider reported no token usage: the cost is an estimate (about 4 characters a token)"
            if key == "created_at" and row.get("status") != "ok":
                return f"This call failed: {row.get('error') or row.get('status')}"
        return None

    def display(self, row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if key == "created_at":
            return local_time(value)
        if key == "cost":
            return money(value, self.currency, estimated=bool(row.get("estimated"))).replace(
                " (estimated)", " est."
            )
        if key == "estimated":
            return "estimated" if value else "billed"
        if key == "entities":
            return masked_text(value)
        if key in ("input_tokens", "output_tokens"):
            return "" if value is None else f"{value:,}"
        if key == "reason":
            return " ".join((value or "").split())
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort
        if key is None:
            return
        wanted = (key, order == Qt.SortOrder.DescendingOrder)
        if wanted == (self.sort_key, self.descending) and self.generation:
            return  # the header repeating the order in force
        self.sort_key, self.descending = wanted
        if self.generation:  # before the first load, the view's own reload reads in this order
            self.reload()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        if parent.isValid() or self._fetching:
            return False
        return len(self.rows) < self.total if self._counted else self._more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        gen, flt, offset, sort, desc = (
            self.generation,
            self.filter,
            len(self.rows),
            self.sort_key,
            self.descending,
        )
        self.jobs.run(
            lambda: Page(
                gen, core.page_calls(self.ledger, flt, offset=offset, limit=PAGE, sort=sort, descending=desc)
            ),
            self._append,
            self._fetch_failed,
        )

    # -- loading ----------------------------------------------------------------------------------
    def set_filter(self, flt: CallFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self, *, with_models: bool = False) -> None:
        """Re-query: the first page, the count and total cost, and (with_models) the model list run
        as separate jobs side by side, so the page shows as soon as it is read."""
        self.generation += 1
        gen, flt, sort, desc = self.generation, self.filter, self.sort_key, self.descending
        ledger = self.ledger
        self._fetching = True
        self._counted = False
        self._paged = False
        self.jobs.run(
            lambda: Page(gen, core.page_calls(ledger, flt, offset=0, limit=PAGE, sort=sort, descending=desc)),
            self._reset,
            self._fetch_failed,
        )
        self.jobs.run(lambda: (gen, core.count_and_cost(ledger, flt)), self._count_done, self._fetch_failed)
        if with_models:
            self.jobs.run(lambda: core.models(ledger), self._models_done)

    def _reset(self, page: Page) -> None:
        if page.generation != self.generation:
            return  # a newer filter or sort was asked for meanwhile
        self.beginResetModel()
        self.rows = page.rows
        self._more = len(page.rows) == PAGE
        self._fetching = False
        self._paged = True
        self.endResetModel()
        self.first_page.emit()
        if self._counted:
            self.loaded.emit()

    def _count_done(self, value: tuple[int, tuple[int, float]]) -> None:
        gen, (total, cost) = value
        if gen != self.generation:
            return
        self.total, self.total_cost, self._counted = total, cost, True
        self.counted.emit()
        if self._paged:
            self.loaded.emit()

    def _models_done(self, names: list[str]) -> None:
        self.models = names
        self.models_changed.emit()

    def _append(self, page: Page) -> None:
        self._fetching = False
        if page.generation != self.generation:
            return
        self._more = len(page.rows) == PAGE
        if not page.rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self.rows.extend(page.rows)
        self.endInsertRows()
        self.page_loaded.emit()

    def _fetch_failed(self, exc: BaseException) -> None:
        self._fetching = False
        self.failed.emit(str(exc))


class PlaceholderHighlighter(QSyntaxHighlighter):
    def __init__(self, document: Any):
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


class _Pane(QWidget):
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


class ReviewView(QWidget):
    """Standalone: `ReviewView(ledger)`; mount it with `MainWindow.add_panel("Sent to cloud", view)`."""

    open_conversation = Signal(str)  # a conversation id: the main window opens it
    detail_shown = Signal(int)  # a call id whose details are on screen
    history_deleted = Signal(object)  # edgeapp.ledger.history.Deleted

    PERIODS = ["Any time", "Today", "Last 7 days", "Last 30 days", "This month", "Dates…"]

    def __init__(self, ledger: Ledger, *, jobs: Jobs | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ledger = ledger
        self.jobs = jobs or Jobs.shared()
        self.model = CallsModel(ledger, self.jobs, self)
        self.detail: dict[str, Any] | None = None
        self._detail_gen = 0
        self._readable = False
        self._build()
        self.model.counted.connect(self._counted)
        self.model.models_changed.connect(self._models_changed)
        self.model.first_page.connect(self._first_page)
        self.model.failed.connect(lambda text: self.summary.setText(f"Could not read the history: {text}"))
        self.model.currency = self._currency()
        self.model.reload(with_models=True)

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.setSpacing(6)
        bar = QHBoxLayout()
        self.period = QComboBox(self)
        self.period.addItems(self.PERIODS)
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
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.period.currentIndexChanged.connect(self._period_changed)
        self.model_box.currentIndexChanged.connect(lambda _i: self.apply_filters())
        bar.addWidget(self.period)
        bar.addWidget(self.since_edit)
        self.to_label = QLabel("to", self)
        bar.addWidget(self.to_label)
        bar.addWidget(self.until_edit)
        bar.addWidget(self.model_box)
        bar.addWidget(self.search, 1)
        self.export_btn = QToolButton(self)
        self.export_btn.setText("Export")
        self.export_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_btn)
        menu.addAction("CSV…", lambda: self.export_dialog("csv"))
        menu.addAction("JSON…", lambda: self.export_dialog("json"))
        self.export_btn.setMenu(menu)
        self.delete_btn = QToolButton(self)
        self.delete_btn.setText("Delete")
        self.delete_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        dmenu = QMenu(self.delete_btn)
        self.delete_conv_action = dmenu.addAction(
            "This conversation…", lambda: self.delete_history("conversation")
        )
        self.delete_range_action = dmenu.addAction("The dates shown…", lambda: self.delete_history("range"))
        dmenu.addSeparator()
        dmenu.addAction("Everything…", lambda: self.delete_history("everything"))
        self.delete_btn.setMenu(dmenu)
        bar.addWidget(self.export_btn)
        bar.addWidget(self.delete_btn)
        root.addLayout(bar)
        self._period_changed(0)

        self.summary = QLabel(self)
        self.summary.setStyleSheet("color: #6b7280;")
        root.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableView(split)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = [150, 110, 130, 90, 60, 60, 90, 72, 170]
        for i, w in enumerate(widths):
            self.table.setColumnWidth(i, w)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _i: self._open_conversation())

        details = QWidget(split)
        dl = QVBoxLayout(details)
        dl.setContentsMargins(0, 4, 0, 0)
        head = QHBoxLayout()
        self.detail_title = QLabel("Select a call to see exactly what was sent.", details)
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.RichText)
        self.readable_btn = QPushButton("Readable layout", details)
        self.readable_btn.setCheckable(True)
        self.readable_btn.setToolTip(
            "Indent the JSON for reading (Copy payload always copies the exact bytes)"
        )
        self.readable_btn.toggled.connect(self._toggle_readable)
        self.copy_btn = QPushButton("Copy payload", details)
        self.copy_btn.clicked.connect(self.copy_payload)
        self.open_btn = QPushButton("Open conversation", details)
        self.open_btn.clicked.connect(self._open_conversation)
        for b in (self.readable_btn, self.copy_btn, self.open_btn):
            b.setEnabled(False)
        head.addWidget(self.detail_title, 1)
        head.addWidget(self.readable_btn)
        head.addWidget(self.copy_btn)
        head.addWidget(self.open_btn)
        dl.addLayout(head)
        sides = QSplitter(Qt.Orientation.Horizontal, details)
        self.payload = _Pane("Sent to the cloud (exact bytes)", sides, mono=True)
        self.highlighter = PlaceholderHighlighter(self.payload.text.document())
        right = QSplitter(Qt.Orientation.Vertical, sides)
        self.typed = _Pane("You typed (never sent as is)", right)
        self.reply = _Pane("The reply, placeholders restored on this computer", right)
        sides.addWidget(self.payload)
        sides.addWidget(right)
        sides.setStretchFactor(0, 3)
        sides.setStretchFactor(1, 2)
        dl.addWidget(sides, 1)
        split.addWidget(self.table)
        split.addWidget(details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        root.addWidget(split, 1)

    def _currency(self) -> str:
        try:
            return self.ledger.settings["budget.currency"]
        except Exception:  # noqa: BLE001 - a broken settings file is reported elsewhere
            return "USD"

    # -- filters -----------------------------------------------------------------------------------
    def _period_changed(self, index: int) -> None:
        custom = self.PERIODS[index] == "Dates…"
        for w in (self.since_edit, self.until_edit, self.to_label):
            w.setVisible(custom)
        if self.sender() is not None:
            self.apply_filters()

    def _dates_edited(self, _d: QDate) -> None:
        if self.period.currentText() == "Dates…":
            self.apply_filters()

    def current_filter(self) -> CallFilter:
        now = datetime.now().astimezone()
        start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        period = self.period.currentText()
        since = until = None
        if period == "Today":
            since = start_of_today
        elif period == "Last 7 days":
            since = now - timedelta(days=7)
        elif period == "Last 30 days":
            since = now - timedelta(days=30)
        elif period == "This month":
            since = start_of_today.replace(day=1)
        elif period == "Dates…":
            a, b = self.since_edit.date().toPython(), self.until_edit.date().toPython()
            a, b = min(a, b), max(a, b)
            since = datetime(a.year, a.month, a.day).astimezone()
            until = datetime(b.year, b.month, b.day).astimezone() + timedelta(days=1)
        text = self.search.text().strip() or None
        return CallFilter(since=since, until=until, model=self.model_box.currentData(), text=text)

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.currency = self._currency()
        self.model.set_filter(self.current_filter())

    def show_day(self, day: date) -> None:
        """Filter to one local day (the budget chart's click)."""
        self.set_dates(day, day)

    def set_dates(self, first: date, last: date) -> None:
        for edit, d in ((self.since_edit, first), (self.until_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(d.year, d.month, d.day))
            edit.blockSignals(False)
        self.period.blockSignals(True)
        self.period.setCurrentIndex(self.PERIODS.index("Dates…"))
        self.period.blockSignals(False)
        self._period_changed(self.period.currentIndex())
        self.apply_filters()

    def refresh(self, *_: Any) -> None:
        """Re-read with the current filters (connect it to the window's turn_finished)."""
        self.model.currency = self._currency()
        self.model.reload(with_models=True)

    def _models_changed(self) -> None:
        m = self.model
        if [self.model_box.itemData(i) for i in range(1, self.model_box.count())] == m.models:
            return
        current = self.model_box.currentData()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        self.model_box.addItem("All models", None)
        for name in m.models:
            self.model_box.addItem(name, name)
        if current is not None and self.model_box.findData(current) < 0:
            self.model_box.addItem(current, current)  # still filtered by it
        self.model_box.setCurrentIndex(max(0, self.model_box.findData(current)))
        self.model_box.blockSignals(False)

    def _first_page(self) -> None:
        if self.detail is not None:
            if not self.select_call(self.detail["id"]):
                self._clear_detail()

    def _counted(self) -> None:
        m = self.model
        n = m.total
        newest = " · newest first" if m.sort_key == "time" and m.descending else ""
        self.summary.setText(f"{n:,} call{'s' if n != 1 else ''} · {money(m.total_cost, m.currency)}{newest}")

    # -- details -----------------------------------------------------------------------------------
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
        self.jobs.run(lambda: (gen, core.call_detail(self.ledger, call_id)), self._show_detail)

    def _show_detail(self, value: tuple[int, dict[str, Any] | None]) -> None:
        gen, detail = value
        if gen != self._detail_gen:
            return
        if detail is None:
            self._clear_detail()
            return
        self.detail = detail
        body = detail.get("request_json") or ""
        size = len(body.encode("utf-8"))
        cur = self.model.currency
        cost = money(detail.get("cost"), cur, estimated=bool(detail.get("estimated")))
        tokens = f"in {detail.get('input_tokens') or 0:,} / out {detail.get('output_tokens') or 0:,} tokens"
        status = (
            ""
            if detail.get("status") == "ok"
            else f" · failed: {detail.get('error') or detail.get('status')}"
        )
        rest = (
            f" · {local_time(detail.get('created_at'))} · {detail.get('provider')} {detail.get('model')} · "
            f"{tokens} · {cost} · masked: {masked_text(detail.get('entities'))}{status}"
        )
        self.detail_title.setText(f"<b>Call #{detail['id']}</b>{html.escape(rest)}")
        self.payload.title.setText(
            f"Sent to the cloud (exact bytes, {size:,} bytes; placeholders highlighted)"
        )
        self._set_payload_text()
        typed = detail.get("user_text")
        self.typed.text.setPlainText(typed if typed is not None else "(the turn is not in the history)")
        answer = detail.get("answer")
        self.reply.text.setPlainText(answer if answer is not None else "")
        for b in (self.readable_btn, self.copy_btn):
            b.setEnabled(True)
        self.open_btn.setEnabled(bool(detail.get("conversation_id")))
        self.detail_shown.emit(int(detail["id"]))

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

    def _clear_detail(self) -> None:
        self.detail = None
        self.detail_title.setText("Select a call to see exactly what was sent.")
        for pane in (self.payload, self.typed, self.reply):
            pane.text.clear()
        for b in (self.readable_btn, self.copy_btn, self.open_btn):
            b.setEnabled(False)

    def payload_bytes(self) -> bytes:
        """The selected call's request body exactly as recorded (what the Copy button copies)."""
        return ((self.detail or {}).get("request_json") or "").encode("utf-8")

    def copy_payload(self) -> None:
        if self.detail is not None:
            QGuiApplication.clipboard().setText(self.detail.get("request_json") or "")

    def _open_conversation(self) -> None:
        if self.detail and self.detail.get("conversation_id"):
            self.open_conversation.emit(self.detail["conversation_id"])

    # -- export ------------------------------------------------------------------------------------
    def export_to(self, path: Path, fmt: str, done: Any = None) -> None:
        """Write the filtered calls to `path` (off the GUI thread); `done(count)` when written."""
        flt = self.model.filter

        def work() -> int:
            with open(path, "w", encoding="utf-8") as fh:  # as `edgeapp export -o FILE` opens it
                return core.export_calls(self.ledger, flt, fmt, fh)

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
    def delete_history(self, scope: str, *, confirm: bool = True, done: Any = None) -> bool:
        """scope: 'conversation' (the selected call's), 'range' (the dates shown) or 'everything'."""
        kwargs: dict[str, Any]
        if scope == "conversation":
            cid = (self.detail or {}).get("conversation_id")
            if not cid:
                QMessageBox.information(self, "Delete", "Select a call of the conversation to delete first.")
                return False
            kwargs, what = (
                {"conversation_id": cid},
                f"conversation {cid}: every question, answer and cloud call in it",
            )
        elif scope == "range":
            flt = self.current_filter()
            if flt.since is None:
                QMessageBox.information(
                    self, "Delete", "Choose a period or dates first (Today, Last 7 days, Dates…)."
                )
                return False
            until = flt.until or datetime.now().astimezone() + timedelta(seconds=1)
            kwargs = {"since": flt.since, "until": until}
            last = until - timedelta(microseconds=1)
            what = (
                f"everything from {flt.since:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}: questions, answers and "
                "cloud calls, whatever the model or search filter"
            )
        elif scope == "everything":
            kwargs, what = {"everything": True}, "the whole history: every question, answer and cloud call"
        else:
            raise ValueError(scope)
        if confirm:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Delete history",
                f"Delete {what}?",
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
            if box.clickedButton() is not delete:
                return False
        self.delete_btn.setEnabled(False)

        def finished(result: core.Deleted) -> None:
            self.delete_btn.setEnabled(True)
            self._clear_detail()
            self.summary.setText(f"Deleted {result.turns:,} turns and {result.calls:,} cloud calls.")
            self.history_deleted.emit(result)
            self.refresh()
            if done:
                done(result)

        def failed(exc: BaseException) -> None:
            self.delete_btn.setEnabled(True)
            QMessageBox.warning(self, "Delete history", f"Nothing was deleted: {exc}")

        self.jobs.run(lambda: core.delete_history(self.ledger, **kwargs), finished, failed)
        return True

    def visible_filter(self) -> CallFilter:
        return replace(self.model.filter)
