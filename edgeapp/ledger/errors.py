"""Errors raised by the ledger. Each message says what happened and what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Action, EdgeappError

if TYPE_CHECKING:
    from .recovery import Recovery


class LedgerError(EdgeappError):
    """Base class for ledger problems."""


class BudgetExceeded(LedgerError):
    """The worst-case cost of a cloud call does not fit in this month's budget: the turn stays local."""

    def __init__(self, message: str, *, needed: float, left: float, limit: float, spent: float):
        suggested = max(limit * 2, 1) if limit else 5
        super().__init__(
            message,
            action=Action(
                "Raise the monthly budget",
                setting="budget.monthly_limit",
                value=suggested,
                command=f"edgeapp budget set {suggested:g}",
            ),
        )
        self.needed = needed
        self.left = left
        self.limit = limit
        self.spent = spent


class PriceError(LedgerError):
    """A price is missing or absurd."""


class UnknownPrice(PriceError):
    """No price is known for this model: the ledger never treats an unknown model as free."""

    def __init__(self, message: str, *, model: str):
        super().__init__(
            message,
            action=Action(f"Set a price for {model}", command=f"edgeapp price set {model} INPUT OUTPUT"),
        )
        self.model = model


class LedgerLocked(LedgerError):
    """The database stayed locked by another writer after the retries."""


class LedgerKeyError(LedgerError):
    """The encrypted ledger cannot be opened (its key is missing or wrong) or encryption cannot be
    set up; the file is left exactly as it was."""


class LedgerFull(LedgerError):
    """The disk holding the ledger is full: the write was rolled back, earlier rows are intact."""


class LedgerCorrupt(LedgerError):
    """The database file is damaged. On open it is moved aside (never deleted), a fresh one is
    started and what can be read from the old one is carried into it (`recovery`)."""

    def __init__(self, message: str, *, kept_at: str | None = None, recovery: Recovery | None = None):
        super().__init__(message)
        self.kept_at = kept_at
        self.recovery = recovery
