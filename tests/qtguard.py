"""Fail a test that destroys a QObject off the thread that owns it, or makes Qt warn about an
object used from another thread.

Two nets. `edgeapp.gui.thread_check` hooks every QObject's destructor (Qt's hook table) and records
one destroyed off its owning thread, with the Python stack that dropped it: the fault behind the
rare GUI crash, caught whether or not the object had timers running. Qt's own cross-thread warnings
("Timers cannot be stopped from another thread", "Cannot send events to objects owned by a different
thread", ...) are collected from pytest-qt's capture during a test's setup and call, and from this
module's message handler outside them (a test's teardown, between tests). `found(capture)` runs after
each test (tests/conftest.py) and fails it with what was found; what happens after the last test
fails the session (`finish`).
"""

from __future__ import annotations

import gc
import sys
import threading

violations: list[str] = []  # appended from any thread (list.append is atomic)
_checked = 0
_active = False


def install() -> bool:
    """Start both nets (once a session); False where PySide6 or the hook is unavailable."""
    global _active
    if _active:
        return True
    try:
        from PySide6.QtCore import qInstallMessageHandler

        from edgeapp.gui import thread_check
    except ImportError:
        return False
    if not thread_check.install(lambda violation: violations.append(str(violation))):
        return False
    qInstallMessageHandler(_on_message)
    _active = True
    return True


def uninstall() -> None:
    global _active
    if not _active:
        return
    from PySide6.QtCore import qInstallMessageHandler

    from edgeapp.gui import thread_check

    qInstallMessageHandler(None)
    thread_check.uninstall()
    _active = False


def _on_message(mode, context, message: str) -> None:  # noqa: ANN001 - Qt's message handler
    from edgeapp.gui.thread_check import is_cross_thread_warning

    if is_cross_thread_warning(message):
        violations.append(f"Qt warned on thread {threading.current_thread().name!r}: {message}")
    sys.stderr.write(f"{message}\n")  # what Qt's default handler would have printed


def found(capture) -> list[str]:  # noqa: ANN001 - pytest-qt's capture of the test, or None
    """What the test (and anything since the last check) did wrong; resets the count."""
    global _checked
    if not _active:
        return []
    gc.collect()  # objects in reference cycles are destroyed now, on this (the GUI) thread
    from edgeapp.gui.thread_check import is_cross_thread_warning

    records = capture.records if capture is not None else []
    seen = getattr(capture, "qtguard_seen", 0)  # records an earlier call already returned
    if capture is not None:
        capture.qtguard_seen = len(records)
    warned = [f"Qt warned: {r.message}" for r in records[seen:] if is_cross_thread_warning(r.message)]
    new, _checked = violations[_checked:], len(violations)
    return new + warned


def pending() -> list[str]:
    """Violations after the last check (the session's end)."""
    gc.collect()
    return violations[_checked:]
