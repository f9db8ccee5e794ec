"""What a job captured is released on the GUI thread, never on the pool thread that ran it.

Whichever thread drops the last reference to a widget runs its C++ destructor. On a pool thread that
leaves the widget's timers registered with the GUI thread's event loop, which later fires one at freed
memory: the rare SIGSEGV in QTimerInfoList::activateTimers that CI met at the end of a budget panel
test (the panel's refresh job held the panel in its lambda). These tests drop the GUI's own reference
while the job still runs, so without the fix the pool thread holds the last one every time."""

from __future__ import annotations

import threading
import time
import weakref

import pytest

pytest.importorskip("PySide6")


class Captured:
    """Stands in for a widget a job's lambda captures; records the thread that frees it."""


def _watch(obj) -> list[str]:
    freed_on: list[str] = []
    weakref.finalize(obj, lambda: freed_on.append(threading.current_thread().name))
    return freed_on


def _slow(obj, fail: bool = False):
    def job():
        time.sleep(0.3)  # the GUI side lets go of `obj` meanwhile
        if fail:
            raise ValueError(f"could not read {obj!r}")  # the traceback's frames hold `obj` too
        return "done"

    return job


def _ledger_jobs():
    from edgeapp.gui.ledger_jobs import Jobs

    return Jobs(threads=1)


def _window_pools():
    from edgeapp.gui.worker import Pools

    return Pools()


@pytest.mark.parametrize("runner", [_ledger_jobs, _window_pools], ids=["ledger-jobs", "window-pools"])
@pytest.mark.parametrize("fail", [False, True], ids=["done", "failed"])
def test_a_job_is_released_on_the_gui_thread(qtbot, runner, fail):
    pool = runner()
    got: list[object] = []
    obj = Captured()
    freed_on = _watch(obj)
    pool.run(_slow(obj, fail), got.append, got.append)
    del obj
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    pool.wait()
    if fail:
        assert isinstance(got[0], ValueError) and got[0].__traceback__ is None
        assert "could not read" in got[0].__gui_traceback__  # the traceback is kept as text
        del got[:]  # the exception's message named the object; its frames no longer hold it
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
    assert freed_on == [threading.main_thread().name]
