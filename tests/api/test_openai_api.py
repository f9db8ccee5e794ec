"""The companion with the official `openai` client: models, chat (whole and streamed), stop by
disconnect, auth failures, malformed requests, escalation through the gatekeeper, the budget
under a burst, and the queue's limit."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
from click.testing import CliRunner

from edgeapp.api.options import ServerOptions
from edgeapp.cli.main import main

from .conftest import TOKEN, client, openai, turns


def test_models_and_auth(serve):
    server = serve(options=ServerOptions(token=TOKEN, fail_free=2, fail_delay_max=1.0))
    models = client(server).models.list()
    assert [m.id for m in models.data] == ["edgeapp-auto", "edgeapp-local", "edgeapp-cloud"]
    assert client(server).models.retrieve("edgeapp-local").id == "edgeapp-local"

    with pytest.raises(openai.AuthenticationError) as wrong:
        client(server, token="not-the-token-at-all-xx").models.list()
    assert wrong.value.status_code == 401
    assert wrong.value.body["code"] == "invalid_api_key" and "token" in wrong.value.body["message"]
    missing = httpx.get(server.url + "/v1/models")
    assert missing.status_code == 401 and missing.json()["error"]["type"] == "invalid_request_error"
    assert "Missing bearer token" in missing.json()["error"]["message"]
    assert missing.headers["www-authenticate"].startswith("Bearer")
    # past `fail_free` failures from one address, each answer is slowed down
    started = time.monotonic()
    for _ in range(3):
        assert httpx.post(server.url + "/v1/chat/completions", headers={"Authorization": "Bearer nope"},
                          json={}).status_code == 401
    assert time.monotonic() - started >= 0.25 + 0.5  # 0.25 s, then 0.5 s
    # the right token still works at once, and forgives the address
    assert client(server).models.list().data
    # no CORS: a browser on another origin gets no permission to read anything
    pre = httpx.options(server.url + "/v1/chat/completions",
                        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_chat_whole_and_streamed_are_ledger_turns(serve):
    server = serve()
    c = client(server)
    raw = c.chat.completions.with_raw_response.create(
        model="edgeapp-local", max_tokens=8,
        messages=[{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Name a colour."}])
    reply = raw.parse()
    assert reply.object == "chat.completion" and reply.model == "edgeapp-local"
    answer = reply.choices[0].message.content
    assert answer and reply.choices[0].message.role == "assistant"
    assert reply.choices[0].finish_reason in ("stop", "length")
    assert 0 < reply.usage.completion_tokens <= 8 and reply.usage.prompt_tokens > 0
    info = reply.model_extra["edgeapp"]
    assert info["route"] == "local" and info["badge"] == "local" and info["reason_code"] == "mode-local"
    assert info["turn_id"] and info["client"].startswith("api:OpenAI/Python")
    assert raw.headers["x-edgeapp-route"] == "local" and raw.headers["x-edgeapp-turn"] == str(info["turn_id"])
    assert raw.headers["x-edgeapp-masked"] == "none" and float(raw.headers["x-edgeapp-cost"]) == 0

    # the same question streamed (greedy decoding: the same answer), with usage at the end
    pieces, extras, usage = [], [], None
    for chunk in c.chat.completions.create(
            model="edgeapp-local", max_tokens=8, stream=True, stream_options={"include_usage": True},
            messages=[{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Name a colour."}]):
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
        if (chunk.model_extra or {}).get("edgeapp"):
            extras.append(chunk.model_extra["edgeapp"])
        if chunk.usage:
            usage = chunk.usage
    assert len(pieces) > 1  # it streamed
    assert "".join(pieces).strip() == answer.strip()
    assert extras[-1]["badge"] == "local" and usage.completion_tokens == reply.usage.completion_tokens

    # stop sequences cut the answer (the core decodes greedily, so the third run writes the same text)
    word = answer.split()[-1]
    cut = c.chat.completions.create(model="edgeapp-local", max_tokens=8, stop=[word],
                                    messages=[{"role": "system", "content": "Answer briefly."},
                                              {"role": "user", "content": "Name a colour."}])
    assert cut.choices[0].message.content == answer[: answer.index(word)]

    rows = turns()
    assert len(rows) == 3 and all(r["client"].startswith("api:OpenAI/Python") for r in rows)
    assert {r["user_text"] for r in rows} == {"Name a colour."}


def test_any_message_list_maps_onto_a_conversation(serve):
    server = serve()
    reply = client(server).chat.completions.create(
        model="edgeapp-local", max_tokens=4, extra_headers={"X-Edgeapp-Client": "my-script"},
        messages=[
            {"role": "assistant", "content": "Hello, I start."},
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "First question."}]},
            {"role": "user", "content": "Second in a row."},
            {"role": "developer", "content": "Use plain words."},
            {"role": "assistant", "content": None},
            {"role": "user", "content": "What is a river?"},
        ])
    assert reply.choices[0].message.content
    (row,) = turns()
    assert row["user_text"] == "What is a river?" and row["client"] == "api:my-script"


@pytest.mark.parametrize(("body", "status", "needle"), [
    (b"{not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "JSON object"),
    (b"", 400, "empty"),
    ({"model": "edgeapp-local"}, 400, "'messages'"),
    ({"model": "gpt-4", "messages": [{"role": "user", "content": "hi"}]}, 404, "does not exist"),
    ({"model": "edgeapp-local", "messages": [{"role": "wizard", "content": "hi"}]}, 400, "unknown"),
    ({"model": "edgeapp-local", "messages": [{"role": "tool", "content": "hi"}]}, 400, "no tools"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": 42}]}, 400, "must be a string"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, 400, "text only"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "x"}]},
     400, "last message"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}], "max_tokens": "ten"}, 400, "whole number"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 10**6}, 400, "at most"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}], "stream": "yes"}, 400, "true or false"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}], "temperature": 9}, 400, "between"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}], "n": 3}, 400, "'n' must be 1"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}], "stop": [1]}, 400, "'stop'"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "hi"}],
      "tools": [{"type": "function"}]}, 400, "Tools"),
    ({"model": "edgeapp-local", "messages": [{"role": "user", "content": "x" * 2_000_000}]}, 413, "at most"),
])
def test_malformed_requests_get_a_clear_error(serve, body, status, needle):
    server = serve()
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = httpx.post(server.url + "/v1/chat/completions", content=data,
                   headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert needle in error["message"] and error["type"]
    assert not turns()  # nothing ran


def test_the_openai_client_sees_a_bad_request(serve):
    server = serve()
    with pytest.raises(openai.BadRequestError, match="last message"):
        client(server).chat.completions.create(model="edgeapp-local", messages=[{"role": "system", "content": "x"}])


def test_disconnect_stops_the_turn_and_it_is_recorded(serve):
    server = serve(local__max_tokens=400)
    c = client(server)
    stream = c.chat.completions.create(model="edgeapp-local", max_tokens=400, stream=True,
                                       messages=[{"role": "user", "content": "Write a long story about a ship."}])
    got = 0
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            got += 1
            if got >= 3:
                break
    stream.close()  # the client goes away mid-answer
    deadline = time.monotonic() + 60
    while not turns() and time.monotonic() < deadline:
        time.sleep(0.1)
    (row,) = turns()
    assert row["stopped"] == 1 and row["reason_code"] == "stopped"
    assert 0 < row["local_completion_tokens"] < 400  # generation stopped early: no orphan work
    # the model is free again at once
    assert c.chat.completions.create(model="edgeapp-local", max_tokens=2,
                                     messages=[{"role": "user", "content": "Hi"}]).choices[0].message.content


def test_escalation_through_the_gatekeeper_sends_no_pii(serve, recording_cloud):
    proxy, url = recording_cloud
    server = serve(url)
    question = "My name is John Smith and my e-mail is john.smith@example.com. What is 12 + 30?"
    raw = client(server).chat.completions.with_raw_response.create(
        model="edgeapp-cloud", messages=[{"role": "user", "content": question}])
    reply = raw.parse()
    info = reply.model_extra["edgeapp"]
    assert info["route"] == "cloud" and info["badge"] == "cloud", info
    assert info["masked_entities"].get("EMAIL_ADDRESS") == 1 and info["masked_entities"].get("PERSON", 0) >= 1
    assert "e-mail" in info["masked"] and "EMAIL_ADDRESS=1" in raw.headers["x-edgeapp-masked"]
    sent = json.dumps(proxy.bodies)
    assert proxy.bodies and "john.smith@example.com" not in sent and "John Smith" not in sent and "Smith" not in sent
    # the turn and its call are in the ledger, marked with the client; `edgeapp sent` shows the call
    (row,) = turns()
    assert row["route"] == "cloud" and row["client"].startswith("api:")
    out = CliRunner().invoke(main, ["sent"])
    assert out.exit_code == 0 and f"turn #{row['id']}" in out.output and "EMAIL_ADDRESS×1" in out.output
    assert f"from {row['client']}" in out.output


def test_budget_hard_cap_holds_across_a_burst(serve, recording_cloud):
    """Concurrent edgeapp-cloud requests against a budget that holds one worst-case call: never more
    is spent than the limit, some turns stay local because of the budget, and every request is a turn."""
    from edgeapp.ledger import Ledger

    proxy, url = recording_cloud
    server = serve(url, options=ServerOptions(token=TOKEN, parallel=4, queue_limit=4), cloud__model="gpt-4o")
    with Ledger() as ledger:  # the worst case of one call, as the core will reserve it
        probe = ledger.reserve("openai", "gpt-4o", url, 120, 16)
        ledger.release(probe)
    limit = probe.amount * 1.5
    assert CliRunner().invoke(main, ["budget", "set", f"{limit:.6f}"]).exit_code == 0
    n = 6
    results: list = [None] * n
    barrier = threading.Barrier(n)

    def one(i: int) -> None:
        barrier.wait()
        results[i] = client(server).chat.completions.create(
            model="edgeapp-cloud", messages=[{"role": "user", "content": f"Question {i}: what is {i} + {i}?"}])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    infos = [r.model_extra["edgeapp"] for r in results]
    assert all(r.choices[0].message.content for r in results)
    assert any(i["route"] == "cloud" for i in infos)
    assert any(i["reason_code"] == "budget" and i["badge"] == "kept local (budget)" for i in infos), infos
    with Ledger() as ledger:
        status = ledger.budget_status()
        calls = list(ledger.rows("cloud_calls"))
        held = [r for r in ledger.rows("reservations") if r["status"] == "held"]
        rows = list(ledger.rows("turns"))
    assert status.spent <= limit + 1e-9 and not held
    assert len(rows) == n  # no ledger row lost
    assert abs(sum(r["cost"] for r in rows) - sum(c["cost"] for c in calls)) < 1e-9
    assert len(proxy.bodies) == len(calls)


def test_queue_limit_answers_503_and_one_generation_at_a_time(serve, local_model, monkeypatch):
    running, peak = [0], [0]
    lock = threading.Lock()
    real = local_model._generate
    gate = threading.Event()  # holds the first generation until the queue is full, on any machine speed

    def counted(*args, **kwargs):
        gate.wait(120)
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(local_model, "_generate", counted)
    server = serve(options=ServerOptions(token=TOKEN, parallel=2, queue_limit=1), local__max_tokens=8)
    companion = server.companion
    c = client(server, timeout=900)
    done: dict[str, object] = {}

    def ask(name: str) -> None:
        done[name] = c.chat.completions.create(model="edgeapp-local", max_tokens=8,
                                               messages=[{"role": "user", "content": f"Tell me about {name}."}])

    workers = [threading.Thread(target=ask, args=(n,)) for n in ("rivers", "mountains", "forests")]
    for w in workers:
        w.start()
    deadline = time.monotonic() + 30
    while companion.admission.inflight < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert companion.admission.inflight == 3  # two running, one waiting
    with pytest.raises(openai.APIStatusError) as busy:
        c.chat.completions.create(model="edgeapp-local", messages=[{"role": "user", "content": "And me?"}])
    assert busy.value.status_code == 503
    assert busy.value.body["code"] == "queue_full" and int(busy.value.response.headers["retry-after"]) >= 1
    gate.set()
    for w in workers:
        w.join(300)
    assert set(done) == {"rivers", "mountains", "forests"}
    assert peak[0] == 1  # never two generations on the model at once
    assert len(turns()) == 3
