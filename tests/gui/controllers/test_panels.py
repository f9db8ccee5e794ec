"""The panels controller: the review's "Open conversation" opens it in the chat, deleting history
empties the conversation list, and a budget badge is recognised from a turn or a ledger row."""

from __future__ import annotations

from ..conftest import ask
from ..rawcloud import RawCloud


def test_a_budget_badge_from_a_turn_or_a_ledger_row():
    from edgeapp.gui.controllers.panels import kept_local_for_budget

    assert kept_local_for_budget({"reason_code": "budget", "route": "local-fallback"})
    assert not kept_local_for_budget({"reason_code": "confident", "route": "local"})
    assert not kept_local_for_budget({"route": "local"})


def test_review_opens_its_conversation_and_deleting_empties_the_list(open_window, qtbot):
    cloud = RawCloud(reply="Lima.")
    url = cloud.start()
    try:
        window = open_window(url, router__mode="cloud", prices__overrides=["stand-in-cloud 1 1"])
        budget, review = window.panels.mount_budget_and_review(defer=False)
        result = ask(qtbot, window, "What is the capital of Peru?")
        assert result.route == "cloud"
        cid = window.conversation.id
        window.conversations.new_chat()
        assert window.chat.messages == []
        qtbot.waitUntil(lambda: review.model.total == 1, timeout=10000)
        with qtbot.waitSignal(review.detail_shown, timeout=10000):
            review.table.selectRow(0)
        review.details.open_btn.click()
        qtbot.waitUntil(lambda: len(window.chat.messages) == 2, timeout=10000)
        assert window.conversation.id == cid and window.chat.last("assistant").text == "Lima."
        qtbot.waitUntil(lambda: window.sidebar.ids() == [cid], timeout=10000)
        with qtbot.waitSignal(review.history_deleted, timeout=20000):
            review.delete_history("everything", confirm=False)
        qtbot.waitUntil(lambda: window.sidebar.ids() == [], timeout=10000)
    finally:
        cloud.stop()
