"""The turn controller: a question sent while another is answered waits its turn, says so, and is
answered in the same conversation."""

from __future__ import annotations

from edgeapp.gui.controllers.turns import WAITING_FOR_TURN


def test_a_question_sent_while_busy_waits_its_turn(open_window, qtbot):
    window = open_window(router__mode="local")
    finished: list[object] = []
    window.turn_finished.connect(finished.append)
    first = window.turns.send("Name a fruit.")
    second = window.turns.send("Name a vegetable.")
    assert window.turns.busy() and window.bar.stop_button.isVisible()
    assert second.status.text() == WAITING_FOR_TURN
    qtbot.waitUntil(lambda: len(finished) == 2 and not window.turns.busy(), timeout=300000)
    assert first.result is finished[0] and second.result is finished[1]
    assert second.status.text() != WAITING_FOR_TURN
    assert [m.role for m in window.chat.messages] == ["user", "assistant", "user", "assistant"]
    assert finished[0].conversation_id == finished[1].conversation_id == window.conversation.id
    assert len(window.conversation.messages) == 4
    assert not window.bar.stop_button.isVisible() and window.bar.hint.text() == ""
