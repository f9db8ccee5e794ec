"""Encryption at rest of the whole ledger file (off by default: `privacy.encrypt_ledger`).

SQLCipher, through the maintained `sqlcipher3` package (binary wheels with SQLCipher 4): every
page is AES-256 encrypted and authenticated, so the questions, the answers, the payloads and the
full-text index are all unreadable without the key, and everything else (WAL, FTS5, sqlite-utils)
works as before. Column encryption with `cryptography` was the other choice; it would leave the
full-text index in clear text or lose search. The key is 32 random bytes in the OS keyring (never
in a file of ours), given to SQLCipher as a raw key, so opening costs no key derivation.

`edgeapp ledger encrypt on|off` rewrites the existing file with `sqlcipher_export` into a new
file, checks every table's row count, then replaces the old one.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import struct
from pathlib import Path
from typing import Any

import keyring
from keyring.errors import KeyringError, NoKeyringError

from .. import config, paths
from .errors import LedgerKeyError

SERVICE = "edgeapp"
ACCOUNT = "ledger-key"
_MAGIC = b"SQLite format 3\x00"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

try:  # an optional extra: pip install 'edgeapp[encryption]'
    from sqlcipher3 import dbapi2 as sqlcipher
except ImportError:  # pragma: no cover - the extra is installed wherever encryption is used
    sqlcipher = None

# the errors of either driver, for the checks that tell a lock, a full disk or damage apart
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError,)
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
if sqlcipher is not None:
    DATABASE_ERRORS += (sqlcipher.DatabaseError,)
    OPERATIONAL_ERRORS += (sqlcipher.OperationalError,)
    INTEGRITY_ERRORS += (sqlcipher.IntegrityError,)


def _driver() -> Any:
    if sqlcipher is None:
        raise LedgerKeyError(
            "Encrypting the ledger needs the sqlcipher3 package, which is not installed: run "
            "`pip install 'edgeapp[encryption]'`, or turn encryption off with `edgeapp ledger encrypt off`."
        )
    return sqlcipher


def is_plain(path: Path) -> bool:
    """Does the file start like a plain SQLite database? (An SQLCipher file starts with its salt.)"""
    with open(path, "rb") as fh:
        return fh.read(16) == _MAGIC


def stored_key() -> str | None:
    try:
        return keyring.get_password(SERVICE, ACCOUNT) or None
    except (KeyringError, RuntimeError):
        return None


def new_key() -> str:
    """A fresh key, stored in the OS keyring; raises LedgerKeyError where there is no keyring."""
    key = secrets.token_hex(32)
    try:
        keyring.set_password(SERVICE, ACCOUNT, key)
    except (NoKeyringError, KeyringError, RuntimeError) as exc:
        raise LedgerKeyError(
            f"The ledger cannot be encrypted: the OS keyring did not store its key ({exc}). "
            "The ledger stays as it is; set up a keyring, or turn encryption off."
        ) from exc
    return key


def connect(path: Path, key: str | None, **options: Any) -> Any:
    """A DB-API connection to `path`: plain sqlite3 without a key, SQLCipher with one."""
    if key is None:
        return sqlite3.connect(str(path), **options)
    conn = _driver().connect(str(path), **options)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our error to word, not a log line
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    return conn


def opens_with(path: Path, key: str) -> bool:
    conn = connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DATABASE_ERRORS:
        return False
    finally:
        conn.close()


def key_for(path: Path, want_encrypted: bool) -> str | None:
    """The key to open the ledger at `path` with (None: a plain file). A new file is made encrypted
    when `want_encrypted`. An encrypted file that its key does not open raises LedgerKeyError and
    is left alone; a file that is neither plain nor opened by a key is left to the damage check."""
    if not path.exists() or path.stat().st_size == 0:
        if not want_encrypted:
            return None
        _driver()
        return stored_key() or new_key()
    if is_plain(path):
        return None
    key = stored_key()
    if key is not None and opens_with(path, key):
        return key
    if not want_encrypted:
        return None  # neither plain nor ours: damaged (the damage check keeps it aside)
    if key is None:
        raise LedgerKeyError(
            f"The ledger {path} is encrypted and its key is not in the OS keyring (service "
            f"'{SERVICE}', name '{ACCOUNT}'), so it was not opened and nothing in it was changed. "
            "Restore the key to the keyring (from the machine or backup that has it) and try again."
        )
    raise LedgerKeyError(
        f"The ledger {path} could not be opened with the key in the OS keyring: the key is wrong or "
        "the file is not an edgeapp ledger. Nothing in it was changed. Restore the right key to the "
        f"keyring (service '{SERVICE}', name '{ACCOUNT}') and try again."
    )


def _counts(conn: Any) -> dict[str, int]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    names = [n for n in names if not n.startswith("sqlite_") and "_fts" not in n]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _cipher_connect(path: Path, key: str | None) -> Any:
    """SQLCipher's connection, also for a plain file (no key): sqlcipher_export lives there."""
    if key is not None:
        return connect(path, key)
    return _driver().connect(str(path))


