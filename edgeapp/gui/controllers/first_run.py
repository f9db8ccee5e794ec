"""The first run's model suggestion (issue 26): once the embedded model is loaded, say that it is
for trying edgeapp out and recommend the best catalog model that fits this machine
(`models.suggestion.first_run_suggestion`, decided on a worker); one click downloads it
(`manager.pull`: resumable, sha256-verified) and switches to it (`manager.use`, after the crash
guard's trial run), on a thread of its own so the window's pools stay free. The running assistant
answers from the new model from the next turn.

"Not now" is remembered (`notices/model_suggestion = dismissed` in window.ini) and so is a switch
(`= switched`): the card does not come back. Until then it shows at each start while the
embedded model is the one in use.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QThreadPool, Signal

from ...cancel import CancelToken
from ...models.names import model_title
from ..banner import error_text
from ..model_suggestion import SuggestionCard
from ..session import Session
from ..worker import Job, JobSignals, emit_safely

if TYPE_CHECKING:
    from ...models.downloads import Progress
    from ...models.suggestion import Suggestion

SEEN_KEY = "notices/model_suggestion"
PROGRESS_EVERY_S = 0.1


class _Signals(JobSignals):
    progress = Signal(object)


class FirstRunController(QObject):
    suggested = Signal(object)  # the Suggestion shown (None: nothing to suggest)
    model_switched = Signal(str)  # the model file now in local.model_path
    finished = Signal(object)  # after a click: the file switched to, or the exception

    def __init__(
        self, session: Session, card: SuggestionCard, remembered: QSettings, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.card = card
        self.remembered = remembered
        self.suggestion: Suggestion | None = None
        self.cancel_token: CancelToken | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._keep: dict[_Signals, object] = {}  # each running job's signals and callable
        self._checked = False
        self.decided = False  # the worker has said whether there is a model to suggest
        self._last_progress = 0.0
        card.accepted.connect(self.accept)
        card.cancelled.connect(self.cancel)
        card.dismissed.connect(self.dismiss)

    def check(self, ready: bool = True) -> None:
        """Once the model is loaded: decide on a worker whether to suggest a model, then show it."""
        if not ready or self._checked or self.remembered.value(SEEN_KEY, ""):
            return
        self._checked = True
        from ...models.suggestion import first_run_suggestion

        settings = self.session.settings()
        self.session.pools.run(lambda: first_run_suggestion(settings), self._decided, self._not_decided)

    def _decided(self, suggestion: Suggestion | None) -> None:
        self.suggestion, self.decided = suggestion, True
        if suggestion is not None and not self.session.closing:
            self.card.show_suggestion(suggestion)
        self.suggested.emit(suggestion)

    def _not_decided(self, _exc: BaseException) -> None:  # an odd machine: the Models panel still lists
        self.decided = True
        self.suggested.emit(None)

    def dismiss(self) -> None:
        self.cancel()
        if self.remembered.value(SEEN_KEY, "") != "switched":
            self.remembered.setValue(SEEN_KEY, "dismissed")
        self.card.hide()

    # -- the one click ---------------------------------------------------------------------------
    def accept(self) -> None:
        suggestion = self.suggestion
        if suggestion is None or self.cancel_token is not None:
            return
        from ...models import manager

        token = self.cancel_token = CancelToken()
        name, title = suggestion.name, suggestion.entry.title
        self.card.working(f"Trying {title}…" if suggestion.installed else f"Downloading {title}…")
        signals = _Signals(self)

        def progress(p: Progress) -> None:  # on the download thread: ~10 updates a second
            now = time.monotonic()
            if now - self._last_progress >= PROGRESS_EVERY_S or (p.total and p.done >= p.total):
                self._last_progress = now
                emit_safely(signals.progress, p)

        def pull_and_use() -> Path:
            manager.pull(name, progress=progress, cancel=token)  # raises DownloadCancelled on Cancel
            return manager.use(name)[0]

        self._keep[signals] = pull_and_use
        signals.progress.connect(self.card.show_progress)
        signals.done.connect(self._switched)
        signals.failed.connect(self._failed)
        self.pool.start(Job(pull_and_use, signals))

    def cancel(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.set()
            self.card.status.setText("Cancelling… (what was downloaded is kept: the next try resumes)")

    def _switched(self, path: Path) -> None:
        self.cancel_token = None
        self._keep.clear()
        self.remembered.setValue(SEEN_KEY, "switched")
        self.card.done(f"Switched to {model_title(path)}: the next answer comes from it (no restart needed).")
        self.session.apply_saved_settings(lambda exc: self.card.stopped(error_text(exc)))
        self.model_switched.emit(str(path))
        self.finished.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self.cancel_token = None
        self._keep.clear()
        self.card.stopped(error_text(exc))
        self.finished.emit(exc)

    def shutdown(self, ms: int = 5000) -> None:
        """Quitting mid-download: stop it (the partial is kept to resume) rather than wait for it."""
        if self.cancel_token is not None:
            self.cancel_token.set()
        self.pool.waitForDone(ms)
