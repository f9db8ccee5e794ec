"""Setting the monthly budget from a face (the window's slider, the local API).

It writes the one setting `edgeapp budget set` writes (`budget.monthly_limit` in config.toml), the
same way: `config.load()`, `Settings.set` (the same validation and bounds), `Settings.save`. The
ledger reads the settings file at each budget decision, so the next turn, of this process or any
other, uses the new limit.
"""

from __future__ import annotations

from pathlib import Path

from .. import config


def set_monthly_limit(amount: float | str | None, path: Path | None = None) -> config.Settings:
    """AMOUNT in the budget currency (0: no cloud spending), or None for no limit. Raises ConfigError."""
    settings = config.load(path)
    if amount is None or (isinstance(amount, str) and amount.strip().lower() in ("off", "none", "unset")):
        settings.unset("budget.monthly_limit")
    else:
        settings.set("budget.monthly_limit", amount)
    settings.save(path)
    return settings


def monthly_limit(path: Path | None = None) -> float | None:
    return config.load(path)["budget.monthly_limit"]
