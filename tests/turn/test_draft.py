"""The local draft with the real model: history fitted to the context, the confidence statement
hidden from the stream, the score, a stop, and a saved calibration picked up when it changes."""

from __future__ import annotations

import pytest

from edgeapp.cancel import CancelToken
from edgeapp.confidence import calibration
from edgeapp.errors import PromptError
from edgeapp.turn.draft import LocalDraft, SavedCalibration, draft, fit_history, local_system_prompt
from edgeapp.turn.events import LocalToken


def run(gen):
    """Drive a stage: its events, and what it returned."""
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as done:
            return events, done.value


# earlier answers that state their confidence: the small model then states one too
STATED = [
    message
    for question, answer in (("What is 1 + 1?", "2"), ("What is the capital of Italy?", "Rome."), ("3 + 3?", "6"))
    for message in ({"role": "user", "content": question},
                    {"role": "assistant", "content": f"{answer}\nConfidence: 9/10"})
]


def test_the_draft_hides_the_confidence_statement_and_scores_the_answer(local_model):
    events, out = run(draft(local_model, STATED, "What is 2 + 2?", max_tokens=48, token=CancelToken(),
                            saved=SavedCalibration()))
    assert isinstance(out, LocalDraft) and not out.stopped and out.model == local_model.name
    assert events and all(isinstance(e, LocalToken) for e in events)
    shown = "".join(e.text for e in events)
    assert "Confidence:" not in shown and out.answer and out.answer.strip() in shown
    assert out.components["verbal"] is not None  # the model did state one: it was hidden, and used
    assert 0.0 <= out.confidence <= 1.0 and out.components["method"] == "default"
    assert out.prompt_tokens > 0 and 0 < out.completion_tokens <= 48 and out.ms > 0


def test_a_stopped_draft_has_no_confidence(local_model):
    token = CancelToken()
    token.set()
    events, out = run(draft(local_model, [], "Tell me a story.", max_tokens=32, token=token,
                            saved=SavedCalibration()))
    assert out.stopped and out.completion_tokens == 0 and out.confidence is None and out.components == {}
    assert not events


def test_a_saved_calibration_applies_from_when_it_changes(local_model):
    saved = SavedCalibration()
    assert saved.current() is None
    n = len(calibration.FEATURES)
    calibration.Calibration(mean=[0.0] * n, scale=[1.0] * n, coef=[0.0] * n, intercept=2.0).save()
    fitted = saved.current()
    assert fitted is not None and fitted.intercept == 2.0
    _, out = run(draft(local_model, [], "What is 2 + 2?", max_tokens=24, token=CancelToken(), saved=saved))
    assert out.components["method"] == "calibrated" and out.confidence == pytest.approx(fitted.predict(
        out.components))
    calibration.Calibration(mean=[0.0] * n, scale=[1.0] * n, coef=[0.0] * n, intercept=-2.0).save()
    assert saved.current().intercept == -2.0  # re-read: the file changed
    calibration.calibration_file().unlink()
    assert saved.current() is None


def test_history_fits_the_context_and_a_message_too_long_says_what_to_do(local_model):
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"Message {i}. " * 60}
               for i in range(12)]
    messages = fit_history(local_model, history, "And now?", local_system_prompt(), 64)
    assert messages[0]["role"] == "system" and messages[-1] == {"role": "user", "content": "And now?"}
    assert 2 < len(messages) < 14 and messages[-2]["content"].startswith("Message 11.")
    assert local_model.count_tokens(messages) <= local_model.n_ctx - 64
    with pytest.raises(PromptError) as caught:
        fit_history(local_model, [], "word " * 3000, local_system_prompt(), 64)
    assert caught.value.action.setting == "local.n_ctx"
