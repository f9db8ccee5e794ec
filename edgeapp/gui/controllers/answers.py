"""What the buttons under an answer do: Regenerate, Edit, Ask the cloud anyway, the thumbs
(feedback recorded in the ledger) and the reasons popup of the badge."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..chat import ChatView, Message
from ..composer import Composer
from ..dialogs import ReasonsPopup
from ..session import Session
from .turns import TurnController


class AnswerActions(QObject):
    """Listens to the chat's buttons. `reasons_requested(record)` fires before the reasons popup
    opens (the budget panel comes forward for a "kept local (budget)" badge)."""

    reasons_requested = Signal(object)  # the answer's TurnResult or ledger row

    def __init__(
        self,
        session: Session,
        chat: ChatView,
        composer: Composer,
        turns: TurnController,
        show_error: Callable[[BaseException], None],
        say: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.chat = chat
        self.composer = composer
        self.turns = turns
        self.show_error = show_error
        self.say = say  # a short message in the status bar
        self.popup_parent = parent
        self.reasons_popup: ReasonsPopup | None = None
        chat.badge_clicked.connect(self.show_reasons)
        chat.feedback.connect(self.feedback)
        chat.regenerate.connect(lambda _m: self.regenerate_last())
        chat.cloud_anyway.connect(lambda _m: self.ask_cloud_anyway())
        chat.edit.connect(lambda _m: self.edit_last())

    def _drop_last_exchange(self) -> str | None:
        """Remove the last question and answer from the view and from the history sent to the model."""
        if self.turns.busy():
            return None
        user, answer = self.chat.last("user"), self.chat.last("assistant")
        if user is None:
            return None
        conversation = self.session.conversation
        msgs = conversation.messages if conversation is not None else []
        if len(msgs) >= 2 and msgs[-2].get("role") == "user" and msgs[-2].get("content") == user.text:
            del msgs[-2:]
        if answer is not None:
            turn_id = answer.turn_id()
            store = self.session.conversations()
            if turn_id is not None and store is not None:  # reopened later, it shows the new answer only
                self.session.pools.run(lambda: store.replace(turn_id), None, self.show_error)
            self.chat.remove(answer)
        return user.text

    def regenerate_last(self, mode: str | None = None) -> None:
        if self.chat.last("user") is None or self.turns.busy():
            return
        text = self._drop_last_exchange()
        if text is not None:
            self.turns.start(text, mode)

    def ask_cloud_anyway(self) -> None:
        self.regenerate_last(mode="cloud")

    def edit_last(self) -> None:
        user = self.chat.last("user")
        if user is None or self.turns.busy():
            return
        text = self._drop_last_exchange()
        self.chat.remove(user)
        self.composer.put_back(text or "")

    def feedback(self, message: Message, value: str) -> None:
        """Thumbs up/down: the ledger's set_feedback, as `edgeapp feedback` records it."""
        turn_id = message.turn_id()
        if turn_id is None:
            return
        checked = (message.good if value == "good" else message.bad).isChecked()
        session = self.session

        def record() -> None:
            ledger = session.assistant.ledger if session.assistant is not None else None
            if ledger is not None:
                ledger.set_feedback(turn_id, value if checked else None)

        session.pools.run(record, lambda _v: self.say("Feedback recorded."), self.show_error)

    def show_reasons(self, message: Message) -> None:
        if message.result is None:
            return
        self.reasons_requested.emit(message.result)
        self.reasons_popup = ReasonsPopup(message.result, self.popup_parent)
        self.reasons_popup.show_below(message.badge)
