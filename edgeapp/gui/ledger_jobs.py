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
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from .worker import detach

log = logging.getLogger(__name__)

try:  # the core's money wording (docs/faces.md); until it lands, the ledger's own format
    from ..wording import money as _core_money
except ImportError:  # pragma: no cover
    _core_money = None


def money(amount: float | None, currency: str = "USD", *, estimated: bool = False) -> str:
    if _core_money is not None:
        return _core_money(amount, currency, estimated=estimated)
    from ..cli.ledger import money as ledger_money  # pragma: no cover

    return f"{ledger_money(float(amount or 0))} {currency}" + (" (estimated)" if estimated else "")


class _Run(QRunnable):
    def __init__(self, jobs: Jobs, job_id: int, fn: Callable[[], Any]):
        super().__init__()
        self.jobs, self.job_id, self.fn = jobs, job_id, fn

    def run(self) -> None:
        # Jobs keeps the callable until it delivers on the GUI thread, so this thread never drops the
        # last reference to what it captured (often a panel: worker.detach says why that matters)
        fn, self.fn = self.fn, None
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
        self._callbacks: dict[
            int,
            tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None, Callable[[], Any]],
        ] = {}
        self.finished_job.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
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
    def _deliver(self, job_id: int, value: Any, error: Any) -> None:
        done, failed, _fn = self._callbacks.pop(
            job_id, (None, None, None)
        )  # _fn released here, on this thread
        try:
            if error is not None:
                if failed is not None:
                    failed(error)
                else:
                    log.warning("ledger job failed: %s\n%s", error, getattr(error, "__gui_traceback__", ""))
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
        connections) are made once, not per panel."""
        from PySide6.QtCore import QCoreApplication

        app = QCoreApplication.instance()
        jobs = getattr(app, "_edgeapp_ledger_jobs", None)
        if jobs is None:
            jobs = cls(app)
            app._edgeapp_ledger_jobs = jobs  # type: ignore[attr-defined]
        return jobs
