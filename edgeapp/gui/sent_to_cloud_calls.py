"""The "Sent to cloud" table: a `QAbstractTableModel` over `edgeapp.ledger.history` that holds the
pages read so far and asks for the next one when the view scrolls near the end
(`canFetchMore`/`fetchMore`), so a year of history opens with one page. Sorting and filters re-run
the query in SQL; every query runs on a worker thread and answers that arrive after a newer
request are dropped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from .. import wording
from ..ledger import Ledger, history
from ..ledger.history import CallFilter
from .ledger_jobs import Jobs

PAGE = 200
ESTIMATED_TIP = "The provider reported no token usage: the cost is an estimate (about 4 characters a token)"
CallRow = dict[str, Any]  # a row of `history.page_calls` (its `_cells` added once shown)
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
    rows: list[CallRow]
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

    def __init__(self, ledger: Ledger, jobs: Jobs, parent: QObject | None = None):
        super().__init__(parent)
        self.ledger, self.jobs = ledger, jobs
        self.filter = CallFilter()
        self.sort_key, self.descending = "time", True
        self.rows: list[CallRow] = []
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
    ) -> object:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
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
                return ESTIMATED_TIP
            if key == "created_at" and row.get("status") != "ok":
                return f"This call failed: {row.get('error') or row.get('status')}"
        return None

    def display(self, row: CallRow, key: str) -> str:
        value = row.get(key)
        if key == "created_at":
            return local_time(value)
        if key == "cost":
            return wording.money(value, self.currency, estimated=bool(row.get("estimated"))).replace(
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
                gen,
                history.page_calls(self.ledger, flt, offset=offset, limit=PAGE, sort=sort, descending=desc),
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
            lambda: Page(
                gen, history.page_calls(ledger, flt, offset=0, limit=PAGE, sort=sort, descending=desc)
            ),
            self._reset,
            self._fetch_failed,
        )
        self.jobs.run(
            lambda: (gen, history.count_and_cost(ledger, flt)), self._count_done, self._fetch_failed
        )
        if with_models:
            self.jobs.run(lambda: history.models(ledger), self._models_done)

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
