"""Work off the GUI thread.

Two pools: `model_pool` has ONE thread, so the model load (warm-up) and every turn run in order on
it: a message typed while the model loads simply waits its turn. `io_pool` runs short database and
network jobs (conversation list, search, feedback, Test connection). Results come back as Qt
signals, which Qt queues to the GUI thread.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance

from ..cancel import CancelToken
from . import pyside_fixes

pyside_fixes.apply()  # before the window's jobs emit their first signal

if TYPE_CHECKING:
    from ..assistant import Assistant, TurnResult
    from ..conversations import Conversation
    from ..gatekeeper import ScrubbedPayload

T = TypeVar("T")
TRACEBACK = "__gui_traceback__"  # the attribute `detach` keeps a worker's traceback text in


def detach(exc: BaseException) -> BaseException:
    """Keep a worker's exception's traceback as text (`__gui_traceback__`) and cut its frames (and
    those of the exceptions it chains), before it is handed to the GUI thread.

    The frames hold the job's locals, often a widget (a `lambda: ...self...`). Whichever thread
    drops the last reference to a widget runs its C++ destructor; on a worker thread that leaves the
    widget's timers registered with the GUI thread's event loop, which later fires one at freed
    memory (the rare GUI crash: SIGSEGV in QTimerInfoList::activateTimers)."""
    if TRACEBACK not in vars(exc):
        setattr(exc, TRACEBACK, "".join(traceback.format_exception(exc)))
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return exc


def traceback_text(exc: BaseException) -> str:
    """The traceback `detach` kept ("" for an exception that did not come through it)."""
    return str(vars(exc).get(TRACEBACK, ""))


def emit_safely(signal: SignalInstance, *args: object) -> None:
    """Emit from a worker thread; a receiver already gone (window closed) is no error."""
    try:
        signal.emit(*args)
    except RuntimeError:
        pass


class JobSignals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """Runs `fn` on a pool thread and reports on `signals` (`done(value)` / `failed(exc)`); the caller
    keeps `fn` until the job has reported (see `detach`)."""

    def __init__(self, fn: Callable[[], object], signals: JobSignals) -> None:
        super().__init__()
        self.fn: Callable[[], object] | None = fn
        self.signals = signals

    def run(self) -> None:
        # the GUI thread holds the job's callable too (Pools keeps it) and drops it when the job has
        # reported: this thread never drops the last reference to what the job captured (see detach)
        fn, self.fn = self.fn, None
        if fn is None:
            return
        try:
            value = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI, shown in plain words
            del fn
            emit_safely(self.signals.failed, detach(exc))
        else:
            del fn
            emit_safely(self.signals.done, value)


class Pools:
    """The window's two pools: `model` (one thread: the load, then each turn in order) and `io`."""

    def __init__(self) -> None:
        self.model = QThreadPool()
        self.model.setMaxThreadCount(1)
        self.io = QThreadPool()
        self.io.setMaxThreadCount(2)
        self._keep: dict[JobSignals, Callable[[], object]] = {}  # each running job's signals and callable
        self.closed = False

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        *,
        pool: str = "io",
    ) -> None:
        """Run `fn` on a pool thread; `on_done(value)` or `on_error(exc)` run on the GUI thread."""
        if self.closed:
            return  # the window is closing: a late signal's handler must not start work on a closed database
        # owned by `_keep` until the job has reported, never by a window: a window deleted while its job
        # still runs (a database busy past the close's wait) would delete the object the job emits on
        signals = JobSignals()
        self._keep[signals] = fn

        def finish(_: object = None) -> None:
            self._keep.pop(signals, None)

        if on_done is not None:
            signals.done.connect(on_done)
        if on_error is not None:
            signals.failed.connect(on_error)
        signals.done.connect(finish)
        signals.failed.connect(finish)
        (self.model if pool == "model" else self.io).start(Job(fn, signals))

    def wait(self, ms: int = 30000) -> bool:
        return self.model.waitForDone(ms) and self.io.waitForDone(ms)

    def close(self, ms: int = 30000) -> bool:
        """Take no new job, then wait for the running ones (a window's close: its database and the
        objects jobs report to go away next, so nothing may still be running or start later)."""
        self.closed = True
        return self.wait(ms)


class Reply:
    """A thread-safe answer box: the GUI thread calls answer(), the worker waits."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.value = False

    def answer(self, value: bool) -> None:
        self.value = value
        self._event.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)


class Turn(QObject):
    """One turn on the model thread. Signals: event(object) for every core event, failed(exc),
    finished(), confirm(payload, Reply) when the core asks before an escalation leaves.

    `prepare()` is called when the turn runs (on the model thread, after the model has loaded): it
    gives the assistant and the conversation to ask in, or raises why there is no assistant."""

    event = Signal(object)
    failed = Signal(object)
    finished = Signal()
    confirm = Signal(object, object)

    def __init__(
        self,
        prepare: Callable[[], tuple[Assistant, Conversation]],
        text: str,
        mode: str | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.prepare = prepare
        self.text = text
        self.mode = mode
        self.cancel = CancelToken()
        self.result: TurnResult | None = None

    # runs on the model thread
    def run(self) -> None:
        try:
            if self.cancel.is_set():
                return
            assistant, conversation = self.prepare()
            from ..assistant import TurnDone, TurnOptions  # loaded by now: the assistant exists

            options = TurnOptions(mode=self.mode, confirm=self._confirm, client="gui")
            for event in assistant.ask(conversation, self.text, options, cancel=self.cancel):
                if isinstance(event, TurnDone):
                    self.result = event.result
                emit_safely(self.event, event)
        except BaseException as exc:  # noqa: BLE001
            emit_safely(self.failed, detach(exc))
        finally:
            emit_safely(self.finished)

    def _confirm(self, payload: ScrubbedPayload) -> bool:
        """Called by the core on this (worker) thread: block until the GUI answers, or stop."""
        reply = Reply()
        emit_safely(self.confirm, payload, reply)
        while not reply.wait(0.1):
            if self.cancel.is_set():
                return False
        return bool(reply.value)


class _TurnRunnable(QRunnable):
    def __init__(self, turn: Turn) -> None:
        super().__init__()
        self.turn = turn

    def run(self) -> None:
        self.turn.run()


def start_turn(pools: Pools, turn: Turn) -> None:
    """Queue the turn on the model thread, behind the load and the turns before it."""
    pools.model.start(_TurnRunnable(turn))
