"""Settings keys of the ledger, budget and prices (registered with edgeapp.config on import)."""

from __future__ import annotations

import math
import re
from typing import Any

from ..config import Key, register

MAX_PRICE_PER_M = 1000.0  # per million tokens; the dearest public models cost a few hundred
MAX_MONTHLY_LIMIT = 1_000_000.0


def check_price_value(value: Any, what: str = "price") -> str | None:
    """An error sentence for an absurd price per million tokens, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"the {what} must be a number"
    if math.isnan(value) or math.isinf(value):
        return f"the {what} must be a finite number"
    if value < 0:
        return f"the {what} cannot be negative (got {value})"
    if value > MAX_PRICE_PER_M:
        return f"the {what} of {value} per million tokens is above the sane bound of {MAX_PRICE_PER_M:g}; check the unit (per MILLION tokens)"
    return None


def parse_override(entry: str) -> tuple[str, float, float]:
    """'MODEL INPUT OUTPUT' (prices per million tokens) -> (model, input, output). Raises ValueError."""
    parts = entry.split()
    if len(parts) != 3:
        raise ValueError(f"price override {entry!r} must look like 'MODEL INPUT_PER_M OUTPUT_PER_M'")
    model, raw_in, raw_out = parts
    try:
        price_in, price_out = float(raw_in), float(raw_out)
    except ValueError:
        raise ValueError(f"price override {entry!r}: the prices must be numbers") from None
    for value, what in ((price_in, "input price"), (price_out, "output price")):
        problem = check_price_value(value, what)
        if problem:
            raise ValueError(f"price override for {model}: {problem}")
    return model, price_in, price_out


def _check_overrides(value: Any) -> str | None:
    for entry in value:
        try:
            parse_override(str(entry))
        except ValueError as exc:
            return f"has a bad entry: {exc}"
    return None


def _check_limit(value: Any) -> str | None:
    if value is None:
        return None
    if math.isnan(value) or value < 0 or value > MAX_MONTHLY_LIMIT:
        return f"must be between 0 and {MAX_MONTHLY_LIMIT:g} (0 means: no cloud spending at all)"
    return None


def _check_currency(value: Any) -> str | None:
    return None if re.fullmatch(r"[A-Z]{3}", value) else "must be a three-letter ISO code such as USD or EUR"


def _check_share(value: Any) -> str | None:
    return None if 0.05 <= value <= 1.0 else "must be between 0.05 and 1.0"


def _check_rate(value: Any) -> str | None:
    return None if 0 <= value <= 100_000 else "must be 0 (not set) or a positive exchange rate"


def _check_ttl(value: Any) -> str | None:
    return None if 10 <= value <= 86_400 else "must be between 10 and 86400 seconds"


KEYS = [
    Key(
        "budget.monthly_limit",
        float,
        None,
        "monthly cloud budget in budget.currency (unset: no limit, calls are still priced; 0: no cloud spending)",
        _check_limit,
    ),
    Key("budget.currency", str, "USD", "currency of the budget and of your price overrides", _check_currency),
    Key(
        "budget.alert_share", float, 0.8, "warn when this share of the monthly budget is spent", _check_share
    ),
    Key(
        "budget.pacing",
        bool,
        True,
        "lower the escalation threshold when spending runs ahead of the month, so the budget lasts",
    ),
    Key(
        "budget.usd_rate",
        float,
        0.0,
        "units of budget.currency per 1 USD, applied to the bundled USD price table (0: not set)",
        _check_rate,
    ),
    Key(
        "budget.reservation_ttl",
        int,
        900,
        "seconds after which a cloud-call reservation that was never settled is released",
        _check_ttl,
    ),
    Key(
        "prices.overrides",
        list,
        [],
        "your prices, 'MODEL INPUT OUTPUT' per million tokens in budget.currency (use `edgeapp price set`)",
        _check_overrides,
    ),
    Key(
        "prices.local_free",
        bool,
        True,
        "price models served from localhost/127.0.0.1/::1 at 0 unless the bundled table or an override knows them",
    ),
]

for _key in KEYS:
    register(_key)
