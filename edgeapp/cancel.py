"""Stopping a turn from any thread: a `CancelToken` that the model load, the prefill, every token,
every cloud chunk and the retry back-off sleeps look at.

A face keeps the token of the running turn and calls `set()` (a Stop button, a client that went
away); the turn ends promptly with what it had (`TurnResult.stopped`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

POLL_S = 0.05  # how often a turn waiting on another thread (the model load, the cloud) looks at its token


class Cancelled(Exception):  # noqa: N818 - a signal, not an error a user sees
    """Raised inside the core when the turn's token is set; `Assistant.ask` turns it into a stopped
    `TurnDone`. Faces never see it."""


class CancelToken:
    """Thread-safe, one-way: once set it stays set. `set()` may be called from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def set(self) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # noqa: BLE001 - a callback must not stop the others
                pass

    cancel = set  # the name a Stop button reads best with

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, waking at once when the token is set; returns whether it is set."""
        return self._event.wait(max(0.0, seconds))

    def check(self) -> None:
        """Raise `Cancelled` when the token is set."""
        if self._event.is_set():
            raise Cancelled()

    def on_set(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` (from the thread that sets the token) when it is set, at once if it is
        already; returns a function that removes the callback."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)

                def remove() -> None:
                    with self._lock:
                        if callback in self._callbacks:
                            self._callbacks.remove(callback)

                return remove
        callback()
        return lambda: None

    def link(self, child: CancelToken) -> Callable[[], None]:
        """Setting this token sets `child` too; returns a function that undoes the link."""
        return self.on_set(child.set)


def check(token: CancelToken | None) -> None:
    if token is not None:
        token.check()
