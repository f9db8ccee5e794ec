"""Connections to the ledger file: WAL, one connection per thread, write transactions that
serialize writers across threads and processes (BEGIN IMMEDIATE), lock retries, a full disk, and
corruption recovery (the damaged file is moved aside, never deleted, and what can be read from it
is carried into the fresh one: recovery.py)."""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from .. import wording
from .encryption import DATABASE_ERRORS, OPERATIONAL_ERRORS, connect
from .errors import LedgerCorrupt, LedgerFull, LedgerLocked
from .migrations import migrate, pending
from .recovery import Recovery, recover_into

log = logging.getLogger(__name__)
T = TypeVar("T")

_CORRUPT_NAMES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024  # files up to this size get PRAGMA quick_check on open


def is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, OPERATIONAL_ERRORS) and ("locked" in text or "busy" in text)


def is_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL: the disk (or the file's max_page_count) has no room for the write."""
    if not isinstance(exc, OPERATIONAL_ERRORS):
        return False
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc).lower()


def is_corruption(exc: BaseException) -> bool:
    if not isinstance(exc, DATABASE_ERRORS) or is_locked(exc):
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

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout: float = 5.0,
        attempts: int = 3,
        recover: bool = True,
        key: str | None = None,
    ):
        self.path = Path(path)
        self.key = key  # SQLCipher's key (hex) for an encrypted file (encryption.py), else None
        self.busy_timeout = busy_timeout
        self.attempts = max(1, attempts)
        self.recovered: LedgerCorrupt | None = None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._prepare(self._check_or_recover(recover))

    # -- opening ---------------------------------------------------------------------------
    def _check_or_recover(self, recover: bool) -> Path | None:
        """Check the file; a damaged one is moved aside (returned) unless `recover` is off."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        problem = self._retry_locked(self._quick_check)
        if problem is None:
            return None
        if not recover:
            raise LedgerCorrupt(
                f"The ledger database {self.path} is damaged ({problem}). Move it aside (or restart "
                "edgeapp, which does that for you) to start a fresh ledger.",
            )
        log.warning(
            "ledger %s is damaged (%s): moving it aside and recovering what can be read", self.path, problem
        )
        return quarantine(self.path)

    def _recover_from(self, kept: Path, db: sqlite_utils.Database) -> None:
        """Carry what can be read from the damaged file `kept` into the fresh ledger, inside the
        transaction that made it (`db`): no other process writes a row before the recovered ones."""
        db.execute("SAVEPOINT recovery")
        try:
            recovery = recover_into(kept, lambda: nullcontext(db), key=self.key)
            db.execute("RELEASE recovery")
        except (OSError, *DATABASE_ERRORS) as exc:  # salvage is a bonus: the fresh ledger starts anyway
            db.execute("ROLLBACK TO recovery")
            db.execute("RELEASE recovery")
            log.warning("recovering rows from %s failed: %s", kept, exc)
            recovery = Recovery(kept, "nothing readable")
        self.recovered = LedgerCorrupt(
            wording.ledger_recovered(str(self.path), recovery.turns, recovery.cloud_calls, str(kept)),
            kept_at=str(kept),
            recovery=recovery,
        )
        log.warning("%s (%s: %s)", self.recovered, recovery.method, recovery.rows)

    def _quick_check(self) -> str | None:
        """What is wrong with the file, or None; a lock error propagates to be retried."""
        conn = connect(self.path, self.key, timeout=self.busy_timeout)
        try:
            if self.path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
                return None if result == "ok" else str(result)
            # a full check of a big history would slow every start: read the schema only
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return None
        except DATABASE_ERRORS as exc:
            if not is_corruption(exc):
                raise
            return str(exc)
        finally:
            conn.close()

    def _prepare(self, kept: Path | None) -> None:
        """Switch to WAL, apply pending migrations and carry in what the damaged file `kept` (if
        any) still holds. Several processes opening a brand-new file at once can meet in SQLite's
        deadlock guard (two readers both asking to switch the journal mode): SQLite then answers
        "locked" at once instead of waiting, so the whole step is retried until the lock budget is
        spent."""

        def prepare() -> None:
            db = self.db
            if db.journal_mode != "wal":
                db.enable_wal()
            if pending(db) or kept is not None:
                with self.write() as wdb:
                    migrate(wdb)
                    if kept is not None:
                        self._recover_from(kept, wdb)

        self._retry_locked(prepare)

    def _connect(self) -> sqlite_utils.Database:
        conn = connect(self.path, self.key, timeout=self.busy_timeout, check_same_thread=False)
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
    @property
    def lock_budget(self) -> float:
        """Seconds a call waits for a lock in all, before it gives up with LedgerLocked."""
        return self.busy_timeout * self.attempts

    def _locked_error(self, waited: float) -> LedgerLocked:
        return LedgerLocked(
            f"The ledger database {self.path} stayed locked for {waited:.1f} s: another edgeapp "
            "process is holding it. Close other edgeapp windows or commands, or wait, then try again."
        )

    def _retry_locked(self, step: Callable[[], T]) -> T:
        """Run `step`, again after a short, jittered pause whenever SQLite says the file is locked,
        until `lock_budget` seconds have passed. SQLite's own busy handler waits up to
        `busy_timeout` inside each try, but it answers at once where waiting could deadlock."""
        start = time.monotonic()
        pause = 0.02
        while True:
            try:
                return step()
            except LedgerLocked:
                raise
            except OPERATIONAL_ERRORS as exc:
                if not is_locked(exc):
                    raise
                waited = time.monotonic() - start
                if waited >= self.lock_budget:
                    raise self._locked_error(waited) from exc
                time.sleep(min(pause * random.uniform(0.5, 1.5), self.lock_budget - waited))
                pause = min(pause * 2, 0.5)

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction that holds SQLite's write lock from the start (BEGIN IMMEDIATE),
        so a read-check-write sequence inside it cannot interleave with another writer."""
        db = self.db
        if db.conn.in_transaction:
            raise RuntimeError("Ledger write transactions do not nest")
        self._retry_locked(lambda: db.conn.execute("BEGIN IMMEDIATE"))
        try:
            yield db
        except BaseException as exc:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            if is_full(exc):
                raise self._full_error() from exc
            raise
        try:
            db.conn.execute("COMMIT")
        except DATABASE_ERRORS as exc:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            if is_locked(exc):
                raise self._locked_error(self.busy_timeout) from exc
            if is_full(exc):
                raise self._full_error() from exc
            raise

    def _full_error(self) -> LedgerFull:
        return LedgerFull(wording.ledger_full(str(self.path)))

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                try:
                    conn.close()
                except DATABASE_ERRORS:  # pragma: no cover
                    pass
            self._connections.clear()
        self._local = threading.local()
