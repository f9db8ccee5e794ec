"""Hostile clients of `edgeapp serve`, shared by tests/api/test_hostile.py (a small, fast run) and
benchmarks/bench_hostile.py (the long run and the soak).

- `chat_bodies()`: Hypothesis strategies for request bodies built on the OpenAI chat schema that
  edgeapp checks (edgeapp/api/protocol.py): well-formed requests, each field swapped for a value
  of any JSON type, fields added and removed, deep nesting, invalid UTF-8, lone surrogates,
  bodies over the size limit, and bytes that are not JSON at all.
- `send()` posts one body and says whether the answer is acceptable: a 2xx or a 4xx carrying an
  OpenAI-shaped error with a message, never a 5xx.
- Raw-socket attacks (all on loopback, from 127.0.0.2 so that a test can tell the attacker from
  the well-behaved client on 127.0.0.1): slow-loris heads, connections opened and dropped,
  connections held open, a stream read one byte at a time.

Every loop is bounded (a count or a deadline); nothing here reaches beyond 127.0.0.1/8.

Hypothesis over schemathesis: schemathesis needs an OpenAPI document the server does not have
(and would add a large dependency tree); the request schema edgeapp checks is small, and
Hypothesis strategies written against it reach every branch of the checker while staying a single,
well-kept, pure-Python test dependency.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from hypothesis import strategies as st

ATTACKER = "127.0.0.2"  # the whole 127/8 is loopback on Linux; a second "machine" for the guards
MODELS = ["edgeapp-auto", "edgeapp-local", "edgeapp-cloud"]
FIELDS = [
    "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "stop",
    "temperature", "top_p", "n", "tools", "tool_choice", "logprobs", "response_format",
    "conversation_id", "threshold", "seed", "user",
]

# -- request bodies ---------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
texts = st.text(max_size=60) | st.sampled_from(["What is 2+2?", "Name a colour.", "Say hi", " ", ""])
content = texts | st.lists(
    st.fixed_dictionaries({"type": st.sampled_from(["text", "image_url", 3]), "text": texts}), max_size=3
) | json_values
message = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "system", "developer", "assistant", "tool", "robot", ""]) | json_values,
     "content": content},
    optional={"name": st.text(max_size=10)},
)
user_message = st.fixed_dictionaries({"role": st.just("user"), "content": texts})
good = {
    "model": st.sampled_from(MODELS),
    "messages": st.lists(message, max_size=3).map(list).flatmap(
        lambda history: user_message.map(lambda last: [*history, last])),
}
options = {
    "stream": st.booleans(),
    "stream_options": st.fixed_dictionaries({"include_usage": st.booleans()}),
    "max_tokens": st.integers(-3, 40),
    "stop": st.text(max_size=4) | st.lists(st.text(max_size=4), max_size=5),
    "temperature": st.floats(-1, 3),
    "n": st.integers(0, 3),
    "response_format": st.sampled_from([{"type": "text"}, {"type": "json_object"}]),
    "conversation_id": st.text(max_size=70) | st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
    "threshold": st.floats(-1, 2),
}


@st.composite
def openai_shaped(draw) -> dict:
    """A chat request: well-formed fields, then some swapped for any JSON value, some removed,
    some unknown ones added."""
    body = {name: draw(strategy) for name, strategy in good.items()}
    for name, strategy in options.items():
        if draw(st.integers(0, 3)) == 0:
            body[name] = draw(strategy)
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
        body[name] = draw(json_values)
    for name in draw(st.lists(st.sampled_from(sorted(body)), max_size=1)):
        body.pop(name, None)
    body.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return body


valid_options = {
    "stream": st.booleans(),
    "stream_options": st.fixed_dictionaries({"include_usage": st.booleans()}),
    "max_tokens": st.integers(1, 4),
    "stop": st.lists(st.text(min_size=1, max_size=4), max_size=4),
    "temperature": st.floats(0, 2),
    "n": st.just(1),
    "conversation_id": st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
    "threshold": st.floats(0, 1),
}


@st.composite
def openai_valid(draw) -> dict:
    """A request edgeapp should answer: the model, text messages ending with the user's, options in
    range."""
    body = {"model": draw(st.sampled_from(MODELS)),
            "messages": draw(st.lists(st.fixed_dictionaries({
                "role": st.sampled_from(["system", "user", "assistant"]), "content": texts}), max_size=2))}
    body["messages"].append({"role": "user", "content": draw(st.text(min_size=1, max_size=40).filter(str.strip))})
    for name, strategy in valid_options.items():
        if draw(st.booleans()):
            body[name] = draw(strategy)
    return body


def deep(depth: int, opener: bytes = b"[", closer: bytes = b"]") -> bytes:
    inner = opener * depth + closer * depth
    return b'{"model":"edgeapp-local","messages":' + inner + b"}"


raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.integers(100, 200_000).map(deep),
    st.integers(100, 50_000).map(lambda n: deep(n, b'{"a":', b"}")),
    st.sampled_from([
        b'{"model":"edgeapp-local","messages":[{"role":"user","content":"\xff\xfe\xfd"}]}',
        b'{"model":"edgeapp-local","messages":[{"role":"user","content":"\\ud800 hi"}]}',
        b'{"model":"edgeapp-local","messages":[{"role":"user","content":"hi"}],"max_tokens":1' + b"0" * 5000 + b"}",
        b'{"model":"edgeapp-local","messages":[{"role":"user","content":"hi"}],"temperature":NaN}',
        b'{"model":"edgeapp-local","messages":[{"role":"user","content":"hi"}],"threshold":Infinity}',
        b"\xef\xbb\xbf{}", b"null", b"[]", b'"text"', b"{", b"", b"   ",
    ]),
)


def encoded(body: dict) -> bytes:
    return json.dumps(body, allow_nan=True).encode("utf-8")


def chat_bodies(oversized: int | None = None) -> st.SearchStrategy[bytes]:
    """Request bodies as bytes; with `oversized`, some are that many bytes of valid JSON."""
    parts = [openai_valid().map(encoded), openai_shaped().map(encoded), openai_shaped().map(encoded), raw_bodies]
    if oversized:
        parts.append(st.just(b'{"model":"edgeapp-local","messages":[{"role":"user","content":"'
                             + b"a" * oversized + b'"}]}'))
    return st.one_of(parts)


def refused_by_the_checker(body: bytes) -> bool:
    """True when edgeapp's request checker refuses `body` (so sending it runs no turn)."""
    from edgeapp.api.protocol import parse_chat

    try:
        parse_chat(json.loads(body), max_tokens_cap=8)
    except Exception:  # noqa: BLE001 - any refusal will do
        return True
    return False


