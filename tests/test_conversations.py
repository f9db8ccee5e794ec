"""Conversations as data (list, load, resume, rename, delete, search) from the real ledger, and the
placeholder mapping through a resume when `privacy.persist_mapping` is on."""

from __future__ import annotations

import json

import pytest

from edgeapp import config
from edgeapp.assistant import Assistant, TurnOptions
from edgeapp.conversations import ConversationError
from edgeapp.ledger import Ledger

from .servers import FaultServer

LOCAL = TurnOptions(mode="local")


def make(local_model, gatekeeper, **settings) -> Assistant:
    s = config.Settings()
    s.set("local.max_tokens", 8)
    for k, v in settings.items():
        s.set(k.replace("__", "."), v)
    return Assistant(s, local_model=local_model, gatekeeper=gatekeeper)


def test_list_load_rename_search_delete(local_model, gatekeeper):
    a = make(local_model, gatekeeper)
    first = a.conversations.new()
    a.ask_sync(first, "Tell me about sourdough starters.", LOCAL)
    a.ask_sync(first, "And how often to feed one?", LOCAL)
    second = a.conversations.new()
    a.ask_sync(second, "What is the capital of Peru?", LOCAL)

    listed = a.conversations.list()
    assert [c.id for c in listed] == [second.id, first.id]  # most recent activity first
    assert listed[1].turns == 2 and listed[1].title == "Tell me about sourdough starters."
    assert listed[0].last_activity >= listed[1].last_activity
    assert a.conversations.list(limit=1, offset=1)[0].id == first.id

    resumed = a.conversations.load(first.id)
    assert [m["role"] for m in resumed.messages] == ["user", "assistant", "user", "assistant"]
    assert resumed.messages[0]["content"] == "Tell me about sourdough starters."
    assert resumed.messages == first.messages
    a.ask_sync(resumed, "Thanks!", LOCAL)  # resuming adds to the same conversation
    assert a.conversations.list()[0].id == first.id and a.conversations.list()[0].turns == 3

    a.conversations.rename(first.id, "  Bread   notes ")
    assert a.conversations.list()[0].title == "Bread notes" and a.conversations.list()[0].titled
    assert a.conversations.load(first.id).title == "Bread notes"
    with pytest.raises(ConversationError):
        a.conversations.rename(first.id, "   ")

    found = a.conversations.search("sourdough")
    assert [c.id for c in found] == [first.id] and found[0].match in (
        "Tell me about sourdough starters.", "And how often to feed one?", "Thanks!")
    assert a.conversations.search("Peru")[0].id == second.id
    assert a.conversations.search("nothingmatcheswhatsoever") == []

    assert a.conversations.delete(first.id) == 3
    assert [c.id for c in a.conversations.list()] == [second.id]
    assert a.conversations.search("sourdough") == []
    with pytest.raises(ConversationError):
        a.conversations.load(first.id)


def test_delete_removes_what_was_sent_but_the_spending_stays(local_model, gatekeeper):
    server = FaultServer([("ok", "It is Lima.")])
    url = server.start()
    try:
        a = make(local_model, gatekeeper, cloud__base_url=url, cloud__model="gpt-4o-mini")
        c = a.conversations.new()
        result = a.ask_sync(c, "What is the capital of Peru?", TurnOptions(mode="cloud"))
    finally:
        server.stop()
    assert result.route == "cloud" and result.cost > 0
    ledger = Ledger()
    spent = ledger.month_spend()
    assert a.conversations.delete(c.id) == 1
    # the same deletion as the review's: the payload is gone, not just unlinked
    assert list(ledger.rows("cloud_calls")) == []
    assert "capital of Peru" not in ledger.store.path.read_bytes().decode("latin-1")
    assert ledger.month_spend() == pytest.approx(spent)  # the month's spending is unchanged


def test_a_replaced_turn_leaves_the_conversation_but_stays_in_the_ledger(local_model, gatekeeper):
    a = make(local_model, gatekeeper)
    c = a.conversations.new()
    a.ask_sync(c, "Name a colour.", LOCAL)
    old = a.ask_sync(c, "Name a fruit.", LOCAL)
    assert a.conversations.replace(old.turn_id) is True
    assert a.conversations.replace(old.turn_id) is False  # already replaced
    del c.messages[-2:]  # what a face does when the user asks again (Regenerate) or edits the question
    again = a.ask_sync(c, "Name a vegetable.", LOCAL)

    rows = a.conversations.turns(c.id)
    assert [r["id"] for r in rows] == [rows[0]["id"], again.turn_id]
    assert [r["user_text"] for r in rows] == ["Name a colour.", "Name a vegetable."]
    resumed = a.conversations.load(c.id)
    assert [m["content"] for m in resumed.messages if m["role"] == "user"] == ["Name a colour.", "Name a vegetable."]
    assert a.conversations.get(c.id).turns == 2
    assert a.conversations.search("fruit") == []
    # the record keeps it: the log still lists all three turns
    assert len(Ledger().turns(limit=10, conversation_id=c.id)) == 3


