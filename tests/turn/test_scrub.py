"""Scrub + confirm with the real gatekeeper (Presidio + our recognizers): the history window, the
per-message policy cut, failing closed, and the user's confirmation."""

from __future__ import annotations

import json

import pytest

from edgeapp import config
from edgeapp.conversations import Conversation
from edgeapp.gatekeeper import Gatekeeper, ScrubbedPayload
from edgeapp.turn.outcomes import Fallback
from edgeapp.turn.scrub import CLOUD_SYSTEM, Scrubbed, confirm_send, history_tokens, history_window, scrub

CARD = "4111 1111 1111 1111"


@pytest.fixture(scope="module")
def blocking_gatekeeper():
    s = config.Settings()
    s.set("privacy.policy.credit_card", "block")
    return Gatekeeper.from_settings(s)


def chat(*texts: str) -> Conversation:
    roles = ("user", "assistant")
    return Conversation(messages=[{"role": roles[i % 2], "content": t} for i, t in enumerate(texts)])


def test_the_window_is_the_newest_messages_that_fit():
    messages = chat("one " * 40, "two " * 10, "three " * 10).messages
    both = history_tokens("two " * 10) + history_tokens("three " * 10)
    assert [m[1] for m in history_window(messages, both)] == ["two " * 10, "three " * 10]
    assert history_window(messages, both - 1) == [("user", "three " * 10)]
    assert history_window(messages, 0) == []
    assert len(history_window(messages, 10_000)) == 3


def test_scrubbed_with_the_conversations_placeholders(gatekeeper):
    conversation = chat("Alice Johnson lives in Boston.", "Noted.")
    out = scrub(lambda: gatekeeper, conversation, "Where does Alice Johnson work?", 2000)
    assert isinstance(out, Scrubbed) and isinstance(out.payload, ScrubbedPayload)
    assert (out.history_sent, out.history_left_out, out.cut) == (2, 0, False)
    roles = [role for role, _ in out.payload.messages]
    assert roles == ["system", "user", "assistant", "user"] and out.payload.messages[0][1] == CLOUD_SYSTEM
    sent = json.dumps(out.payload.as_messages())
    assert "Alice Johnson" not in sent and sent.count("<PERSON_1>") == 2  # one placeholder for one person
    assert out.payload.entities.get("PERSON") == 2
    short = scrub(lambda: gatekeeper, conversation, "And now?", history_tokens("Noted."))
    assert (short.history_sent, short.history_left_out) == (1, 1)


def test_a_blocked_value_in_history_cuts_the_window_there(blocking_gatekeeper):
    conversation = chat("What is a river?", f"My card is {CARD}.", "Rivers flow.", "And lakes?")
    out = scrub(lambda: blocking_gatekeeper, conversation, "Name one big lake.", 2000)
    assert isinstance(out, Scrubbed) and out.cut
    assert [c for _, c in out.payload.messages[1:]] == ["Rivers flow.", "And lakes?", "Name one big lake."]
    assert (out.history_sent, out.history_left_out) == (2, 2)
    assert "4111" not in json.dumps(out.payload.as_messages())


def test_a_blocked_value_in_the_message_blocks_the_escalation(blocking_gatekeeper):
    out = scrub(lambda: blocking_gatekeeper, chat(), f"Is {CARD} a Visa?", 2000)
    assert isinstance(out, Fallback) and out.route == "blocked" and out.code == "privacy"
    assert out.notice.kind == "privacy" and out.reason.endswith("The answer is the local model's.")


def test_a_gatekeeper_that_cannot_start_keeps_the_turn_local(monkeypatch, tmp_path):
    from edgeapp.gatekeeper import engine

    monkeypatch.setattr(engine, "spacy_model_path", lambda: tmp_path / "no-spacy-model-here")
    out = scrub(Gatekeeper, chat(), "Jane Doe asks: what is 9 + 10?", 2000)
    assert isinstance(out, Fallback) and (out.route, out.code) == ("local-fallback", "gatekeeper-error")
    assert out.reason.startswith("kept local:") and out.notice.kind == "fallback"


def test_confirm_before_send(gatekeeper):
    payload = scrub(lambda: gatekeeper, chat(), "Dana Whitfield asks: what is 2 + 2?", 2000).payload
    seen: list[ScrubbedPayload] = []
    assert confirm_send(payload, lambda p: seen.append(p) or False, asked=False) is None and not seen
    refused = confirm_send(payload, lambda p: seen.append(p) or False, asked=True)
    assert seen == [payload] and refused is not None and refused.code == "user-kept-local"
    assert "you chose to keep it on this device" in refused.reason
    cannot = confirm_send(payload, None, asked=True)
    assert cannot is not None and "this face cannot ask" in cannot.notice.text
    assert confirm_send(payload, lambda p: True, asked=True) is None
