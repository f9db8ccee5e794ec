"""Salvaging a damaged ledger file into the fresh one that replaces it.

The damaged file is never touched: a copy (with its -wal) is read. Two ways to read it:

- the `sqlite3` shell's `.recover`, SQLite's own recovery (it reads the pages directly and keeps
  what it can), when a shell that has it works here. Python's `sqlite3` and APSW do not expose
  SQLite's recovery API, and Debian's shell (3.40) is built without the `sqlite_dbpage` table that
  `.recover` needs, so it answers "SQL logic error" and recovers nothing: then
- row by row, table by table: rows are read in rowid order; where a damaged page stops the read,
  the next readable rowid is found by seeking past it (doubling, then bisecting), so one bad page
  costs the rows on it, not the rest of the table. A file whose 100-byte header was overwritten
  gets a rebuilt header on the copy first.

The month's spending survives lost rows: the cloud calls' cost is also kept in two covering
indexes and in each turn's row, and whatever those show beyond the recovered calls is carried as
spending whose rows are gone (the `deleted_spend` table), so the budget cap still holds.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from .encryption import DATABASE_ERRORS, INTEGRITY_ERRORS, connect

log = logging.getLogger(__name__)

# the tables worth carrying, in the order they are copied (turns first: calls link to them)
TABLES = ("turns", "cloud_calls", "reservations", "deleted_spend", "conversations")
# covering indexes that hold every cloud call's month and cost (migration m009)
SPEND_INDEXES = ("cloud_calls_month_cost", "cloud_calls_review")
SHELL_TIMEOUT_S = 300.0
_MAX_ROWID = 2**62
_PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)
_BTREE_PAGE_TYPES = {2, 5, 10, 13}

Writer = Callable[[], AbstractContextManager[sqlite_utils.Database]]


@dataclass(frozen=True)
class Recovery:
    """What was salvaged from a damaged ledger file into the fresh one."""

    kept_at: Path  # the damaged file, moved aside
    method: str  # "sqlite3 .recover" | "row by row" | "nothing readable"
    rows: dict[str, int] = field(default_factory=dict)  # rows carried, per table
    spend_carried: dict[str, float] = field(default_factory=dict)  # month -> cost whose rows are gone

    @property
    def turns(self) -> int:
        return self.rows.get("turns", 0)

    @property
    def cloud_calls(self) -> int:
        return self.rows.get("cloud_calls", 0)


# -- reading the damaged copy ---------------------------------------------------------------
def working_copy(kept: Path, folder: Path) -> Path:
    """A copy of the damaged file and its -wal in `folder`: reading never changes the kept file."""
    copy = folder / "damaged.db"
    shutil.copyfile(kept, copy)
    wal = Path(str(kept) + "-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(copy) + "-wal"))
    return copy


def _guess_page_size(data: bytes, size: int) -> int | None:
    for page_size in _PAGE_SIZES:
        if size % page_size == 0 and size > page_size and data[page_size] in _BTREE_PAGE_TYPES:
            return page_size
    return None


def repair_header(path: Path) -> bool:
    """Rebuild the 100-byte database header of `path` (a copy) when it is not an SQLite header:
    the page size is guessed from where the second page's b-tree header is. True if rewritten."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        data = fh.read(65536 + 1)
        if data.startswith(b"SQLite format 3\x00") or len(data) < 1024:
            return False
        page_size = _guess_page_size(data, size)
        if page_size is None:
            return False
        header = bytearray(100)
        header[0:16] = b"SQLite format 3\x00"
        header[16:18] = (1 if page_size == 65536 else page_size).to_bytes(2, "big")
        header[18], header[19] = 1, 1  # rollback journal: a stale -wal is not replayed over it
        header[21], header[22], header[23] = 64, 32, 32  # payload fractions, fixed by SQLite
        header[44:48] = (4).to_bytes(4, "big")  # schema format
        header[56:60] = (1).to_bytes(4, "big")  # UTF-8
        # page count 0 and a zero change counter: SQLite takes the size from the file
        fh.seek(0)
        fh.write(bytes(header))
    Path(str(path) + "-wal").unlink(missing_ok=True)
    return True


