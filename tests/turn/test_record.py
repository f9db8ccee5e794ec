"""Recording a turn: the conversation, the saved mapping, and the ledger's row linked to its calls
(real SQLite)."""

from __future__ import annotations

from edgeapp.conversations import Conversation
from edgeapp.errors import EdgeappError
from edgeapp.ledger import CloudCallRecord, Ledger
from edgeapp.turn.events import TurnResult
from edgeapp.turn.record import record, turn_record


def result_for(conversation: Conversation, **fields) -> TurnResult:
    base = {"answer": "Four.", "route": "local", "reason": "confidence 0.90 >= threshold 0.50",
            "confidence": 0.9, "components": {"verbal": 0.9}, "threshold": 0.5, "mode": "auto",
            "conversation_id": conversation.id, "local_model": "smol", "client": "cli"}
    return TurnResult(**{**base, **fields})


def a_cloud_call(ledger: Ledger) -> int:
    held = ledger.reserve("openai", "gpt-4o-mini", "https://api.openai.com/v1", 100, 50)
    call = CloudCallRecord(None, "openai", "gpt-4o-mini", "{}", {}, "{}", 100, 50, "ok", None, 10.0)
    ledger.settle(held, call)
    return call.id


def test_the_turn_joins_the_conversation_and_the_ledger(tmp_path):
    saved: list[str] = []
    conversation = Conversation()
    with Ledger(tmp_path / "l.db") as ledger:
        call_id = a_cloud_call(ledger)
        result = result_for(conversation, route="cloud", cloud_call_ids=[call_id], cost=0.001, stopped=True,
                            reason_code="stopped")
        turn_id = record(conversation, "What is 2 + 2?", result, ledger=ledger,
                         save_mapping=lambda c: saved.append(c.id))
        row = ledger.get_turn(turn_id)
        assert (row["route"], row["answer"], row["client"], row["stopped"], row["reason_code"]) == (
            "cloud", "Four.", "cli", 1, "stopped")
        assert row["user_text"] == "What is 2 + 2?" and row["conversation_id"] == conversation.id
        assert next(ledger.rows("cloud_calls"))["turn_id"] == turn_id
    assert conversation.messages == [{"role": "user", "content": "What is 2 + 2?"},
                                     {"role": "assistant", "content": "Four."}]
    assert saved == [conversation.id]


def test_no_answer_no_ledger_and_a_mapping_that_cannot_be_saved():
    conversation = Conversation()

    def cannot_save(_: Conversation) -> None:
        raise EdgeappError("the disk is full")

    stopped = result_for(conversation, answer="", stopped=True)
    assert record(conversation, "Hello?", stopped, ledger=None, save_mapping=cannot_save) is None
    assert conversation.messages == [{"role": "user", "content": "Hello?"}]  # the turn stands


def test_the_ledger_row_carries_the_result():
    conversation = Conversation()
    result = result_for(conversation, local_prompt_tokens=30, local_completion_tokens=3, local_ms=12.5,
                        cloud_ms=80.0, cost=0.002, cloud_call_ids=[4, 5])
    row = turn_record(result, "What is 2 + 2?")
    assert (row.local_prompt_tokens, row.local_completion_tokens, row.local_ms) == (30, 3, 12.5)
    assert (row.cloud_ms, row.cost, row.cloud_call_ids, row.local_model) == (80.0, 0.002, [4, 5], "smol")
    assert row.components == {"verbal": 0.9} and row.threshold == 0.5 and row.confidence == 0.9
