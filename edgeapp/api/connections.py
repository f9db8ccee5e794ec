"""Connections that hold the server without asking anything: uvicorn's HTTP/1.1 protocol (h11) with
two guards it lacks.

- A deadline for the request head: uvicorn arms no timer while a connection sends its first
  headers, and its keep-alive timer restarts at every byte, so a client trickling one header byte
  every few seconds (slow-loris) or opening a connection and saying nothing keeps it forever.
  Here each connection must finish its request head within `head_timeout` seconds of opening (or
  of the previous answer); bytes that trickle in do not move the deadline.
- A cap on open connections per client address: thousands opened from one address and held are
  closed at once past `per_address`, so they cannot use up the process's file descriptors while
  other devices still get in.

The request body has its own deadline in `chat_completions.read_json`.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


@dataclass
class ConnectionLimits:
    """Shared by every connection of one server; `closed_*` count what the guards closed."""

    head_timeout: float = 10.0
    per_address: int = 64
    open_by_address: Counter[str] = field(default_factory=Counter)
    closed_slow: int = 0
    closed_over_cap: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, address: str) -> bool:
        with self.lock:
            if self.open_by_address[address] >= self.per_address:
                self.closed_over_cap += 1
                return False
            self.open_by_address[address] += 1
            return True

    def release(self, address: str) -> None:
        with self.lock:
            self.open_by_address[address] -= 1
            if self.open_by_address[address] <= 0:
                del self.open_by_address[address]


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request-head deadline and a per-address connection cap."""

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._address: str | None = None
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        address = self.client[0] if self.client else "?"
        if not self.limits.admit(address):
            transport.abort()
            return
        self._address = address
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        if self._address is not None:
            self.limits.release(self._address)
            self._address = None
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_deadline()  # the next request's head has the same time to arrive

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        self._head_deadline = self.loop.call_later(self.limits.head_timeout, self._head_overdue)

    def _disarm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_overdue(self) -> None:
        """Close the connection if it is still waiting for (or still receiving) a request head."""
        self._head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            with self.limits.lock:
                self.limits.closed_slow += 1
            self.transport.close()


def protocol_factory(limits: ConnectionLimits) -> type[asyncio.Protocol]:
    """A protocol class for `uvicorn.Config(http=...)` bound to `limits`."""

    class BoundProtocol(GuardedH11Protocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, limits=limits, **kwargs)

    return BoundProtocol
