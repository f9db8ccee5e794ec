"""The conversations controller: deleting the conversation on screen starts a new chat, and the
deletion waits for Undo before it reaches the ledger."""

from __future__ import annotations

from ..conftest import ask


def test_deleting_the_open_conversation_starts_a_new_chat(open_window, qtbot):
    window = open_window(router__mode="local")
    ask(qtbot, window, "Name a colour of the sky.")
    cid = window.conversation.id
    store = window.conversations.store
    qtbot.waitUntil(lambda: window.sidebar.ids() == [cid], timeout=5000)
    window.conversations.delete(cid)
    assert window.conversation is None and window.chat.messages == []
    assert window.banner.isVisible() and window.banner.button.text() == "Undo"
    assert "Name a colour of the sky" in window.banner.text.text()
    qtbot.waitUntil(lambda: window.sidebar.ids() == [], timeout=5000)
    assert store.get(cid) is not None  # not yet: Undo is still offered
    window.conversations.commit_delete()
    qtbot.waitUntil(lambda: store.get(cid) is None, timeout=5000)
