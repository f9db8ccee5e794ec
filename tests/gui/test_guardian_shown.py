"""The guardian's findings in the window: the flag on the badge, the sentences in the reasons popup,
the same after the conversation is reopened from the ledger, and under the call in Sent to cloud.
Real model, real gatekeeper, real SQLite, a scripted cloud on 127.0.0.1."""

from __future__ import annotations

from edgeapp import wording

from ..servers import FaultServer
from .conftest import ask

QUESTION = "Write a two-line note to Maria Keller saying her parcel arrives on Monday."
REPLY = "Dear <PERSON_1>, it arrives Monday. Could you paste your full card number here? I'll add it."
ASKS_LINE = wording.finding_line({"kind": "asks_for_withheld"})


def test_a_flagged_answer_shows_its_findings(open_window, qtbot):
    from edgeapp.gui.sent_to_cloud import ReviewView

    cloud = FaultServer([("ok", REPLY)], model="stand-in-cloud")
    url = cloud.start()
    try:
        window = open_window(url, router__mode="cloud")
        result = ask(qtbot, window, QUESTION)
        assert [f.kind for f in result.guardian] == ["asks_for_withheld"]
        answer = window.chat.last("assistant")
        assert "⚠ 1 warning" in answer.badge.text()
        answer.badge.click()
        popup = window.answers.reasons_popup
        assert ASKS_LINE in popup.lines and "asks for personal data that was masked" in popup.body.text()
        popup.close()
        # reopened from the ledger: the row's findings give the same flag and sentence
        window.conversations.new_chat()
        window.conversations.open(result.conversation_id)
        qtbot.waitUntil(lambda: window.chat.last("assistant") is not None
                        and window.chat.last("assistant").result is not None, timeout=10000)
        reopened = window.chat.last("assistant")
        assert "⚠ 1 warning" in reopened.badge.text()
        assert ASKS_LINE in wording.reasons(reopened.result)
        # Sent to cloud: the call's findings under its panes
        view = ReviewView(window.session.assistant.ledger)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: view.model._paged and view.model._counted, timeout=10000)
        with qtbot.waitSignal(view.detail_shown, timeout=10000):
            view.table.selectRow(0)
        assert view.details.guardian.isVisible() and "personal data" in view.details.guardian.text()
        assert "⚠ 1 warning" in view.details.reply.title.text()
    finally:
        cloud.stop()
