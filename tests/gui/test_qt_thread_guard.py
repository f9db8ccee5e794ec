"""The Qt thread guard (tests/qtguard.py over edgeapp/gui/thread_check.py) catches what it exists for.

Each test commits a fault on purpose: a QObject made on the GUI thread and destroyed from a Python
thread, from a QThread, from a pool job holding the last reference (the rare crash's shape, without
the running timer that would really crash this process), or by the garbage collector on another
thread; an object made in a worker as the child of one on the GUI thread (a Qt warning); a timer started from
another thread (a Qt warning). Each expects the guard's report and takes it, so the test itself
passes. The last test runs such a fault in a child pytest and expects the child run to fail.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .. import qtguard

pytest.importorskip("PySide6")

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, QTimer  # noqa: E402

if not qtguard.install():
    pytest.skip("the Qt thread check cannot run on this platform", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]


def _drop_on_a_python_thread(box: list) -> None:
    def drop_it() -> None:
        box.clear()  # the last reference: the C++ destructor runs here

    thread = threading.Thread(target=drop_it, name="drops-it")
    thread.start()
    thread.join()


def test_a_qobject_destroyed_on_a_python_thread_is_reported(qapp):
    box = [QObject()]
    _drop_on_a_python_thread(box)
    [problem] = qtguard.found(None)
    assert "owned by the GUI thread" in problem and "on thread 'drops-it'" in problem
    assert "in drop_it" in problem  # the Python stack that dropped it


def test_a_qobject_destroyed_on_a_qthread_is_reported(qapp):
    class Dropper(QThread):
        def __init__(self, box: list) -> None:
            super().__init__()
            self.box = box

        def run(self) -> None:
            self.box.clear()

    dropper = Dropper([QObject()])
    dropper.start()
    assert dropper.wait(10000)
    [problem] = qtguard.found(None)
    assert "owned by the GUI thread" in problem and "in run" in problem
    assert not qtguard.found(None)  # taken: the autouse check after this test sees nothing


class _OldJob(QRunnable):
    """The job runner before the fix: the pool thread let go of the job's callable last."""

    def __init__(self, fn) -> None:  # noqa: ANN001
        super().__init__()
        self.fn = fn

    def run(self) -> None:
        self.fn()
        self.fn = None  # with the GUI's reference gone, whatever the lambda captured dies here


def test_a_pool_job_holding_the_last_reference_is_reported(qtbot):
    panel = QObject()  # stands in for the budget panel its refresh job captured
    pool = QThreadPool()
    started = threading.Event()
    go = threading.Event()

    def refresh(panel=panel) -> str:
        started.set()
        go.wait(10)
        return panel.objectName()

    pool.start(_OldJob(refresh))
    del refresh, panel  # the GUI lets go while the job still runs
    assert started.wait(10)
    go.set()
    assert pool.waitForDone(10000)
    [problem] = qtguard.found(None)
    assert "owned by the GUI thread" in problem and "in run" in problem


def test_the_window_job_runners_release_a_captured_qobject_on_the_gui_thread(qtbot):
    from edgeapp.gui.ledger_jobs import Jobs
    from edgeapp.gui.worker import Pools

    for runner in (Jobs(threads=1), Pools()):
        got: list[object] = []
        panel = QObject()
        runner.run(lambda panel=panel: panel.objectName(), got.append, got.append)
        del panel
        qtbot.waitUntil(lambda got=got: bool(got), timeout=10000)
        runner.wait()
        QCoreApplication.processEvents()
    assert qtguard.found(None) == []


def test_a_qobject_in_a_cycle_collected_on_another_thread_is_reported(qapp):
    gc.collect()
    gc.disable()  # this test says where the collector runs
    try:

        class Holder:
            def __init__(self) -> None:
                self.me, self.settings = self, QObject()  # a cycle holding a Python-owned QObject

        Holder()
        thread = threading.Thread(target=gc.collect, name="collects")
        thread.start()
        thread.join()
    finally:
        gc.enable()
    [problem] = qtguard.found(None)
    assert "by Python's garbage collector on thread 'collects'" in problem


def _made_in_a_worker(pool: QThreadPool, parent: QObject | None = None) -> QObject:
    made: list[QObject] = []

    class Make(QRunnable):
        def run(self) -> None:
            obj = QObject(parent)  # a parent on the GUI thread: Qt refuses, and warns
            obj.moveToThread(QCoreApplication.instance().thread())  # the hand-over to the GUI thread
            made.append(obj)

    pool.start(Make())
    assert pool.waitForDone(10000)
    return made.pop()


def test_an_object_made_in_a_worker_is_handed_to_the_gui_thread(qtbot, request):
    capture = request.node.qt_log_capture
    pool = QThreadPool()
    moved = _made_in_a_worker(pool)
    assert moved.thread() is QCoreApplication.instance().thread()
    del moved  # destroyed on the GUI thread, which owns it now
    assert qtguard.found(capture) == []
    gui_side = QObject()
    orphan = _made_in_a_worker(pool, parent=gui_side)
    assert orphan.parent() is None
    [problem] = qtguard.found(capture)
    assert "Cannot create children for a parent that is in a different thread" in problem


def test_a_timer_started_from_another_thread_is_reported(qtbot, request):
    capture = request.node.qt_log_capture
    timer = QTimer()
    thread = threading.Thread(target=lambda: timer.start(1000))  # Qt refuses, and warns
    thread.start()
    thread.join()
    assert not timer.isActive()
    [problem] = qtguard.found(capture)
    assert "Timers cannot be started from another thread" in problem


FAULT = """
import threading
from PySide6.QtCore import QObject

def test_drops_a_qobject_on_a_thread(qapp):
    box = [QObject()]
    thread = threading.Thread(target=box.clear)
    thread.start()
    thread.join()
"""


def test_the_guard_fails_a_test_that_commits_the_fault(tmp_path):
    fault = ROOT / "tests" / "gui" / f"fault_{tmp_path.name}.py"  # under tests/, beside its conftest
    fault.write_text(FAULT)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(fault)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        fault.unlink()
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "1 passed, 1 error" in out and "Qt's thread rule broken" in out
    assert "owned by the GUI thread was destroyed on thread" in out
