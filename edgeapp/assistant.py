"""The one pipeline: every face (CLI, GUI, local API) runs a turn through `Assistant.ask`.

A turn: the local model answers and scores its confidence -> the router decides (threshold,
budget pacing, mode) -> if escalating: budget reservation -> gatekeeper scrub -> cloud call ->
placeholders restored locally -> ledger records the turn -> the face gets `TurnDone`.
`ask` is a generator of events, so a face can show tokens as they come and stop early.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import calibration, collab, config, paths, router
from .catalog import default_model_path
from .cloud import CloudClient, CloudReply, Restart
from .confidence import Confidence, StatementFilter, parse_verbal, score
from .errors import CloudError, EdgeappError, GatekeeperError, PolicyBlocked, PromptError
from .gatekeeper import Gatekeeper, PlaceholderVault
from .keys import get_api_key
from .local_model import Generation, LocalModel, TokenStep

CLOUD_SYSTEM = (
    "You are a helpful, accurate assistant. Some personal details in this conversation were replaced "
    "with placeholders in angle brackets; when you refer to them, copy the placeholder exactly."
)


def estimate_tokens(text: str) -> int:
    """A generous token estimate for budget reservations (about 3 characters a token)."""
    return len(text) // 3 + 16


def _add(a: int | None, b: int | None) -> int | None:
    """Token counts over several calls; None while no call reported usage."""
    return None if a is None and b is None else (a or 0) + (b or 0)


def local_system_prompt() -> str:
    path = paths.bundled("prompts", "system.txt")
    return path.read_text(encoding="utf-8").strip()


# -- events a face receives ---------------------------------------------------------------
@dataclass(frozen=True)
class LocalToken:
    text: str


@dataclass(frozen=True)
class Escalating:
    reason: str
    confidence: float | None


@dataclass(frozen=True)
class CloudToken:
    text: str


@dataclass(frozen=True)
class CloudRestart:
    reason: str


@dataclass(frozen=True)
class Notice:
    text: str


@dataclass
class TurnResult:
    answer: str
    route: str  # local | cloud | local-fallback | blocked
    reason: str
    confidence: float | None
    components: dict[str, Any]
    threshold: float
    mode: str
    conversation_id: str
    local_model: str = ""
    local_answer: str = ""
    local_prompt_tokens: int = 0
    local_completion_tokens: int = 0
    local_ms: float = 0.0
    local_tokens_per_s: float = 0.0
    cloud_model: str | None = None
    cloud_provider: str | None = None
    cloud_input_tokens: int | None = None
    cloud_output_tokens: int | None = None
    cloud_ms: float | None = None
    cloud_attempts: int = 0
    masked_entities: dict[str, int] = field(default_factory=dict)
    cost: float = 0.0
    cost_estimated: bool = False
    latency_ms: float = 0.0
    turn_id: int | None = None
    cloud_call_ids: list[int] = field(default_factory=list)
    collab: dict[str, Any] = field(default_factory=dict)  # what the collaboration settings did

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TurnDone:
    result: TurnResult


Event = LocalToken | Escalating | CloudToken | CloudRestart | Notice | TurnDone


@dataclass
class Conversation:
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    messages: list[dict[str, str]] = field(default_factory=list)  # user/assistant, final answers
    vault: PlaceholderVault = field(default_factory=PlaceholderVault)


class Assistant:
    """Owns the parts; cheap to ask, expensive to build (model load, analyzer build)."""

    def __init__(
        self,
        settings: config.Settings | None = None,
        *,
        local_model: LocalModel | None = None,
        gatekeeper: Gatekeeper | None = None,
        cloud: CloudClient | None = None,
        ledger: Any = None,
        use_ledger: bool = True,
    ) -> None:
        self.settings = settings if settings is not None else config.load()
        self._local = local_model
        self._owns_local = local_model is None
        self._gatekeeper = gatekeeper
        self._cloud = cloud
        self._ledger = ledger
        self._use_ledger = use_ledger
        self._calibration_stamp: int | None = None
        self._fitted = None
        self._embedder: LocalModel | None = None

    # -- parts, built on first use ------------------------------------------------------
    @property
    def local(self) -> LocalModel:
        if self._local is None:
            s = self.settings
            path = Path(s["local.model_path"]).expanduser() if s["local.model_path"] else default_model_path()
            self._local = LocalModel(path, n_ctx=s["local.n_ctx"], n_threads=s["local.n_threads"],
                                     n_gpu_layers=s["local.n_gpu_layers"])
        return self._local

    @property
    def gatekeeper(self) -> Gatekeeper:
        if self._gatekeeper is None:
            factory = getattr(Gatekeeper, "from_settings", None)
            self._gatekeeper = factory(self.settings) if factory else Gatekeeper()
        return self._gatekeeper

    @property
    def cloud(self) -> CloudClient | None:
        if self._cloud is None and self.settings["cloud.base_url"]:
            self._cloud = CloudClient.from_settings(
                self.settings, get_api_key(self.settings["cloud.api_key_env"]))
        return self._cloud

    @property
    def ledger(self):
        if self._ledger is None and self._use_ledger:
            try:
                from .ledger import Ledger
            except ImportError:
                self._use_ledger = False
                return None
            self._ledger = Ledger()
        return self._ledger

    def _calibration(self):
        """The saved calibration, re-read when its file changes (so it applies from the next turn)."""
        path = calibration.calibration_file()
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if stamp != self._calibration_stamp:
            self._calibration_stamp = stamp
            self._fitted = calibration.load(path) if stamp is not None else None
        return self._fitted

    def new_conversation(self) -> Conversation:
        return Conversation()

    @property
    def embedder(self) -> LocalModel:
        """The local model in embedding mode (collab.mode = align); its weights are memory-mapped, so
        the second instance costs little more than its context."""
        if self._embedder is None:
            self._embedder = LocalModel(self.local.path, n_ctx=2048, n_threads=self.local.n_threads,
                                        n_gpu_layers=self.settings["local.n_gpu_layers"], embedding=True)
        return self._embedder

    def close(self) -> None:
        if self._owns_local and self._local is not None:
            self._local.close()
            self._local = None
        if self._embedder is not None:
            self._embedder.close()
            self._embedder = None

    # -- a turn -------------------------------------------------------------------------
    def ask_sync(self, conversation: Conversation, text: str) -> TurnResult:
        for event in self.ask(conversation, text):
            if isinstance(event, TurnDone):
                return event.result
        raise AssertionError("ask() ended without TurnDone")  # pragma: no cover

    def ask(self, conversation: Conversation, text: str) -> Iterator[Event]:
        text = (text or "").strip()
        if not text:
            raise PromptError("The message is empty: type a question.")
        started = time.perf_counter()
        s = self.settings
        mode = s["router.mode"]
        threshold = s["router.threshold"]
        pacing_note = ""
        ledger = self.ledger
        if ledger is not None and mode == "auto":
            paced, note = ledger.effective_threshold(threshold)
            if paced != threshold:  # pacing is in force: say so in the turn's reason
                threshold, pacing_note = paced, note
        result = TurnResult(answer="", route="local", reason="", confidence=None, components={},
                            threshold=threshold, mode=mode, conversation_id=conversation.id)

        gen: Generation | None = None
        conf: Confidence | None = None
        if mode != "cloud" or self.cloud is None:
            gen, conf = yield from self._answer_locally(conversation, text, result)
        decision = router.decide(mode, conf.score if conf else None, threshold,
                                 cloud_configured=self.cloud is not None)
        result.reason = decision.reason + (f"; {pacing_note}" if pacing_note else "")
        if not decision.escalate:
            result.route = "local"
            result.answer = result.local_answer
        else:
            yield Escalating(decision.reason, conf.score if conf else None)
            yield from self._escalate(conversation, text, result, local_ran=gen is not None)
            if result.route != "cloud" and gen is None:  # cloud mode failed: answer locally now
                gen, conf = yield from self._answer_locally(conversation, text, result)
                result.answer = result.local_answer
        result.latency_ms = (time.perf_counter() - started) * 1000
        conversation.messages.append({"role": "user", "content": text})
        conversation.messages.append({"role": "assistant", "content": result.answer})
        self._record(result, text)
        yield TurnDone(result)

    def _fit_history(self, conversation: Conversation, text: str, system: str) -> list[dict[str, str]]:
        """System + as much recent history as fits + the new message; error if the message alone does not."""
        s = self.settings
        reserve = min(s["local.max_tokens"], self.local.n_ctx // 4)
        budget = self.local.n_ctx - reserve
        user = {"role": "user", "content": text}
        base = [{"role": "system", "content": system}, user]
        needed = self.local.count_tokens(base)
        if needed > self.local.n_ctx - 16:
            raise PromptError(
                f"The message is about {needed} tokens but the local model's context holds {self.local.n_ctx}. "
                "Shorten it, or raise the context with `edgeapp config set local.n_ctx 8192` (uses more memory)."
            )
        history = list(conversation.messages)
        while history:
            messages = [base[0], *history, user]
            if self.local.count_tokens(messages) <= budget:
                return messages
            history = history[2:]  # drop the oldest exchange
        return base

    def _stream_local(self, conversation: Conversation, text: str):
        """The local model's answer to `text` in this conversation, streamed as LocalToken with the
        confidence statement hidden; returns the finished Generation."""
        messages = self._fit_history(conversation, text, local_system_prompt())
        hide = StatementFilter()
        gen: Generation | None = None
        for item in self.local.stream(messages, max_tokens=self.settings["local.max_tokens"]):
            if isinstance(item, TokenStep):
                shown = hide.feed(item.text)
                if shown:
                    yield LocalToken(shown)
            else:
                gen = item
        tail = hide.flush()
        if tail:
            yield LocalToken(tail)
        assert gen is not None
        return gen

    def _answer_locally(self, conversation: Conversation, text: str, result: TurnResult):
        gen = yield from self._stream_local(conversation, text)
        verbal = parse_verbal(gen.text)
        conf = score(gen, verbal, question=text)
        fitted = self._calibration()
        if fitted is not None:  # `edgeapp calibrate` saved one: its probability is the confidence
            conf = fitted.apply(conf)
        result.local_model = self.local.name
        result.local_answer = verbal.answer
        result.confidence = conf.score
        result.components = conf.components()
        result.local_prompt_tokens = gen.prompt_tokens
        result.local_completion_tokens = gen.completion_tokens
        result.local_ms = gen.total_s * 1000
        result.local_tokens_per_s = gen.tokens_per_s
        return gen, conf

    def _outgoing(self, text: str, result: TurnResult) -> str:
        """The message as the cloud will get it (before scrubbing): compressed and with an option
        exclusion hint when those settings are on."""
        s = self.settings
        outgoing = text
        if s["collab.compress"]:
            budget = collab.compression_budget(result.confidence, result.threshold)
            short, kept = collab.compress(self.local, text, max_drop=budget)
            if kept < 1.0:
                outgoing = short
                result.collab["compress"] = {"kept_words": round(kept, 3), "max_drop": round(budget, 3)}
        if s["collab.exclusion_hints"]:
            letters = collab.parse_choices(text)
            if letters:
                messages = [{"role": "system", "content": local_system_prompt()}, {"role": "user", "content": text}]
                hint = collab.exclusion_hint(collab.option_probabilities(self.local, messages, letters))
                if hint:
                    outgoing = f"{outgoing}\n\n{hint}"
                    result.collab["exclusion_hint"] = hint
        return outgoing

    def _escalate(self, conversation: Conversation, text: str, result: TurnResult, *, local_ran: bool = True
                  ) -> Iterator[Event]:
        cloud = self.cloud
        assert cloud is not None
        # the collaboration settings need the local model's answer: not in cloud mode
        mode = self.settings["collab.mode"] if local_ran else "answer"
        outgoing = self._outgoing(text, result) if local_ran else text
        if mode == "answer":
            reply = yield from self._cloud_call(conversation, outgoing, result, show=True)
            if reply is not None:
                self._cloud_answer(conversation, reply, result)
            return
        # align / shepherd: the cloud writes a plan or the first steps, the local model the answer
        if mode == "shepherd":
            ask, limit, intro = collab.HINT_PROMPT, max(16, int(cloud.max_tokens * collab.HINT_SHARE)), collab.HINT_INTRO
        else:
            ask, limit, intro = collab.SKETCH_PROMPT, max(16, cloud.max_tokens // 2), collab.PLAN_INTRO
        reply = yield from self._cloud_call(conversation, f"{outgoing}\n\n{ask}", result, max_tokens=limit)
        if reply is None:
            return
        part = conversation.vault.restore(reply.text).strip()
        result.collab[mode] = {"cloud_part": part}
        yield Notice(f"The cloud sent {'its first steps' if mode == 'shepherd' else 'a plan'} "
                     f"({reply.output_tokens or '?'} tokens); the local model writes the answer.")
        gen = yield from self._stream_local(conversation, f"{text}\n\n{intro}\n{part}")
        answer = parse_verbal(gen.text).answer
        if mode == "align":
            score_ = collab.alignment(self.embedder, part, answer)
            result.collab[mode]["alignment"] = round(score_, 4)
            if score_ < collab.ALIGN_MIN:  # the local answer did not follow the plan: ask for the answer
                yield Notice(f"The local answer did not follow the cloud's plan (alignment {score_:.2f}); "
                             "asking the cloud for the full answer.")
                result.collab[mode]["fallback"] = True
                full = yield from self._cloud_call(conversation, outgoing, result, show=True, keep_route=True)
                if full is not None:
                    self._cloud_answer(conversation, full, result)
                    return
        result.route = "cloud"
        result.reason += f"; collab.mode={mode}: the local model finished from the cloud's {'hint' if mode == 'shepherd' else 'plan'}"
        result.answer = answer

    def _cloud_answer(self, conversation: Conversation, reply: CloudReply, result: TurnResult) -> None:
        result.route = "cloud"
        result.answer = conversation.vault.restore(reply.text).strip()
        result.cloud_model = reply.model or result.cloud_model

    def _cloud_call(self, conversation: Conversation, text: str, result: TurnResult, *,
                    max_tokens: int | None = None, show: bool = False, keep_route: bool = False):
        """One scrubbed cloud call for this turn: scrub, reserve budget, stream (shown as CloudToken
        when `show`), settle. Returns the reply, or None after falling back to the local answer
        (or, with `keep_route`, leaving the turn as it was)."""
        cloud = self.cloud
        assert cloud is not None
        ledger = self.ledger
        result.cloud_model, result.cloud_provider = cloud.model, cloud.provider
        max_tokens = max_tokens or cloud.max_tokens

        def fall_back(route: str, reason: str) -> None:
            if not keep_route:
                result.route, result.reason = route, reason
                result.answer = result.local_answer

        history = [(m["role"], m["content"]) for m in conversation.messages]
        try:
            payload = self.gatekeeper.scrub([("system", CLOUD_SYSTEM), *history, ("user", text)],
                                            conversation.vault)
        except PolicyBlocked as exc:
            fall_back("blocked", f"{exc} The answer is the local model's.")
            yield Notice(f"{exc} The answer is the local model's.")
            return None
        except GatekeeperError as exc:
            fall_back("local-fallback", f"kept local: {exc}")
            yield Notice(f"kept local: {exc}")
            return None
        for kind, count in payload.entities.items():
            result.masked_entities[kind] = max(result.masked_entities.get(kind, 0), count)
        stream = self.settings["cloud.stream"]
        request_json = json.dumps(cloud.request_body(payload, stream=stream, max_tokens=max_tokens), ensure_ascii=False)
        reservation = None
        if ledger is not None:
            try:
                reservation = ledger.reserve(cloud.provider, cloud.model, cloud.base_url,
                                             estimate_tokens(request_json), max_tokens)
            except EdgeappError as exc:  # BudgetExceeded, UnknownPrice: the turn stays local
                fall_back("local-fallback", f"kept local: {exc}")
                yield Notice(str(exc))
                return None
            if getattr(reservation, "alert", None):
                yield Notice(reservation.alert)
        restorer = conversation.vault.stream_restorer()
        reply: CloudReply | None = None
        error: str | None = None
        try:
            for item in cloud.iter_complete(payload, stream=stream, max_tokens=max_tokens):
                if isinstance(item, str):
                    shown = restorer.feed(item)
                    if shown and show:
                        yield CloudToken(shown)
                elif isinstance(item, Restart):
                    restorer = conversation.vault.stream_restorer()
                    if show:
                        yield CloudRestart(item.reason)
                else:
                    reply = item
            tail = restorer.flush()
            if tail and show:
                yield CloudToken(tail)
        except CloudError as exc:
            error = str(exc)
        finally:  # also when the face stops the turn early: never leave a reservation held
            call = self._close_call(reservation, cloud, payload, request_json, reply, error or "stopped")
        if reply is None:
            fall_back("local-fallback", f"cloud failed: {error}")
            yield Notice(f"The cloud did not answer ({error}); showing the local answer.")
            return None
        result.cloud_input_tokens = _add(result.cloud_input_tokens, reply.input_tokens)
        result.cloud_output_tokens = _add(result.cloud_output_tokens, reply.output_tokens)
        result.cloud_ms = (result.cloud_ms or 0.0) + reply.latency_ms
        result.cloud_attempts += reply.attempts
        if call is not None:
            result.cost += call.cost or 0.0
            result.cost_estimated = result.cost_estimated or call.estimated
            result.cloud_call_ids.append(call.id)
        return reply

    def _close_call(self, reservation, cloud: CloudClient, payload, request_json: str,
                    reply: CloudReply | None, error: str | None):
        """Settle (success) or release (failure) the budget reservation, recording the call."""
        if reservation is None:
            return None
        from .ledger import CloudCallRecord

        call = CloudCallRecord(
            turn_id=None, provider=cloud.provider, model=reply.model if reply else cloud.model,
            request_json=request_json, entities=dict(payload.entities),
            response_json=reply.response_json if reply else None,
            input_tokens=reply.input_tokens if reply else None,
            output_tokens=reply.output_tokens if reply else None,
            status="ok" if reply else "error", error=None if reply else error,
            latency_ms=reply.latency_ms if reply else 0.0, base_url=cloud.base_url,
        )
        if reply is None:
            self.ledger.release(reservation, call)
        else:
            self.ledger.settle(reservation, call)
        return call

    def _record(self, result: TurnResult, text: str) -> None:
        ledger = self.ledger
        if ledger is None:
            return
        from .ledger import TurnRecord

        result.turn_id = ledger.record_turn(TurnRecord(
            conversation_id=result.conversation_id, user_text=text, answer=result.answer, route=result.route,
            reason=result.reason, confidence=result.confidence, components=result.components,
            threshold=result.threshold, local_model=result.local_model,
            local_prompt_tokens=result.local_prompt_tokens, local_completion_tokens=result.local_completion_tokens,
            local_ms=result.local_ms, cloud_ms=result.cloud_ms, cost=result.cost,
            cloud_call_ids=[i for i in result.cloud_call_ids if i is not None],
        ))
