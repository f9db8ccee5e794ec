"""Calendar-month arithmetic (local time), budget status and the pacing rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Pacing rule (documented in docs/ledger-and-budget.md):
#   used       = (spent + reserved) / limit           share of the budget gone
#   month_left = 1 - elapsed share of the month        share of the month still to come
#   factor     = min(1, (1 - used) / month_left)
#   threshold  = base threshold x factor
# Escalation happens when confidence < threshold, so a lower threshold sends fewer turns to the
# cloud. While spending is on pace or behind it, the factor is 1 and nothing changes.


def local_now() -> datetime:
    return datetime.now().astimezone()


def month_key(now: datetime) -> str:
    return now.astimezone().strftime("%Y-%m")


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Start of this calendar month and of the next one, in local time."""
    local = now.astimezone()
    start = datetime(local.year, local.month, 1).astimezone()
    if local.month == 12:
        end = datetime(local.year + 1, 1, 1).astimezone()
    else:
        end = datetime(local.year, local.month + 1, 1).astimezone()
    return start, end


def month_elapsed(now: datetime) -> float:
    start, end = month_bounds(now)
    return min(1.0, max(0.0, (now - start).total_seconds() / (end - start).total_seconds()))


@dataclass(frozen=True)
class BudgetStatus:
    month: str  # 2026-01, local calendar month
    currency: str
    limit: float | None  # None: no limit set
    spent: float  # settled cloud costs this month
    reserved: float  # worst-case costs held by calls in flight
    left: float | None  # limit - spent - reserved (None without a limit)
    forecast: float  # spent extrapolated to the month's end
    alert: bool  # spent + reserved reached alert_share of the limit
    alert_share: float
    state: str  # "no limit" | "ok" | "alert" | "exhausted"
    resets: datetime  # start of the next month

    @property
    def used(self) -> float:
        return self.spent + self.reserved


def compute_status(
    *,
    month: str,
    currency: str,
    limit: float | None,
    spent: float,
    reserved: float,
    alert_share: float,
    now: datetime,
) -> BudgetStatus:
    start, end = month_bounds(now)
    month_seconds = (end - start).total_seconds()
    # extrapolate from at least one day, so the first hours of a month don't forecast wild numbers
    elapsed = max((now - start).total_seconds(), 86400.0) / month_seconds
    forecast = spent / min(1.0, elapsed)
    used = spent + reserved
    if limit is None:
        return BudgetStatus(
            month, currency, None, spent, reserved, None, forecast, False, alert_share, "no limit", end
        )
    left = max(0.0, limit - used)
    alert = limit == 0 or used >= alert_share * limit - 1e-12
    state = "exhausted" if used >= limit - 1e-12 else ("alert" if alert else "ok")
    return BudgetStatus(
        month, currency, limit, spent, reserved, left, forecast, alert, alert_share, state, end
    )


def paced_threshold(
    base: float,
    *,
    limit: float | None,
    used: float,
    now: datetime,
    enabled: bool = True,
    currency: str = "USD",
) -> tuple[float, str]:
    """The escalation threshold that lets the remaining budget last to the month's end, and why."""
    if limit is None:
        return base, f"No monthly budget is set, so the threshold stays at {base:.2f}."
    if limit <= 0:
        return 0.0, "The monthly budget is 0, so nothing is escalated to the cloud."
    if not enabled:
        return base, f"Pacing is off (budget.pacing), so the threshold stays at {base:.2f}."
    used_share = min(1.0, max(0.0, used / limit))
    elapsed = month_elapsed(now)
    month_left = max(1e-6, 1.0 - elapsed)
    factor = min(1.0, (1.0 - used_share) / month_left)
    _, end = month_bounds(now)
    gone = f"{used_share:.0%} of the budget used with {elapsed:.0%} of the month gone"
    if factor >= 1.0:
        return base, f"Spending is on pace ({gone}), so the threshold stays at {base:.2f}."
    threshold = round(base * factor, 4)
    if used_share >= 1.0:
        return (
            0.0,
            f"The budget of {limit:.2f} {currency} is used up until {end:%Y-%m-%d}: nothing is escalated.",
        )
    left = limit - used
    return threshold, (
        f"Spending is ahead of the month ({gone}): only answers with confidence below "
        f"{threshold:.2f} (normally {base:.2f}) go to the cloud, so the remaining "
        f"{left:.2f} {currency} lasts until {end:%Y-%m-%d}."
    )
