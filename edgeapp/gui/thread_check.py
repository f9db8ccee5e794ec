"""A debug check: every QObject is destroyed on the thread that owns it.

Whichever thread drops the last reference to a Qt object runs its C++ destructor. Off the owning
thread that is undefined behaviour, and the rare GUI crash was one (see `worker.detach`). Qt itself
warns only when the object still had timers running ("QObject::~QObject: Timers cannot be stopped
from another thread"), and only once the harm is done. This check sees every destruction: it sets
the RemoveQObject entry of QtCore's hook table `qtHookData` (the table debuggers such as GammaRay
use), which ~QObject calls in the destroying thread for every QObject, made by Python or by Qt. It
compares `QObject::thread()` with `QThread::currentThread()` and reports a mismatch with the Python
stack of the thread that ran the destructor: the line that dropped the last reference.

The GUI tests turn it on for every test and fail the test that met one (tests/gui/conftest.py);
`EDGEAPP_QT_THREAD_CHECK=1` turns it on in the app, each violation logged as an error. Linux only
(the hook and the two member functions are called through ctypes by their Itanium-ABI names);
elsewhere `install` returns False.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import re
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import PySide6
import shiboken6
from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)

ENV = "EDGEAPP_QT_THREAD_CHECK"
REMOVE_QOBJECT = 4  # QHooks::RemoveQObject (qhooks_p.h: 0 version, 1 size, 2 Qt version, 3 AddQObject)
_HOOK = ctypes.CFUNCTYPE(None, ctypes.c_void_p)

# Qt's own warnings when an object is touched from a thread that does not own it
CROSS_THREAD_WARNING = re.compile(
    r"another thread|different thread|GUI thread|threads started with QThread"
    r"|is not the object's thread|Cannot move objects? .*thread",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Violation:
    """A QObject destroyed off its owning thread."""

    kind: str  # its Python class, when Python still knew it ("QObject" otherwise)
    owner: str  # the owning thread, in words
    destroyed_on: str  # Python's name for the thread that ran the destructor
    in_gc: bool  # during Python's cyclic garbage collection (which runs on whichever thread allocates)
    stack: str  # that thread's Python stack at the time ("" when no Python code was running)

    def __str__(self) -> str:
        where = self.stack.rstrip() or "    (no Python frames: Qt destroyed it)"
        how = " by Python's garbage collector" if self.in_gc else ""
        thread = self.destroyed_on
        return f"a {self.kind} owned by {self.owner} was destroyed{how} on thread {thread!r}:\n{where}"


def is_cross_thread_warning(message: str) -> bool:
    """True for Qt's warnings about an object used from a thread that does not own it."""
    return bool(CROSS_THREAD_WARNING.search(message))


class _Check:
    def __init__(self, core: ctypes.CDLL, report: Callable[[Violation], None]) -> None:
        self.table = (ctypes.c_void_p * (REMOVE_QOBJECT + 1)).in_dll(core, "qtHookData")
        self.thread_of = core._ZNK7QObject6threadEv  # QThread *QObject::thread() const
        self.thread_of.restype, self.thread_of.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
        self.current = core._ZN7QThread13currentThreadEv  # static QThread *QThread::currentThread()
        self.current.restype, self.current.argtypes = ctypes.c_void_p, []
        self.report = report
        self.previous = self.table[REMOVE_QOBJECT]  # another tool's hook, called after ours
        self.chained = _HOOK(self.previous) if self.previous else None
        self.busy = threading.local()
        self.hook = _HOOK(self.on_destroy)  # kept here: Qt holds only the address
        app = QCoreApplication.instance()
        self.gui_thread = shiboken6.getCppPointer(app.thread())[0] if app is not None else None

    def on_destroy(self, obj: int | None) -> None:
        # called by ~QObject in the destroying thread; must never raise into C++
        try:
            if obj and not getattr(self.busy, "on", False):
                self.busy.on = True
                try:
                    owner = self.thread_of(obj)
                    if owner and owner != self.current():
                        self.report(self.violation(obj, owner))
                finally:
                    self.busy.on = False
        except BaseException:  # noqa: BLE001, S110 - nothing may escape into Qt's destructor
            pass
        if self.chained is not None:
            self.chained(obj)

    def violation(self, obj: int, owner: int) -> Violation:
        if self.gui_thread is None:
            app = QCoreApplication.instance()
            self.gui_thread = shiboken6.getCppPointer(app.thread())[0] if app is not None else None
        words = "the GUI thread" if owner == self.gui_thread else f"another thread (QThread at {owner:#x})"
        stack = "".join(traceback.format_stack()[:-2])  # less this hook's own two frames
        name = threading.current_thread().name
        return Violation(_kind(obj), words, name, bool(getattr(_collecting, "on", False)), stack)


def _kind(obj: int) -> str:
    """The Python class of the wrapper still registered for `obj` (its C++ class is gone by now)."""
    for wrapper in shiboken6.getAllValidWrappers():
        try:
            if shiboken6.getCppPointer(wrapper)[0] == obj:
                return f"{type(wrapper).__module__}.{type(wrapper).__qualname__}"
        except (RuntimeError, TypeError, IndexError):
            continue
    return "QObject"


_collecting = threading.local()  # set while Python's cyclic garbage collector runs in this thread


def _on_gc(phase: str, info: dict) -> None:
    _collecting.on = phase == "start"


_check: _Check | None = None


def _qtcore() -> ctypes.CDLL | None:
    """The QtCore library PySide6 loaded (opening it again returns the loaded copy)."""
    if not sys.platform.startswith("linux"):
        return None
    bundled = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Core.so.6"
    for name in (str(bundled), "libQt6Core.so.6"):  # the wheel's copy, else a system Qt by soname
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def install(report: Callable[[Violation], None]) -> bool:
    """Check every QObject's destruction from now on; `report(violation)` is called in the
    destroying thread for each one destroyed off its owning thread. False where it cannot run."""
    global _check
    if _check is not None:
        _check.report = report
        return True
    core = _qtcore()
    if core is None:
        return False
    try:
        check = _Check(core, report)
    except (AttributeError, ValueError):  # a Qt without the hook table or these symbols
        return False
    _check = check
    gc.callbacks.append(_on_gc)
    check.table[REMOVE_QOBJECT] = ctypes.cast(check.hook, ctypes.c_void_p).value
    return True


def uninstall() -> None:
    """Stop checking (before the interpreter shuts down: Qt must not call into a finished Python)."""
    global _check
    if _check is not None:
        _check.table[REMOVE_QOBJECT] = _check.previous
        _check = None
        if _on_gc in gc.callbacks:
            gc.callbacks.remove(_on_gc)


def installed() -> bool:
    return _check is not None


def install_from_env() -> bool:
    """`EDGEAPP_QT_THREAD_CHECK=1`: log each violation as an error (the app's debug mode)."""
    if os.environ.get(ENV, "") in ("", "0") or _check is not None:
        return False  # off, or already checking for someone else (the test suite's guard)

    def report(violation: Violation) -> None:
        log.error("%s", violation)

    if not install(report):
        log.warning("%s is set but the check cannot run on this platform", ENV)
        return False
    import atexit

    atexit.register(uninstall)
    return True
