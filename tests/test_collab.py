"""The collaboration settings in the product pipeline (collab.compress, collab.exclusion_hints,
collab.mode = shepherd | align), with the real SmolLM2 and the loopback llama.cpp server as the cloud."""

from __future__ import annotations

import json

import pytest

from edgeapp.assistant import CloudToken, LocalToken, Notice
from edgeapp.ledger import Ledger
from edgeapp.turn import collab

from .test_assistant import make

QUESTION = ("Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
            "How many clips did Natalia sell altogether in April and May?")
CHOICE = ("Where would you most likely find a jellyfish?\n(A) desert\n(B) ocean\n(C) library\n(D) oven\n(E) attic\n"
          "Answer with the letter.")


def sent_user_text(body: dict) -> str:
    return body["messages"][-1]["content"]


def test_parse_choices():
    assert collab.parse_choices(CHOICE) == ("A", "B", "C", "D", "E")
    assert collab.parse_choices("Pick one: A) red B) green C) blue") == ("A", "B", "C")
    assert collab.parse_choices("A. first\nB. second") == ()  # two options: not worth a hint
    assert collab.parse_choices("I met A. Smith at B) the station.") == ()
    assert collab.parse_choices(QUESTION) == ()


def test_compression_budget_grows_as_less_help_is_needed():
    assert collab.compression_budget(0.0, 0.5) == 0.0
    assert collab.compression_budget(0.25, 0.5) == pytest.approx(collab.MAX_DROP / 2)
    assert collab.compression_budget(0.49, 0.5) < collab.MAX_DROP
    assert collab.compression_budget(None, 0.5) == collab.MAX_DROP / 2


def test_compression_keeps_numbers_names_options_and_the_question(local_model):
    short, kept = collab.compress(local_model, QUESTION)
    assert kept < 1 and len(short) < len(QUESTION)
    assert "48" in short and "Natalia" in short and "April" in short and "May." in short
    assert short.endswith("How many clips did Natalia sell altogether in April and May?")
    short, _ = collab.compress(local_model, CHOICE)
    for line in ("(A) desert", "(B) ocean", "(C) library", "(D) oven", "(E) attic"):
        assert line in short
    assert collab.compress(local_model, QUESTION, max_drop=0.0) == (QUESTION, 1.0)


def test_compressed_message_is_what_the_cloud_gets(local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__threshold=1.0, collab__compress=True)
    conversation = a.new_conversation()
    result = list(a.ask(conversation, QUESTION))[-1].result
    assert result.route == "cloud", result.reason
    raw = sent_user_text(proxy.bodies[-1])
    sent = conversation.vault.restore(raw)  # the gatekeeper may mask the name; compare what it stood for
    assert result.collab["compress"]["kept_words"] < 1
    assert len(sent) < len(QUESTION) and "48" in sent and sent.endswith("April and May?")
    # the review view shows exactly the compressed text that was sent
    call = list(Ledger().rows("cloud_calls"))[-1]
    assert sent_user_text(json.loads(call["request_json"])) == raw


def test_exclusion_hint_is_sent_only_when_informative(local_model, gatekeeper, recording_cloud, monkeypatch):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__threshold=1.0, collab__exclusion_hints=True)
    monkeypatch.setattr(collab, "option_probabilities",
                        lambda model, messages, letters: {"A": 0.02, "B": 0.8, "C": 0.05, "D": 0.12, "E": 0.01})
    result = list(a.ask(a.new_conversation(), CHOICE))[-1].result
    assert sent_user_text(proxy.bodies[-1]).endswith("Hint: a smaller model judged options (A), (C), (E) least likely.")
    assert result.collab["exclusion_hint"]
    monkeypatch.setattr(collab, "option_probabilities",
                        lambda model, messages, letters: dict.fromkeys(letters, 1 / len(letters)))
    list(a.ask(a.new_conversation(), CHOICE))
    assert "Hint:" not in sent_user_text(proxy.bodies[-1])
    list(a.ask(a.new_conversation(), QUESTION))  # not multiple choice: no hint
    assert "Hint:" not in sent_user_text(proxy.bodies[-1])


def test_real_option_probabilities_drive_the_hint(local_model):
    messages = [{"role": "user", "content": CHOICE}]
    probs = collab.option_probabilities(local_model, messages, collab.parse_choices(CHOICE))
    assert set(probs) == set("ABCDE") and sum(probs.values()) == pytest.approx(1.0)
    hint = collab.exclusion_hint(probs)
    named = [letter for letter in "ABCDE" if f"({letter})" in (hint or "")]
    assert all(probs[letter] < 0.5 / 5 for letter in named)  # only options clearly below uniform
    assert len(named) <= 3  # two options stay in play


def test_shepherd_mode_cloud_writes_a_capped_start_and_the_local_model_finishes(
        local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__threshold=1.0, collab__mode="shepherd")
    events = list(a.ask(a.new_conversation(), QUESTION))
    result = events[-1].result
    body = proxy.bodies[-1]
    assert body["max_tokens"] <= int(64 * collab.HINT_SHARE)
    assert sent_user_text(body).endswith(collab.HINT_PROMPT)
    assert result.route == "cloud" and "shepherd" in result.reason
    part = result.collab["shepherd"]["cloud_part"]
    assert part and not any(isinstance(e, CloudToken) for e in events)  # the hint is not the answer
    finished = "".join(e.text for e in events if isinstance(e, LocalToken))
    assert result.answer and result.answer in finished
    assert any(isinstance(e, Notice) and "first steps" in e.text for e in events)
    assert result.cloud_call_ids and (result.cloud_output_tokens or 0) <= int(64 * collab.HINT_SHARE)


@pytest.mark.parametrize("align_min, calls", [(-1.0, 1), (1.01, 2)])
def test_align_mode_uses_the_plan_or_asks_for_the_answer(local_model, gatekeeper, recording_cloud, monkeypatch,
                                                          align_min, calls, default_model):
    proxy, url = recording_cloud
    monkeypatch.setattr(collab, "ALIGN_MIN", align_min)
    a = make(local_model, gatekeeper, url, router__threshold=1.0, collab__mode="align")
    try:
        before = len(proxy.bodies)
        conversation = a.new_conversation()
        events = list(a.ask(conversation, QUESTION))
        result = events[-1].result
        assert len(proxy.bodies) - before == calls
        assert sent_user_text(proxy.bodies[before]).endswith(collab.SKETCH_PROMPT)
        info = result.collab["align"]
        assert -1.0 <= info["alignment"] <= 1.0 and info["cloud_part"]
        assert result.route == "cloud"
        if calls == 2:  # not aligned: the cloud's full answer, streamed
            assert info["fallback"] and conversation.vault.restore(sent_user_text(proxy.bodies[-1])) == QUESTION
            assert "".join(e.text for e in events if isinstance(e, CloudToken)).strip() == result.answer
            assert len(result.cloud_call_ids) == 2
        else:
            assert "align" in result.reason and result.answer
    finally:
        a.close()


def test_collaboration_needs_a_local_answer_so_cloud_mode_sends_the_question(
        local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__mode="cloud", collab__mode="shepherd", collab__compress=True)
    conversation = a.new_conversation()
    result = list(a.ask(conversation, QUESTION))[-1].result
    assert result.route == "cloud" and not result.collab
    assert conversation.vault.restore(sent_user_text(proxy.bodies[-1])) == QUESTION
