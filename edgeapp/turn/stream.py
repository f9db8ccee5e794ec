"""The cloud stream: the request runs on a thread of its own (the pump) so a stop is prompt even
while an HTTP read blocks; text comes back as `CloudToken`s with placeholders restored, a retry
after streamed text as `CloudRestart`. What arrived is kept in a `Received`, which the settlement
reads however the stream ended (finished, failed, stopped, or the face let go of the turn).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ..cancel import POLL_S, CancelToken
from ..cloud.client import CloudClient, CloudReply, Restart
from ..errors import CloudError
from ..gatekeeper.payload import ScrubbedPayload
from ..gatekeeper.vault import PlaceholderVault
from .events import CloudRestart, CloudToken

Item = TypeVar("Item")


def pumped(make: Callable[[], Iterator[Item]], token: CancelToken) -> Iterator[Item]:
    """Run an iterator (a cloud call) on a thread of its own and yield its items, looking at
    `token` while waiting, so a stop is prompt even while the HTTP read blocks."""
    items: queue.Queue = queue.Queue()  # (True, an item or the end) or (False, the exception)
    end = object()

    def run() -> None:
        try:
            for item in make():
                items.put((True, item))
                if token.is_set():
                    break
        except BaseException as exc:  # noqa: BLE001 - re-raised on the turn's thread
            items.put((False, exc))
        finally:
            items.put((True, end))

    threading.Thread(target=run, name="edgeapp-cloud-call", daemon=True).start()
    done = False
    try:
        while True:
            try:
                ok, item = items.get(timeout=POLL_S)
            except queue.Empty:
                token.check()
                continue
            if not ok:
                done = True
                raise item
            if item is end:
                done = True
                return
            yield item
    finally:
        if not done:  # the face let go of the turn: the call on its thread stops at its next chunk
            token.set()


@dataclass
class Received:
    """What a cloud stream delivered: the text of the current attempt, the final reply, the error
    it ended with. `finished`: it ended by itself (a reply or an error), not by a stop."""

    chunks: list[str] = field(default_factory=list)
    reply: CloudReply | None = None
    error: str | None = None
    finished: bool = False

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    @property
    def stopped(self) -> bool:
        return not self.finished and self.reply is None


def relay(
    cloud: CloudClient,
    payload: ScrubbedPayload,
    received: Received,
    *,
    vault: PlaceholderVault,
    stream: bool,
    max_tokens: int,
    token: CancelToken,
    show: bool,
) -> Generator[CloudToken | CloudRestart, None, None]:
    """Send `payload` and stream the answer (as CloudToken when `show`), filling `received`. A cloud
    failure ends it with `received.error` set; a stop raises Cancelled."""
    restorer = vault.stream_restorer()
    try:
        for item in pumped(
            lambda: cloud.iter_complete(payload, stream=stream, max_tokens=max_tokens, cancel=token), token
        ):
            if not isinstance(item, CloudReply):
                token.check()  # chunks already received are not shown once the turn is stopped
            if isinstance(item, str):
                received.chunks.append(item)
                shown = restorer.feed(item)
                if shown and show:
                    yield CloudToken(shown)
            elif isinstance(item, Restart):
                received.chunks.clear()
                restorer = vault.stream_restorer()
                if show:
                    yield CloudRestart(item.reason)
            else:
                received.reply = item
        received.finished = True
        tail = restorer.flush()
        if tail and show:
            yield CloudToken(tail)
    except CloudError as exc:
        received.error, received.finished = str(exc), True
