"""One cloud call and the escalation around it, stage by stage on the turn's sheet: real model,
real Presidio, real SQLite, a scripted HTTP server on loopback."""

from __future__ import annotations

import contextlib

from edgeapp import config
from edgeapp.cancel import CancelToken
from edgeapp.conversations import Conversation
from edgeapp.ledger import Ledger
from edgeapp.turn import collab
from edgeapp.turn.cloud_call import cloud_call
from edgeapp.turn.escalate import escalate, shape
from edgeapp.turn.events import CloudToken, Notice, TurnOptions
from edgeapp.turn.outcomes import (
    CloudAnswer,
    CloudPart,
    CloudTarget,
    Fallback,
    LocalFinish,
    Shaped,
    StoppedStream,
)
from edgeapp.turn.parts import Parts
from edgeapp.turn.route import Pacing
from edgeapp.turn.scrub import Scrubbed
from edgeapp.turn.settle import CloudBooking
from edgeapp.turn.sheet import TurnRequest, TurnSheet, assemble

from ..servers import FaultServer

QUESTION = ("Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
            "How many clips did Natalia sell altogether in April and May?")


@contextlib.contextmanager
def parts_for(script, local_model, gatekeeper, **more):
    fault = FaultServer(script)
    s = config.Settings()
    s.set("cloud.base_url", fault.start())
    s.set("cloud.model", "gpt-4o-mini")  # priced by the bundled table
    s.set("cloud.max_retries", 0)
    s.set("cloud.max_tokens", 64)
    for key, value in more.items():
        s.set(key.replace("__", "."), value)
    parts = Parts(s, local_model=local_model, gatekeeper=gatekeeper)
    try:
        yield parts, fault
    finally:
        parts.close()
        fault.stop()


def new_sheet(text: str = "How many clips, Dana Whitfield?") -> TurnSheet:
    return TurnSheet(TurnRequest(Conversation(), text, TurnOptions(), "auto", Pacing(0.5, 0.5), 24, CancelToken()))


def kinds(sheet: TurnSheet) -> list[type]:
    return [type(o) for o in sheet.outcomes]


def test_a_call_goes_on_the_sheet_stage_by_stage(local_model, gatekeeper):
    with parts_for([("ok", "Seventy two, <PERSON_1>.")], local_model, gatekeeper) as (parts, fault):
        sheet = new_sheet()
        events = []
        calling = cloud_call(parts, sheet, parts.cloud, sheet.request.text, show=True)
        try:
            while True:
                events.append(next(calling))
        except StopIteration as done:
            reply = done.value
    assert reply is not None and kinds(sheet) == [CloudTarget, Scrubbed, CloudBooking]
    assert isinstance(events[0], Notice) and events[0].kind == "sending" and "1 name" in events[0].text
    assert "".join(e.text for e in events if isinstance(e, CloudToken)) == "Seventy two, Dana Whitfield."
    assert "Dana Whitfield" not in str(fault.requests)
    booking = sheet.outcomes[-1]
    assert booking.reply is reply and booking.call_id == next(Ledger().rows("cloud_calls"))["id"]
    assert [r["status"] for r in Ledger().rows("reservations")] == ["settled"]


def test_a_failed_call_falls_back_unless_the_route_is_kept(local_model, gatekeeper):
    for keep_route in (False, True):
        with parts_for([("status", 500)], local_model, gatekeeper) as (parts, _):
            sheet = new_sheet()
            events = list(cloud_call(parts, sheet, parts.cloud, "What is 2 + 2?", keep_route=keep_route))
        assert events[-1].kind == "fallback" and "did not answer" in events[-1].text
        fallbacks = [o for o in sheet.outcomes if isinstance(o, Fallback)]
        assert len(fallbacks) == (0 if keep_route else 1)
        assert kinds(sheet)[-1] in (CloudBooking, Fallback)
    assert all(r["status"] == "released" for r in Ledger().rows("reservations"))


def test_letting_go_mid_stream_settles_by_estimate_and_keeps_what_was_shown(local_model, gatekeeper):
    with parts_for([("ok", "The total is seventy two clips in all.")], local_model, gatekeeper) as (parts, _):
        sheet = new_sheet()
        calling = cloud_call(parts, sheet, parts.cloud, "How many clips?", show=True)
        while not isinstance(next(calling), CloudToken):
            pass
        calling.close()  # the face stopped iterating
    assert kinds(sheet)[-2:] == [CloudBooking, StoppedStream]
    assert sheet.outcomes[-1].answer and "The total is seventy two".startswith(sheet.outcomes[-1].answer)
    assert sheet.outcomes[-2].estimated and sheet.outcomes[-2].cost > 0
    assert [r["status"] for r in Ledger().rows("reservations")] == ["settled"]


def test_shaping_the_message(local_model):
    plain = shape(lambda: local_model, QUESTION, compress=False, hints=False, confidence=0.4, threshold=0.5)
    assert plain == Shaped(QUESTION)
    short = shape(lambda: local_model, QUESTION, compress=True, hints=False, confidence=0.4, threshold=0.5)
    assert short.compress["kept_words"] < 1 and short.text == short.compress["sent"] and len(short.text) < len(
        QUESTION)
    assert short.compress["max_drop"] == round(collab.compression_budget(0.4, 0.5), 3)


def test_shepherding_the_local_model_from_the_clouds_first_steps(local_model, gatekeeper):
    with parts_for([("ok", "April: 48. May: half of 48 is 24.")], local_model, gatekeeper,
                   collab__mode="shepherd") as (parts, fault):
        sheet = new_sheet(QUESTION)
        steps = escalate(parts, sheet, parts.cloud, confidence=0.2, threshold=0.5, local_ran=True)
        events = list(steps)
    assert fault.requests[0]["messages"][-1]["content"].endswith(collab.HINT_PROMPT)
    assert kinds(sheet) == [Shaped, CloudTarget, Scrubbed, CloudBooking, CloudPart, LocalFinish]
    assert any(isinstance(e, Notice) and e.kind == "collab" for e in events)
    result = assemble(sheet)
    assert result.route == "cloud" and result.collab["shepherd"]["cloud_part"].startswith("April: 48.")


def test_cloud_mode_sends_the_message_as_it_is(local_model, gatekeeper):
    with parts_for([("ok", "72.")], local_model, gatekeeper, collab__compress=True,
                   collab__mode="align") as (parts, fault):
        sheet = new_sheet(QUESTION)
        list(escalate(parts, sheet, parts.cloud, confidence=None, threshold=0.5, local_ran=False))
    assert kinds(sheet) == [CloudTarget, Scrubbed, CloudBooking, CloudAnswer]
    sent = fault.requests[0]["messages"][-1]["content"]
    assert sheet.request.conversation.vault.restore(sent) == QUESTION  # scrubbed, not shortened
