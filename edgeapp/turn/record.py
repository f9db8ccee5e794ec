"""Recording a finished (or stopped) turn: the conversation gets the message and the answer, the
placeholder mapping is saved when `privacy.persist_mapping` asks for it, and the ledger gets the
turn's row, linked to its cloud calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..conversations import Conversation
from ..errors import EdgeappError
from ..ledger.records import TurnRecord
from .events import TurnResult

if TYPE_CHECKING:
    from ..ledger import Ledger


def turn_record(result: TurnResult, text: str) -> TurnRecord:
    """The ledger's row for the turn that asked `text` and ended with `result`."""
    return TurnRecord(
        conversation_id=result.conversation_id,
        user_text=text,
        answer=result.answer,
        route=result.route,
        reason=result.reason,
        confidence=result.confidence,
        components=result.components,
        threshold=result.threshold,
        local_model=result.local_model,
        local_prompt_tokens=result.local_prompt_tokens,
        local_completion_tokens=result.local_completion_tokens,
        local_ms=result.local_ms,
        cloud_ms=result.cloud_ms,
        cost=result.cost,
        cloud_call_ids=[i for i in result.cloud_call_ids if i is not None],
        client=result.client,
        reason_code=result.reason_code,
        stopped=result.stopped,
        guardian=[finding.to_dict() for finding in result.guardian],
    )


def record(
    conversation: Conversation,
    text: str,
    result: TurnResult,
    *,
    ledger: Ledger | None,
    save_mapping: Callable[[Conversation], None] | None,
) -> int | None:
    """Add the turn to `conversation` (and save its mapping with `save_mapping`, when given) and to
    the ledger; returns the ledger's turn id (None without a ledger)."""
    conversation.messages.append({"role": "user", "content": text})
    if result.answer:
        conversation.messages.append({"role": "assistant", "content": result.answer})
    if save_mapping is not None:
        try:
            save_mapping(conversation)
        except EdgeappError:
            pass  # the mapping is a convenience; the turn stands
    if ledger is None:
        return None
    return ledger.record_turn(turn_record(result, text))
