"""The local draft: the local model's answer to the message, streamed with its confidence statement
hidden, then scored (token signals + the stated confidence) and calibrated when `edgeapp calibrate`
saved a calibration. History is fitted into the model's context first.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import paths
from ..cancel import CancelToken
from ..confidence import calibration
from ..confidence.signals import StatementFilter, parse_verbal, score
from ..errors import PromptError, context_action
from ..models.local_model import Generation, LocalModel, TokenStep
from .events import LocalToken
from .watch import FileWatch

Message = dict[str, str]


def local_system_prompt() -> str:
    path = paths.resource("prompts", "system.txt")
    return path.read_text(encoding="utf-8").strip()


@dataclass(frozen=True)
class LocalDraft:
    """The local model's answer and what it thought of it. `stopped`: the turn was stopped while it
    wrote (`answer` is what it had; no confidence). `answers_turn`: this draft is the turn's answer
    whatever the router says (cloud mode came back without one)."""

    model: str
    answer: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ms: float = 0.0
    tokens_per_s: float = 0.0
    confidence: float | None = None
    components: dict[str, Any] = field(default_factory=dict)
    stopped: bool = False
    answers_turn: bool = False


class SavedCalibration:
    """The calibration `edgeapp calibrate` saved, re-read when its file changes (so it applies from
    the next turn)."""

    def __init__(self) -> None:
        self._watch = FileWatch(calibration.calibration_file)
        self._fitted: calibration.Calibration | None = None

    def current(self) -> calibration.Calibration | None:
        if self._watch.changed():
            self._fitted = calibration.load(self._watch.path())
        return self._fitted


def fit_history(
    local: LocalModel, messages: Sequence[Message], text: str, system: str, max_tokens: int
) -> list[Message]:
    """System + as much recent history as fits + the new message; error if the message alone
    does not. Any message list works: the conversation's own system messages (an API client's)
    join the system prompt while they fit, other messages are dropped oldest first, one by one."""
    reserve = min(max_tokens, local.n_ctx // 4)
    budget = local.n_ctx - reserve
    user = {"role": "user", "content": text}
    plain = {"role": "system", "content": system}
    needed = local.count_tokens([plain, user])
    if needed > local.n_ctx - 16:
        raise PromptError(
            f"The message is about {needed} tokens but the local model's context holds {local.n_ctx}. "
            "Shorten it, or raise the context with `edgeapp config set local.n_ctx 8192` "
            "(uses more memory).",
            action=context_action(local.n_ctx),
        )
    extra = [m.get("content") or "" for m in messages if m.get("role") == "system"]
    others = [
        {"role": m.get("role") or "user", "content": m.get("content") or ""}
        for m in messages
        if m.get("role") != "system"
    ]
    head = plain
    if extra:
        merged = {"role": "system", "content": "\n\n".join([system, *extra])}
        if local.count_tokens([merged, user]) <= budget:
            head = merged
    # the longest run of newest messages that fits (more messages never take fewer tokens)
    lo, hi = 0, len(others)
    if hi and local.count_tokens([head, *others, user]) <= budget:
        lo = hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if local.count_tokens([head, *others[len(others) - mid :], user]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    window = others[len(others) - lo :]
    while window and window[0]["role"] == "assistant":  # chat templates expect a user message first
        window = window[1:]
    return [head, *window, user]


def stream_answer(
    local: LocalModel, messages: Sequence[Message], max_tokens: int, token: CancelToken
) -> Generator[LocalToken, None, Generation]:
    """The local model's answer, streamed as LocalToken with the confidence statement hidden;
    returns the finished Generation (finish_reason "cancelled" when the turn was stopped)."""
    hide = StatementFilter()
    gen: Generation | None = None
    for item in local.stream(messages, max_tokens=max_tokens, cancel=token):
        if isinstance(item, TokenStep):
            shown = hide.feed(item.text)
            if shown:
                yield LocalToken(shown)
        else:
            gen = item
    assert gen is not None
    if gen.finish_reason != "cancelled":
        tail = hide.flush()
        if tail:
            yield LocalToken(tail)
    return gen


def write(
    local: LocalModel, messages: Sequence[Message], text: str, *, max_tokens: int, token: CancelToken
) -> Generator[LocalToken, None, Generation]:
    """The local model's answer to `text` after `messages`, history fitted to its context."""
    fitted = fit_history(local, messages, text, local_system_prompt(), max_tokens)
    return (yield from stream_answer(local, fitted, max_tokens, token))


def draft(
    local: LocalModel,
    messages: Sequence[Message],
    text: str,
    *,
    max_tokens: int,
    token: CancelToken,
    saved: SavedCalibration,
    answers_turn: bool = False,
) -> Generator[LocalToken, None, LocalDraft]:
    """The local answer to `text` after `messages` (the conversation so far), and its confidence."""
    gen = yield from write(local, messages, text, max_tokens=max_tokens, token=token)
    verbal = parse_verbal(gen.text)
    stopped = gen.finish_reason == "cancelled"
    confidence: float | None = None
    components: dict[str, Any] = {}
    if not stopped:
        conf = score(gen, verbal, question=text)
        fitted_calibration = saved.current()
        if fitted_calibration is not None:  # `edgeapp calibrate` saved one: its probability counts
            conf = fitted_calibration.apply(conf)
        confidence, components = conf.score, conf.components()
    return LocalDraft(
        model=local.name,
        answer=verbal.answer,
        prompt_tokens=gen.prompt_tokens,
        completion_tokens=gen.completion_tokens,
        ms=gen.total_s * 1000,
        tokens_per_s=gen.tokens_per_s,
        confidence=confidence,
        components=components,
        stopped=stopped,
        answers_turn=answers_turn,
    )
