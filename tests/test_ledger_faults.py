"""Faults: SIGKILL in the middle of a turn, dead processes' reservations, locks, corrupt files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from edgeapp import config
from edgeapp.ledger import BudgetExceeded, Ledger, LedgerCorrupt, LedgerLocked, TurnRecord
from edgeapp.ledger.prices import Prices, worst_case_cost

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

ROOT = Path(__file__).resolve().parent.parent
OPENAI = "https://api.openai.com/v1"
PER_CALL = worst_case_cost(Prices().price_for("gpt-4o-mini", OPENAI, config.Settings()), 1000, 1000)

PRELUDE = r"""
import sys, time
from pathlib import Path
from edgeapp import config
from edgeapp.ledger import CloudCallRecord, Ledger, TurnRecord
path, limit = Path(sys.argv[1]), float(sys.argv[2])
s = config.Settings()
s.set("budget.monthly_limit", limit)
led = Ledger(path, settings=s)
"""

HOLD_RESERVATION = PRELUDE + r"""
res = led.reserve("openai", "gpt-4o-mini", "https://api.openai.com/v1", 1000, 1000)
print("reserved", res.id, flush=True)
time.sleep(120)  # "waiting for the cloud" when the kill arrives
"""

KILLED_INSIDE_A_TRANSACTION = PRELUDE + r"""
with led.store.write() as db:
    db["turns"].insert({"conversation_id": "doomed", "user_text": "half-written", "answer": "", "route": "local"})
    print("inside", flush=True)
    time.sleep(120)
"""

TURN_LOOP = PRELUDE + r"""
i = 0
while True:
    res = led.reserve("openai", "gpt-4o-mini", "https://api.openai.com/v1", 10, 10)
    call = CloudCallRecord(None, "openai", "gpt-4o-mini", '{"messages": []}', {"PERSON": 1}, "{}", 10, 10,
                           "ok", None, 1.0)
    cost = led.settle(res, call)
    led.record_turn(TurnRecord(f"conv{i}", f"question {i}", "answer", "cloud", "low confidence", 0.1, {}, 0.5,
                               "smol", cost=cost, cloud_call_ids=[call.id]))
    i += 1
    print(i, flush=True)
