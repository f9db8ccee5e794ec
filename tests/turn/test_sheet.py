"""The one place a TurnResult is built: the sheet's outcomes folded in order."""

from __future__ import annotations

from edgeapp.cancel import CancelToken
from edgeapp.cloud.client import CloudReply
from edgeapp.conversations import Conversation
from edgeapp.turn.draft import LocalDraft
from edgeapp.turn.events import Notice, TurnOptions
from edgeapp.turn.outcomes import (
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
from edgeapp.turn.route import Decision, Pacing
from edgeapp.turn.settle import CloudBooking
from edgeapp.turn.sheet import TurnRequest, TurnSheet, assemble

DRAFT = LocalDraft(model="smol", answer="Four.", prompt_tokens=30, completion_tokens=3, ms=12.0,
                   tokens_per_s=250.0, confidence=0.3, components={"verbal": 0.3})
ESCALATE = Decision(True, "confidence 0.30 < threshold 0.50", 0.5, "low-confidence")
UNPACED = Pacing(0.5, 0.5)


def sheet(*outcomes, pacing: Pacing = UNPACED, client: str = "cli") -> TurnSheet:
    request = TurnRequest(Conversation(), "What is 2 + 2?", TurnOptions(client=client), "auto", pacing, 48,
                          CancelToken())
    s = TurnSheet(request)
    for outcome in outcomes:
        s.add(outcome)
    return s


def reply(text: str, tokens: tuple[int | None, int | None] = (10, 5), model: str = "m1") -> CloudReply:
    return CloudReply(text, model, "{}", "{}", tokens[0], tokens[1], latency_ms=100.0, attempts=2)


def test_a_local_turn():
    result = assemble(sheet(DRAFT, Decision(False, "confidence 0.30 >= threshold 0.20", 0.2, "confident")),
                      latency_ms=50.0)
    assert (result.route, result.answer, result.reason_code) == ("local", "Four.", "confident")
    assert result.confidence == 0.3 and result.components == {"verbal": 0.3}
    assert result.local_model == "smol" and result.local_completion_tokens == 3 and result.local_ms == 12.0
    assert result.latency_ms == 50.0 and result.client == "cli" and result.threshold == 0.5
    assert not result.stopped and result.cloud_model is None and result.cost == 0


def test_the_pacing_note_is_the_reason_until_a_decision():
    paced = Pacing(0.2, 0.5, "Spending is ahead.")
    assert assemble(sheet(pacing=paced)).reason == "Spending is ahead."
    decided = Decision(False, "confidence 0.30 >= threshold 0.20", 0.2, "budget", "Spending is ahead.")
    result = assemble(sheet(DRAFT, decided, pacing=paced))
    assert result.reason == "confidence 0.30 >= threshold 0.20; Spending is ahead." and result.threshold == 0.2


def test_a_cloud_answer_with_two_bookings():
    s = sheet(DRAFT, ESCALATE, CloudTarget("gpt-4o-mini", "openai"), Shaped("short", {"kept_words": 0.8}, "Hint"),
              CloudBooking(reply("x", (10, None)), call_id=1, cost=0.001),
              CloudBooking(reply("y", (None, None)), call_id=2, cost=0.002, estimated=True),
              CloudBooking(None), CloudAnswer("The answer is 4.", ""))
    result = assemble(s)
    assert (result.route, result.answer, result.reason_code) == ("cloud", "The answer is 4.", "low-confidence")
    assert result.cloud_model == "gpt-4o-mini" and result.cloud_provider == "openai"  # "" keeps the target's
    assert result.cloud_input_tokens == 10 and result.cloud_output_tokens is None  # None until one reports
    assert result.cloud_ms == 200.0 and result.cloud_attempts == 4
    assert abs(result.cost - 0.003) < 1e-12 and result.cost_estimated and result.cloud_call_ids == [1, 2]
    assert result.collab == {"compress": {"kept_words": 0.8}, "exclusion_hint": "Hint"}
    assert result.local_answer == "Four."


def test_a_fallback_replaces_the_reason_and_keeps_the_local_answer():
    blocked = Fallback("blocked", "privacy", "A card number is blocked.", Notice("x", "privacy"))
    result = assemble(sheet(DRAFT, ESCALATE, CloudTarget("m", "p"), blocked))
    assert (result.route, result.answer, result.reason, result.reason_code) == (
        "blocked", "Four.", "A card number is blocked.", "privacy")
    assert result.cloud_model == "m"  # the call was about to go


def test_cloud_mode_answered_locally_after_a_failure():
    late = LocalDraft(model="smol", answer="Four, locally.", confidence=0.9, answers_turn=True)
    failed = Fallback("local-fallback", "cloud-error", "cloud failed: 500", Notice("x", "fallback"))
    result = assemble(sheet(Decision(True, "routing mode is 'cloud'", 0.5, "mode-cloud"), failed, late))
    assert (result.route, result.answer, result.reason_code) == ("local-fallback", "Four, locally.", "cloud-error")
    assert result.confidence == 0.9


def test_stopped_turns_keep_what_they_had():
    partial = LocalDraft(model="smol", answer="Once upon", completion_tokens=2, stopped=True)
    stopped = sheet(partial)
    stopped.stopped = True
    result = assemble(stopped)
    assert result.stopped and result.reason_code == "stopped" and result.reason == "stopped by the user"
    assert result.answer == "Once upon" and result.confidence is None
    mid_stream = sheet(DRAFT, ESCALATE, CloudBooking(None, call_id=3, cost=0.01, estimated=True),
                       StoppedStream("The total"))
    mid_stream.stopped = True
    result = assemble(mid_stream)
    assert (result.route, result.answer) == ("cloud", "The total")
    assert result.reason == "confidence 0.30 < threshold 0.50; stopped by the user"
    assert result.cloud_call_ids == [3] and result.cost_estimated
    waiting = sheet(DRAFT, ESCALATE, CloudBooking(None, call_id=4, cost=0.01, estimated=True))
    waiting.stopped = True  # stopped before the cloud answered: the local answer stands
    assert assemble(waiting).answer == "Four." and assemble(waiting).route == "local"


def test_collaboration_outcomes():
    s = sheet(DRAFT, ESCALATE, CloudPart("align", "1. add"), Alignment("align", 0.123456),
              AskedForAnswer("align"), CloudAnswer("4", "m2"))
    result = assemble(s)
    assert result.collab == {"align": {"cloud_part": "1. add", "alignment": 0.1235, "fallback": True}}
    assert result.route == "cloud" and result.answer == "4" and result.cloud_model == "m2"
    finished = assemble(sheet(DRAFT, ESCALATE, CloudPart("shepherd", "First,"), LocalFinish("shepherd", "4.")))
    assert finished.route == "cloud" and finished.answer == "4."
    assert finished.reason.endswith("; collab.mode=shepherd: the local model finished from the cloud's hint")
    cut = sheet(DRAFT, ESCALATE, CloudPart("align", "1."), LocalFinish("align", "Fo", stopped=True))
    cut.stopped = True
    result = assemble(cut)
    assert result.answer == "Fo" and "collab.mode" not in result.reason and result.stopped
