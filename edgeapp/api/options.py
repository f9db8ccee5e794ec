"""The companion's limits: who may ask how often, how many turns run or wait, how big a request
may be. `edgeapp serve` sets them from its options; the window uses the defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ServerOptions:
    token: str  # read at every request: the window rotates it on a running server
    parallel: int = 2  # turns running at once (local generation is still one at a time)
    queue_limit: int = 8  # turns waiting for a slot; past that: 503 + Retry-After
    max_body: int = 1_000_000  # bytes of a request body
    max_tokens_cap: int = 4096  # the largest max_tokens a request may ask for
    max_messages: int = 256
    fail_free: int = 5  # wrong tokens from one address before answers are slowed down
    fail_delay_max: float = 8.0
    head_timeout: float = 10.0  # seconds a connection has to send a request's head (slow-loris)
    body_timeout: float = 30.0  # seconds a request's body has to arrive, whole
    connections_per_address: int = 64  # open connections from one address; past that: closed at once
