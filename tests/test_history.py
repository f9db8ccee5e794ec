"""What goes with a message: local history fitted for any message list, cloud history bounded by a
token budget (newest first) and scrubbed per message, and the confirm-before-send hook."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from edgeapp import config
from edgeapp.assistant import Assistant, TurnOptions
from edgeapp.cli.main import main
from edgeapp.conversations import Conversation
from edgeapp.gatekeeper import ScrubbedPayload
from edgeapp.ledger import Ledger
from edgeapp.turn.draft import fit_history

from .servers import FaultServer

CARD = "4111 1111 1111 1111"


@pytest.fixture
def cloud():
    server = FaultServer([("ok", "Done.")])
    url = server.start()
    yield server, url
    server.stop()


def make(local_model, gatekeeper, url=None, **settings) -> Assistant:
    s = config.Settings()
    if url:
        s.set("cloud.base_url", url)
    s.set("local.max_tokens", 8)
    for k, v in settings.items():
        s.set(k.replace("__", "."), v)
    return Assistant(s, local_model=local_model, gatekeeper=gatekeeper)


def test_history_fits_any_message_list(default_model, gatekeeper):
    from edgeapp.models.local_model import LocalModel

    with LocalModel(default_model, n_ctx=512) as small:
        a = make(small, gatekeeper, local__max_tokens=32)
        odd = Conversation(messages=[
            {"role": "assistant", "content": "I start the conversation. " * 5},
            {"role": "system", "content": "Answer in one short sentence."},
            {"role": "user", "content": "First question about rivers? " * 10},
            {"role": "user", "content": "A second user message in a row. " * 10},
            {"role": "assistant", "content": "An answer. " * 20},
            {"role": "system", "content": "Be polite."},
            {"role": "assistant", "content": "Two assistant messages in a row. " * 10},
            {"role": "user", "content": "Newest earlier message about lakes."},
        ])
        messages = fit_history(small, odd.messages, "What is a delta?", "SYSTEM PROMPT", 32)
        assert [m["role"] for m in messages].count("system") == 1 and messages[0]["role"] == "system"
        assert "SYSTEM PROMPT" in messages[0]["content"] and "Be polite." in messages[0]["content"]
        assert messages[-1] == {"role": "user", "content": "What is a delta?"}
        assert messages[-2]["content"] == "Newest earlier message about lakes."  # newest kept first
        assert messages[1]["role"] == "user"  # the window never opens with an assistant message
        assert small.count_tokens(messages) <= 512 - min(32, 512 // 4)
        assert len(messages) < 2 + 6  # something old had to go
        # a turn on this list runs
        result = a.ask_sync(odd, "What is a delta?", TurnOptions(mode="local"))
        assert result.answer and result.local_prompt_tokens <= 512


def test_cloud_history_is_bounded_newest_first(local_model, gatekeeper, cloud):
    server, url = cloud
    a = make(local_model, gatekeeper, url, router__mode="cloud", cloud__history_tokens=60)
    c = Conversation(messages=[{"role": "user" if i % 2 == 0 else "assistant",
                                "content": f"Message number {i}. " + "filler words " * 10} for i in range(30)])
    result = a.ask_sync(c, "And now?")
    sent = [m["content"] for m in server.requests[-1]["messages"]]
    assert sent[-1] == "And now?"
    history = sent[1:-1]
    assert 1 <= len(history) <= 2 and history[-1].startswith("Message number 29.")
    assert result.history_sent == len(history) and result.history_left_out == 30 - len(history)
    a.ask_sync(Conversation(messages=list(c.messages)), "Only this?", TurnOptions())
    a.settings.set("cloud.history_tokens", 0)
    a.ask_sync(Conversation(messages=list(c.messages)), "Only this?")
    assert [m["role"] for m in server.requests[-1]["messages"]] == ["system", "user"]


def test_a_blocked_value_blocks_only_while_it_is_in_the_window(local_model, gatekeeper, cloud):
    server, url = cloud
    # no gatekeeper passed in: the assistant builds its own from the settings, policy included
    a = make(local_model, None, url, router__mode="cloud", privacy__policy__credit_card="block",
             cloud__history_tokens=120)
    c = a.conversations.new()
    blocked = a.ask_sync(c, f"My card is {CARD}, is that a Visa?")
    assert blocked.route == "blocked" and blocked.reason_code == "privacy" and not server.requests
    later = a.ask_sync(c, "What is the capital of France?")
    assert later.route == "cloud" and later.reason_code == "mode-cloud"
    body = json.dumps(server.requests[-1])
    assert "4111" not in body and "capital of France" in body
    for i in range(6):  # the card message falls out of the window
        a.ask_sync(c, f"Another question number {i} about geography and rivers?")
    assert all("4111" not in json.dumps(r) for r in server.requests)


def test_confirm_before_send(local_model, gatekeeper, cloud):
    server, url = cloud
    a = make(local_model, gatekeeper, url, router__mode="cloud", privacy__confirm_before_send=True)
    seen: list[ScrubbedPayload] = []

    def refuse(payload: ScrubbedPayload) -> bool:
        seen.append(payload)
        return False

    kept = a.ask_sync(a.new_conversation(), "Dana Whitfield asks: what is 2 + 2?", TurnOptions(confirm=refuse))
    assert kept.route == "local-fallback" and kept.reason_code == "user-kept-local" and kept.answer
    assert not server.requests and not list(Ledger().rows("reservations"))  # nothing sent, nothing reserved
    assert "Dana Whitfield" not in json.dumps(seen[0].as_messages())  # it was shown scrubbed
    assert "<PERSON_1>" in seen[0].messages[-1][1]
    no_way_to_ask = a.ask_sync(a.new_conversation(), "What is 2 + 2?")
    assert no_way_to_ask.reason_code == "user-kept-local" and not server.requests
    sent = a.ask_sync(a.new_conversation(), "What is 2 + 2?", TurnOptions(confirm=lambda p: True))
    assert sent.route == "cloud" and len(server.requests) == 1
    a.settings.set("privacy.confirm_before_send", False)
    asked = []
    a.ask_sync(a.new_conversation(), "What is 3 + 3?", TurnOptions(confirm=lambda p: asked.append(p) or False))
    assert not asked and len(server.requests) == 2  # the hook is called only when the setting is on


def test_cli_ask_refuses_to_send_without_a_terminal_unless_yes(default_model, cloud):
    server, url = cloud
    runner = CliRunner()
    for key, value in (("cloud.base_url", url), ("privacy.confirm_before_send", "true"), ("local.max_tokens", "8")):
        assert runner.invoke(main, ["config", "set", key, value]).exit_code == 0
    refused = runner.invoke(main, ["ask", "--json", "--mode", "cloud", "What is 2 + 2?"])
    assert refused.exit_code == 0, refused.output
    record = json.loads(refused.stdout)
    assert record["route"] == "local-fallback" and record["reason_code"] == "user-kept-local"
    assert "--yes" in refused.stderr and not server.requests
    sent = runner.invoke(main, ["ask", "--json", "--yes", "--mode", "cloud", "What is 2 + 2?"])
    assert sent.exit_code == 0, sent.output
    assert json.loads(sent.stdout)["route"] == "cloud" and len(server.requests) == 1
    row = Ledger().turns(limit=1)[0]
    assert row["client"] == "cli"


def test_cli_chat_asks_before_sending_and_lists_conversations(default_model, cloud):
    server, url = cloud
    runner = CliRunner()
    for key, value in (("cloud.base_url", url), ("privacy.confirm_before_send", "true"), ("local.max_tokens", "8")):
        runner.invoke(main, ["config", "set", key, value])
    out = runner.invoke(main, ["chat", "--mode", "cloud"],
                        input="What is 2 + 2?\nn\nWhat is 3 + 3?\ny\n/list\n/rename Sums\n/list\n/quit\n")
    assert out.exit_code == 0, out.output
    assert out.output.count("Send it?") == 2 and len(server.requests) == 1
    assert "About to send to the cloud" in out.output
    assert "  1. Sums" in out.output
