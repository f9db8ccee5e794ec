"""The budget reservation: before a request leaves, its worst-case cost is held against the month's
budget (the ledger refuses what does not fit, and a price it does not know). Every way out of the
call afterwards settles or releases it (settle.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import wording
from ..cloud.client import CloudClient
from ..errors import EdgeappError
from ..gatekeeper.payload import ScrubbedPayload
from .events import Notice
from .outcomes import Fallback

if TYPE_CHECKING:
    from ..ledger import Ledger, Reservation


def estimate_tokens(text: str) -> int:
    """A generous token estimate for budget reservations (about 3 characters a token)."""
    return len(text) // 3 + 16


@dataclass(frozen=True)
class Hold:
    """The exact request about to be sent, and the reservation held for it (None without a ledger:
    the evaluation's calls are neither recorded nor counted)."""

    request_json: str
    reservation: Reservation | None


def request_json(cloud: CloudClient, payload: ScrubbedPayload, *, stream: bool, max_tokens: int) -> str:
    """The body the cloud client will send, as the ledger records it."""
    return json.dumps(cloud.request_body(payload, stream=stream, max_tokens=max_tokens), ensure_ascii=False)


def reserve(
    ledger: Ledger | None, cloud: CloudClient, payload: ScrubbedPayload, *, stream: bool, max_tokens: int
) -> Hold | Fallback:
    """Hold the call's worst-case cost, or the fallback that keeps the turn local (over budget, or
    no price for the model)."""
    body = request_json(cloud, payload, stream=stream, max_tokens=max_tokens)
    if ledger is None:
        return Hold(body, None)
    try:
        held = ledger.reserve(cloud.provider, cloud.model, cloud.base_url, estimate_tokens(body), max_tokens)
    except EdgeappError as exc:  # BudgetExceeded, UnknownPrice
        return Fallback("local-fallback", wording.BUDGET, f"kept local: {exc}", Notice(str(exc), "fallback"))
    return Hold(body, held)
