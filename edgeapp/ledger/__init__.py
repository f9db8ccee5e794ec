"""The ledger: every turn and cloud call in one SQLite file, prices, and the monthly budget."""

from .budget import BudgetStatus
from .errors import (
    BudgetExceeded,
    LedgerCorrupt,
    LedgerError,
    LedgerFull,
    LedgerKeyError,
    LedgerLocked,
    PriceError,
    UnknownPrice,
)
from .ledger import Ledger, Reservation
from .prices import Price, Prices
from .records import CloudCallRecord, TurnRecord

__all__ = [
    "BudgetExceeded",
    "BudgetStatus",
    "CloudCallRecord",
    "Ledger",
    "LedgerCorrupt",
    "LedgerError",
    "LedgerFull",
    "LedgerKeyError",
    "LedgerLocked",
    "Price",
    "PriceError",
    "Prices",
    "Reservation",
    "TurnRecord",
    "UnknownPrice",
]
