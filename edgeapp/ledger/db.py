"""Connections to the ledger file: WAL, one connection per thread, write transactions that
serialize writers across threads and processes (BEGIN IMMEDIATE), lock retries and corruption
recovery (the damaged file is moved aside, never deleted)."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .errors import LedgerCorrupt, LedgerLocked
from .migrations import migrate, pending

log = logging.getLogger(__name__)

_CORRUPT_NAMES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024  # files up to this size get PRAGMA quick_check on open


def is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def is_corruption(exc: BaseException) -> bool:
    if not isinstance(exc, sqlite3.DatabaseError) or is_locked(exc):
        return False
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc).lower()
    return name in _CORRUPT_NAMES or "malformed" in text or "not a database" in text or "corrupt" in text


def quarantine(path: Path) -> Path:
    """Move a damaged database (and its -wal/-shm files) aside; returns the new main file path."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    for suffix in ("", "-wal", "-shm", "-journal"):
        src = Path(str(path) + suffix)
        if src.exists():
            os.replace(src, Path(str(target) + suffix))
    return target


class Store:
    """The ledger's SQLite file. Thread-safe: every thread gets its own connection."""

    def __init__(self, path: Path, *, busy_timeout: float = 5.0, attempts: int = 3, recover: bool = True):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.attempts = max(1, attempts)
        self.recovered: LedgerCorrupt | None = None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._check_or_recover(recover)
        self._prepare()

    # -- opening ---------------------------------------------------------------------------
    def _check_or_recover(self, recover: bool) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        problem: str | None = None
        conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout)
        try:
            if self.path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    problem = str(result)
            else:  # a full check of a big history would slow every start: read the schema only
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            if not is_corruption(exc):
                if is_locked(exc):
                    raise self._locked_error() from exc
                raise
            problem = str(exc)
        finally:
            conn.close()
        if problem is None:
            return
        if not recover:
            raise LedgerCorrupt(
                f"The ledger database {self.path} is damaged ({problem}). Move it aside (or restart "
                "edgeapp, which does that for you) to start a fresh ledger.",
            )
        kept = quarantine(self.path)
        self.recovered = LedgerCorrupt(
            f"The ledger database {self.path} was damaged ({problem}). It was kept as {kept} and a "
            "fresh ledger was started: the history and this month's spending before now are only in "
            "the old file. Try `sqlite3 OLD_FILE .recover` to salvage it.",
            kept_at=str(kept),
        )
        log.warning("%s", self.recovered)

    def _prepare(self) -> None:
        db = self.db
        try:
            if db.journal_mode != "wal":
                db.enable_wal()
            if pending(db):
                with self.write() as wdb:
                    migrate(wdb)
        except sqlite3.OperationalError as exc:
            if is_locked(exc):
                raise self._locked_error() from exc
            raise

    def _connect(self) -> sqlite_utils.Database:
        conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout, check_same_thread=False)
        with self._lock:
            self._connections.append(conn)
        return sqlite_utils.Database(conn, execute_plugins=False)

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return db

    # -- transactions ----------------------------------------------------------------------
    def _locked_error(self) -> LedgerLocked:
        waited = self.busy_timeout * self.attempts
        return LedgerLocked(
            f"The ledger database {self.path} stayed locked for about {waited:.0f} s: another edgeapp "
            "process is holding it. Close other edgeapp windows or commands, or wait, then try again."
        )

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction that holds SQLite's write lock from the start (BEGIN IMMEDIATE),
        so a read-check-write sequence inside it cannot interleave with another writer."""
        db = self.db
        if db.conn.in_transaction:
            raise RuntimeError("Ledger write transactions do not nest")
        for attempt in range(self.attempts):
            try:
                db.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if not is_locked(exc):
                    raise
                if attempt == self.attempts - 1:
                    raise self._locked_error() from exc
                time.sleep(0.05 * (attempt + 1))
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        try:
            db.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            if is_locked(exc):
                raise self._locked_error() from exc
            raise

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                try:
                    conn.close()
                except sqlite3.Error:  # pragma: no cover
                    pass
            self._connections.clear()
        self._local = threading.local()
