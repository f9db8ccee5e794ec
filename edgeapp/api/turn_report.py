"""What a response says about its turn, beside the answer: the `edgeapp` field, the X-Edgeapp-*
headers, the OpenAI `usage` and `finish_reason`. Labels and money come from `edgeapp.wording`."""

from __future__ import annotations

from typing import Any

from .. import wording
from ..assistant import Assistant, TurnResult


def currency(assistant: Assistant) -> str:
    """The budget's currency; USD when the settings cannot be read (a finished turn is still
    answered)."""
    try:
        return assistant.settings["budget.currency"]
    except Exception:  # noqa: BLE001
        return "USD"


def turn_info(result: TurnResult, currency: str) -> dict[str, Any]:
    """The `edgeapp` field of a response: what happened to the turn, worded by edgeapp.wording."""
    return {
        "route": result.route,
        "badge": wording.badge(result),
        "reason_code": result.reason_code,
        "reason": result.reason,
        "reasons": wording.reasons(result, currency),
        "confidence": result.confidence,
        "threshold": result.threshold,
        "masked_entities": dict(result.masked_entities),
        "masked": wording.entity_phrase(result.masked_entities),
        "cost": result.cost,
        "cost_text": wording.money(result.cost, currency, estimated=result.cost_estimated),
        "cost_estimated": result.cost_estimated,
        "currency": currency,
        "conversation_id": result.conversation_id,
        "turn_id": result.turn_id,
        "stopped": result.stopped,
        "local_model": result.local_model,
        "cloud_model": result.cloud_model,
        "client": result.client,
        "history_sent": result.history_sent,
        "history_left_out": result.history_left_out,
        "latency_ms": round(result.latency_ms, 1),
        "guardian": wording.guardian_findings(result),
        "guardian_flag": wording.guardian_flag(result),
    }


def info_headers(result: TurnResult) -> dict[str, str]:
    """The turn in X-Edgeapp-* headers, for clients that read headers rather than the body."""
    masked = ",".join(f"{k}={v}" for k, v in sorted(result.masked_entities.items()) if v) or "none"
    return {
        "X-Edgeapp-Route": result.route,
        "X-Edgeapp-Reason-Code": result.reason_code or "",
        "X-Edgeapp-Confidence": "" if result.confidence is None else f"{result.confidence:.4f}",
        "X-Edgeapp-Masked": masked,
        "X-Edgeapp-Cost": f"{result.cost:.6f}",
        "X-Edgeapp-Conversation": result.conversation_id,
        "X-Edgeapp-Turn": "" if result.turn_id is None else str(result.turn_id),
        "X-Edgeapp-Stopped": "true" if result.stopped else "false",
        "X-Edgeapp-Guardian": ",".join(dict.fromkeys(f.kind for f in result.guardian)) or "none",
    }


def usage(result: TurnResult) -> dict[str, int]:
    """Tokens of the model that wrote the answer (the cloud's when it did, else the local model's)."""
    if result.route == "cloud" and result.cloud_input_tokens is not None:
        prompt, completion = result.cloud_input_tokens or 0, result.cloud_output_tokens or 0
    else:
        prompt, completion = result.local_prompt_tokens, result.local_completion_tokens
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def finish_reason(result: TurnResult, max_tokens: int | None, stop_hit: bool) -> str:
    """`length` when the local answer reached the request's max_tokens, else `stop` (a stop
    sequence, a stopped turn, or a finished answer)."""
    if stop_hit or result.stopped:
        return "stop"
    if result.route != "cloud" and max_tokens and result.local_completion_tokens >= max_tokens:
        return "length"
    return "stop"
