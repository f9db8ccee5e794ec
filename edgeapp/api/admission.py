"""The queue for the model: `parallel` turns run, `queue_limit` more wait, the rest are turned
away with a Retry-After worked out from how long recent turns took."""

from __future__ import annotations

import math
import threading

from ..cancel import CancelToken


class Admission:
    """`parallel` turns run; `queue_limit` more wait; the rest are turned away."""

    def __init__(self, parallel: int, queue_limit: int) -> None:
        self.parallel, self.queue_limit = max(1, parallel), max(0, queue_limit)
        self._slots = threading.Semaphore(self.parallel)
        self._lock = threading.Lock()
        self.inflight = 0
        self.rejected = 0
        self._durations: list[float] = []

    def enter(self) -> bool:
        with self._lock:
            if self.inflight >= self.parallel + self.queue_limit:
                self.rejected += 1
                return False
            self.inflight += 1
            return True

    def leave(self, seconds: float | None) -> None:
        with self._lock:
            self.inflight -= 1
            if seconds is not None:
                self._durations = (self._durations + [seconds])[-20:]

    def acquire(self, cancel: CancelToken) -> bool:
        """Wait for a slot; gives up (False) when the turn is cancelled meanwhile."""
        while not self._slots.acquire(timeout=0.05):
            if cancel.is_set():
                return False
        return True

    def release(self) -> None:
        self._slots.release()

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue ahead divided among the slots, at the
        recent turns' average time."""
        with self._lock:
            average = sum(self._durations) / len(self._durations) if self._durations else 2.0
            ahead = max(1, self.inflight - self.parallel + 1)
        return max(1, min(120, math.ceil(average * ahead / self.parallel)))