@pytest.mark.parametrize("persist", [True, False])
def test_placeholders_survive_a_resume_only_when_persisted(local_model, gatekeeper, persist):
    server = FaultServer([("ok", "Hello <PERSON_1>, noted.")])
    url = server.start()
    try:
        a = make(local_model, gatekeeper, cloud__base_url=url, router__mode="cloud",
                 privacy__persist_mapping=persist)
        c = a.conversations.new()
        first = a.ask_sync(c, "My name is Dana Whitfield. Please remember it.")
        assert first.answer == "Hello Dana Whitfield, noted."  # restored locally
        a.close()
        # a new session (another face, or the app restarted) resumes the conversation
        b = make(local_model, gatekeeper, cloud__base_url=url, router__mode="cloud",
                 privacy__persist_mapping=persist)
        resumed = b.conversations.load(c.id)
        assert (resumed.vault.value_of("<PERSON_1>") == "Dana Whitfield") is persist
        b.ask_sync(resumed, "Do you remember Dana Whitfield?")
    finally:
        server.stop()
    body = json.dumps(server.requests[-1])
    assert "Dana Whitfield" not in body
    assert body.count("<PERSON_1>") >= 2  # the history and the new message agree


def test_without_a_ledger_nothing_is_kept(local_model, gatekeeper):
    s = config.Settings()
    s.set("local.max_tokens", 4)
    a = Assistant(s, local_model=local_model, gatekeeper=gatekeeper, use_ledger=False)
    a.ask_sync(a.conversations.new(), "Hi", LOCAL)
    assert a.conversations.list() == [] and a.conversations.search("Hi") == []


def test_a_clients_conversations_the_one_it_used_last_first(local_model, gatekeeper):
    a = make(local_model, gatekeeper)
    phone, cli = TurnOptions(mode="local", client="api:phone"), TurnOptions(mode="local", client="cli")
    older, shared, elsewhere = a.conversations.new(), a.conversations.new(), a.conversations.new()
    a.ask_sync(older, "Name a bird.", phone)
    a.ask_sync(shared, "Name a tree.", cli)
    a.ask_sync(shared, "And a flower?", phone)
    a.ask_sync(elsewhere, "Name a fish.", cli)
    a.ask_sync(older, "And a mammal?", cli)  # the phone's own latest turn orders its list

    listed = a.conversations.by_client("api:phone")
    assert [c.id for c in listed] == [shared.id, older.id]
    assert listed[1].turns == 2 and listed[1].title == "Name a bird."  # every turn counts, not the phone's
    assert [c.id for c in a.conversations.by_client("api:phone", limit=1)] == [shared.id]
    assert [c.id for c in a.conversations.by_client("cli")] == [older.id, elsewhere.id, shared.id]
    assert a.conversations.by_client("api:nobody") == []


def test_turns_with_the_replaced_ones_for_a_face_that_shows_them_all(local_model, gatekeeper):
    a = make(local_model, gatekeeper)
    c = a.conversations.new()
    first = a.ask_sync(c, "Name a colour.", LOCAL)
    old = a.ask_sync(c, "Name a fruit.", LOCAL)
    a.conversations.replace(old.turn_id)
    assert [r["id"] for r in a.conversations.turns(c.id)] == [first.turn_id]
    every = a.conversations.turns(c.id, include_replaced=True)
    assert [r["id"] for r in every] == [first.turn_id, old.turn_id]
    assert every[1]["replaced_at"] and every[1]["route"] == "local"
    assert a.conversations.turns("nosuchconversation", include_replaced=True) == []


def test_a_client_with_only_replaced_turns_lists_nothing(local_model, gatekeeper):
    a = make(local_model, gatekeeper)
    c = a.conversations.new()
    gone = a.ask_sync(c, "Name a colour.", TurnOptions(mode="local", client="api:phone"))
    a.conversations.replace(gone.turn_id)
    assert a.conversations.by_client("api:phone") == []
    s = config.Settings()
    s.set("local.max_tokens", 4)
    off = Assistant(s, local_model=local_model, gatekeeper=gatekeeper, use_ledger=False)
    assert off.conversations.by_client("cli") == [] and off.conversations.turns(c.id) == []
