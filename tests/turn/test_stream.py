"""The cloud stream on its pump thread, against a real misbehaving HTTP server on loopback:
placeholders restored as text streams, restarts, failures, and a stop that does not wait."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from edgeapp.cancel import Cancelled, CancelToken
from edgeapp.cloud.client import CloudClient
from edgeapp.gatekeeper import PlaceholderVault
from edgeapp.turn.events import CloudRestart, CloudToken
from edgeapp.turn.stream import Received, pumped, relay

from ..servers import FaultServer

TEXT = "Yes, <PERSON_1> lives in the city and works there every day."


@contextlib.contextmanager
def server(script):
    fault = FaultServer(script)
    url = fault.start()
    try:
        yield fault, CloudClient(url, "stand-in", max_retries=1, backoff=0.01, read_timeout=30)
    finally:
        fault.stop()


def payload_for(gatekeeper, vault: PlaceholderVault, text: str):
    return gatekeeper.scrub([("user", text)], vault)


def run_relay(cloud, payload, vault, token=None, show=True):
    received = Received()
    events = list(relay(cloud, payload, received, vault=vault, stream=True, max_tokens=32,
                        token=token or CancelToken(), show=show))
    return events, received


def test_pumped_yields_from_another_thread_and_passes_errors_back():
    threads: list[str] = []

    def items():
        threads.append(threading.current_thread().name)
        yield from (1, 2, 3)
        raise ValueError("the call failed")

    got = []
    with pytest.raises(ValueError, match="the call failed"):
        for item in pumped(items, CancelToken()):
            got.append(item)
    assert got == [1, 2, 3] and threads == ["edgeapp-cloud-call"]


def test_pumped_stops_at_once_while_the_call_blocks_and_letting_go_stops_the_call():
    release = threading.Event()

    def blocked():
        yield "first"
        release.wait(10)  # an HTTP read that does not return
        yield "late"

    token = CancelToken()
    threading.Timer(0.2, token.set).start()
    started = time.perf_counter()
    seen = []
    with pytest.raises(Cancelled):
        for item in pumped(blocked, token):
            seen.append(item)
    assert seen == ["first"] and time.perf_counter() - started < 1.0
    release.set()
    other = CancelToken()
    items = pumped(lambda: iter(["a", "b"]), other)
    assert next(items) == "a"
    items.close()  # the face let go: the call on its thread is told to stop
    assert other.is_set()


def test_the_answer_streams_with_placeholders_restored(gatekeeper):
    vault = PlaceholderVault()
    payload = payload_for(gatekeeper, vault, "Where does Alice Johnson live?")
    with server([("ok", TEXT)]) as (fault, cloud):
        events, received = run_relay(cloud, payload, vault)
    shown = "".join(e.text for e in events if isinstance(e, CloudToken))
    assert "Alice Johnson" in shown and "<PERSON_1>" not in shown
    assert received.finished and not received.stopped and received.reply.text == TEXT
    assert received.text == TEXT  # what came, placeholders and all (the ledger's partial record)
    assert "Alice Johnson" not in str(fault.requests)
    with server([("ok", TEXT)]) as (_, cloud):
        hidden, quiet = run_relay(cloud, payload, vault, show=False)
    assert hidden == [] and quiet.reply.text == TEXT


def test_a_retry_after_streamed_text_restarts_and_a_failure_is_kept(gatekeeper):
    vault = PlaceholderVault()
    payload = payload_for(gatekeeper, vault, "How many clips?")
    with server([("cut", "broken reply here and more words"), ("ok", "Seventy two.")]) as (_, cloud):
        events, received = run_relay(cloud, payload, vault)
    restart = [i for i, e in enumerate(events) if isinstance(e, CloudRestart)]
    assert len(restart) == 1 and isinstance(events[0], CloudToken)  # text shown, then voided
    after = "".join(e.text for e in events[restart[0]:] if isinstance(e, CloudToken))
    assert after == "Seventy two." and received.text == "Seventy two." and received.reply.attempts == 2
    with server([("status", 500)]) as (_, cloud):
        events, failed = run_relay(cloud, payload, vault)
    assert failed.reply is None and failed.finished and not failed.stopped and "500" in failed.error


def test_a_stop_while_the_cloud_is_silent_is_prompt(gatekeeper):
    vault = PlaceholderVault()
    payload = payload_for(gatekeeper, vault, "How many clips?")
    with server([("hang", 5)]) as (_, cloud):
        token = CancelToken()
        threading.Timer(0.3, token.set).start()
        received = Received()
        started = time.perf_counter()
        with pytest.raises(Cancelled):
            list(relay(cloud, payload, received, vault=vault, stream=True, max_tokens=32, token=token, show=True))
        assert time.perf_counter() - started < 1.5
    assert received.stopped and received.text == ""
