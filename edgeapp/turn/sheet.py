"""The turn's sheet: what was asked (`TurnRequest`) and the outcomes its stages returned, in the
order they happened; `assemble` folds them into the `TurnResult`, the one place a result is built.

Why a sheet and not only return values: a turn can end at any yield (the face closes the
generator) or at any stop check (`Cancelled`), and what its stages did by then (a settled call, a
fallback, a partial answer) must still reach the ledger's row. So each outcome goes on the sheet
the moment it is known, by the stage orchestrators (pipeline.py, escalate.py, cloud_call.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import wording
from ..cancel import CancelToken
from ..conversations import Conversation
from .draft import LocalDraft
from .events import TurnOptions, TurnResult
from .guardian import Guarded
from .outcomes import (
    Alignment,
    AskedForAnswer,
    CloudAnswer,
    CloudPart,
    CloudTarget,
    Fallback,
    LocalFinish,
    Shaped,
    StoppedStream,
)
from .route import Decision, Pacing
from .scrub import Scrubbed
from .settle import CloudBooking

Outcome = (
    LocalDraft
    | Decision
    | CloudTarget
    | Shaped
    | Scrubbed
    | Fallback
    | CloudBooking
    | StoppedStream
    | CloudAnswer
    | CloudPart
    | Alignment
    | AskedForAnswer
    | LocalFinish
    | Guarded
)


@dataclass(frozen=True)
class TurnRequest:
    """What a turn was asked, settled when it starts (the options over the settings)."""

    conversation: Conversation
    text: str
    options: TurnOptions
    mode: str
    pacing: Pacing
    local_max_tokens: int
    token: CancelToken  # the turn's own: set by the face's token, or when the face lets go


@dataclass
class TurnSheet:
    request: TurnRequest
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: bool = False

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)


def _add_tokens(a: int | None, b: int | None) -> int | None:
    """Token counts over several calls; None while no call reported usage."""
    return None if a is None and b is None else (a or 0) + (b or 0)


def _local(result: TurnResult, draft: LocalDraft) -> None:
    result.local_model = draft.model
    result.local_answer = draft.answer
    result.local_prompt_tokens = draft.prompt_tokens
    result.local_completion_tokens = draft.completion_tokens
    result.local_ms = draft.ms
    result.local_tokens_per_s = draft.tokens_per_s
    if not draft.stopped:
        result.confidence = draft.confidence
        result.components = draft.components
    if draft.stopped or draft.answers_turn:
        result.answer = draft.answer


def _booked(result: TurnResult, booking: CloudBooking) -> None:
    reply = booking.reply
    if reply is not None:
        result.cloud_input_tokens = _add_tokens(result.cloud_input_tokens, reply.input_tokens)
        result.cloud_output_tokens = _add_tokens(result.cloud_output_tokens, reply.output_tokens)
        result.cloud_ms = (result.cloud_ms or 0.0) + reply.latency_ms
        result.cloud_attempts += reply.attempts
    result.cost += booking.cost
    result.cost_estimated = result.cost_estimated or booking.estimated
    if booking.call_id is not None:
        result.cloud_call_ids.append(booking.call_id)


def _collab(result: TurnResult, outcome: Shaped | CloudPart | Alignment | AskedForAnswer) -> None:
    if isinstance(outcome, Shaped):
        if outcome.compress is not None:
            result.collab["compress"] = outcome.compress
        if outcome.hint is not None:
            result.collab["exclusion_hint"] = outcome.hint
    elif isinstance(outcome, CloudPart):
        result.collab[outcome.mode] = {"cloud_part": outcome.text}
    elif isinstance(outcome, Alignment):
        result.collab[outcome.mode]["alignment"] = round(outcome.score, 4)
    else:
        result.collab[outcome.mode]["fallback"] = True


def _apply(result: TurnResult, outcome: Outcome) -> None:
    """One outcome's part of the result (a later outcome may overrule an earlier one's route)."""
    if isinstance(outcome, LocalDraft):
        _local(result, outcome)
    elif isinstance(outcome, Decision):
        result.reason, result.reason_code = outcome.explained, outcome.code
        if not outcome.escalate:
            result.route, result.answer = "local", result.local_answer
    elif isinstance(outcome, CloudTarget):
        result.cloud_model, result.cloud_provider = outcome.model, outcome.provider
    elif isinstance(outcome, Scrubbed):
        result.history_sent = outcome.history_sent
        result.history_left_out = outcome.history_left_out
        for kind, count in outcome.payload.entities.items():
            result.masked_entities[kind] = max(result.masked_entities.get(kind, 0), count)
    elif isinstance(outcome, Fallback):
        result.route, result.reason, result.reason_code = outcome.route, outcome.reason, outcome.code
        result.answer = result.local_answer
    elif isinstance(outcome, CloudBooking):
        _booked(result, outcome)
    elif isinstance(outcome, Guarded):
        result.guardian.extend(outcome.findings)
    elif isinstance(outcome, StoppedStream):
        result.route, result.answer = "cloud", outcome.answer
    elif isinstance(outcome, CloudAnswer):
        result.route, result.answer = "cloud", outcome.text
        result.cloud_model = outcome.model or result.cloud_model
    elif isinstance(outcome, LocalFinish):
        result.route, result.answer = "cloud", outcome.answer
        if not outcome.stopped:
            part = "hint" if outcome.mode == "shepherd" else "plan"
            result.reason += f"; collab.mode={outcome.mode}: the local model finished from the cloud's {part}"
    else:
        _collab(result, outcome)


def assemble(sheet: TurnSheet, latency_ms: float = 0.0) -> TurnResult:
    """The TurnResult of everything on `sheet`, in order; a stopped turn says so and keeps what it
    had (the local answer when nothing else came)."""
    request = sheet.request
    result = TurnResult(
        answer="",
        route="local",
        reason=request.pacing.note,
        confidence=None,
        components={},
        threshold=request.pacing.threshold,
        mode=request.mode,
        conversation_id=request.conversation.id,
        client=request.options.client,
        latency_ms=latency_ms,
    )
    for outcome in sheet.outcomes:
        _apply(result, outcome)
    if sheet.stopped:
        result.stopped = True
        result.reason_code = wording.STOPPED
        result.reason = (result.reason + "; " if result.reason else "") + "stopped by the user"
        if not result.answer:
            result.answer = result.local_answer
    return result
