"""The turn in progress: send a question (or queue it behind the running turn and the model load),
stream the core's events into the answer, Stop, and confirm-before-send."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from ..banner import Banner, error_text
from ..chat import ChatView, Message
from ..composer import ComposerBar
from ..dialogs import ConfirmSendDialog
from ..session import Session
from ..worker import Reply, Turn, start_turn
from .loading import LoadingController

if TYPE_CHECKING:
    from ...assistant import Event, TurnResult
    from ...gatekeeper import ScrubbedPayload

WAITING_FOR_MODEL = "Waiting for the local model to load…"
WAITING_FOR_TURN = "Waiting for the answer above to finish…"


class TurnController(QObject):
    """`send(text)` puts the question and its answer in the chat and runs the turn on the model
    thread. `turn_finished(result)` after every turn (the core's TurnResult); `turn_ended()` when a
    turn is over, answered or not."""

    turn_finished = Signal(object)
    turn_ended = Signal()

    def __init__(
        self,
        session: Session,
        chat: ChatView,
        bar: ComposerBar,
        banner: Banner,
        loading: LoadingController,
        show_error: Callable[[BaseException], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.chat = chat
        self.bar = bar
        self.banner = banner
        self.loading = loading
        self.show_error = show_error
        self.dialog_parent = parent
        self.running: list[tuple[Turn, Message]] = []  # the running turn first, then the queued ones
        self.confirm_dialog: ConfirmSendDialog | None = None
        loading.ready_changed.connect(self._model_ready)

    def busy(self) -> bool:
        return bool(self.running)

    def send(self, text: str, *, mode: str | None = None) -> Message | None:
        """Send `text` (or queue it behind the running turn / the model load)."""
        text = (text or "").strip()
        if not text:
            return None
        composer = self.bar.composer
        composer.last_sent = text
        if composer.toPlainText().strip() == text:
            composer.clear()
        self.chat.scroll_to_end()
        self.chat.add(Message("user", text))
        return self.start(text, mode)

    def start(self, text: str, mode: str | None) -> Message:
        """Ask `text` (already shown as the last question) and stream the answer below it."""
        answer = self.chat.add(Message("assistant"))
        answer.cloud_ok = self.session.cloud_configured()
        answer.actions.hide()  # badge, thumbs and actions once the answer is done
        answer.streaming = True
        answer.render_now()
        if not self.loading.ready:
            answer.set_status(WAITING_FOR_MODEL)
        elif self.running:
            answer.set_status(WAITING_FOR_TURN)
        # the load goes first on the model thread; this turn queues behind it
        self.loading.start_pending_load()
        turn = Turn(self.session.prepare_turn, text, mode or self.bar.mode(), parent=self)
        turn.event.connect(lambda event, m=answer: self._on_event(m, event))
        turn.failed.connect(lambda exc, m=answer, t=turn: self._on_failed(t, m, exc))
        turn.finished.connect(lambda m=answer, t=turn: self._on_finished(t, m))
        turn.confirm.connect(self._on_confirm)
        self.running.append((turn, answer))
        self.bar.show_busy(True)
        start_turn(self.session.pools, turn)
        return answer

    def stop(self) -> None:
        """Stop the running answer and drop queued ones."""
        for turn, _ in self.running:
            turn.cancel.set()

    def close(self) -> None:
        """The window closes: stop, and say no to a confirmation still asked."""
        self.stop()
        dialog = self.confirm_dialog
        if dialog is not None and dialog.isVisible():
            dialog.reject()

    # -- the core's events, on the GUI thread ---------------------------------------------------
    def _on_event(self, message: Message, event: Event) -> None:
        from ...assistant import CloudRestart, CloudToken, Escalating, LocalToken, Notice, TurnDone

        if message not in self.chat.messages:  # the user moved to another conversation meanwhile
            if isinstance(event, TurnDone):
                self.turn_finished.emit(event.result)
            return
        if isinstance(event, LocalToken | CloudToken):
            if message.status.text().startswith("Waiting"):
                message.set_status("")
            message.append(event.text)
        elif isinstance(event, Escalating):
            message.set_draft(message.text)
            message.set_text("")
            message.set_status(event.reason)  # the core's words; the "asking <model> …" notice follows
            message.escalated = True
        elif isinstance(event, CloudRestart):
            message.set_text("")  # the broken text goes; the retry streams afresh
            message.set_status(f"The cloud answer broke off ({event.reason}); retrying…")
        elif isinstance(event, Notice):
            if event.kind in ("alert", "ledger"):  # budget, ledger file: for the whole window
                self.banner.show_message(event.text, kind="warning")
            else:  # sending: "asking <model> — … masked"; fallback, collab, privacy
                message.set_status(event.text)
        elif isinstance(event, TurnDone):
            self._done(message, event.result)

    def _done(self, message: Message, result: TurnResult) -> None:
        message.streaming = False
        message.set_text(result.answer)
        message.render_now()
        if result.route != "cloud":
            message.set_draft("")
        elif not message.draft and result.local_answer:
            message.set_draft(result.local_answer)
        if message.status.text().startswith("Waiting"):
            message.set_status("")
        message.set_result(result, currency=self.session.settings()["budget.currency"])
        message.actions.show()
        self.chat.mark_last()
        self.turn_finished.emit(result)

    def _on_failed(self, turn: Turn, message: Message, exc: BaseException) -> None:
        if message not in self.chat.messages:
            self.show_error(exc)
            return
        message.streaming = False
        message.set_text("")
        message.render_now()
        message.set_status(f"No answer: {error_text(exc)}")
        # nothing typed is lost: the question goes back into an empty box
        composer = self.bar.composer
        if not composer.toPlainText().strip():
            composer.setPlainText(turn.text)
        self.show_error(exc)

    def _on_finished(self, turn: Turn, message: Message) -> None:
        self.running = [(t, m) for t, m in self.running if t is not turn]
        if message in self.chat.messages and message.streaming:  # ended without TurnDone (stopped early)
            message.streaming = False
            message.render_now()
            if not message.status.text().startswith("No answer"):
                message.set_status("Stopped.")
                message.actions.show()
        if self.running and self.running[0][1] in self.chat.messages:
            following = self.running[0][1]
            if following.status.text().startswith(WAITING_FOR_TURN):
                following.set_status("")
        turn.deleteLater()
        self.bar.show_busy(self.busy())
        if not self.session.closing:
            self.turn_ended.emit()

    def _model_ready(self, ready: bool) -> None:
        if not ready:
            return
        for _turn, message in self.running:
            if message.streaming and not message.text:
                message.set_status("")

    def _on_confirm(self, payload: ScrubbedPayload, reply: Reply) -> None:
        if self.session.closing:
            reply.answer(False)
            return
        dialog = ConfirmSendDialog(payload, self.session.settings()["cloud.model"], self.dialog_parent)
        self.confirm_dialog = dialog
        dialog.finished.connect(lambda code: reply.answer(code == QDialog.DialogCode.Accepted))
        dialog.open()
