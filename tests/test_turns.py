"""Turns that can be stopped at any moment: closing `Assistant.ask` at every yield point, and a
CancelToken reaching the model load, the prefill, the tokens, the cloud chunks and the retry sleeps.
Real model, real Presidio, real SQLite, a real misbehaving HTTP server on loopback."""

from __future__ import annotations

import contextlib
import json
import threading
import time

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
    TurnOptions,
)
from edgeapp.cancel import CancelToken
from edgeapp.ledger import Ledger

from .servers import FaultServer

CLOUD_TEXT = "The total is seventy two clips, counted in April and in May together."


@contextlib.contextmanager
def fault(script):
    server = FaultServer(script)
    url = server.start()
    try:
        yield server, url
    finally:
        server.stop()


def make(local_model, gatekeeper, url=None, **settings) -> Assistant:
    s = config.Settings()
    if url:
        s.set("cloud.base_url", url)
        s.set("cloud.model", "gpt-4o-mini")  # priced by the bundled table even on loopback
    s.set("cloud.max_tokens", 64)
    s.set("local.max_tokens", 12)
    s.set("router.threshold", 1.0)  # every answer escalates
    for k, v in settings.items():
        s.set(k.replace("__", "."), v)
    return Assistant(s, local_model=local_model, gatekeeper=gatekeeper)


def assert_ledger_consistent() -> None:
    ledger = Ledger()
    reservations = list(ledger.rows("reservations"))
    assert not [r for r in reservations if r["status"] == "held"], reservations
    turns = {t["id"]: t for t in ledger.rows("turns")}
    for call in ledger.rows("cloud_calls"):
        assert call["turn_id"] in turns, f"cloud call {call['id']} belongs to no turn"
        if call["status"] == "stopped":  # charged by estimate, never free
            assert call["cost"] > 0 and call["estimated"] == 1
            reservation = next(r for r in reservations if r["id"] == call["reservation_id"])
            assert call["cost"] <= reservation["amount"] + 1e-12  # the hard cap holds
    ledger.close()


def next_turn_works(a: Assistant) -> None:
    result = a.ask_sync(a.new_conversation(), "What is 2 + 2?", TurnOptions(mode="local"))
    assert result.answer and not result.stopped


def test_a_full_escalated_turn_yields_every_kind_of_event(local_model, gatekeeper):
    with fault([("cut", CLOUD_TEXT), ("ok", CLOUD_TEXT)]) as (_, url):
        a = make(local_model, gatekeeper, url)
        events = list(a.ask(a.new_conversation(), "How many clips in total?", TurnOptions(client="gui")))
    kinds = {type(e) for e in events}
    assert {LocalToken, Escalating, Notice, CloudToken, CloudRestart, TurnDone} <= kinds
    result = events[-1].result
    assert result.route == "cloud" and result.reason_code == "low-confidence" and not result.stopped
    sending = [e for e in events if isinstance(e, Notice) and e.kind == "sending"]
    assert sending and sending[0].text.startswith("asking gpt-4o-mini")
    assert Ledger().get_turn(result.turn_id)["client"] == "gui"


