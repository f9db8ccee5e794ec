"""A turn, start to end: the local draft -> the routing decision -> the escalation (when the
router says so) -> recording. Stopping is part of the contract: a `Cancelled` from any stage, or
the face closing the generator, ends the turn as stopped with what it had, recorded in the ledger,
with no reservation left held (the cloud call's own `finally` settles it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace

from ..cancel import Cancelled, CancelToken
from ..conversations import Conversation
from ..ledger.errors import LedgerFull
from .draft import LocalDraft, SavedCalibration, draft
from .escalate import escalate
from .events import Escalating, Event, Notice, TurnDone, TurnOptions, TurnResult
from .parts import Parts
from .record import record
from .route import pace, route
from .sheet import TurnRequest, TurnSheet, assemble


def local_draft(
    parts: Parts, sheet: TurnSheet, saved: SavedCalibration, *, answers_turn: bool = False
) -> Generator[Event, None, LocalDraft]:
    """The local model's answer (loading the model first if needed); a stop raises Cancelled."""
    request = sheet.request
    outcome = yield from draft(
        parts.local_ready(request.token),
        request.conversation.messages,
        request.text,
        max_tokens=request.local_max_tokens,
        token=request.token,
        saved=saved,
        answers_turn=answers_turn,
    )
    sheet.add(outcome)
    if outcome.stopped:
        raise Cancelled()
    return outcome


def run(parts: Parts, sheet: TurnSheet, saved: SavedCalibration) -> Generator[Event, None, None]:
    """The stages of one turn; each outcome goes on `sheet`."""
    request = sheet.request
    cloud = parts.cloud
    local: LocalDraft | None = None
    if request.mode != "cloud" or cloud is None:
        local = yield from local_draft(parts, sheet, saved)
    confidence = local.confidence if local is not None else None
    decision = route(request.mode, confidence, request.pacing, cloud_configured=cloud is not None)
    sheet.add(decision)
    if not decision.escalate or cloud is None:
        return
    request.token.check()
    yield Escalating(decision.reason, confidence, decision.code, parts.settings["cloud.model"])
    answered = yield from escalate(
        parts,
        sheet,
        cloud,
        confidence=confidence,
        threshold=request.pacing.threshold,
        local_ran=local is not None,
    )
    if not answered and local is None:  # cloud mode failed: answer locally now
        yield from local_draft(parts, sheet, saved, answers_turn=True)


def finish(
    parts: Parts,
    sheet: TurnSheet,
    started: float,
    save_mapping: Callable[[Conversation], None],
) -> tuple[TurnResult, Notice | None]:
    """The turn's result, recorded in the conversation and the ledger. A full disk leaves the turn
    unrecorded (earlier ones are intact): the answer stands, with a notice that says so."""
    result = assemble(sheet, (time.perf_counter() - started) * 1000)
    request = sheet.request
    try:
        turn_id = record(
            request.conversation,
            request.text,
            result,
            ledger=parts.ledger,
            save_mapping=save_mapping if parts.keeps_history else None,
        )
    except LedgerFull as exc:
        return result, Notice(str(exc), kind="ledger")
    return replace(result, turn_id=turn_id), None


def ask(
    parts: Parts,
    saved: SavedCalibration,
    save_mapping: Callable[[Conversation], None],
    conversation: Conversation,
    text: str,
    options: TurnOptions,
    cancel: CancelToken | None,
) -> Iterator[Event]:
    """Run one turn of `conversation` and yield its events, `TurnDone` last."""
    started = time.perf_counter()
    settings = parts.settings
    mode = options.mode or settings["router.mode"]
    base = options.threshold if options.threshold is not None else settings["router.threshold"]
    pacing = pace(parts.ledger, mode, base)
    token = CancelToken()  # this turn's own: set by the face's token, or when the face closes us
    unlink = cancel.link(token) if cancel is not None else None
    max_tokens = options.max_tokens or settings["local.max_tokens"]
    sheet = TurnSheet(TurnRequest(conversation, text, options, mode, pacing, max_tokens, token))
    ledger = parts.ledger
    recovered = ledger.take_recovery_notice() if ledger is not None else None
    if recovered is not None:  # the ledger file was damaged and replaced: said once, by every face
        yield Notice(recovered, kind="ledger")
    try:
        yield from run(parts, sheet, saved)
    except Cancelled:
        sheet.stopped = True
    except GeneratorExit:  # the face stopped iterating: record what happened, then let go
        token.set()
        sheet.stopped = True
        try:
            finish(parts, sheet, started, save_mapping)
        except Exception:  # noqa: BLE001 - closing must not fail; the ledger write is one transaction
            pass
        raise
    except BaseException:
        token.set()  # a cloud call on its thread stops too
        raise
    finally:
        if unlink is not None:
            unlink()
    result, unrecorded = finish(parts, sheet, started, save_mapping)
    if unrecorded is not None:
        yield unrecorded
    yield TurnDone(result)
