"""The monthly budget: hard cap (threads and processes), alerts, month arithmetic, pacing."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from edgeapp import config
from edgeapp.ledger import BudgetExceeded, CloudCallRecord, Ledger, UnknownPrice
from edgeapp.ledger.budget import compute_status, month_bounds, month_elapsed, month_key, paced_threshold
from edgeapp.ledger.prices import Prices, worst_case_cost

ROOT = Path(__file__).resolve().parent.parent
OPENAI = "https://api.openai.com/v1"
IN, OUT = 1000, 1000  # tokens per escalation in these tests
PER_CALL = worst_case_cost(Prices().price_for("gpt-4o-mini", OPENAI, config.Settings()), IN, OUT)


def settings_with(limit: float | None, **more) -> config.Settings:
    s = config.Settings()
    if limit is not None:
        s.set("budget.monthly_limit", limit)
    for key, value in more.items():
        s.set(key.replace("__", "."), value)
    return s


def worst_case_call(res) -> CloudCallRecord:
    """A call that used every token it reserved: its actual cost equals the reservation."""
    return CloudCallRecord(None, "openai", "gpt-4o-mini", "{}", {}, "{}", res.input_tokens, res.max_output_tokens,
                           "ok", None, 10.0)


def test_no_limit_allows_and_still_prices(tmp_path):
    with Ledger(tmp_path / "l.db", settings=settings_with(None)) as led:
        for _ in range(3):
            res = led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
            led.settle(res, worst_case_call(res))
        status = led.budget_status()
        assert status.limit is None and status.state == "no limit" and status.left is None
        assert math.isclose(status.spent, 3 * PER_CALL)
        assert led.effective_threshold(0.55)[0] == 0.55


def test_zero_limit_means_no_cloud(tmp_path):
    with Ledger(tmp_path / "l.db", settings=settings_with(0)) as led:
        with pytest.raises(BudgetExceeded, match="budget set"):
            led.reserve("openai", "gpt-4o-mini", OPENAI, 10, 10)
        # even a free local endpoint is not "cloud spending" worth refusing
        res = led.reserve("ollama", "llama3.2:1b", "http://127.0.0.1:11434/v1", 10, 10)
        assert res.amount == 0
        assert led.effective_threshold(0.55)[0] == 0.0


def test_unknown_price_refuses_before_reserving(tmp_path):
    with Ledger(tmp_path / "l.db", settings=settings_with(100)) as led:
        with pytest.raises(UnknownPrice, match="edgeapp price set mystery"):
            led.reserve("acme", "mystery", "https://acme.example/v1", 10, 10)
        assert led.store.db["reservations"].count == 0


def test_hard_cap_is_exact_and_the_message_is_actionable(tmp_path):
    limit = 3 * PER_CALL + PER_CALL / 2
    with Ledger(tmp_path / "l.db", settings=settings_with(limit)) as led:
        held = [led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT) for _ in range(3)]
        with pytest.raises(BudgetExceeded) as info:
            led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
        msg = str(info.value)
        assert "stays local" in msg and "edgeapp budget set" in msg and "in flight" in msg
        assert math.isclose(info.value.needed, PER_CALL) and math.isclose(info.value.left, PER_CALL / 2)
        # settling below the worst case frees room again
        cheap = CloudCallRecord(None, "openai", "gpt-4o-mini", "{}", {}, "{}", 10, 10, "ok", None, 1.0)
        led.settle(held[0], cheap)
        led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
        assert led.budget_status().used <= limit


def test_soft_alert(tmp_path):
    limit = 10 * PER_CALL
    with Ledger(tmp_path / "l.db", settings=settings_with(limit, budget__alert_share=0.5)) as led:
        alerts = []
        for _ in range(6):
            res = led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
            alerts.append(res.alert)
            led.settle(res, worst_case_call(res))
        assert alerts[:4] == [None] * 4 and alerts[4] and "50%" in alerts[4]
        status = led.budget_status()
        assert status.alert and status.state == "alert"
        assert math.isclose(status.left, 4 * PER_CALL)


def test_status_counts_the_month_of_the_reservation(tmp_path):
    """A call reserved on the 31st and settled after midnight counts against the month it was reserved in."""
    clock = [datetime(2026, 1, 31, 23, 59, 50).astimezone()]
    with Ledger(tmp_path / "l.db", settings=settings_with(1.0), clock=lambda: clock[0]) as led:
        res = led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
        clock[0] = datetime(2026, 2, 1, 0, 0, 20).astimezone()
        led.settle(res, worst_case_call(res))
        assert math.isclose(led.month_spend("2026-01"), PER_CALL)
        assert led.month_spend() == 0.0
        assert led.budget_status().month == "2026-02"


def test_month_is_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        moment = datetime.fromisoformat("2026-02-01T03:00:00+00:00")  # 22:00 on Jan 31 in New York
        assert month_key(moment) == "2026-01"
        start, end = month_bounds(moment)
        assert (start.day, start.month, end.month) == (1, 1, 2) and start.hour == 0
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_forecast_and_left():
    now = datetime(2026, 4, 16).astimezone()  # 15 of 30 days gone
    s = compute_status(month="2026-04", currency="USD", limit=10.0, spent=3.0, reserved=1.0, alert_share=0.8, now=now)
    assert math.isclose(s.forecast, 6.0) and math.isclose(s.left, 6.0) and s.state == "ok"
    early = datetime(2026, 4, 1, 2).astimezone()  # two hours in: extrapolate from one day, not two hours
    s = compute_status(month="2026-04", currency="USD", limit=10.0, spent=1.0, reserved=0, alert_share=0.8, now=early)
    assert math.isclose(s.forecast, 30.0)
    over = compute_status(month="2026-04", currency="USD", limit=10.0, spent=10.0, reserved=0, alert_share=0.8, now=now)
    assert over.state == "exhausted" and over.left == 0


@pytest.mark.parametrize(
    "day, used, expected",
    [
        (16, 0.0, 0.6),  # nothing spent
        (16, 5.0, 0.6),  # exactly on pace: half the budget at half the month
        (16, 7.5, 0.3),  # 25% of the budget left for 50% of the month: threshold halved
        (16, 9.0, 0.12),  # 10% left for 50%: 0.6 x 0.2
        (25, 7.5, 0.6),  # late in the month, 25% left for 20% of the month: on pace
        (16, 10.0, 0.0),  # used up
    ],
)
def test_pacing_rule(day, used, expected):
    now = datetime(2026, 4, day).astimezone()  # April: 30 days
    threshold, why = paced_threshold(0.6, limit=10.0, used=used, now=now)
    left_share, month_left = 1 - used / 10, 1 - month_elapsed(now)
    assert math.isclose(threshold, round(0.6 * min(1, left_share / month_left), 4), abs_tol=1e-9)
    assert math.isclose(threshold, expected, abs_tol=0.01)
    assert why
    if expected < 0.6:
        assert ("go to the cloud" in why) or ("used up" in why)


def test_pacing_via_the_ledger_and_switch(tmp_path):
    now = datetime(2026, 4, 16).astimezone()
    limit = 4 * PER_CALL
    with Ledger(tmp_path / "l.db", settings=settings_with(limit), clock=lambda: now) as led:
        for _ in range(3):  # 75% used at half the month
            res = led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
            led.settle(res, worst_case_call(res))
        threshold, why = led.effective_threshold(0.6)
        assert math.isclose(threshold, 0.3, abs_tol=0.01)
        assert "0.30" in why and "normally 0.60" in why
    with Ledger(tmp_path / "l.db", settings=settings_with(limit, budget__pacing=False), clock=lambda: now) as led:
        assert led.effective_threshold(0.6) == (0.6, "Pacing is off (budget.pacing), so the threshold stays at 0.60.")


def test_hard_cap_with_20_threads(tmp_path):
    limit = 5 * PER_CALL + PER_CALL / 2
    with Ledger(tmp_path / "l.db", settings=settings_with(limit)) as led:
        barrier = threading.Barrier(20)
        outcomes: list[str] = []
        lock = threading.Lock()

        def escalate():
            barrier.wait()
            try:
                res = led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
            except BudgetExceeded:
                with lock:
                    outcomes.append("refused")
                return
            time.sleep(0.01)  # the "cloud call"
            led.settle(res, worst_case_call(res))
            with lock:
                outcomes.append("reserved")

        threads = [threading.Thread(target=escalate) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert outcomes.count("reserved") == 5 and outcomes.count("refused") == 15
        assert led.month_spend() <= limit
        assert math.isclose(led.month_spend(), 5 * PER_CALL)
        assert led.store.db["reservations"].count == 5


WORKER = r"""
import sys, time
from pathlib import Path
from edgeapp import config
from edgeapp.ledger import BudgetExceeded, CloudCallRecord, Ledger
path, go, limit = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
s = config.Settings()
s.set("budget.monthly_limit", limit)
led = Ledger(path, settings=s)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.002)
try:
    res = led.reserve("openai", "gpt-4o-mini", "https://api.openai.com/v1", 1000, 1000)
