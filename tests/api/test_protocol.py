"""Pure parts of the companion: the request's checks, stop sequences across streamed pieces, and how
core events become OpenAI content (the content always adds up to the turn's final answer)."""

from __future__ import annotations

import pytest

from edgeapp.api.deltas import DeltaTranslator
from edgeapp.api.protocol import RequestError, StopFilter, cut_at_stop, parse_chat
from edgeapp.assistant import CloudRestart, CloudToken, Escalating, LocalToken, TurnResult


def result(answer: str, route: str = "local") -> TurnResult:
    return TurnResult(answer=answer, route=route, reason="", confidence=0.5, components={}, threshold=0.5,
                      mode="auto", conversation_id="c")


def test_stop_sequence_spanning_pieces():
    f = StopFilter(["END", "\n\n"])
    out = "".join(f.feed(p) for p in ["Hello wo", "rld E", "N", "D and more"]) + f.flush()
    assert out == "Hello world " and f.hit
    f = StopFilter([])
    assert f.feed("abc") == "abc" and f.flush() == ""
    assert cut_at_stop("one. two. three", [". t"]) == ("one", True)


def content(parts: list[dict]) -> str:
    return "".join(p.get("content", "") for p in parts)


def test_auto_mode_sends_drafts_then_the_final_answer():
    c = DeltaTranslator("auto", [])
    parts = c.event(LocalToken("Paris")) + c.event(LocalToken(" is it"))
    assert content(parts) == "" and parts[0]["edgeapp"]["event"] == "draft"
    assert content(c.finish(result("Paris is it"))) == "Paris is it"


def test_escalated_answer_streams_from_the_cloud_and_a_restart_is_marked():
    c = DeltaTranslator("auto", [])
    parts = c.event(LocalToken("guess")) + c.event(Escalating("unsure", 0.1, "low-confidence", "gpt-4o-mini"))
    assert parts[-1]["edgeapp"]["cloud_model"] == "gpt-4o-mini"
    parts += c.event(CloudToken("The ans")) + c.event(CloudRestart("cut")) + c.event(CloudToken("The answer"))
    parts += c.finish(result("The answer is 4", route="cloud"))
    assert [p["edgeapp"]["event"] for p in parts if "edgeapp" in p] == ["draft", "escalating", "restart"]
    after_restart = parts[[i for i, p in enumerate(parts) if p.get("edgeapp", {}).get("event") == "restart"][0]:]
    assert content(after_restart) == "The answer is 4"


def test_local_mode_streams_content_and_a_cloud_fallback_restarts():
    c = DeltaTranslator("local", ["STOP"])
    text = content(c.event(LocalToken("abc ST")) + c.event(LocalToken("OP def")) + c.finish(result("abc STOP def")))
    assert text == "abc "
    c = DeltaTranslator("cloud", [])
    parts = c.event(CloudToken("half a cl")) + c.event(LocalToken("local answer"))
    assert any(p.get("edgeapp", {}).get("event") == "restart" for p in parts)
    assert content(parts + c.finish(result("local answer", route="local-fallback"))).endswith("local answer")


HI = [{"role": "user", "content": "hi"}]


def parse(**body) -> object:
    return parse_chat({"model": "edgeapp-auto", "messages": HI, **body}, max_tokens_cap=100, max_messages=3)


def test_a_full_request_is_read_field_by_field():
    req = parse_chat({
        "model": "edgeapp-cloud", "stream": True, "stream_options": {"include_usage": True},
        "max_completion_tokens": 50, "max_tokens": 40, "stop": "END", "temperature": 0.5, "top_p": 1,
        "conversation_id": "phone_conv-1", "threshold": 0.7, "n": 1, "tool_choice": "none",
        "response_format": {"type": "text"},
        "messages": [{"role": "developer", "content": "Be brief."}, {"role": "assistant", "content": None},
                     {"role": "user", "content": [{"type": "text", "text": " Two"}, {"type": "text", "text": "parts "}]}],
    }, max_tokens_cap=100)
    assert (req.model, req.mode, req.stream, req.include_usage) == ("edgeapp-cloud", "cloud", True, True)
    assert req.history == [{"role": "system", "content": "Be brief."}, {"role": "assistant", "content": ""}]
    assert req.text == "Two\nparts" and req.max_tokens == 40 and req.stop == ["END"]
    assert (req.temperature, req.conversation_id, req.threshold) == (0.5, "phone_conv-1", 0.7)
    plain = parse()
    assert (plain.stream, plain.include_usage, plain.max_tokens, plain.stop, plain.threshold) == (
        False, False, None, [], None)


@pytest.mark.parametrize(("body", "param", "needle"), [
    ({"model": None}, "model", "'model' is required"),
    ({"messages": HI * 4}, "messages", "at most 3"),
    ({"messages": ["hi"]}, "messages", "must be an object"),
    ({"messages": [{"role": 1, "content": "x"}]}, "messages[0].role", "must be a string"),
    ({"messages": [{"role": "user", "content": None}]}, "messages[0].content", "is missing"),
    ({"messages": [{"role": "user", "content": [{"type": "text", "text": 3}]}]}, "messages[0].content",
     "must be a string"),
    ({"messages": [{"role": "user", "content": "   "}]}, "messages", "is empty"),
    ({"stream_options": []}, "stream_options", "must be an object"),
    ({"max_completion_tokens": 0}, "max_completion_tokens", "at least 1"),
    ({"stop": ["a", "b", "c", "d", "e"]}, "stop", "at most 4"),
    ({"stop": 3}, "stop", "at most 4"),
    ({"top_p": 2}, "top_p", "between 0 and 1"),
    ({"frequency_penalty": True}, "frequency_penalty", "between -2 and 2"),
    ({"functions": [{}]}, "tools", "not supported"),
    ({"tool_choice": "auto"}, "tools", "not supported"),
    ({"logprobs": True}, "logprobs", "own confidence"),
    ({"response_format": {"type": "json_object"}}, "response_format", "Only response_format"),
    ({"conversation_id": "no spaces"}, "conversation_id", "1-64 letters"),
    ({"threshold": 1.5}, "threshold", "between 0 and 1"),
])
def test_each_check_names_the_field(body, param, needle):
    with pytest.raises(RequestError) as refused:
        parse(**body)
    assert refused.value.status == 400 and refused.value.param == param and needle in refused.value.message


def test_the_model_is_checked_before_the_messages():
    with pytest.raises(RequestError) as refused:
        parse_chat({"model": "gpt-4", "messages": "nonsense"}, max_tokens_cap=10)
    assert refused.value.status == 404 and refused.value.code == "model_not_found"
    with pytest.raises(RequestError, match="JSON object"):
        parse_chat([], max_tokens_cap=10)
