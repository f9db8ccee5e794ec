"""Records that cross module boundaries: what the Assistant hands to the ledger and gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

ROUTES = ("local", "cloud", "local-fallback", "blocked")
FEEDBACK = ("good", "bad")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def utc_text(moment: datetime) -> str:
    """Fixed-width UTC text, so that timestamps compare correctly as strings in SQL."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive datetime is local time
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class TurnRecord:
    """One turn, local or cloud. `cost` is what the turn's cloud calls cost (0 for a local turn)."""

    conversation_id: str
    user_text: str
    answer: str
    route: str  # one of ROUTES
    reason: str
    confidence: float | None
    components: dict[str, Any]
    threshold: float
    local_model: str
    local_prompt_tokens: int = 0
    local_completion_tokens: int = 0
    local_ms: float = 0.0
    cloud_ms: float | None = None
    cost: float = 0.0
    created_at: datetime = field(default_factory=utc_now)
    feedback: str | None = None  # "good" | "bad" | None
    cloud_call_ids: list[int] = field(default_factory=list)  # linked to this turn in the same transaction
    client: str = ""  # which face asked: cli | gui | api:<name>
    reason_code: str = ""  # machine-readable reason (edgeapp/wording.py)
    stopped: bool = False  # the user stopped the turn; the answer is what it had
    # the guardian's findings on the turn's cloud replies (edgeapp/guardian/findings.py `Finding` as
    # dicts: kind, placeholder, evidence, rule, action); placeholders only, never the values
    guardian: list[dict[str, str]] = field(default_factory=list)


@dataclass
class CloudCallRecord:
    """One request to a cloud endpoint. `request_json` is the exact (scrubbed) body that was sent.

    `entities` holds entity types and counts only (e.g. {"PERSON": 2}), never values or the
    placeholder mapping. The ledger fills `id`, `cost` and `estimated` when it records the call.
    """

    turn_id: int | None
    provider: str
    model: str
    request_json: str
    entities: dict[str, int]
    response_json: str | None
    input_tokens: int | None
    output_tokens: int | None
    status: str  # "ok" | "error"
    error: str | None
    latency_ms: float
    base_url: str = ""
    created_at: datetime = field(default_factory=utc_now)
    # filled by the ledger:
    id: int | None = None
    cost: float | None = None
    estimated: bool = False