SCENARIOS = {
    "local": lambda: None,  # no cloud at all
    "streaming": lambda: [("ok", CLOUD_TEXT)],
    "retrying": lambda: [("cut", CLOUD_TEXT), ("ok", CLOUD_TEXT)],
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_closing_the_turn_at_every_yield_point(scenario, local_model, gatekeeper):
    """A face that stops iterating anywhere: no reservation stays held, every cloud call is linked to
    a turn recorded as stopped, a stopped stream is charged, and the next turn works."""
    script = SCENARIOS[scenario]()
    with fault(script or [("ok", "unused")]) as (_, url):
        a = make(local_model, gatekeeper, url if script else None)
        full = list(a.ask(a.new_conversation(), "How many clips in total?"))
    assert len(full) >= 3
    # every yield point of the code: the first and the last event of each kind (a kind of event is
    # yielded from one place), closed right after it was seen
    where: dict[tuple, list[int]] = {}
    for i, event in enumerate(full):
        where.setdefault((type(event), getattr(event, "kind", None)), []).append(i + 1)
    points = sorted({k for seen in where.values() for k in (seen[0], seen[-1])})
    charged_stops = 0
    for k in points:  # close after k events (the k-th event is the last one seen)
        with fault(script or [("ok", "unused")]) as (_, url):
            a = make(local_model, gatekeeper, url if script else None)
            conversation = a.new_conversation()
            events = a.ask(conversation, "How many clips in total?")
            seen = [next(events) for _ in range(k)]
            events.close()
            assert_ledger_consistent()
            rows = Ledger().turns(conversation_id=conversation.id)
            finished = isinstance(seen[-1], TurnDone)  # closed after the end: a finished turn
            assert len(rows) == 1 and rows[0]["stopped"] == (0 if finished else 1)
            assert (rows[0]["reason_code"] == "stopped") is not finished
            calls = list(Ledger().rows("cloud_calls"))
            if isinstance(seen[-1], CloudToken):  # stopped mid-stream
                stopped = [c for c in calls if c["status"] == "stopped"]
                assert stopped and stopped[-1]["cost"] > 0
                charged_stops += 1
            next_turn_works(a)
    if scenario != "local":
        assert charged_stops > 0


def test_cancel_between_local_tokens_keeps_what_was_written(local_model, gatekeeper):
    a = make(local_model, gatekeeper, None, local__max_tokens=200, router__mode="local")
    cancel = CancelToken()
    events = []
    for event in a.ask(a.new_conversation(), "Write a long story about the sea.", cancel=cancel):
        events.append(event)
        if sum(isinstance(e, LocalToken) for e in events) == 3:
            cancel.set()
    result = events[-1].result
    assert result.stopped and result.reason_code == "stopped"
    assert 3 <= result.local_completion_tokens < 10
    shown = "".join(e.text for e in events if isinstance(e, LocalToken))
    assert result.answer and result.answer in shown
    row = Ledger().get_turn(result.turn_id)
    assert row["stopped"] == 1 and row["answer"] == result.answer


def test_cancel_reaches_the_prefill(local_model):
    """A token set before or during the prefill: nothing is generated, and the model still works."""
    token = CancelToken()
    token.set()
    out = list(local_model.stream([{"role": "user", "content": "Hello " * 50}], max_tokens=8, cancel=token))
    assert out[-1].finish_reason == "cancelled" and out[-1].completion_tokens == 0
    # ~1900 prompt tokens: many prefill batches; time a whole prefill of a prompt as long first
    started = time.perf_counter()
    list(local_model.stream([{"role": "user", "content": "Other words come here again. " * 270}], max_tokens=1))
    full = time.perf_counter() - started
    token = CancelToken()
    threading.Timer(full * 0.15, token.set).start()
    started = time.perf_counter()
    out = list(local_model.stream([{"role": "user", "content": "The sea is wide and deep. " * 270}],
                                  max_tokens=64, cancel=token))
    elapsed = time.perf_counter() - started
    assert out[-1].finish_reason == "cancelled" and out[-1].completion_tokens == 0
    assert elapsed < full * 0.8, (elapsed, full)  # it stopped between batches, not at the end
    assert local_model.generate([{"role": "user", "content": "Say hi."}], max_tokens=4).text


def test_cancel_reaches_the_model_load(default_model, gatekeeper):
    s = config.Settings()
    s.set("local.model_path", str(default_model))
    s.set("local.max_tokens", 8)
    s.set("router.mode", "local")
    a = Assistant(s, gatekeeper=gatekeeper)
    try:
        cancel = CancelToken()
        cancel.set()
        started = time.perf_counter()
        result = a.ask_sync(a.new_conversation(), "Hello?", cancel=cancel)
        assert result.stopped and result.local_completion_tokens == 0
        assert time.perf_counter() - started < 1.0
        next_turn_works(a)  # the load went on and serves the next turn
    finally:
        a.close()


def stop_later(cancel: CancelToken, seconds: float) -> dict:
    stamps: dict = {}

    def stop() -> None:
        stamps["cancelled"] = time.perf_counter()
        cancel.set()

    threading.Timer(seconds, stop).start()
    return stamps


def test_cancel_while_the_cloud_has_not_answered(local_model, gatekeeper):
    with fault([("hang", 6)]) as (_, url):
        a = make(local_model, gatekeeper, url, cloud__read_timeout=30, cloud__max_retries=0)
        cancel = CancelToken()
        events, stamps = [], {}
        for event in a.ask(a.new_conversation(), "How many clips?", cancel=cancel):
            events.append(event)
            if isinstance(event, Notice) and event.kind == "sending":
                stamps = stop_later(cancel, 0.3)
        ended = time.perf_counter()
    result = events[-1].result
    assert result.stopped and ended - stamps["cancelled"] < 1.0
    assert result.answer == result.local_answer  # nothing came from the cloud: the local answer stands
    assert_ledger_consistent()
    call = list(Ledger().rows("cloud_calls"))[-1]
    assert call["status"] == "stopped" and call["cost"] > 0  # the request went out: charged by estimate


def test_cancel_wakes_the_retry_back_off(local_model, gatekeeper):
    with fault([("retry_after", 429, 20), ("ok", CLOUD_TEXT)]) as (server, url):
        a = make(local_model, gatekeeper, url, cloud__max_retries=3)
        cancel = CancelToken()
        events, stamps = [], {}
        for event in a.ask(a.new_conversation(), "How many clips?", cancel=cancel):
            events.append(event)
            if isinstance(event, Notice) and event.kind == "sending":
                stamps = stop_later(cancel, 0.5)
        ended = time.perf_counter()
        assert len(server.requests) == 1  # the retry never went out
    result = events[-1].result
    assert result.stopped and ended - stamps["cancelled"] < 1.0
    assert_ledger_consistent()
    next_turn_works(a)


def test_cancel_mid_stream_charges_the_tokens_streamed(local_model, gatekeeper):
    with fault([("ok", CLOUD_TEXT)]) as (_, url):
        a = make(local_model, gatekeeper, url)
        cancel = CancelToken()
        events = []
        for event in a.ask(a.new_conversation(), "How many clips?", cancel=cancel):
            events.append(event)
            if isinstance(event, CloudToken):
                cancel.set()
    result = events[-1].result
    assert result.stopped and result.route == "cloud"
    assert result.answer and CLOUD_TEXT.startswith(result.answer)
    assert result.cost > 0 and result.cost_estimated
    call = list(Ledger().rows("cloud_calls"))[-1]
    assert call["status"] == "stopped" and call["estimated"] == 1 and call["cost"] == pytest.approx(result.cost)
    assert json.loads(call["response_json"])["choices"][0]["finish_reason"] == "stopped"
    assert_ledger_consistent()


def test_a_stop_from_another_thread_while_a_face_iterates(local_model, gatekeeper):
    """The GUI shape: a worker thread iterates, the GUI thread presses Stop."""
    a = make(local_model, gatekeeper, None, local__max_tokens=400, router__mode="local")
    cancel = CancelToken()
    results = []

    def worker():
        results.append(a.ask_sync(a.new_conversation(), "Write a very long story about ships.", cancel=cancel))

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.5)
    cancel.set()
    thread.join(timeout=60)
    assert not thread.is_alive() and results[0].stopped
    assert results[0].local_completion_tokens < 400
