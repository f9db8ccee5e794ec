"""What the budget panel shows, read from the ledger in one go on a worker thread (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..ledger import Ledger
from ..ledger.budget import BudgetStatus, paced_threshold
from ..ledger.history import Month, daily


@dataclass
class Snapshot:
    status: BudgetStatus
    month: Month
    threshold: float
    base_threshold: float
    pacing: str
    limit: float | None
    currency: str


def take_snapshot(ledger: Ledger, previous: Month | None = None) -> Snapshot:
    """Everything the panel shows, read in one go (runs on a worker thread). With `previous` (the
    same month, read before), the days before yesterday are kept and only the rest is re-read: new
    turns land today (yesterday, for one that crossed midnight)."""
    settings = ledger.settings
    now = ledger.now()
    status = ledger.budget_status(now)
    base = settings["router.threshold"]
    # what Ledger.effective_threshold computes, from the status just read (not read twice)
    threshold, why = paced_threshold(
        base,
        limit=status.limit,
        used=status.used,
        now=now,
        enabled=settings["budget.pacing"],
        currency=status.currency,
    )
    return Snapshot(
        status,
        _month(ledger, now, previous),
        threshold,
        base,
        why,
        settings["budget.monthly_limit"],
        settings["budget.currency"],
    )


def _month(ledger: Ledger, now: datetime, previous: Month | None) -> Month:
    key = now.astimezone().strftime("%Y-%m")
    if previous is None or previous.month != key:
        return daily(ledger, now)
    first = now.astimezone().date() - timedelta(days=1)
    fresh = daily(ledger, now, first_day=first)
    return Month(key, [d for d in previous.days if d.day < first] + fresh.days)