def _open_copy(copy: Path, key: str | None) -> sqlite3.Connection | None:
    """A connection that can read the copy's schema, repairing its header if need be (a plain
    file's: an encrypted file's first page is its salt)."""
    for attempt in range(2):
        conn = connect(copy, key)
        try:
            # reads the schema's rows even where a table's definition cannot be loaded (a damaged
            # full-text index must not hide the turns); nothing is ever written to the copy
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute("SELECT name FROM sqlite_master").fetchall()
            return conn
        except DATABASE_ERRORS:
            conn.close()
            if attempt or key is not None or not repair_header(copy):
                return None
    return None


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _first_row_readable(conn: sqlite3.Connection, sql: str, after: int) -> bool:
    try:
        conn.execute(sql, [after]).fetchone()
        return True
    except DATABASE_ERRORS:
        return False


def _next_readable(conn: sqlite3.Connection, sql: str, after: int) -> int | None:
    """The smallest rowid past `after` from which reading works again (None: nothing further)."""
    step = 1
    while not _first_row_readable(conn, sql, after + step):
        step *= 2
        if after + step > _MAX_ROWID:
            return None
    bad, good = after + step // 2, after + step
    while good - bad > 1:
        middle = (bad + good) // 2
        if _first_row_readable(conn, sql, middle):
            good = middle
        else:
            bad = middle
    return good


def salvage_rows(conn: sqlite3.Connection, table: str) -> Iterator[tuple[Any, ...]]:
    """Every readable row of `table` in rowid order (columns as `PRAGMA table_info` lists them),
    stepping past damaged pages."""
    sql = f'SELECT rowid, * FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    after = -_MAX_ROWID
    while True:
        try:
            for row in conn.execute(sql, [after]):
                after = row[0]
                yield row[1:]
            return
        except DATABASE_ERRORS as exc:
            log.info("ledger recovery: %s unreadable after rowid %s (%s)", table, after, exc)
            resume = _next_readable(conn, sql, after)
            if resume is None:
                return
            after = resume


def shell_recover(copy: Path, scratch: Path, shell: str | None) -> bool:
    """Run the `sqlite3` shell's `.recover` on the copy into `scratch`; False when there is no
    working shell (no binary, or one built without `.recover`'s tables)."""
    if shell is None:
        return False
    try:
        dump = subprocess.run(
            [shell, str(copy), ".recover"], capture_output=True, timeout=SHELL_TIMEOUT_S, check=False
        )
        if dump.returncode != 0 or b"\nsql error:" in b"\n" + dump.stdout or b"INSERT" not in dump.stdout:
            return False
        load = subprocess.run(
            [shell, str(scratch)],
            input=dump.stdout,
            capture_output=True,
            timeout=SHELL_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("ledger recovery: the sqlite3 shell failed (%s)", exc)
        return False
    return load.returncode == 0 and scratch.exists()


# -- the spending the recovered rows no longer show ------------------------------------------
def _local_month(created_at: str) -> str:
    moment = datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m")


@dataclass
class SpendSeen:
    """What the damaged copy shows was spent, per month, besides the cloud_calls rows themselves."""

    exact: dict[str, tuple[float, int]] = field(default_factory=dict)  # (cost, calls) from an index
    at_least: dict[str, float] = field(default_factory=dict)  # the recovered turns' own cost


def _spend_seen(conn: sqlite3.Connection) -> SpendSeen:
    """The covering indexes of cloud_calls (read whole or not at all: exact), and the turns' cost."""
    seen = SpendSeen()

    def keep(month: str, cost: float, calls: int) -> None:
        old = seen.exact.get(month, (0.0, 0))
        seen.exact[month] = (max(old[0], cost), max(old[1], calls))

    for index in SPEND_INDEXES:
        try:
            rows = conn.execute(
                f"SELECT month, SUM(cost), COUNT(*) FROM cloud_calls INDEXED BY {index} GROUP BY month"
            ).fetchall()
        except DATABASE_ERRORS:
            continue
        for month, cost, calls in rows:
            keep(str(month), float(cost or 0), int(calls))
    if "turns" in _tables(conn):
        names = _columns(conn, "turns")
        at, cost_at = names.index("created_at"), names.index("cost")
        per_month: dict[str, float] = {}
        for row in salvage_rows(conn, "turns"):
            if isinstance(row[at], str) and isinstance(row[cost_at], int | float) and row[cost_at] > 0:
                month = _local_month(row[at])
                per_month[month] = per_month.get(month, 0.0) + float(row[cost_at])
        seen.at_least = per_month
    return seen


# -- carrying rows into the fresh ledger ------------------------------------------------------
def _carry(source: sqlite3.Connection, db: sqlite_utils.Database) -> dict[str, int]:
    present = _tables(source)
    carried: dict[str, int] = {}
    for table in TABLES:
        if table not in present or not db[table].exists():
            continue
        theirs = _columns(source, table)
        ours = set(db[table].columns_dict)
        keep = [i for i, name in enumerate(theirs) if name in ours]
        names = ", ".join(f'"{theirs[i]}"' for i in keep)
        sql = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(keep))})'
        count = 0
        for row in salvage_rows(source, table):
            try:
                count += db.execute(sql, [row[i] for i in keep]).rowcount
            except INTEGRITY_ERRORS:  # a damaged value breaks a constraint: that row is lost
                continue
        carried[table] = count
    return carried


