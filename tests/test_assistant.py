"""Whole turns through the one pipeline: real model, real Presidio, real SQLite, real HTTP."""

from __future__ import annotations

import json

import pytest

from edgeapp import config
from edgeapp.assistant import (
    Assistant,
    CloudRestart,
    CloudToken,
    Escalating,
    LocalToken,
    Notice,
    TurnDone,
)
from edgeapp.errors import PromptError
from edgeapp.ledger import Ledger

from .servers import FaultServer, free_port

PII_QUESTION = (
    "My name is John Smith, my email is john.smith@example.com and my phone is 212-555-0142. "
    "Natalia sold 48 clips in April and half as many in May. How many clips did she sell in total?"
)
PII_VALUES = ["John Smith", "john.smith@example.com", "212-555-0142"]


def make(local_model, gatekeeper, url: str | None, **settings) -> Assistant:
    s = config.Settings()
    if url:
        s.set("cloud.base_url", url)
        s.set("cloud.model", "stand-in-cloud")
    s.set("cloud.max_tokens", 64)
    s.set("local.max_tokens", 96)
    for k, v in settings.items():
        s.set(k.replace("__", "."), v)
    return Assistant(s, local_model=local_model, gatekeeper=gatekeeper)


def test_confident_enough_stays_local(local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__threshold=0.0)
    events = list(a.ask(a.new_conversation(), "What is 2 + 2?"))
    result = events[-1].result
    assert result.route == "local" and result.answer
    assert any(isinstance(e, LocalToken) for e in events)
    assert not proxy.bodies  # nothing left the machine
    row = Ledger().get_turn(result.turn_id)
    assert row["route"] == "local" and row["answer"] == result.answer


def test_low_confidence_escalates_and_no_pii_reaches_the_server(local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__threshold=1.0)
    conversation = a.new_conversation()
    events = list(a.ask(conversation, PII_QUESTION))
    result = events[-1].result
    assert isinstance(events[-1], TurnDone)
    assert result.confidence is not None and result.confidence < 1.0
    assert result.route == "cloud", result.reason
    assert any(isinstance(e, Escalating) for e in events)
    streamed = "".join(e.text for e in events if isinstance(e, CloudToken))
    assert streamed.strip() == result.answer
    assert result.answer
    # llama.cpp's server sends no usage in streams: the cost is then an estimate, and says so
    assert (result.cloud_output_tokens or 0) > 0 or result.cost_estimated
    # what the server received
    assert len(proxy.bodies) == 1
    sent = json.dumps(proxy.bodies[0])
    for value in PII_VALUES:
        assert value not in sent
    assert "48" in sent and "<PERSON_1>" in sent
    assert "authorization" not in {k.lower() for k in proxy.headers[0]}  # no key configured, none sent
    assert result.masked_entities.get("PERSON") and result.masked_entities.get("EMAIL_ADDRESS")
    # the ledger holds the exact body that was sent, and no raw value
    ledger = Ledger()
    calls = list(ledger.rows("cloud_calls"))
    assert len(calls) == 1 and json.loads(calls[0]["request_json"]) == proxy.bodies[0]
    assert calls[0]["turn_id"] == result.turn_id
    dump = json.dumps(calls)
    for value in PII_VALUES:
        assert value not in dump


def test_placeholders_stay_the_same_across_turns(local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__mode="cloud")
    conversation = a.new_conversation()
    a.ask_sync(conversation, "Alice Johnson lives in Boston. Where does she live?")
    a.ask_sync(conversation, "Repeat the name Alice Johnson please.")
    second = json.dumps(proxy.bodies[1])
    assert "Alice Johnson" not in second
    assert second.count("<PERSON_1>") >= 2  # earlier turn and the new message share one placeholder


def test_cloud_mode_skips_the_local_model(local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__mode="cloud")
    result = a.ask_sync(a.new_conversation(), "Say hello.")
    assert result.route == "cloud" and result.local_completion_tokens == 0
    assert len(proxy.bodies) == 1


def test_local_mode_never_escalates(local_model, gatekeeper, recording_cloud):
    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__mode="local", router__threshold=1.0)
    result = a.ask_sync(a.new_conversation(), "What is the square root of 7919?")
    assert result.route == "local" and not proxy.bodies


@pytest.mark.parametrize("mode", ["auto", "cloud"])
def test_unreachable_cloud_falls_back_to_local(local_model, gatekeeper, mode):
    a = make(local_model, gatekeeper, f"http://127.0.0.1:{free_port()}/v1", router__threshold=1.0,
             router__mode=mode, cloud__max_retries=1)
    events = list(a.ask(a.new_conversation(), "What is 3 + 5?"))
    result = events[-1].result
    assert result.route == "local-fallback"
    assert "cannot connect" in result.reason
    assert result.answer and result.answer == result.local_answer
    assert any(isinstance(e, Notice) for e in events)
    calls = list(Ledger().rows("cloud_calls"))
    assert calls and calls[0]["status"] == "error" and calls[0]["cost"] == 0
    assert list(Ledger().rows("reservations"))[0]["status"] == "released"


