"""Work-arounds for bugs of the PySide6 the window runs on, applied when `edgeapp.gui` is imported.

PySide6 6.12.0 on Python 3.11: `SignalInstance.emit()` and `.disconnect()` return `True` without
taking a reference to it, so each call from Python costs `True` one reference. Before Python 3.12
`True` is not immortal: once as many signals have been emitted as it had references (some hundreds
in a bare script, tens of thousands in the app; every streamed token emits one) its count reaches
zero and the process aborts ("Fatal Python error: bool_dealloc: deallocating True or False").
`apply()` measures each method on a probe signal; where it steals, the method is wrapped to give
the reference back. Elsewhere (a fixed PySide6, Python 3.12+) nothing is changed.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, SignalInstance

PROBES = 64
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes, _incref.restype = [ctypes.py_object], None
patched: list[str] = []  # the methods wrapped
_applied = False


class _Probe(QObject):
    ping = Signal()


def _receiver() -> None:
    pass


def _steals_true(call: Callable[[], object]) -> bool:
    """True when `call()` leaves `True` with one reference fewer each time (the references the
    probe took are given back)."""
    before = sys.getrefcount(True)
    for _ in range(PROBES):
        call()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        _incref(True)
    return lost >= PROBES


def _giving_back(method: Callable[..., object]) -> Callable[..., object]:
    def call(self: SignalInstance, *args: object) -> object:
        result = method(self, *args)
        if result is True:
            _incref(True)  # the reference PySide should have taken for the value it returns
        return result

    call.__name__ = call.__qualname__ = method.__name__
    call.__doc__ = method.__doc__
    return call


def apply() -> list[str]:
    """Wrap the methods that steal a reference to `True`; the names wrapped (once a process)."""
    global _applied
    if _applied:
        return patched
    _applied = True
    probe = _Probe()

    def reconnect() -> None:
        probe.ping.connect(_receiver)
        probe.ping.disconnect(_receiver)

    for name, call in (("emit", lambda: probe.ping.emit()), ("disconnect", reconnect)):
        if _steals_true(call):
            setattr(SignalInstance, name, _giving_back(getattr(SignalInstance, name)))
            patched.append(name)
    return patched
