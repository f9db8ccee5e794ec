"""The cloud client against a real local HTTP server that misbehaves on purpose."""

from __future__ import annotations

import json

import pytest

from edgeapp.cloud.client import CloudClient, CloudReply, Restart
from edgeapp.errors import CloudError
from edgeapp.gatekeeper import PlaceholderVault
from edgeapp.gatekeeper.payload import ScrubbedPayload

from .servers import FaultServer


@pytest.fixture
def payload(gatekeeper):
    return gatekeeper.scrub([("user", "What is 6 times 7?")], PlaceholderVault())


def serve(script):
    server = FaultServer(script)
    return server, server.start()


def client(url, **kw):
    kw.setdefault("read_timeout", 2.0)
    kw.setdefault("backoff", 0.05)
    return CloudClient(url, "fault-model", **kw)


@pytest.mark.parametrize("stream", [False, True])
def test_500_then_success_is_retried(payload, stream):
    server, url = serve([("status", 500), ("status", 503), ("ok", "It is 42.")])
    try:
        reply = client(url, max_retries=3).complete(payload, stream=stream)
    finally:
        server.stop()
    assert reply.text == "It is 42."
    assert reply.attempts == 3 and len(server.requests) == 3
    assert (reply.input_tokens, reply.output_tokens) == (12, 7)
    sent = json.loads(reply.request_json)
    assert sent["messages"][-1]["content"] == "What is 6 times 7?" and sent["stream"] is stream


def test_429_honours_retry_after(payload):
    server, url = serve([("retry_after", 429, 1), ("ok", "fine")])
    try:
        reply = client(url).complete(payload, stream=False)
    finally:
        server.stop()
    assert reply.text == "fine"
    assert server.times[1] - server.times[0] >= 0.95  # waited as told, not just the 0.05 s backoff


def test_read_timeout_is_retried(payload):
    server, url = serve([("hang", 3), ("ok", "after the stall")])
    try:
        reply = client(url, read_timeout=0.5).complete(payload, stream=False)
    finally:
        server.stop()
    assert reply.text == "after the stall" and reply.attempts == 2


def test_malformed_json_is_retried(payload):
    server, url = serve([("malformed",), ("ok", "good json")])
    try:
        reply = client(url).complete(payload, stream=False)
    finally:
        server.stop()
    assert reply.text == "good json" and reply.attempts == 2


def test_stream_cut_midway_restarts_then_succeeds(payload):
    server, url = serve([("cut", "one two three four five six"), ("ok", "a complete answer here")])
    items = []
    try:
        items = list(client(url).iter_complete(payload, stream=True))
    finally:
        server.stop()
    kinds = [type(i).__name__ for i in items]
    assert "Restart" in kinds
    restart_at = kinds.index("Restart")
    assert restart_at > 0  # some text had been shown before the cut
    after = "".join(i for i in items[restart_at:] if isinstance(i, str))
    assert after == "a complete answer here"
    assert isinstance(items[-1], CloudReply) and items[-1].text == "a complete answer here"
    assert isinstance(items[restart_at], Restart)


def test_missing_usage_is_none_not_zero(payload):
    server, url = serve([("no_usage", "no usage block")])
    try:
        reply = client(url).complete(payload, stream=True)
    finally:
        server.stop()
    assert reply.text == "no usage block"
    assert reply.input_tokens is None and reply.output_tokens is None


def test_persistent_failure_raises_after_retries(payload):
    server, url = serve([("status", 502)])
    try:
        with pytest.raises(CloudError, match="failed after 3 attempts"):
            client(url, max_retries=2).complete(payload, stream=False)
    finally:
        server.stop()
    assert len(server.requests) == 3


def test_long_retry_after_gives_up_at_once(payload):
    server, url = serve([("retry_after", 429, 3600)])
    try:
        with pytest.raises(CloudError, match="rate-limiting us for 3600 s"):
            client(url).complete(payload, stream=False)
    finally:
        server.stop()
    assert len(server.requests) == 1


def test_bad_key_is_not_retried(payload):
    server, url = serve([("status", 401)])
    try:
        with pytest.raises(CloudError, match="edgeapp keys set"):
            client(url).complete(payload, stream=False)
    finally:
        server.stop()
    assert len(server.requests) == 1


def test_unreachable_endpoint(payload):
    from .servers import free_port

    with pytest.raises(CloudError, match="cannot connect"):
        client(f"http://127.0.0.1:{free_port()}/v1", max_retries=1).complete(payload, stream=False)


def test_only_scrubbed_payloads_are_accepted():
    with pytest.raises(TypeError, match="Gatekeeper.scrub"):
        ScrubbedPayload((("user", "raw text with john@example.com"),), {})
    c = CloudClient("http://127.0.0.1:9/v1", "m")
    with pytest.raises(TypeError, match="ScrubbedPayload"):
        c.complete([{"role": "user", "content": "raw"}])  # type: ignore[arg-type]


def test_temperature_is_sent_only_when_set(payload):
    assert "temperature" not in CloudClient("http://127.0.0.1:9/v1", "m").request_body(payload, stream=False)
    body = CloudClient("http://127.0.0.1:9/v1", "m", temperature=0.0).request_body(payload, stream=False)
    assert body["temperature"] == 0.0


def test_temperature_setting(tmp_path):
    from edgeapp import config

    s = config.Settings()
    s.set("cloud.base_url", "http://127.0.0.1:9/v1")
    assert CloudClient.from_settings(s, None).temperature is None  # -1: the provider's default
    s.set("cloud.temperature", 0.2)
    assert CloudClient.from_settings(s, None).temperature == 0.2
    with pytest.raises(Exception, match="between"):
        s.set("cloud.temperature", 3.0)