_SHM_DMS_BYTE = 128  # SQLite's "dead man switch" byte in the -shm file: each open connection locks it


def _shm_in_use(path: Path) -> bool:
    """Does any connection (of any process) have the ledger's WAL open? Probed with an
    open-file-description lock (Linux) on the byte SQLite's connections hold shared. Call it with
    no connection to the file open in this process: closing the probe's descriptor would drop that
    connection's POSIX locks (`edgeapp encrypt` opens none before it)."""
    shm = Path(str(path) + "-shm")
    ofd = getattr(fcntl, "F_OFD_SETLK", None) if fcntl is not None else None
    if ofd is None or not shm.exists():
        return False
    fd = os.open(shm, os.O_RDWR)
    try:
        lock = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS_BYTE, 1, 0)
        try:
            fcntl.fcntl(fd, ofd, lock)
        except OSError:
            return True
        fcntl.fcntl(fd, ofd, struct.pack("hhqqi", fcntl.F_UNLCK, os.SEEK_SET, _SHM_DMS_BYTE, 1, 0))
        return False
    finally:
        os.close(fd)


def _must_be_alone(path: Path) -> None:
    """Another process that has the ledger open would go on writing to the replaced file: refuse."""
    if _shm_in_use(path):
        raise LedgerKeyError(
            f"Another edgeapp window, server or command has the ledger {path} open, so it was not "
            "rewritten (nothing changed). Close it and run the command again."
        )


def rewrite(path: Path, encrypt: bool) -> bool:
    """Rewrite the ledger at `path` encrypted (or plain); False when it already is. Refused while
    another connection has the file open (on Linux; elsewhere, close edgeapp first). The new file
    is written beside the old one and its row counts checked before it replaces it: a failure
    leaves the old file as it was."""
    if not path.exists() or path.stat().st_size == 0 or is_plain(path) != encrypt:
        return False
    key = (stored_key() or new_key()) if encrypt else key_for(path, want_encrypted=True)
    target = path.with_name(path.name + ".rewrite")
    target.unlink(missing_ok=True)
    _must_be_alone(path)
    source = _cipher_connect(path, None if encrypt else key)
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _counts(source)
        target_key = f"x'{key}'" if encrypt else ""
        source.execute(f'ATTACH DATABASE ? AS rewritten KEY "{target_key}"', [str(target)])
        source.execute("SELECT sqlcipher_export('rewritten')")
        source.execute("DETACH DATABASE rewritten")
    finally:
        source.close()
    check = connect(target, key if encrypt else None)
    try:
        after = _counts(check)
    finally:
        check.close()
    if after != before:
        target.unlink(missing_ok=True)
        raise LedgerKeyError(f"Rewriting {path} lost rows ({before} became {after}); it was left as it was.")
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(target, path)
    return True


def set_encryption(on: bool, path: Path | None = None, settings_path: Path | None = None) -> bool:
    """Turn encryption at rest on or off: rewrite the ledger file, then save the setting (so a
    failed rewrite changes nothing). Returns whether the file was rewritten."""
    rewritten = rewrite(path or paths.database_file(), on)
    settings = config.load(settings_path)
    settings.set("privacy.encrypt_ledger", on)
    settings.save(settings_path)
    return rewritten


def describe(path: Path | None = None) -> str:
    """One line: whether the ledger file is encrypted, and what the setting says."""
    path = path or paths.database_file()
    wanted = config.load()["privacy.encrypt_ledger"]
    if not path.exists() or path.stat().st_size == 0:
        state = "does not exist yet"
    elif is_plain(path):
        state = "is not encrypted"
    else:
        state = "is encrypted (SQLCipher, key in the OS keyring)"
    return f"The ledger {path} {state}; privacy.encrypt_ledger is {'on' if wanted else 'off'}."
