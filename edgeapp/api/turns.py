"""Each request's turn on a thread of its own, its events handed to the request through an
asyncio queue. A turn waits for a slot of the `Admission` queue; a client that goes away (or a
server that stops) sets the turn's CancelToken, and the core records the turn as stopped."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

from starlette.requests import Request

from ..assistant import Assistant, Event, TurnOptions
from ..cancel import CancelToken
from ..conversations import Conversation, ConversationError
from .admission import Admission
from .protocol import ChatRequest


class TurnEnd:
    """The last item of a turn's queue: nothing follows."""


END = TurnEnd()
QueueItem = Event | BaseException | TurnEnd


@dataclass(eq=False)
class TurnJob:
    """One turn on its thread; events go to the request's asyncio queue."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[QueueItem]
    cancel: CancelToken = field(default_factory=CancelToken)
    thread: threading.Thread | None = None

    def put(self, item: QueueItem) -> None:
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the loop is gone (server stopping): the turn still finishes, recorded
            self.cancel.set()

    async def next(self, request: Request | None) -> QueueItem:
        """The turn's next item; stops the turn when the client went away while it waited."""
        while True:
            try:
                return await asyncio.wait_for(self.queue.get(), timeout=0.5)
            except TimeoutError:
                if request is not None and await request.is_disconnected():
                    self.cancel.set()


class TurnRunner:
    """Starts turns of the one Assistant, each on a thread, through the admission queue, and stops
    those still running when the server shuts down."""

    def __init__(self, assistant: Assistant, admission: Admission) -> None:
        self.assistant = assistant
        self.admission = admission
        self._jobs: set[TurnJob] = set()
        self._jobs_lock = threading.Lock()

    def conversation_for(self, req: ChatRequest) -> Conversation:
        """The request's messages as a core Conversation. With `conversation_id` (the phone page),
        the ledger's history of that conversation is used and the request's system messages go
        first; otherwise the request's messages before the last are the history, as they are."""
        if req.conversation_id is None:
            return Conversation(messages=[dict(m) for m in req.history])
        try:
            conversation = self.assistant.conversations.load(req.conversation_id)
        except ConversationError:
            conversation = Conversation(id=req.conversation_id)
        systems = [dict(m) for m in req.history if m["role"] == "system"]
        conversation.messages = systems + conversation.messages
        return conversation

    def _work(self, job: TurnJob, req: ChatRequest, options: TurnOptions) -> None:
        started = time.monotonic()
        slot = False
        finished = False
        try:
            slot = self.admission.acquire(job.cancel)
            conversation = self.conversation_for(req)
            for event in self.assistant.ask(conversation, req.text, options, cancel=job.cancel):
                job.put(event)
            finished = True
        except BaseException as exc:  # noqa: BLE001 - handed to the request
            job.put(exc)
        finally:
            if slot:
                self.admission.release()
            self.admission.leave(time.monotonic() - started if finished else None)
            job.put(END)
            with self._jobs_lock:
                self._jobs.discard(job)

    def start(self, req: ChatRequest, client: str) -> TurnJob:
        """Run the request's turn on a new thread (the admission was entered by the caller)."""
        job = TurnJob(asyncio.get_running_loop(), asyncio.Queue())
        options = TurnOptions(
            mode=req.mode, threshold=req.threshold, max_tokens=req.max_tokens, client=client
        )
        job.thread = threading.Thread(
            target=self._work, args=(job, req, options), name="edgeapp-api-turn", daemon=True
        )
        with self._jobs_lock:
            self._jobs.add(job)
        job.thread.start()
        return job

    async def shutdown(self) -> None:
        """Stop every running turn and wait for its thread (each turn is recorded as stopped)."""
        with self._jobs_lock:
            jobs = list(self._jobs)
        for job in jobs:
            job.cancel.set()
        for job in jobs:
            if job.thread is not None:
                await asyncio.to_thread(job.thread.join, 30)