def _orphan_settlements(db: sqlite_utils.Database) -> dict[str, tuple[float, int]]:
    """Per month, settled reservations whose call row was lost: their worst-case amounts (an upper
    bound of what the lost calls cost, so the cap errs on the safe side)."""
    rows = db.execute(
        "SELECT month, COALESCE(SUM(amount), 0), COUNT(*) FROM reservations WHERE status = 'settled' "
        "AND id NOT IN (SELECT reservation_id FROM cloud_calls WHERE reservation_id IS NOT NULL) "
        "GROUP BY month"
    ).fetchall()
    return {str(month): (float(amount), int(n)) for month, amount, n in rows}


def _carry_spend(seen: SpendSeen, db: sqlite_utils.Database) -> dict[str, float]:
    """Record, per month, what the damaged file shows was spent beyond the recovered calls: what
    an index says exactly, else the most that the turns or the orphaned settlements show."""
    carried: dict[str, float] = {}
    now = datetime.now(timezone.utc).isoformat()
    orphans = _orphan_settlements(db)
    for month in sorted(set(seen.exact) | set(seen.at_least) | set(orphans)):
        row = db.execute(
            "SELECT COALESCE(SUM(cost), 0), COUNT(*) FROM cloud_calls WHERE month = ?", [month]
        ).fetchone()
        have_cost, have_calls = float(row[0]), int(row[1])
        if month in seen.exact:
            cost, calls = seen.exact[month]
            gone, calls = cost - have_cost, calls - have_calls
        else:
            orphan_cost, calls = orphans.get(month, (0.0, 0))
            gone = max(seen.at_least.get(month, 0.0) - have_cost, orphan_cost)
        if gone <= 1e-12:
            continue
        db.execute(
            "INSERT INTO deleted_spend (month, cost, calls, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(month) DO UPDATE SET cost = cost + excluded.cost, calls = calls + excluded.calls, "
            "updated_at = excluded.updated_at",
            [month, gone, max(0, calls), now],
        )
        carried[month] = gone
    return carried


def recover_into(kept: Path, write: Writer, *, shell: str | None = None, key: str | None = None) -> Recovery:
    """Salvage what can be read from the damaged file `kept` into the fresh ledger that `write`
    opens a transaction on. `shell`: the `sqlite3` shell to try first (default: the one on PATH;
    never for an encrypted file, `key`, which the shell cannot read)."""
    shell = shell if shell is not None else shutil.which("sqlite3")
    if key is not None:
        shell = None
    # beside the ledger, not in /tmp: the same disk, and the copy is as private as the file
    with tempfile.TemporaryDirectory(prefix=".recovering-", dir=kept.parent) as folder:
        copy = working_copy(kept, Path(folder))
        damaged = _open_copy(copy, key)
        seen = _spend_seen(damaged) if damaged is not None else SpendSeen()
        scratch = Path(folder) / "recovered.db"
        method, source = "nothing readable", damaged
        if shell_recover(copy, scratch, shell):
            method, source = "sqlite3 .recover", sqlite3.connect(str(scratch))
        elif damaged is not None:
            method = "row by row"
        try:
            rows: dict[str, int] = {}
            spend: dict[str, float] = {}
            if source is not None:
                with write() as db:
                    rows = _carry(source, db)
                    spend = _carry_spend(seen, db)
        finally:
            for conn in {id(c): c for c in (damaged, source) if c is not None}.values():
                conn.close()
    return Recovery(kept, method if any(rows.values()) else "nothing readable", rows, spend)
