"""What can be done with the last exchange: Chat > Edit last message puts the question back in the
box; Ask the cloud anyway asks it again through the cloud and the local answer leaves the
conversation."""

from __future__ import annotations

from edgeapp.ledger import Ledger

from ..conftest import ask
from ..rawcloud import RawCloud


def test_edit_last_message_from_the_chat_menu(open_window, qtbot):
    window = open_window(router__mode="local")
    ask(qtbot, window, "What is the capital of Spain?")
    action = next(a for a in window.actions() if a.text() == "&Edit last message")
    action.trigger()
    assert window.composer.toPlainText() == "What is the capital of Spain?"
    assert window.chat.messages == [] and window.conversation.messages == []


def test_ask_the_cloud_anyway(open_window, qtbot):
    cloud = RawCloud(reply="Madrid.")
    url = cloud.start()
    try:
        window = open_window(url, router__threshold=0.0)  # auto, and the local answer is always enough
        local = ask(qtbot, window, "What is the capital of Spain?")
        assert local.route == "local" and not cloud.bodies
        answer = window.chat.last("assistant")
        assert answer.cloud_btn.isVisible()
        with qtbot.waitSignal(window.turn_finished, timeout=300000) as done:
            answer.cloud_btn.click()
        qtbot.waitUntil(lambda: not window.turns.busy(), timeout=10000)
        again = done.args[0]
        assert again.route == "cloud" and len(cloud.bodies) == 1 and again.answer == "Madrid."
        assert [m.role for m in window.chat.messages] == ["user", "assistant"]
        assert window.chat.last("assistant").text == "Madrid."
        qtbot.waitUntil(lambda: Ledger().get_turn(local.turn_id)["replaced_at"] is not None, timeout=5000)
    finally:
        cloud.stop()
