"""The routing decision: modes, the threshold, and budget pacing read from a real ledger."""

from __future__ import annotations

from datetime import datetime

from edgeapp import config
from edgeapp.ledger import CloudCallRecord, Ledger, Prices
from edgeapp.ledger.prices import worst_case_cost
from edgeapp.turn.route import Pacing, decide, pace, route

OPENAI = "https://api.openai.com/v1"
PER_CALL = worst_case_cost(Prices().price_for("gpt-4o-mini", OPENAI, config.Settings()), 1000, 1000)


def ledger_at(tmp_path, limit: float | None, now: datetime) -> Ledger:
    s = config.Settings()
    if limit is not None:
        s.set("budget.monthly_limit", limit)
    return Ledger(tmp_path / "l.db", settings=s, clock=lambda: now)


def spend(led: Ledger, times: int) -> None:
    for _ in range(times):
        res = led.reserve("openai", "gpt-4o-mini", OPENAI, 1000, 1000)
        call = CloudCallRecord(None, "openai", "gpt-4o-mini", "{}", {}, "{}", res.input_tokens,
                               res.max_output_tokens, "ok", None, 10.0)
        led.settle(res, call)


def test_modes_and_the_threshold():
    assert decide("local", 0.0, 0.5).code == "mode-local"
    assert decide("cloud", 1.0, 0.5).escalate
    assert decide("auto", 0.9, 0.5, cloud_configured=False).code == "no-cloud"
    assert decide("auto", None, 0.5).code == "low-confidence"
    assert not decide("auto", 0.5, 0.5).escalate  # equal to the threshold stays local
    assert decide("auto", 0.49, 0.5).escalate


def test_no_pacing_without_a_ledger_or_outside_auto(tmp_path):
    assert pace(None, "auto", 0.6) == Pacing(0.6, 0.6)
    with ledger_at(tmp_path, 0, datetime(2026, 4, 16).astimezone()) as led:
        assert pace(led, "cloud", 0.6) == Pacing(0.6, 0.6)  # a forced mode is not paced
        assert pace(led, "auto", 0.6) == Pacing(0.0, 0.6, "The monthly budget is 0, so nothing is "
                                                         "escalated to the cloud.")


def test_pacing_lowers_the_threshold_and_says_why(tmp_path):
    now = datetime(2026, 4, 16).astimezone()
    with ledger_at(tmp_path, None, now) as led:  # no limit: the note is "stays at", nothing changes
        assert pace(led, "auto", 0.6) == Pacing(0.6, 0.6)
    with ledger_at(tmp_path, 1.25 * PER_CALL, now) as led:
        spend(led, 1)  # 80% of the budget gone by the middle of the month
        paced = pace(led, "auto", 0.6)
    assert paced.threshold < 0.6 and paced.base == 0.6 and "normally 0.60" in paced.note


def test_a_turn_kept_local_only_by_pacing_is_coded_budget():
    paced = Pacing(0.2, 0.6, "Spending is ahead of the month.")
    kept = route("auto", 0.4, paced, cloud_configured=True)  # 0.2 <= 0.4 < 0.6
    assert not kept.escalate and kept.code == "budget"
    assert kept.reason == "confidence 0.40 >= threshold 0.20"  # what Escalating would say
    assert kept.explained == "confidence 0.40 >= threshold 0.20; Spending is ahead of the month."
    confident = route("auto", 0.7, paced, cloud_configured=True)  # local even without pacing
    assert confident.code == "confident" and confident.explained.endswith("ahead of the month.")
    low = route("auto", 0.1, paced, cloud_configured=True)
    assert low.escalate and low.code == "low-confidence"
    unpaced = route("auto", 0.4, Pacing(0.6, 0.6), cloud_configured=True)
    assert unpaced.escalate and unpaced.explained == unpaced.reason
