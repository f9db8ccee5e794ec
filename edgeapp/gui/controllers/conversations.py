"""The conversation list: new chat, open (shown in slices), search, rename, and delete with Undo.
Everything goes through the core's `assistant.conversations`, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from ..banner import Banner
from ..chat import ChatView, Message
from ..composer import Composer
from ..session import Session
from ..sidebar import Sidebar

if TYPE_CHECKING:
    from ...conversations import Conversation, ConversationInfo, Conversations

UNDO_MS = 8000
LIST_LIMIT = 500
SLICE = 10  # messages put in the view per pass of the event loop


class ConversationsController(QObject):
    """Answers the sidebar's requests. `changed` after the list was filled again."""

    changed = Signal()

    def __init__(
        self,
        session: Session,
        sidebar: Sidebar,
        chat: ChatView,
        composer: Composer,
        banner: Banner,
        stop_turns: Callable[[], None],
        busy: Callable[[], bool],
        show_error: Callable[[BaseException], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.sidebar = sidebar
        self.chat = chat
        self.composer = composer
        self.banner = banner
        self.stop_turns = stop_turns
        self.busy = busy
        self.show_error = show_error
        self.reopen_id: str | None = None  # opened once the assistant is up (the last one, at start)
        self._pending_delete: tuple[str, QTimer] | None = None
        self._query = ""
        sidebar.new_requested.connect(self.new_chat)
        sidebar.open_requested.connect(self.open)
        sidebar.rename_requested.connect(self.rename)
        sidebar.delete_requested.connect(self.delete)
        sidebar.search_changed.connect(self.search)

    @property
    def store(self) -> Conversations | None:
        """The core's conversations, once the assistant exists."""
        return self.session.conversations()

    def assistant_ready(self) -> None:
        """The assistant exists: reopen the conversation asked for meanwhile, fill the list."""
        if self.reopen_id and not self.busy():
            self.open(self.reopen_id)
        self.reopen_id = None
        self.refresh()

    def new_chat(self) -> None:
        self.stop_turns()
        self.session.conversation = None  # made by the next turn, on the model thread
        self.chat.clear()
        self.sidebar.clear_current()
        self.composer.setFocus()
        self.refresh()

    # -- the list ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        store = self.store
        if store is None:
            return
        query = self._query

        def fetch() -> list[ConversationInfo]:
            return store.search(query) if query else store.list(limit=LIST_LIMIT)

        self.session.pools.run(fetch, self._fill, self.show_error)

    def _fill(self, items: list[ConversationInfo]) -> None:
        if self._pending_delete is not None:
            items = [i for i in items if i.id != self._pending_delete[0]]
        self.sidebar.fill(items, self.session.conversation_id())
        self.changed.emit()

    def search(self, query: str) -> None:
        self._query = query
        self.refresh()

    # -- one conversation -------------------------------------------------------------------------
    def open(self, conversation_id: str) -> None:
        store = self.store
        if store is None:
            self.reopen_id = conversation_id
            return
        self.stop_turns()

        def load() -> tuple[Conversation, list[dict[str, Any]]]:
            # each answer's badge comes from its ledger row
            return store.load(conversation_id), store.turns(conversation_id)

        def shown(loaded: tuple[Conversation, list[dict[str, Any]]]) -> None:
            conversation, rows = loaded
            self.session.conversation = conversation
            self.show(conversation, rows)
            self.sidebar.select(conversation_id)

        def gone(_exc: BaseException) -> None:  # deleted meanwhile: start afresh, say nothing
            if self.sidebar.current_id == conversation_id:
                self.sidebar.current_id = None

        self.session.pools.run(load, shown, gone)

    def show(self, conversation: Conversation, rows: list[dict[str, Any]] | None = None) -> None:
        """Put a loaded conversation in the view (in slices, so a long one never stalls the window).
        `rows`: the ledger's turns of it, oldest first, for the badges of the answers."""
        self.session.conversation = conversation
        self.chat.clear()
        messages = list(conversation.messages)
        answers = [r for r in (rows or []) if r.get("answer")]
        if len(answers) != sum(1 for m in messages if m.get("role") == "assistant"):
            answers = []  # history edited elsewhere: show the text without badges rather than wrong ones
        badges = iter(answers)
        cloud_ok = self.session.cloud_configured()

        def add_slice(start: int = 0) -> None:
            if conversation is not self.session.conversation:
                return
            for item in messages[start : start + SLICE]:
                m = Message(item.get("role", "user"), item.get("content", ""))
                m.render_now()
                self.chat.add(m)
                if m.role == "assistant":
                    m.cloud_ok = cloud_ok
                    row = next(badges, None)
                    if row is not None:
                        m.set_result(row)
            if start + SLICE < len(messages):
                QTimer.singleShot(0, lambda: add_slice(start + SLICE))
            else:
                self.chat.scroll_to_end()

        add_slice()

    def rename(self, conversation_id: str, title: str) -> None:
        store = self.store
        if store is not None:
            self.session.pools.run(
                lambda: store.rename(conversation_id, title), lambda _v: self.refresh(), self.show_error
            )

    # -- delete, with Undo ------------------------------------------------------------------------
    def delete(self, conversation_id: str) -> None:
        """Hide it at once; really delete after a few seconds unless Undo is pressed."""
        self.commit_delete()
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(self.commit_delete)
        self._pending_delete = (conversation_id, timer)
        timer.start(UNDO_MS)
        title = self.sidebar.title_of(conversation_id)
        if conversation_id == self.session.conversation_id():
            self.new_chat()
        else:
            self.refresh()
        self.banner.show_message(
            f"Deleted “{title}”.", kind="info", button="Undo", callback=self.undo_delete, timeout_ms=UNDO_MS
        )

    def undo_delete(self) -> None:
        if self._pending_delete is not None:
            self._pending_delete[1].stop()
            self._pending_delete = None
        self.refresh()

    def commit_delete(self, *, wait: bool = False) -> None:
        """Delete the conversation waiting for Undo now (`wait`: here, before returning: quitting)."""
        store = self.store
        if self._pending_delete is None or store is None:
            return
        conversation_id, timer = self._pending_delete
        timer.stop()
        self._pending_delete = None
        if wait:
            store.delete(conversation_id)
            return
        self.session.pools.run(
            lambda: store.delete(conversation_id), lambda _v: self.refresh(), self.show_error
        )