@pytest.mark.parametrize(
    "script",
    [[("status", 500)], [("malformed",)], [("hang", 3)], [("cut", "partial answer that breaks")]],
    ids=["500", "malformed", "timeout", "cut"],
)
def test_misbehaving_cloud_never_crashes_a_turn(local_model, gatekeeper, script):
    server = FaultServer(script)
    url = server.start()
    try:
        a = make(local_model, gatekeeper, url, router__threshold=1.0, cloud__max_retries=1,
                 cloud__read_timeout=0.5)
        events = list(a.ask(a.new_conversation(), "What is 3 + 5?"))
    finally:
        server.stop()
    result = events[-1].result
    assert result.route == "local-fallback" and result.answer == result.local_answer
    if script[0][0] == "cut":
        assert any(isinstance(e, CloudRestart) for e in events)


def test_fault_then_recovery_is_a_cloud_answer(local_model, gatekeeper):
    server = FaultServer([("retry_after", 429, 1), ("cut", "broken reply here"), ("ok", "The total is 72.")])
    url = server.start()
    try:
        a = make(local_model, gatekeeper, url, router__threshold=1.0, cloud__max_retries=3)
        result = a.ask_sync(a.new_conversation(), "How many clips?")
    finally:
        server.stop()
    assert result.route == "cloud" and result.answer == "The total is 72."
    assert result.cloud_attempts == 3


def test_empty_prompt_is_refused(local_model, gatekeeper):
    a = make(local_model, gatekeeper, None)
    with pytest.raises(PromptError, match="empty"):
        list(a.ask(a.new_conversation(), "   "))


def test_history_is_trimmed_to_fit(default_model, gatekeeper):
    from edgeapp.models.local_model import LocalModel

    with LocalModel(default_model, n_ctx=512) as small:
        a = make(small, gatekeeper, None, local__max_tokens=32)
        conversation = a.new_conversation()
        for i in range(8):
            r = a.ask_sync(conversation, f"Tell me fact number {i} about the sea, in detail please. " * 3)
            assert r.route == "local"
        assert r.local_prompt_tokens <= 512


def test_gatekeeper_failure_keeps_the_turn_local(local_model, recording_cloud, monkeypatch, tmp_path):
    """Fail closed: a gatekeeper that cannot start sends nothing."""
    from edgeapp.gatekeeper import Gatekeeper, engine

    monkeypatch.setattr(engine, "spacy_model_path", lambda: tmp_path / "no-spacy-model-here")
    proxy, url = recording_cloud
    a = make(local_model, Gatekeeper(), url, router__threshold=1.0)
    events = list(a.ask(a.new_conversation(), "Jane Doe asks: what is 9 + 10?"))
    result = events[-1].result
    assert result.route == "local-fallback" and "gatekeeper" in result.reason
    assert result.answer == result.local_answer and result.answer
    assert not proxy.bodies
    assert not list(Ledger().rows("reservations"))  # nothing reserved: the budget is untouched


@pytest.mark.parametrize(("limit", "route"), [("0", "local"), ("0.0001", "local-fallback")])
def test_budget_exhausted_keeps_the_turn_local(local_model, gatekeeper, recording_cloud, limit, route):
    """A zero budget drops the threshold to 0 (nothing escalates); a budget too small for the
    worst-case cost makes the reservation fail. Either way the local answer stands and says why."""
    from click.testing import CliRunner

    from edgeapp.cli.main import main

    proxy, url = recording_cloud
    a = make(local_model, gatekeeper, url, router__threshold=1.0, cloud__model="gpt-4o")
    assert CliRunner().invoke(main, ["budget", "set", limit]).exit_code == 0  # what a user would do
    result = a.ask_sync(a.new_conversation(), "What is 9 + 10?")
    assert result.route == route
    assert "budget" in result.reason.lower()
    assert result.answer == result.local_answer and not proxy.bodies


def test_what_a_face_may_ask_without_building_anything(default_model, local_model, gatekeeper):
    s = config.Settings()
    s.set("local.model_path", str(default_model))
    a = Assistant(s, gatekeeper=gatekeeper)
    assert a.loaded_model_name == "" and not a.cloud_configured and not a.parts_built()  # asking loads nothing
    name = a.local.name
    assert name and a.loaded_model_name == name and a.parts_built()
    a.apply_settings(s.copy(cloud__base_url="http://127.0.0.1:9/v1"))
    assert a.cloud_configured and a.loaded_model_name == name  # a cloud setting leaves the model loaded
    a.close()
    assert a.loaded_model_name == "" and not a.parts_built()
    assert Assistant(config.Settings(), local_model=local_model).loaded_model_name == local_model.name