"""


def spawn(script: str, path: Path, limit: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", script, str(path), repr(limit)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


def settings_with(limit: float) -> config.Settings:
    s = config.Settings()
    s.set("budget.monthly_limit", limit)
    return s


def integrity(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO turns_fts(turns_fts) VALUES('integrity-check')")  # raises if FTS diverged
    finally:
        conn.close()


def test_reservation_of_a_killed_process_is_released(tmp_path):
    path = tmp_path / "l.db"
    limit = PER_CALL * 1.5  # room for exactly one call
    Ledger(path, settings=settings_with(limit)).close()
    proc = spawn(HOLD_RESERVATION, path, limit)
    try:
        line = proc.stdout.readline().split()
        assert line[0] == "reserved", proc.stderr.read()
        with Ledger(path, settings=settings_with(limit)) as led:
            # while the process lives, its reservation holds the budget
            assert led.budget_status().reserved == pytest.approx(PER_CALL)
            with pytest.raises(BudgetExceeded, match="stays local"):
                led.reserve("openai", "gpt-4o-mini", OPENAI, 1000, 1000)
            kill(proc)
            # once it is dead, its reservation no longer counts, and the next reserve releases it
            assert led.budget_status().reserved == 0
            led.reserve("openai", "gpt-4o-mini", OPENAI, 1000, 1000)
            dead = led.store.db["reservations"].get(int(line[1]))
            assert dead["status"] == "abandoned" and str(proc.pid) in dead["note"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    integrity(path)


def test_kill_inside_a_transaction_leaves_nothing_behind(tmp_path):
    path = tmp_path / "l.db"
    Ledger(path, settings=settings_with(1)).close()
    proc = spawn(KILLED_INSIDE_A_TRANSACTION, path, 1)
    try:
        assert proc.stdout.readline().strip() == "inside", proc.stderr.read()
        kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    integrity(path)
    with Ledger(path, settings=settings_with(1), busy_timeout=1.0, attempts=1) as led:
        assert led.turns(conversation_id="doomed") == []
        t0 = time.monotonic()
        led.record_turn(TurnRecord("after", "q", "a", "local", "r", 0.9, {}, 0.5, "smol"))
        assert time.monotonic() - t0 < 1.0  # the dead writer's lock is gone


@pytest.mark.parametrize("run", range(3))
def test_kill_during_a_stream_of_turns_keeps_the_ledger_consistent(tmp_path, run):
    path = tmp_path / "l.db"
    limit = 1000.0
    Ledger(path, settings=settings_with(limit)).close()
    proc = spawn(TURN_LOOP, path, limit)
    try:
        done = 0
        while done < 5 + 7 * run:  # kill at a different point each run
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            done = int(line)
        time.sleep(0.003 * run)
        kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    integrity(path)
    with Ledger(path, settings=settings_with(limit)) as led:
        db = led.store.db
        turns = db["turns"].count
        calls = list(db["cloud_calls"].rows)
        assert turns >= done
        # every recorded call closed its reservation in the same transaction, and vice versa
        settled = {r["id"] for r in db["reservations"].rows_where("status = 'settled'")}
        assert settled == {c["reservation_id"] for c in calls}
        # every turn is linked to its call; at most the call in flight at the kill has no turn yet
        linked = [c for c in calls if c["turn_id"] is not None]
        assert len(linked) == turns and len(calls) - turns in (0, 1)
        assert sum(t["cost"] for t in db["turns"].rows) == pytest.approx(sum(c["cost"] for c in linked))
        # a reservation held at the kill is not counted, and the ledger takes new work at once
        assert led.budget_status().reserved == 0
        assert led.month_spend() == pytest.approx(sum(c["cost"] for c in calls))
        led.reserve("openai", "gpt-4o-mini", OPENAI, 10, 10)


def test_locked_database_is_retried_then_a_clear_error(tmp_path):
    path = tmp_path / "l.db"
    led = Ledger(path, settings=settings_with(1), busy_timeout=0.1, attempts=3)
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        t0 = time.monotonic()
        with pytest.raises(LedgerLocked) as info:
            led.record_turn(TurnRecord("c", "q", "a", "local", "r", 0.9, {}, 0.5, "smol"))
        assert time.monotonic() - t0 >= 0.3  # three attempts of 0.1 s each
        assert str(path) in str(info.value) and "try again" in str(info.value)
    finally:
        blocker.execute("ROLLBACK")
    # a lock released while we retry is waited out
    blocker.execute("BEGIN IMMEDIATE")
    threading.Timer(0.25, lambda: blocker.execute("ROLLBACK")).start()
    led2 = Ledger(path, settings=settings_with(1), busy_timeout=0.1, attempts=10)
    led2.record_turn(TurnRecord("c", "q", "a", "local", "r", 0.9, {}, 0.5, "smol"))
    assert led2.store.db["turns"].count == 1
    led.close()
    led2.close()
    blocker.close()


def test_garbage_file_is_kept_aside_and_a_fresh_ledger_started(tmp_path):
    path = tmp_path / "edgeapp.db"
    junk = b"this is not a database, it is a shopping list\n" * 200
    path.write_bytes(junk)
    with pytest.raises(LedgerCorrupt, match="damaged"):
        Ledger(path, settings=settings_with(1), recover=False)
    assert path.read_bytes() == junk  # recover=False touches nothing
    with Ledger(path, settings=settings_with(1)) as led:
        assert led.recovered is not None
        kept = Path(led.recovered.kept_at)
        assert kept.read_bytes() == junk and kept.name.startswith("edgeapp.db.corrupt-")
        assert str(kept) in str(led.recovered)
        led.record_turn(TurnRecord("c", "q", "a", "local", "r", 0.9, {}, 0.5, "smol"))
        assert led.store.db["turns"].count == 1
    integrity(path)


def test_damaged_pages_are_detected(tmp_path):
    path = tmp_path / "edgeapp.db"
    with Ledger(path, settings=settings_with(1)) as led:
        for i in range(300):
            led.record_turn(TurnRecord(f"c{i}", "question " * 30, "answer " * 30, "local", "r", 0.9, {}, 0.5, "s"))
    size = path.stat().st_size
    assert size > 20 * 4096  # the WAL was checkpointed into the main file on close
    with open(path, "r+b") as fh:
        fh.seek(4096 * 4)
        fh.write(os.urandom(4096 * 6))
    before = path.read_bytes()
    with Ledger(path, settings=settings_with(1)) as led:
        assert led.recovered is not None
        assert Path(led.recovered.kept_at).read_bytes() == before
        # what the readable pages hold is carried into the fresh ledger (issue 28); it used to start empty
        assert led.store.db["turns"].count == 300  # pages 5-10 held indexes and the calls, not turns
