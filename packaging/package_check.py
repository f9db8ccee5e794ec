"""The packaged app's self-checks, for packaging/check.sh and packaging/check-fresh.sh only.

`EDGEAPP_PACKAGE_CHECK=...` (read by entry.py) selects one:

- `gui`: open the window with its panels, wait until the local model has loaded, close, exit 0
  (1 when it did not load).
- `chat`: the same window, then type `EDGEAPP_PACKAGE_QUESTION` into the message box and press
  Enter as a user would, wait for the answer, save a screenshot of the whole X screen to
  `EDGEAPP_PACKAGE_SCREENSHOT` (when set), print the answer, exit 0 when there is one.
- `engine`: print the CPU variant llama.cpp loaded and llama.cpp's system info, exit 0.
"""

from __future__ import annotations

import os
import time

LIMIT_S = 600.0  # a first answer on a loaded 2-core machine can take minutes


def engine(variant: str | None) -> int:
    import llama_cpp

    print(f"CPU variant: {variant or 'built in (no variants in this build)'}", flush=True)
    print(f"system info: {llama_cpp.llama_print_system_info().decode().strip()}", flush=True)
    return 0


def window_check(mode: str, variant: str | None) -> int:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from edgeapp.gui.app import application, create_main_window

    app = application()
    window = create_main_window(panels=True)
    window.show()
    started = time.monotonic()
    results: list[object] = []
    window.turn_finished.connect(results.append)

    def wait_until(done, limit_s: float = LIMIT_S) -> float:  # noqa: ANN001 - a predicate
        """Run the event loop (as the app does) until `done()`; the seconds it took."""
        t0 = time.monotonic()
        while not done() and time.monotonic() - t0 < limit_s:
            loop = QEventLoop()
            QTimer.singleShot(100, loop.quit)
            loop.exec()
        return time.monotonic() - t0

    wait_until(lambda: window.ready or window.load_error is not None)
    waited = time.monotonic() - started
    if not window.ready:
        print(f"window FAILED after {waited:.1f} s ({window.load_error or 'timed out'})", flush=True)
        return 1
    if mode == "gui":
        print(f"window ready after {waited:.1f} s; Models panel mounted: {window.panels.models is not None}",
              flush=True)
        window.close()
        return 0
    question = os.environ.get("EDGEAPP_PACKAGE_QUESTION", "What is 2 + 2?")
    print(f"window ready after {waited:.1f} s (CPU variant {variant}); asking {question!r}", flush=True)
    window.activateWindow()
    window.composer.setFocus()
    QTest.keyClicks(window.composer, question)  # typed and sent as a user would
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    took = wait_until(lambda: bool(results))
    wait_until(lambda: False, 1.0)  # let the answer paint
    path = os.environ.get("EDGEAPP_PACKAGE_SCREENSHOT")
    if path:
        QGuiApplication.primaryScreen().grabWindow(0).save(path)
        print(f"screenshot: {path}", flush=True)
    window.close()
    app.processEvents()
    if not results:
        print(f"no answer after {took:.1f} s", flush=True)
        return 1
    result = results[-1]
    answer = (getattr(result, "answer", "") or "").strip()
    print(f"answer after {took:.1f} s, route {getattr(result, 'route', '?')}, "
          f"model {getattr(result, 'local_model', '?')}: {answer[:300]!r}", flush=True)
    return 0 if answer else 1


def run(mode: str, variant: str | None) -> int:
    if mode == "engine":
        return engine(variant)
    return window_check(mode, variant)
