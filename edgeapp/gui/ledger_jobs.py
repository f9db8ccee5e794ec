"""Ledger queries off the GUI thread for the budget panel and the review view.

`Jobs.run(fn, done, failed)` runs `fn()` on a small thread pool and calls `done(value)` (or
`failed(exc)`) on the GUI thread. The ledger gives every thread its own SQLite connection, so
the pool's threads read while the model thread writes. Threads never expire, so the number of
connections stays bounded by the pool size.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from . import pyside_fixes
from .worker import detach, traceback_text

pyside_fixes.apply()  # before the window's jobs emit their first signal

log = logging.getLogger(__name__)
T = TypeVar("T")
_Callbacks = tuple[
    Callable[[Any], None] | None, Callable[[BaseException], None] | None, Callable[[], object] | None
]


class _Run(QRunnable):
    def __init__(self, jobs: Jobs, job_id: int, fn: Callable[[], object]):
        super().__init__()
        self.jobs, self.job_id = jobs, job_id
        self.fn: Callable[[], object] | None = fn

    def run(self) -> None:
        # Jobs keeps the callable until it delivers on the GUI thread, so this thread never drops the
        # last reference to what it captured (often a panel: worker.detach says why that matters)
        fn, self.fn = self.fn, None
        if fn is None:
            return
        try:
            value, error = fn(), None
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            value, error = None, detach(exc)
        del fn
        try:
            self.jobs.finished_job.emit(self.job_id, value, error)
        except RuntimeError:  # the receiver was destroyed (window closed)
            pass


class Jobs(QObject):
    finished_job = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None, threads: int = 2):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self.pool.setExpiryTimeout(-1)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, _Callbacks] = {}
        self.finished_job.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        fn: Callable[[], T],
        done: Callable[[T], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (done, failed, fn)
        self.pool.start(_Run(self, job_id, fn))
        return job_id

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    @Slot(int, object, object)
    def _deliver(self, job_id: int, value: object, error: BaseException | None) -> None:
        done, failed, _fn = self._callbacks.pop(job_id, (None, None, None))  # _fn released on this thread
        try:
            if error is not None:
                if failed is not None:
                    failed(error)
                else:
                    log.warning("ledger job failed: %s\n%s", error, traceback_text(error))
            elif done is not None:
                done(value)
        except RuntimeError as exc:  # the panel that asked was closed and deleted meanwhile
            if "already deleted" not in str(exc):
                raise

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)

    @classmethod
    def shared(cls) -> Jobs:
        """One pool for the application's ledger panels: its threads (and their SQLite
        connections) are made once, not per panel. It belongs to the QApplication."""
        app = QCoreApplication.instance()
        if _shared.app is not app or _shared.jobs is None:
            _shared.app, _shared.jobs = app, cls(app)
        return _shared.jobs


class _Shared:
    """The application's shared Jobs, and the application it was made for."""

    app: QCoreApplication | None = None
    jobs: Jobs | None = None


_shared = _Shared()