def refused_bodies() -> st.SearchStrategy[bytes]:
    """Bodies the server must refuse, for a fast fuzz that runs no turns (the turns are fuzzed by
    `chat_bodies`)."""
    return st.one_of(openai_shaped().map(encoded).filter(refused_by_the_checker), raw_bodies)


@dataclass
class Tally:
    """What a run of requests got back."""

    cases: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)  # 5xx, or a 4xx without a message
    answered_turns: set[int] = field(default_factory=set)  # turn ids that a 200 reported

    def add(self, status: int) -> None:
        self.cases += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1


def send(client: httpx.Client, url: str, body: bytes, token: str, tally: Tally, *,
         content_type: str = "application/json") -> httpx.Response | None:
    """POST `body` to /v1/chat/completions and check the answer's shape (recorded in `tally`; a
    connection the server closed counts as status 0)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    try:
        response = client.post(url + "/v1/chat/completions", content=body, headers=headers)
    except httpx.TransportError:  # the server closed the connection (e.g. while a refused body was sent)
        tally.add(0)
        return None
    tally.add(response.status_code)
    if response.status_code >= 500:
        tally.server_errors.append(f"{response.status_code} for {body[:120]!r}: {response.text[:200]}")
    elif response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = ""
        if not message:
            tally.server_errors.append(f"{response.status_code} without a message for {body[:120]!r}")
    elif response.headers.get("content-type", "").startswith("text/event-stream"):
        for line in response.text.splitlines():
            if line.startswith("data: {") and '"turn_id"' in line:
                turn = json.loads(line[6:]).get("edgeapp", {}).get("turn_id")
                if turn is not None:
                    tally.answered_turns.add(turn)
            elif line.startswith('data: {"error"'):
                tally.server_errors.append(f"stream error for {body[:120]!r}: {line[:200]}")
    else:
        turn = response.json()["edgeapp"]["turn_id"]
        tally.answered_turns.add(turn)
    return response


# -- raw-socket attacks -----------------------------------------------------------------------


def attacker_socket(port: int, *, timeout: float = 5.0, rcvbuf: int | None = None) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((ATTACKER, 0))
    s.connect(("127.0.0.1", port))
    return s


def closed_by_server(s: socket.socket) -> bool:
    """True when the server has closed this connection (EOF or reset), without blocking."""
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def slow_loris(port: int, connections: int, seconds: float, byte_every: float = 0.5) -> tuple[int, float]:
    """Open `connections` that each trickle a request head one byte every `byte_every` s, for at
    most `seconds`. Returns how many the server closed, and when the last of them was closed."""
    head = b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4096
    socks = [attacker_socket(port) for _ in range(connections)]
    started = time.monotonic()
    closed: dict[int, float] = {}
    sent = 0
    while time.monotonic() - started < seconds and len(closed) < len(socks):
        for i, s in enumerate(socks):
            if i in closed:
                continue
            try:
                s.setblocking(True)
                s.send(head[sent % len(head):sent % len(head) + 1])
            except OSError:
                closed[i] = time.monotonic() - started
                continue
            if closed_by_server(s):
                closed[i] = time.monotonic() - started
        sent += 1
        time.sleep(byte_every)
    for s in socks:
        s.close()
    return len(closed), max(closed.values(), default=float("nan"))


def open_and_drop(port: int, count: int) -> int:
    """Open `count` connections and drop each at once: a third closed cleanly, a third reset
    (SO_LINGER 0), a third after half a request head. Returns how many were opened."""
    opened = 0
    for i in range(count):
        try:
            s = attacker_socket(port, timeout=2.0)
        except OSError:
            continue
        opened += 1
        if i % 3 == 1:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif i % 3 == 2:
            s.sendall(b"GET /v1/models HTTP/1.1\r\nHost: 127.")
        s.close()
    return opened


def hold_open(port: int, count: int) -> tuple[list[socket.socket], int]:
    """Open `count` connections and keep them; returns them and how many the server refused at once
    (closed before a byte was sent)."""
    socks, refused = [], 0
    for _ in range(count):
        try:
            socks.append(attacker_socket(port, timeout=2.0))
        except OSError:
            refused += 1
    time.sleep(0.3)
    refused += sum(1 for s in socks if closed_by_server(s))
    return socks, refused


def slow_reader(port: int, token: str, seconds: float, byte_every: float = 1.0,
                started: threading.Event | None = None, until: threading.Event | None = None) -> bytes:
    """Ask for a streamed answer and read it one byte every `byte_every` s, through a small receive
    buffer, from its first byte on (then `started` is set) for `seconds` or until `until` is set;
    then drop the connection. Returns what was read."""
    body = encoded({"model": "edgeapp-local", "stream": True,
                    "messages": [{"role": "user", "content": "Count from one to twenty in words."}]})
    s = attacker_socket(port, timeout=300, rcvbuf=1024)
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    got = s.recv(1)  # the answer starts when the turn does (it may wait for the model)
    if started is not None:
        started.set()
    deadline = time.monotonic() + seconds
    while got and time.monotonic() < deadline and not (until is not None and until.is_set()):
        chunk = s.recv(1)
        if not chunk:
            break
        got += chunk
        time.sleep(byte_every)
    s.close()
    return got


class Bystander:
    """A well-behaved client on 127.0.0.1 asking the server all along, on a thread; `answers` and
    `failures` say how it fared and `worst` its slowest answer, in seconds."""

    def __init__(self, url: str, token: str, ask: Callable[[httpx.Client], httpx.Response] | None = None,
                 every: float = 0.2) -> None:
        self.url, self.token, self.every = url, token, every
        self.ask = ask or (lambda c: c.get(self.url + "/v1/models"))
        self.answers, self.failures, self.worst = 0, [], 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {self.token}"}, timeout=30) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    response = self.ask(client)
                    if response.status_code == 200:
                        self.answers += 1
                    else:
                        self.failures.append(f"{response.status_code}: {response.text[:100]}")
                except httpx.HTTPError as exc:
                    self.failures.append(repr(exc))
                self.worst = max(self.worst, time.monotonic() - started)
                self._stop.wait(self.every)

    def __enter__(self) -> Bystander:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(60)
