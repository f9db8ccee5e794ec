"""Settlement: every cloud call that held a reservation ends with it settled or released, and the
call recorded. A reply is settled at its cost; a failure releases the reservation (free); a call
stopped mid-way is settled by estimate (input tokens + the tokens streamed so far, capped at the
reservation), marked estimated: the provider bills what it generated, and usage never came.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..cloud.client import CloudClient, CloudReply
from ..gatekeeper.payload import ScrubbedPayload
from ..ledger.records import CloudCallRecord
from .reserve import Hold
from .stream import Received

if TYPE_CHECKING:
    from ..ledger import Ledger

STOPPED = "stopped by the user"


@dataclass(frozen=True)
class CloudBooking:
    """One cloud call, as it counts for the turn: the reply (None: failed or stopped), and what the
    ledger charged for it (`call_id` None when nothing was recorded)."""

    reply: CloudReply | None
    call_id: int | None = None
    cost: float = 0.0
    estimated: bool = False


def stopped_response(model: str, partial: str) -> str:
    """The response a stopped call is recorded with: the text streamed so far."""
    message = {"role": "assistant", "content": partial}
    choice = {"index": 0, "message": message, "finish_reason": "stopped"}
    return json.dumps({"object": "chat.completion", "model": model, "choices": [choice]}, ensure_ascii=False)


def call_record(
    cloud: CloudClient, payload: ScrubbedPayload, body: str, received: Received
) -> CloudCallRecord:
    """The ledger's record of the call: ok (the reply), error, or stopped (what had streamed)."""
    reply = received.reply
    if received.stopped:
        model, response, status, error = (
            cloud.model,
            stopped_response(cloud.model, received.text),
            "stopped",
            STOPPED,
        )
    elif reply is not None:
        model, response, status, error = reply.model, reply.response_json, "ok", None
    else:
        model, response, status, error = cloud.model, None, "error", received.error
    return CloudCallRecord(
        turn_id=None,
        provider=cloud.provider,
        model=model,
        request_json=body,
        entities=dict(payload.entities),
        response_json=response,
        input_tokens=reply.input_tokens if reply else None,
        output_tokens=reply.output_tokens if reply else None,
        status=status,
        error=error,
        latency_ms=reply.latency_ms if reply else 0.0,
        base_url=cloud.base_url,
    )


def settle(
    ledger: Ledger | None, hold: Hold, cloud: CloudClient, payload: ScrubbedPayload, received: Received
) -> CloudBooking:
    """Close the call's reservation as `received` says it went, and record the call."""
    if hold.reservation is None or ledger is None:
        return CloudBooking(received.reply)
    call = call_record(cloud, payload, hold.request_json, received)
    if received.stopped or received.reply is not None:  # a stop is estimated (capped at the hold)
        ledger.settle(hold.reservation, call)
    else:
        ledger.release(hold.reservation, call)
    return CloudBooking(received.reply, call.id, call.cost or 0.0, bool(call.estimated))
