"""A work-around for the PySide6 the window runs on, applied by `app.application()` and when the
job runners (`worker`, `ledger_jobs`) are imported.

PySide6 6.12.0 returns `None`, `True` and `False` from its methods without taking a reference to
them, as if they were immortal, which they are only from Python 3.12 on. On Python 3.11 each call
of a method that returns nothing (`setText`, `processEvents`, ...) costs `None` one reference, and
each `emit()` or `disconnect()` costs `True` one. Once a count reaches zero the process aborts
("Fatal Python error: none_dealloc: deallocating None", or `bool_dealloc` for `True`). With the
window, the model and the gatekeeper loaded `None` has about 89,000 references and `True` about
17,000; streaming one answer calls such methods for every token. A bare script with 600 emits dies.

`apply()` measures the loss on probe calls. Where it is real it does what Python 3.12 does for
these objects: it gives each of them a count no program can spend (2**60 more references), so a
binding that treats them as immortal is right. Elsewhere (Python 3.12+, a fixed PySide6) nothing
is changed.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

PROBES = 64
PIN = 1 << 60  # the references added: at a billion lost a second, 36 years
SINGLETONS = (None, True, False, NotImplemented, Ellipsis)
pinned: list[str] = []  # the objects given a count that cannot run out (for tests and reports)
_applied = False


class _Probe(QObject):
    ping = Signal()


def _loses(value: object, call: Callable[[], object]) -> bool:
    """True when `call()` leaves `value` with a reference fewer each time (three in four is enough:
    another thread may hold references for a moment)."""
    before = sys.getrefcount(value)
    for _ in range(PROBES):
        call()
    return before - sys.getrefcount(value) >= PROBES * 3 // 4


def _pin(value: object) -> bool:
    """Add PIN references to `value`; False (and nothing changed) where the count is not the
    object's first field (a CPython built with Py_TRACE_REFS)."""
    count = ctypes.c_ssize_t.from_address(id(value))
    before = sys.getrefcount(value)
    count.value += PIN
    if sys.getrefcount(value) - before == PIN:
        return True
    count.value -= PIN
    return False


def apply() -> list[str]:
    """Pin None, True, False (and the other singletons) where this PySide6 spends their references;
    what was pinned (measured once a process)."""
    global _applied
    if _applied or sys.version_info >= (3, 12):
        return pinned
    _applied = True
    probe = _Probe()
    if _loses(None, lambda: probe.setObjectName("probe")) or _loses(True, lambda: probe.ping.emit()):
        pinned.extend(repr(value) for value in SINGLETONS if _pin(value))
    return pinned
