"""Pure parts of the companion: stop sequences across streamed pieces, and how core events become
OpenAI content (the content always adds up to the turn's final answer)."""

from __future__ import annotations

from edgeapp.api.app import Composer
from edgeapp.api.protocol import StopFilter, cut_at_stop
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
    c = Composer("auto", [])
    parts = c.event(LocalToken("Paris")) + c.event(LocalToken(" is it"))
    assert content(parts) == "" and parts[0]["edgeapp"]["event"] == "draft"
    assert content(c.finish(result("Paris is it"))) == "Paris is it"


def test_escalated_answer_streams_from_the_cloud_and_a_restart_is_marked():
    c = Composer("auto", [])
    parts = c.event(LocalToken("guess")) + c.event(Escalating("unsure", 0.1, "low-confidence", "gpt-4o-mini"))
    assert parts[-1]["edgeapp"]["cloud_model"] == "gpt-4o-mini"
    parts += c.event(CloudToken("The ans")) + c.event(CloudRestart("cut")) + c.event(CloudToken("The answer"))
    parts += c.finish(result("The answer is 4", route="cloud"))
    assert [p["edgeapp"]["event"] for p in parts if "edgeapp" in p] == ["draft", "escalating", "restart"]
    after_restart = parts[[i for i, p in enumerate(parts) if p.get("edgeapp", {}).get("event") == "restart"][0]:]
    assert content(after_restart) == "The answer is 4"


def test_local_mode_streams_content_and_a_cloud_fallback_restarts():
    c = Composer("local", ["STOP"])
    text = content(c.event(LocalToken("abc ST")) + c.event(LocalToken("OP def")) + c.finish(result("abc STOP def")))
    assert text == "abc "
    c = Composer("cloud", [])
    parts = c.event(CloudToken("half a cl")) + c.event(LocalToken("local answer"))
    assert any(p.get("edgeapp", {}).get("event") == "restart" for p in parts)
    assert content(parts + c.finish(result("local answer", route="local-fallback"))).endswith("local answer")
