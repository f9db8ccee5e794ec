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
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from . import core


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            value = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI, shown in plain words
            exc.__gui_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.done, value)

    def _emit(self, signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the receiver is gone (window closed)
            pass


class Pools:
    def __init__(self) -> None:
        self.model = QThreadPool()
        self.model.setMaxThreadCount(1)
        self.io = QThreadPool()
        self.io.setMaxThreadCount(2)
        self._keep: set[_Signals] = set()
        self.closed = False

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, *, pool: str = "io") -> None:
        if self.closed:
            return  # the window is closing: a late signal's handler must not start work on a closed database
        # owned by `_keep` until the job has reported, never by a window: a window deleted while its job
        # still runs (a database busy past the close's wait) would delete the object the job emits on
        signals = _Signals()
        self._keep.add(signals)

        def finish(_=None) -> None:
            self._keep.discard(signals)

        if on_done is not None:
            signals.done.connect(on_done)
        if on_error is not None:
            signals.failed.connect(on_error)
        signals.done.connect(finish)
        signals.failed.connect(finish)
        (self.model if pool == "model" else self.io).start(_Job(fn, signals))

    def wait(self, ms: int = 30000) -> bool:
        return self.model.waitForDone(ms) and self.io.waitForDone(ms)

    def close(self, ms: int = 30000) -> bool:
        """Take no new job, then wait for the running ones (a window's close: its database and the
        objects jobs report to go away next, so nothing may still be running or start later)."""
        self.closed = True
        return self.wait(ms)


class Turn(QObject):
    """One turn on the model thread. Signals: event(object) for every core event, failed(exc),
    finished(), confirm(payload, Reply) when the core asks before an escalation leaves."""

    event = Signal(object)
    failed = Signal(object)
    finished = Signal()
    confirm = Signal(object, object)

    def __init__(self, window: Any, text: str, mode: str | None, parent: QObject | None = None) -> None:
        """`window.assistant` and `window.conversation_for_turn()` are read when the turn runs (on
        the model thread, after the model has loaded)."""
        super().__init__(parent)
        self.window = window
        self.conversation: Any = None
        self.text = text
        self.mode = mode
        self.cancel = core.Cancel()
        self.result: Any = None

    # runs on the model thread
    def run(self) -> None:
        try:
            if self.cancel.is_set():
                return
            assistant = self.window.assistant
            if assistant is None:
                raise self.window.load_error or RuntimeError("the assistant did not start")
            self.conversation = self.window.conversation_for_turn()
            for event in core.ask(assistant, self.conversation, self.text, mode=self.mode,
                                  confirm=self._confirm, cancel=self.cancel):
                if hasattr(event, "result"):
                    self.result = event.result
                self._emit(self.event, event)
        except BaseException as exc:  # noqa: BLE001
            exc.__gui_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit(self.failed, exc)
        finally:
            self._emit(self.finished)

    def _emit(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass

    def _confirm(self, payload: Any) -> bool:
        """Called by the core on this (worker) thread: block until the GUI answers, or stop."""
        reply = Reply()
        self._emit(self.confirm, payload, reply)
        while not reply.wait(0.1):
            if self.cancel.is_set():
                return False
        return bool(reply.value)


class Reply:
    """A thread-safe answer box: the GUI thread calls answer(), the worker waits."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.value: Any = None

    def answer(self, value: Any) -> None:
        self.value = value
        self._event.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)


class _TurnJob(QRunnable):
    def __init__(self, turn: Turn) -> None:
        super().__init__()
        self.turn = turn

    def run(self) -> None:
        self.turn.run()


def start_turn(pools: Pools, turn: Turn) -> None:
    pools.model.start(_TurnJob(turn))
