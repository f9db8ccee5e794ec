"""PySide6 6.12.0 spends a reference to `None` with every call of a method that returns nothing and
one to `True` with every `emit()` on Python 3.11 (see edgeapp/gui/pyside_fixes.py): the app
aborted once the counts reached zero (about 89,000 and 17,000 with the window, the model and the
gatekeeper loaded). Each check runs in a child process, since the fault kills the process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

ROOT = Path(__file__).resolve().parents[2]

SPEND_MORE_THAN_THEY_HAVE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

calls = 2 * max(sys.getrefcount(None), sys.getrefcount(True)) + 1000  # before any work-around
{prelude}

class Source(QObject):
    changed = Signal(object)

def count(value):
    pass

app = QCoreApplication([])
source = Source()
source.changed.connect(count)
for i in range(calls):
    source.changed.emit(i)
    source.setObjectName("source")
for _ in range(1000):
    source.changed.connect(count)
    source.changed.disconnect(count)
print("survived", calls, "emits and setObjectName calls")
"""


def _run(prelude: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SPEND_MORE_THAN_THEY_HAVE.format(prelude=prelude)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_calls_beyond_nones_and_trues_references_do_not_abort_the_app():
    run = _run("from edgeapp.gui import pyside_fixes; pyside_fixes.apply()")
    assert run.returncode == 0, run.stderr
    assert "survived" in run.stdout


def test_without_the_work_around_the_same_calls_abort_where_pyside_spends_references():
    from edgeapp.gui import pyside_fixes

    if not pyside_fixes.apply():
        pytest.skip("this PySide6 and Python keep None's and True's references: nothing to work around")
    assert pyside_fixes.pinned[:3] == ["None", "True", "False"]
    run = _run("")
    assert run.returncode != 0
    assert "_dealloc: deallocating" in run.stderr  # none_dealloc or bool_dealloc, whichever ran out first
