"""Reviewing and pruning the history: what the window's "Sent to cloud" view and budget chart read,
usable as well by the CLI or the local API (no Qt here).

- `count_calls` / `page_calls`: cloud calls, filtered (date range, model, text) and sorted, one page
  at a time, so a year of history opens at once;
- `call_detail`: one call with the exact payload as recorded, what the user typed and the reply;
- `daily`: spend and turns kept local / escalated per local day of a month;
- `export_calls`: the filtered calls in the formats of `edgeapp export --table cloud_calls`;
- `delete_history`: a conversation, a date range or everything, really removed from the file
  (rows, the full-text index, VACUUM) while the month's spending stays counted: the cost of the
  deleted calls is carried in `deleted_spend` (one row per month, no text), which the budget adds.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any

from .budget import month_bounds
from .ledger import Ledger
from .records import utc_text

SORT_COLUMNS: dict[str, str] = {
    "time": "c.created_at",
    "conversation": "t.conversation_id",
    "model": "c.model",
    "provider": "c.provider",
    "input_tokens": "c.input_tokens",
    "output_tokens": "c.output_tokens",
    "cost": "c.cost",
    "estimated": "c.estimated",
    "entities": "c.entities",
    "reason": "t.reason",
}

# the summary columns of a page (bodies are read only for the selected call)
_SUMMARY = (
    "c.id, c.created_at, c.month, c.turn_id, c.provider, c.model, c.input_tokens, c.output_tokens, "
    "c.cost, c.estimated, c.entities, c.status, c.error, c.latency_ms, "
    "t.conversation_id AS conversation_id, substr(t.reason, 1, 300) AS reason, t.route AS route"
)
_FROM = "FROM cloud_calls c LEFT JOIN turns t ON t.id = c.turn_id"
ESCALATED_ROUTES = ("cloud",)  # a turn answered by the cloud
KEPT_LOCAL_ROUTES = ("local-fallback", "blocked")  # wanted the cloud, stayed local (budget, privacy, errors)


@dataclass(frozen=True)
class CallFilter:
    """Which cloud calls to show. Times are moments (aware, or naive local); `until` is exclusive."""

    since: datetime | None = None
    until: datetime | None = None
    model: str | None = None
    text: str | None = None  # full-text search in question/answer/reason, or a model, provider or entity type
    conversation_id: str | None = None

    @classmethod
    def for_day(cls, day: date, **more: Any) -> CallFilter:
        start = datetime(day.year, day.month, day.day).astimezone()
        return cls(since=start, until=(start + timedelta(days=1)).astimezone(), **more)

    def where(self, db: Any) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.since is not None:
            clauses.append("c.created_at >= ?")
            params.append(utc_text(self.since))
        if self.until is not None:
            clauses.append("c.created_at < ?")
            params.append(utc_text(self.until))
        if self.model:
            clauses.append("c.model = ?")
            params.append(self.model)
        if self.conversation_id:
            clauses.append("t.conversation_id = ?")
            params.append(self.conversation_id)
        text = (self.text or "").strip()
        if text:
            like = f"%{text}%"
            clauses.append(
                "(c.turn_id IN (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)"
                " OR c.model LIKE ? OR c.provider LIKE ? OR c.entities LIKE ?)"
            )
            params.extend([db.quote_fts(text), like, like, like])
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order(sort: str, descending: bool) -> str:
    if sort not in SORT_COLUMNS:
        raise ValueError(f"cannot sort by {sort!r}; one of {', '.join(SORT_COLUMNS)}")
    way = "DESC" if descending else "ASC"
    return f" ORDER BY {SORT_COLUMNS[sort]} {way}, c.id {way}"


def _needs_turns(flt: CallFilter, sort: str = "time") -> bool:
    return bool(flt.conversation_id) or SORT_COLUMNS.get(sort, "").startswith("t.")


def _from(flt: CallFilter, sort: str = "time") -> str:
    # without a filter or sort on the turn, the join is left out, so SQLite reads only the
    # covering index cloud_calls_review (m009), not the rows with their bodies
    return _FROM if _needs_turns(flt, sort) else "FROM cloud_calls c"


def count_calls(ledger: Ledger, flt: CallFilter | None = None) -> int:
    return count_and_cost(ledger, flt)[0]


def count_and_cost(ledger: Ledger, flt: CallFilter | None = None) -> tuple[int, float]:
    """How many calls match, and what they cost together."""
    flt = flt or CallFilter()
    db = ledger.store.db
    where, params = flt.where(db)
    n, cost = db.execute(f"SELECT COUNT(*), COALESCE(SUM(c.cost), 0) {_from(flt)}{where}", params).fetchone()
    return int(n), float(cost)


def page_calls(
    ledger: Ledger,
    flt: CallFilter | None = None,
    *,
    offset: int = 0,
    limit: int = 200,
    sort: str = "time",
    descending: bool = True,
) -> list[dict[str, Any]]:
    """One page of call summaries (no bodies), newest first by default.

    The page's ids are chosen on the indexes alone (skipping `offset` rows costs index steps, not
    row reads), then only those rows are read with their turn."""
    flt = flt or CallFilter()
    db = ledger.store.db
    where, params = flt.where(db)
    order = _order(sort, descending)
    ids = f"SELECT c.id {_from(flt, sort)}{where}{order} LIMIT ? OFFSET ?"
    sql = f"SELECT {_SUMMARY} {_FROM} WHERE c.id IN ({ids}){order}"
    return [dict(r) for r in db.query(sql, [*params, int(limit), int(offset)])]


def call_detail(ledger: Ledger, call_id: int) -> dict[str, Any] | None:
    """The whole call: `request_json` exactly as recorded (the bytes that were sent), the response,
    and from its turn what the user typed (`user_text`) and the reply as restored (`answer`)."""
    rows = list(
        ledger.store.db.query(
            "SELECT c.*, t.conversation_id AS conversation_id, t.user_text AS user_text, t.answer AS answer, "
            f"t.route AS route, t.reason AS reason, t.guardian AS guardian {_FROM} WHERE c.id = ?",
            [int(call_id)],
        )
    )
    return dict(rows[0]) if rows else None


def models(ledger: Ledger) -> list[str]:
    """The models calls went to, in order: one index seek per model (m009's index on model), not a
    scan of every call."""
    db = ledger.store.db
    names: list[str] = []
    last = ""
    while True:
        row = db.execute("SELECT MIN(model) FROM cloud_calls WHERE model > ?", [last]).fetchone()
        if row is None or row[0] is None:
            return names
        last = row[0]
        names.append(last)


# -- a month, day by day ----------------------------------------------------------------------
@dataclass
class Day:
    day: date
    spend: float = 0.0  # cost of the calls made that day (still in the history)
    calls: int = 0
    local: int = 0  # turns answered locally by choice (confident, mode local)
    escalated: int = 0  # turns answered by the cloud
    kept_local: int = 0  # turns that wanted the cloud but stayed local (budget, privacy, errors)


@dataclass
class Month:
    month: str
    days: list[Day] = field(default_factory=list)

    @property
    def spend(self) -> float:
        return sum(d.spend for d in self.days)


def daily(ledger: Ledger, now: datetime | None = None, *, first_day: date | None = None) -> Month:
    """Every local day of `now`'s month (default: this month) with its spend and turn counts;
    with `first_day`, only the days from it on (a face that keeps the earlier days asks for less)."""
    now = now or ledger.now()
    start, end = month_bounds(now)
    days: list[Day] = []
    bounds: list[Any] = []
    d = max(start.date(), first_day) if first_day else start.date()
    while d < end.date():
        days.append(Day(d))
        lo = datetime(d.year, d.month, d.day).astimezone()
        d += timedelta(days=1)
        hi = datetime(d.year, d.month, d.day).astimezone()
        bounds.extend([len(days) - 1, utc_text(lo), utc_text(hi)])  # local midnights, in UTC text
    db = ledger.store.db
    cte = "WITH days(i, lo, hi) AS (VALUES " + ", ".join(["(?, ?, ?)"] * len(days)) + ") "
    for i, cost, n in db.execute(
        cte + "SELECT days.i, COALESCE(SUM(c.cost), 0), COUNT(c.id) FROM days JOIN cloud_calls c "
        "ON c.created_at >= days.lo AND c.created_at < days.hi GROUP BY days.i",
        bounds,
    ):
        days[i].spend, days[i].calls = float(cost), int(n)
    for i, route, n in db.execute(
        cte + "SELECT days.i, t.route, COUNT(*) FROM days JOIN turns t "
        "ON t.created_at >= days.lo AND t.created_at < days.hi GROUP BY days.i, t.route",
        bounds,
    ):
        if route in ESCALATED_ROUTES:
            days[i].escalated += n
        elif route in KEPT_LOCAL_ROUTES:
            days[i].kept_local += n
        else:
            days[i].local += n
    return Month(start.strftime("%Y-%m"), days)


# -- export -------------------------------------------------------------------------------------
def iter_call_rows(ledger: Ledger, flt: CallFilter | None = None) -> Iterator[dict[str, Any]]:
    """Whole cloud_calls rows (as `edgeapp export --table cloud_calls` writes them), oldest first."""
    db = ledger.store.db
    where, params = (flt or CallFilter()).where(db)
    yield from db.query(f"SELECT c.* {_FROM}{where} ORDER BY c.id", params)


def export_calls(ledger: Ledger, flt: CallFilter | None, fmt: str, out: IO[str]) -> int:
    """Write the filtered calls to `out` in the format of `edgeapp export --table cloud_calls
    --format csv|json` (same columns, same layout); returns how many rows."""
    rows = iter_call_rows(ledger, flt)
    if fmt == "json":
        data = list(rows)
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return len(data)
    if fmt != "csv":
        raise ValueError("format must be csv or json")
    columns = [c.name for c in ledger.store.db["cloud_calls"].columns]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


# -- deletion -----------------------------------------------------------------------------------
@dataclass
class Deleted:
    turns: int = 0
    calls: int = 0
    carried: dict[str, float] = field(default_factory=dict)  # month -> cost kept counted in the budget


def delete_history(
    ledger: Ledger,
    *,
    conversation_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    everything: bool = False,
) -> Deleted:
    """Remove a conversation, a date range [since, until) or everything from the ledger file.

    Turns and their cloud calls (payloads, responses) go; so do their entries in the full-text
    index (merged away, not just marked) and, after VACUUM and a WAL checkpoint, their bytes in the
    file. The cost of every deleted call stays in `deleted_spend` under its month, so the budget
    (spent, left, forecast, the hard cap) is the same after as before: money spent stays spent.
    """
    chosen = sum([conversation_id is not None, since is not None or until is not None, everything])
    if chosen != 1:
        raise ValueError("delete one thing: a conversation_id, a date range (since/until) or everything")
    if everything:
        turns_where, turn_params = "1", []
        calls_where, call_params = "1", []
    elif conversation_id is not None:
        turns_where, turn_params = "conversation_id = ?", [conversation_id]
        calls_where = "turn_id IN (SELECT id FROM turns WHERE conversation_id = ?)"
        call_params = [conversation_id]
    else:
        lo = utc_text(since) if since is not None else ""
        hi = utc_text(until) if until is not None else "9999"
        turns_where, turn_params = "created_at >= ? AND created_at < ?", [lo, hi]
        calls_where = (
            "(created_at >= ? AND created_at < ?) OR "
            "turn_id IN (SELECT id FROM turns WHERE created_at >= ? AND created_at < ?)"
        )
        call_params = [lo, hi, lo, hi]
    result = Deleted()
    store = ledger.store
    db = store.db
    db.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left with the old text
    now = utc_text(ledger.now())
    with store.write() as wdb:
        for month, cost, n in wdb.execute(
            "SELECT month, COALESCE(SUM(cost), 0), COUNT(*) FROM cloud_calls "
            f"WHERE {calls_where} GROUP BY month",
            call_params,
        ).fetchall():
            result.calls += int(n)
            if cost:
                result.carried[month] = float(cost)
            wdb.execute(
                "INSERT INTO deleted_spend (month, cost, calls, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(month) DO UPDATE SET cost = cost + excluded.cost, "
                "calls = calls + excluded.calls, "
                "updated_at = excluded.updated_at",
                [month, float(cost), int(n), now],
            )
        # closed reservations of the deleted calls name the provider and model: they go too
        wdb.execute(
            f"DELETE FROM reservations WHERE status != 'held' AND id IN "
            f"(SELECT reservation_id FROM cloud_calls WHERE {calls_where})",
            call_params,
        )
        wdb.execute(f"DELETE FROM cloud_calls WHERE {calls_where}", call_params)
        conversations = [
            r[0]
            for r in wdb.execute(
                f"SELECT DISTINCT conversation_id FROM turns WHERE {turns_where}", turn_params
            )
        ]
        result.turns = wdb.execute(f"DELETE FROM turns WHERE {turns_where}", turn_params).rowcount
        if everything:
            wdb.execute("DELETE FROM reservations WHERE status != 'held'")
        _delete_conversation_rows(
            wdb, conversations, everything=everything, only_empty=conversation_id is None
        )
        if wdb["turns_fts"].exists():  # merge the index so deleted terms are gone, not just marked
            wdb.execute("INSERT INTO turns_fts (turns_fts) VALUES ('optimize')")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _delete_saved_mappings(conversations)
    return result


def _delete_saved_mappings(conversation_ids: list[str]) -> None:
    """A deleted conversation's saved placeholder mapping (privacy.persist_mapping) goes too."""
    try:
        from ..gatekeeper.store import vault_file
    except ImportError:  # pragma: no cover - the gatekeeper's dependencies are not installed
        return
    for cid in conversation_ids:
        try:
            path = vault_file(cid)
            if path.exists():
                path.unlink()
        except (OSError, ValueError):
            pass


def _delete_conversation_rows(db: Any, ids: list[str], *, everything: bool, only_empty: bool) -> None:
    """Other tables keyed by conversation (titles, messages, kept by the conversations module): rows
    of the deleted conversations go too; after a date range only conversations left without turns."""
    skip = {"turns", "cloud_calls", "reservations", "deleted_spend"}
    for table in db.table_names():
        if table in skip or table.startswith("_") or "_fts" in table or db[table].virtual_table_using:
            continue
        cols = db[table].columns_dict
        key = "conversation_id" if "conversation_id" in cols else ("id" if table == "conversations" else None)
        if key is None:
            continue
        if everything:
            db.execute(f"DELETE FROM [{table}]")
            continue
        for cid in ids:
            if (
                only_empty
                and db.execute("SELECT 1 FROM turns WHERE conversation_id = ? LIMIT 1", [cid]).fetchone()
            ):
                continue
            db.execute(f"DELETE FROM [{table}] WHERE [{key}] = ?", [cid])


def deleted_spend(ledger: Ledger) -> dict[str, float]:
    """Month -> cost of calls deleted from the history (still counted in that month's budget)."""
    return {
        m: float(c)
        for m, c in ledger.store.db.execute("SELECT month, cost FROM deleted_spend ORDER BY month")
    }


__all__ = [
    "CallFilter",
    "Day",
    "Deleted",
    "Month",
    "SORT_COLUMNS",
    "call_detail",
    "count_and_cost",
    "count_calls",
    "daily",
    "delete_history",
    "deleted_spend",
    "export_calls",
    "iter_call_rows",
    "models",
    "page_calls",
]
