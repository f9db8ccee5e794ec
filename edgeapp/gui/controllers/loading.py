"""Loading: build the assistant (when the window was given none) and warm it up on the model
thread, after the window's first paint; progress in the status bar; `ready` or `load_error`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

from ...models.names import model_title
from ..session import Session

STAGES = {  # the core's warm-up stages: words, and their share of the whole load
    "model": ("Loading the local model", 0.0, 0.7),
    "privacy": ("Preparing the privacy filter", 0.7, 0.95),
    "ledger": ("Opening the history", 0.95, 1.0),
    "ready": ("Ready", 1.0, 1.0),
}
FIRST_PAINT_WAIT_MS = 1500


def overall_progress(stage: str, share: float) -> tuple[str, float]:
    """The core's (stage, share of that stage) as words and a share of the whole load."""
    words, lo, hi = STAGES.get(stage, (stage, 0.0, 1.0))
    return words, lo + (hi - lo) * max(0.0, min(1.0, share))


class LoadingController(QObject):
    """`label` and `bar` go in the status bar. `assistant_ready` fires on the GUI thread once the
    assistant exists; `ready_changed(True)` once the model has loaded, `(False)` when it failed."""

    assistant_ready = Signal()
    ready_changed = Signal(bool)
    _built = Signal()  # emitted on the model thread; Qt queues it to the GUI thread
    _progress = Signal(str, float)  # the same

    def __init__(
        self, session: Session, show_error: Callable[[BaseException], None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.show_error = show_error
        self.ready = False
        self._pending = False
        self.bar = QProgressBar(parent)
        self.bar.setRange(0, 100)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.label = QLabel("Loading the local model…", parent)
        self._built.connect(self.assistant_ready)
        self._progress.connect(self._show_progress)

    def load_after_first_paint(self) -> None:
        """Start loading once the window has painted; if it is not shown within a moment, anyway."""
        self._pending = True
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self.start_pending_load)

    def window_painted(self) -> None:
        if self._pending:
            QTimer.singleShot(0, self.start_pending_load)

    def start_pending_load(self) -> None:
        if self._pending:
            self._pending = False
            self.start_loading()

    def start_loading(self) -> None:
        """Build the assistant (if needed) and load the model and privacy filter on the model thread;
        turns queue behind it."""
        session = self.session

        def progress(stage: str, share: float) -> None:
            try:
                self._progress.emit(stage, share)
            except RuntimeError:  # the window is gone
                pass

        def build_and_warm() -> bool:
            assistant = session.assistant
            if assistant is None:  # built here, on the model thread, before anything else runs on it
                progress("model", 0.0)
                assistant = session.build_assistant()
                try:
                    self._built.emit()  # the GUI thread sets up the conversation list
                except RuntimeError:  # the window is gone
                    return False
            assistant.warm_up(progress=progress)
            return True

        session.pools.run(build_and_warm, self._loaded, self._failed, pool="model")

    def _show_progress(self, stage: str, share: float) -> None:
        if not self.ready:
            words, overall = overall_progress(stage, share)
            self.label.setText(f"{words}…" if overall < 1 else words)
            self.bar.setValue(int(overall * 100))
            self.bar.show()

    def _loaded(self, warmed: bool) -> None:
        if not warmed:
            return
        self.ready = True
        self.bar.hide()
        assistant = self.session.assistant
        name = assistant.loaded_model_name if assistant is not None else ""
        self.label.setText(f"Local model ready{': ' + name if name else ''}")
        self.ready_changed.emit(True)

    def _failed(self, exc: BaseException) -> None:
        self.session.load_error = exc
        self.bar.hide()
        self.label.setText("The local model did not load")
        self.show_error(exc)
        self.ready_changed.emit(False)

    def show_model_switched(self, path: str) -> None:
        """The Models panel switched the model: it answers from the next turn."""
        name = model_title(path)
        self.label.setText(f"Local model: {name} ({Path(path).name}), from the next answer")
