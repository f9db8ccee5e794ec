"""Real ledger files, really damaged: the ways a disk, a crash or a sync tool spoil `edgeapp.db`.
Shared by tests/test_ledger_recovery.py and benchmarks/bench_ledger_recovery.py."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from edgeapp import config
from edgeapp.ledger import CloudCallRecord, Ledger, TurnRecord

OPENAI = "https://api.openai.com/v1"
PAGE = 4096


def settings(limit: float) -> config.Settings:
    s = config.Settings()
    s.set("budget.monthly_limit", limit)
    return s


def add_cloud_turns(led: Ledger, start: int, count: int) -> None:
    """`count` cloud turns, each with its settled call (1000 tokens in and out)."""
    for i in range(start, start + count):
        res = led.reserve("openai", "gpt-4o-mini", OPENAI, 1000, 1000)
        call = CloudCallRecord(
            None, "openai", "gpt-4o-mini", '{"messages": ["%s"]}' % ("x" * 300), {"PERSON": 1}, "{}",
            1000, 1000, "ok", None, 1.0,
        )  # fmt: skip
        cost = led.settle(res, call)
        led.record_turn(
            TurnRecord(
                f"conv{i % 7}", f"question number {i} about apples", "answer " * 40, "cloud", "low", 0.1, {},
                0.5, "smol", cost=cost, cloud_call_ids=[int(call.id or 0)],
            )
        )  # fmt: skip


def build(path: Path, turns: int = 300) -> float:
    """A closed ledger file with `turns` cloud turns; returns the month's spend."""
    with Ledger(path, settings=settings(100)) as led:
        add_cloud_turns(led, 0, turns)
        return led.month_spend()


def leaf_pages(path: Path, table: str) -> list[int]:
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", [table]
        ).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]


def overwrite_pages(path: Path, pages: list[int], seed: int = 7) -> None:
    noise = random.Random(seed)
    with open(path, "r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * PAGE)
            fh.write(noise.randbytes(PAGE))


# -- the damages: each takes a healthy closed file (and a folder to work in) and spoils it; it
# returns how many cloud turns it wrote first (a copy made while the app kept writing) -----------
def truncated(path: Path, work: Path) -> int:
    """A copy cut off half-way (a disk full while copying, a sync stopped)."""
    os.truncate(path, (path.stat().st_size // 2 // PAGE) * PAGE + 1000)
    return 0


def two_pages(path: Path, work: Path) -> int:
    """Two pages overwritten with garbage (bad sectors): a leaf of the turns and one of the calls."""
    overwrite_pages(path, [leaf_pages(path, "turns")[3], leaf_pages(path, "cloud_calls")[5]])
    return 0


def header(path: Path, work: Path) -> int:
    """The first 100 bytes (the database header) overwritten."""
    with open(path, "r+b") as fh:
        fh.write(random.Random(3).randbytes(100))
    return 0


def torn_copy(path: Path, work: Path) -> int:
    """A copy made while the file was being written: the first half read before a checkpoint, the
    rest after it (50 more turns were written in between)."""
    before = path.read_bytes()
    with Ledger(path, settings=settings(100)) as led:
        add_cloud_turns(led, 10_000, 50)
    after = path.read_bytes()
    half = (len(before) // 2 // PAGE) * PAGE
    path.write_bytes(before[:half] + after[half:])
    return 50


def stale_wal(path: Path, work: Path) -> int:
    """The main file from one moment and a -wal from an earlier one (copied separately by a sync
    tool), plus garbage in the middle of the main file where the copy broke off."""
    snapshot = work / "snapshot"
    snapshot.mkdir(exist_ok=True)
    with Ledger(path, settings=settings(100)) as led:
        led.store.db.execute("PRAGMA wal_autocheckpoint = 0")
        add_cloud_turns(led, 20_000, 30)
        shutil.copyfile(Path(str(path) + "-wal"), snapshot / "old-wal")
        add_cloud_turns(led, 30_000, 30)
    # an old page, which the -wal does not cover; before the -wal is back (reading would apply it)
    overwrite_pages(path, [leaf_pages(path, "turns")[3]])
    shutil.copyfile(snapshot / "old-wal", Path(str(path) + "-wal"))
    return 60


DAMAGES: dict[str, Callable[[Path, Path], int]] = {
    "truncated to half": truncated,
    "two pages overwritten": two_pages,
    "header overwritten": header,
    "copied mid-write (torn)": torn_copy,
    "stale -wal + a bad page": stale_wal,
}