except BudgetExceeded:
    print("refused", flush=True)
    sys.exit(0)
time.sleep(0.02)
led.settle(res, CloudCallRecord(None, "openai", "gpt-4o-mini", "{}", {}, "{}", res.input_tokens,
                                res.max_output_tokens, "ok", None, 20.0))
print("reserved", flush=True)
"""


def test_hard_cap_with_20_processes(tmp_path):
    path, go = tmp_path / "l.db", tmp_path / "go"
    limit = 5 * PER_CALL + PER_CALL / 2
    Ledger(path, settings=settings_with(limit)).close()  # schema ready before the race
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(go), repr(limit)], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(20)
    ]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        go.touch()
        outputs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    results = [o[0].strip() for o in outputs]
    assert results.count("reserved") == 5 and results.count("refused") == 15
    with Ledger(path, settings=settings_with(limit)) as led:
        assert led.month_spend() <= limit
        assert math.isclose(led.month_spend(), 5 * PER_CALL)
        pids = {r["pid"] for r in led.store.db["reservations"].rows}
        assert len(pids) == 5  # five different processes won


def test_local_model_is_never_blocked(tmp_path):
    """Recording local turns needs no reservation and works with an exhausted budget."""
    from edgeapp.ledger import TurnRecord

    with Ledger(tmp_path / "l.db", settings=settings_with(0)) as led:
        tid = led.record_turn(TurnRecord("c", "q", "a", "local", "budget exhausted", 0.1, {}, 0.55, "smol"))
        assert led.get_turn(tid)["route"] == "local"


def test_expired_reservation_is_released(tmp_path):
    clock = [datetime(2026, 3, 10, 12).astimezone()]
    s = settings_with(PER_CALL * 1.5, budget__reservation_ttl=60)
    with Ledger(tmp_path / "l.db", settings=s, clock=lambda: clock[0]) as led:
        led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
        with pytest.raises(BudgetExceeded):
            led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
        clock[0] += timedelta(seconds=61)
        assert led.budget_status().reserved == 0
        led.reserve("openai", "gpt-4o-mini", OPENAI, IN, OUT)
        statuses = [r["status"] for r in led.store.db["reservations"].rows]
        assert statuses == ["abandoned", "held"]
