"""Checks for setting values: each returns the sentence that says what is wrong, or None.

Pure functions with no imports of ours, so the schema, the ledger's price parser and any face can
use them without pulling in each other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], "str | None"]

MAX_PRICE_PER_M = 1000.0  # per million tokens; the dearest public models cost a few hundred
MAX_MONTHLY_LIMIT = 1_000_000.0


def between(lo: float, hi: float) -> Check:
    def check(v: Any) -> str | None:
        return None if lo <= v <= hi else f"must be between {lo} and {hi}"

    return check


def one_of(*choices: str) -> Check:
    def check(v: Any) -> str | None:
        return None if v in choices else f"must be one of: {', '.join(choices)}"

    return check


def url(v: Any) -> str | None:
    if v == "" or v.startswith(("http://", "https://")):
        return None
    return "must start with http:// or https:// (for example https://api.openai.com/v1)"


def price_value(value: Any, what: str = "price") -> str | None:
    """An error sentence for an absurd price per million tokens, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"the {what} must be a number"
    if math.isnan(value) or math.isinf(value):
        return f"the {what} must be a finite number"
    if value < 0:
        return f"the {what} cannot be negative (got {value})"
    if value > MAX_PRICE_PER_M:
        return (
            f"the {what} of {value} per million tokens is above the sane bound of "
            f"{MAX_PRICE_PER_M:g}; check the unit (per MILLION tokens)"
        )
    return None


def parse_price_override(entry: str) -> tuple[str, float, float]:
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
        problem = price_value(value, what)
        if problem:
            raise ValueError(f"price override for {model}: {problem}")
    return model, price_in, price_out


def price_overrides(value: Any) -> str | None:
    for entry in value:
        try:
            parse_price_override(str(entry))
        except ValueError as exc:
            return f"has a bad entry: {exc}"
    return None


def monthly_limit(value: Any) -> str | None:
    if value is None:
        return None
    if math.isnan(value) or value < 0 or value > MAX_MONTHLY_LIMIT:
        return f"must be between 0 and {MAX_MONTHLY_LIMIT:g} (0 means: no cloud spending at all)"
    return None


def currency(value: Any) -> str | None:
    return None if re.fullmatch(r"[A-Z]{3}", value) else "must be a three-letter ISO code such as USD or EUR"


def share(value: Any) -> str | None:
    return None if 0.05 <= value <= 1.0 else "must be between 0.05 and 1.0"


def exchange_rate(value: Any) -> str | None:
    return None if 0 <= value <= 100_000 else "must be 0 (not set) or a positive exchange rate"


def ttl_seconds(value: Any) -> str | None:
    return None if 10 <= value <= 86_400 else "must be between 10 and 86400 seconds"


def fraction(value: float) -> str | None:
    return None if 0.0 <= value <= 1.0 else "must be between 0.0 and 1.0"
