"""The one pipeline: every face (CLI, GUI, local API) runs a turn through `Assistant.ask`.

A turn: the local model answers and scores its confidence -> the router decides (threshold,
budget pacing, mode) -> if escalating: gatekeeper scrub (history bounded, per message) -> the
user's confirmation when asked for -> budget reservation -> cloud call -> placeholders restored
locally -> ledger records the turn -> the face gets `TurnDone`.

`ask` is a generator of events, so a face can show tokens as they come. A turn can be stopped at
any moment: `CancelToken.set()` from any thread (the model load, the prefill, every token, every
cloud chunk and the retry sleeps look at it), or closing the generator. Either way no budget
reservation stays held, a cloud call stopped mid-stream is charged by estimate, and the turn is
recorded as stopped. The contract faces code against is docs/faces.md.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import config, paths, wording
from .cancel import Cancelled, CancelToken
from .cloud.api_key import get_api_key
from .cloud.client import CloudClient, CloudReply, Restart
from .confidence import calibration
from .confidence.signals import Confidence, StatementFilter, parse_verbal, score
from .conversations import Conversation, Conversations
from .errors import (
    CloudError,
    ConfigError,
    EdgeappError,
    GatekeeperError,
    PolicyBlocked,
    PromptError,
    context_action,
)
from .gatekeeper import Gatekeeper, ScrubbedPayload
from .models.catalog import default_model_path
from .models.local_model import Generation, LocalModel, TokenStep
from .turn import collab
from .turn import route as router

__all__ = [
    "Assistant",
    "CancelToken",
    "CloudRestart",
    "CloudToken",
    "Conversation",
    "Escalating",
    "Event",
    "LocalToken",
    "Notice",
    "TurnDone",
    "TurnOptions",
    "TurnResult",
]

CLOUD_SYSTEM = (
    "You are a helpful, accurate assistant. Some personal details in this conversation were replaced "
    "with placeholders in angle brackets; when you refer to them, copy the placeholder exactly."
)
_LOCAL_KEYS = ("local.model_path", "local.n_ctx", "local.n_threads", "local.n_gpu_layers")
_POLL_S = 0.05  # how often a waiting turn looks at its cancel token


def estimate_tokens(text: str) -> int:
    """A generous token estimate for budget reservations (about 3 characters a token)."""
    return len(text) // 3 + 16


def history_tokens(text: str) -> int:
    """Tokens a history message is counted as against `cloud.history_tokens` (about 4 chars a token)."""
    return len(text) // 4 + 4


def _add(a: int | None, b: int | None) -> int | None:
    """Token counts over several calls; None while no call reported usage."""
    return None if a is None and b is None else (a or 0) + (b or 0)


def local_system_prompt() -> str:
    path = paths.resource("prompts", "system.txt")
    return path.read_text(encoding="utf-8").strip()


# -- what a face passes ---------------------------------------------------------------------
@dataclass
class TurnOptions:
    """Per-turn options; None means: the setting."""

    mode: str | None = None  # auto | local | cloud (router.mode)
    threshold: float | None = None  # router.threshold
    max_tokens: int | None = None  # local.max_tokens
    # called on the worker thread with what would be sent, before an escalation leaves the machine,
    # only when privacy.confirm_before_send is on; False keeps the turn local
    confirm: Callable[[ScrubbedPayload], bool] | None = None
    client: str = ""  # which face: cli | gui | api:<name> (recorded in the ledger)

    def check(self) -> None:
        if self.mode is not None and self.mode not in router.MODES:
            raise ConfigError(f"mode must be one of: {', '.join(router.MODES)} (got {self.mode!r}).")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"threshold must be between 0 and 1 (got {self.threshold!r}).")
        if self.max_tokens is not None and not 1 <= self.max_tokens <= 32768:
            raise ConfigError(f"max_tokens must be between 1 and 32768 (got {self.max_tokens!r}).")


# -- events a face receives ---------------------------------------------------------------
@dataclass(frozen=True)
class LocalToken:
    text: str


@dataclass(frozen=True)
class Escalating:
    reason: str
    confidence: float | None
    reason_code: str = ""
    cloud_model: str = ""  # the model about to be asked (cloud.model)


@dataclass(frozen=True)
class CloudToken:
    text: str


@dataclass(frozen=True)
class CloudRestart:
    reason: str


@dataclass(frozen=True)
class Notice:
    text: str
    # sending (the escalation notice: what leaves, with what masked), alert (budget), fallback (the
    # turn stays local), collab (how the local model and the cloud share the answer), privacy
    kind: str = ""


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
    reason_code: str = ""  # machine-readable: see edgeapp/wording.py REASON_CODES
    stopped: bool = False  # the user stopped the turn; `answer` is what it had
    client: str = ""
    history_sent: int = 0  # earlier messages sent with an escalation
    history_left_out: int = 0  # earlier messages left out of it (token budget, or a blocked value)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TurnDone:
    result: TurnResult


Event = LocalToken | Escalating | CloudToken | CloudRestart | Notice | TurnDone


@dataclass
class _Turn:
    conversation: Conversation
    text: str
    options: TurnOptions
    result: TurnResult
    token: CancelToken
    base_threshold: float
    local_max_tokens: int
    paced: bool = False


class _Loader:
    """Loads the local model on a thread of its own, so a waiting turn can be stopped."""

    def __init__(self, make: Callable[[], LocalModel]) -> None:
        self.done = threading.Event()
        self.model: LocalModel | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(make,), name="edgeapp-model-load", daemon=True
        )
        self._thread.start()

    def _run(self, make: Callable[[], LocalModel]) -> None:
        try:
            self.model = make()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting turn
            self.error = exc
        finally:
            self.done.set()


def _pumped(make: Callable[[], Iterator[Any]], token: CancelToken) -> Iterator[Any]:
    """Run an iterator (a cloud call) on a thread of its own and yield its items, looking at
    `token` while waiting, so a stop is prompt even while the HTTP read blocks."""
    items: queue.Queue = queue.Queue()
    end = object()

    def run() -> None:
        try:
            for item in make():
                items.put((True, item))
                if token.is_set():
                    break
        except BaseException as exc:  # noqa: BLE001 - re-raised on the turn's thread
            items.put((False, exc))
        finally:
            items.put((True, end))

    threading.Thread(target=run, name="edgeapp-cloud-call", daemon=True).start()
    done = False
    try:
        while True:
            try:
                ok, item = items.get(timeout=_POLL_S)
            except queue.Empty:
                token.check()
                continue
            if not ok:
                done = True
                raise item
            if item is end:
                done = True
                return
            yield item
    finally:
        if not done:  # the face let go of the turn: the call on its thread stops at its next chunk
            token.set()


class Assistant:
    """Owns the parts; cheap to ask, expensive to build (model load, analyzer build).

    Built with no `settings`, it follows the settings file: a change saved by `edgeapp config set`,
    `edgeapp calibrate` or a window applies from the next turn (parts whose settings changed are
    rebuilt). Built with `settings`, it uses those (call `apply_settings` to change them).
    """

    def __init__(
        self,
        settings: config.Settings | None = None,
        *,
        local_model: LocalModel | None = None,
        gatekeeper: Gatekeeper | None = None,
        cloud: CloudClient | None = None,
        ledger: Any = None,
        use_ledger: bool = True,
        embedder: LocalModel | None = None,
    ) -> None:
        self._follow = settings is None
        self._settings_stamp: tuple | None = self._file_stamp() if self._follow else None
        self.settings = settings if settings is not None else config.load()
        self._local = local_model
        self._owns_local = local_model is None
        self._gatekeeper = gatekeeper
        self._owns_gatekeeper = gatekeeper is None
        self._cloud = cloud
        self._owns_cloud = cloud is None
        self._ledger = ledger
        self._owns_ledger = ledger is None
        self._use_ledger = use_ledger
        self._embedder = embedder
        self._owns_embedder = embedder is None
        self._calibration_stamp: tuple | None = None
        self._fitted = None
        self._lock = threading.RLock()  # guards building and dropping parts
        self._warm_lock = threading.Lock()
        self._loader: _Loader | None = None
        self._built: dict[str, tuple] = {}  # part -> the settings it was built with
        self._closed = False
        self.conversations = Conversations(lambda: self.ledger, lambda: self.settings)

    # -- settings -------------------------------------------------------------------------
    @staticmethod
    def _file_stamp() -> tuple | None:
        try:
            st = paths.config_file().stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def refresh_settings(self) -> bool:
        """Re-read the settings file when it changed since the last turn (only for an Assistant that
        follows the file); returns whether anything was applied."""
        if not self._follow:
            return False
        stamp = self._file_stamp()
        if stamp == self._settings_stamp:
            return False
        self._settings_stamp = stamp
        self.apply_settings(config.load())
        return True

    def apply_settings(self, settings: config.Settings) -> None:
        """Use these settings from the next turn; parts whose settings changed are rebuilt then.
        (Assigning `assistant.settings` works too: each turn compares the settings every part was
        built with to the current ones.)"""
        with self._lock:
            self.settings = settings
            self._sync_parts()

    def _signature(self, part: str) -> tuple:
        s = self.settings
        if part == "local":
            names: list[str] = list(_LOCAL_KEYS)
        elif part == "cloud":
            names = config.in_section("cloud")
        else:  # gatekeeper
            names = [n for n in config.in_section("privacy") if n != "privacy.confirm_before_send"]
        return tuple((n, repr(s[n])) for n in sorted(names))

    def _sync_parts(self) -> None:
        """Drop the parts built with settings that have changed since (rebuilt on next use)."""
        with self._lock:
            built = self._built
            if self._owns_local and "local" in built and built["local"] != self._signature("local"):
                self._drop_local()
                built.pop("local", None)
            if self._owns_cloud and "cloud" in built and built["cloud"] != self._signature("cloud"):
                if self._cloud is not None:
                    self._cloud.close()
                self._cloud = None
                built.pop("cloud", None)
            if (
                self._owns_gatekeeper
                and "gatekeeper" in built
                and built["gatekeeper"] != self._signature("gatekeeper")
            ):
                self._gatekeeper = None
                built.pop("gatekeeper", None)

    def _drop_local(self) -> None:
        if self._local is not None:
            self._local.close()
            self._local = None
        self._loader = None
        if self._owns_embedder and self._embedder is not None:
            self._embedder.close()
            self._embedder = None

    # -- parts, built on first use ------------------------------------------------------
    def _make_local(self) -> LocalModel:
        s = self.settings
        path = Path(s["local.model_path"]).expanduser() if s["local.model_path"] else default_model_path()
        return LocalModel(
            path, n_ctx=s["local.n_ctx"], n_threads=s["local.n_threads"], n_gpu_layers=s["local.n_gpu_layers"]
        )

    def _local_ready(self, token: CancelToken | None) -> LocalModel:
        """The local model, loading it first if needed (once, whichever threads ask); a set `token`
        ends the wait (the load goes on and serves the next turn)."""
        if self._closed:
            raise EdgeappError("This assistant was closed.")
        with self._lock:
            if self._local is not None:
                return self._local
            if self._loader is None:
                self._built["local"] = self._signature("local")
                self._loader = _Loader(self._make_local)
            loader = self._loader
        while not loader.done.wait(_POLL_S):
            if token is not None:
                token.check()
        with self._lock:
            if loader.error is not None:
                if self._loader is loader:
                    self._loader = None  # the next turn tries again (the user may fix the setting)
                raise loader.error
            if self._loader is loader and self._local is None and not self._closed:
                self._local = loader.model
                return self._local
            if loader.model is not None and loader.model is not self._local:
                loader.model.close()  # the settings changed, or the assistant closed, while it loaded
            if self._local is not None:
                return self._local
        return self._local_ready(token)  # load again with the settings now in force

    @property
    def local(self) -> LocalModel:
        return self._local_ready(None)

    @property
    def gatekeeper(self) -> Gatekeeper:
        with self._lock:
            if self._gatekeeper is None:
                self._built["gatekeeper"] = self._signature("gatekeeper")
                factory = getattr(Gatekeeper, "from_settings", None)
                self._gatekeeper = factory(self.settings) if factory else Gatekeeper()
            return self._gatekeeper

    @property
    def cloud(self) -> CloudClient | None:
        with self._lock:
            if self._cloud is None and self.settings["cloud.base_url"]:
                self._built["cloud"] = self._signature("cloud")
                self._cloud = CloudClient.from_settings(
                    self.settings, get_api_key(self.settings["cloud.api_key_env"])
                )
            return self._cloud

    @property
    def ledger(self):
        with self._lock:
            if self._ledger is None and self._use_ledger and not self._closed:
                try:
                    from .ledger import Ledger
                except ImportError:
                    self._use_ledger = False
                    return None
                self._ledger = Ledger()
            return self._ledger

    @property
    def embedder(self) -> LocalModel:
        """The local model in embedding mode (collab.mode = align); its weights are memory-mapped, so
        the second instance costs little more than its context."""
        with self._lock:
            if self._embedder is None:
                local = self.local
                self._embedder = LocalModel(
                    local.path,
                    n_ctx=2048,
                    n_threads=local.n_threads,
                    n_gpu_layers=self.settings["local.n_gpu_layers"],
                    embedding=True,
                )
            return self._embedder

    def _calibration(self):
        """The saved calibration, re-read when its file changes (so it applies from the next turn)."""
        path = calibration.calibration_file()
        try:
            st = path.stat()
            stamp: tuple | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp != self._calibration_stamp:
            self._calibration_stamp = stamp
            self._fitted = calibration.load(path) if stamp is not None else None
        return self._fitted

    def new_conversation(self) -> Conversation:
        return self.conversations.new()

    def warm_up(self, progress: Callable[[str, float], None] | None = None) -> None:
        """Load the local model and (when a cloud is set up) build the privacy analyzer now rather
        than on the first message. Thread-safe and idempotent: a second caller waits for the first.
        `progress(stage, share)` hears `model`, `privacy`, `ledger` and `ready` with 0.0 and 1.0."""
        report = progress or (lambda stage, share: None)
        with self._warm_lock:
            self.refresh_settings()
            report("model", 0.0)
            self.local  # noqa: B018 - loads it
            report("model", 1.0)
            if self.cloud is not None:
                report("privacy", 0.0)
                self.gatekeeper.warm_up()
                report("privacy", 1.0)
            report("ledger", 0.0)
            self.ledger  # noqa: B018 - opens it
            report("ledger", 1.0)
            report("ready", 1.0)

    def close(self) -> None:
        """Release everything this assistant built: the model (and its embedding twin), the ledger's
        connections and the HTTP session. Parts passed in by the caller stay theirs. Idempotent."""
        with self._lock:
            self._closed = True
            if self._owns_local:
                if self._local is not None:
                    self._local.close()
                    self._local = None
                loader, self._loader = self._loader, None
            else:
                loader = None
            if self._owns_embedder and self._embedder is not None:
                self._embedder.close()
                self._embedder = None
            if self._owns_ledger and self._ledger is not None:
                self._ledger.close()
                self._ledger = None
            if self._owns_cloud and self._cloud is not None:
                self._cloud.close()
                self._cloud = None
        if loader is not None:  # a load still running: close what it makes
            loader.done.wait(60)
            if loader.model is not None:
                loader.model.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- a turn -------------------------------------------------------------------------
    def ask_sync(
        self,
        conversation: Conversation,
        text: str,
        options: TurnOptions | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> TurnResult:
        for event in self.ask(conversation, text, options, cancel=cancel):
            if isinstance(event, TurnDone):
                return event.result
        raise AssertionError("ask() ended without TurnDone")  # pragma: no cover

    def ask(
        self,
        conversation: Conversation,
        text: str,
        options: TurnOptions | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> Iterator[Event]:
        options = options or TurnOptions()
        options.check()
        text = (text or "").strip()
        if not text:
            raise PromptError("The message is empty: type a question.")
        self.refresh_settings()
        self._sync_parts()
        started = time.perf_counter()
        s = self.settings
        mode = options.mode or s["router.mode"]
        base = options.threshold if options.threshold is not None else s["router.threshold"]
        threshold, pacing_note = base, ""
        ledger = self.ledger
        if ledger is not None and mode == "auto":
            paced, note = ledger.effective_threshold(base)
            if paced != base:  # pacing is in force: say so in the turn's reason
                threshold, pacing_note = paced, note
        result = TurnResult(
            answer="",
            route="local",
            reason="",
            confidence=None,
            components={},
            threshold=threshold,
            mode=mode,
            conversation_id=conversation.id,
            client=options.client,
        )
        token = CancelToken()  # this turn's own: set by the face's token, or when the face closes us
        unlink = cancel.link(token) if cancel is not None else None
        turn = _Turn(
            conversation,
            text,
            options,
            result,
            token,
            base,
            options.max_tokens or s["local.max_tokens"],
            paced=bool(pacing_note),
        )
        if pacing_note:
            result.reason = pacing_note
        try:
            yield from self._run(turn)
        except Cancelled:
            self._mark_stopped(turn)
        except GeneratorExit:  # the face stopped iterating: record what happened, then let go
            token.set()
            self._mark_stopped(turn)
            try:
                self._finish(turn, started)
            except Exception:  # noqa: BLE001 - closing must not fail; the ledger write is one transaction
                pass
            raise
        except BaseException:
            token.set()  # a cloud call on its thread stops too
            raise
        finally:
            if unlink is not None:
                unlink()
        self._finish(turn, started)
        yield TurnDone(result)

    def _run(self, turn: _Turn) -> Iterator[Event]:
        result = turn.result
        mode = result.mode
        cloud = self.cloud
        gen: Generation | None = None
        conf: Confidence | None = None
        pacing_note = result.reason
        if mode != "cloud" or cloud is None:
            gen, conf = yield from self._answer_locally(turn)
        decision = router.decide(
            mode, conf.score if conf else None, result.threshold, cloud_configured=cloud is not None
        )
        result.reason = decision.reason + (f"; {pacing_note}" if pacing_note else "")
        result.reason_code = decision.code
        if not decision.escalate:
            result.route = "local"
            result.answer = result.local_answer
            if (
                turn.paced
                and decision.code == wording.CONFIDENT
                and conf is not None
                and conf.score < turn.base_threshold
            ):
                result.reason_code = wording.BUDGET  # it would have escalated but for budget pacing
            return
        turn.token.check()
        yield Escalating(
            decision.reason, conf.score if conf else None, decision.code, self.settings["cloud.model"]
        )
        yield from self._escalate(turn, local_ran=gen is not None)
        if result.route != "cloud" and gen is None:  # cloud mode failed: answer locally now
            gen, conf = yield from self._answer_locally(turn)
            result.answer = result.local_answer

    def _mark_stopped(self, turn: _Turn) -> None:
        result = turn.result
        result.stopped = True
        result.reason_code = wording.STOPPED
        result.reason = (result.reason + "; " if result.reason else "") + "stopped by the user"
        if not result.answer:
            result.answer = result.local_answer

    def _finish(self, turn: _Turn, started: float) -> None:
        result = turn.result
        result.latency_ms = (time.perf_counter() - started) * 1000
        conversation = turn.conversation
        conversation.messages.append({"role": "user", "content": turn.text})
        if result.answer:
            conversation.messages.append({"role": "assistant", "content": result.answer})
        if self._use_ledger:
            try:
                self.conversations.save_mapping(conversation)
            except EdgeappError:
                pass  # the mapping is a convenience; the turn stands
        self._record(result, turn.text)

    # -- the local model --------------------------------------------------------------------
    def _fit_history(
        self, conversation: Conversation, text: str, system: str, max_tokens: int | None = None
    ) -> list[dict[str, str]]:
        """System + as much recent history as fits + the new message; error if the message alone
        does not. Any message list works: the conversation's own system messages (an API client's)
        join the system prompt while they fit, other messages are dropped oldest first, one by one."""
        local = self.local
        max_tokens = max_tokens or self.settings["local.max_tokens"]
        reserve = min(max_tokens, local.n_ctx // 4)
        budget = local.n_ctx - reserve
        user = {"role": "user", "content": text}
        plain = {"role": "system", "content": system}
        needed = local.count_tokens([plain, user])
        if needed > local.n_ctx - 16:
            raise PromptError(
                f"The message is about {needed} tokens but the local model's context holds {local.n_ctx}. "
                "Shorten it, or raise the context with `edgeapp config set local.n_ctx 8192` (uses more memory).",
                action=context_action(local.n_ctx),
            )
        extra = [m.get("content") or "" for m in conversation.messages if m.get("role") == "system"]
        others = [
            {"role": m.get("role") or "user", "content": m.get("content") or ""}
            for m in conversation.messages
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

    def _stream_local(self, turn: _Turn, text: str) -> Iterator[Event]:
        """The local model's answer to `text` in this conversation, streamed as LocalToken with the
        confidence statement hidden; returns the finished Generation (finish_reason "cancelled"
        when the turn was stopped)."""
        local = self._local_ready(turn.token)
        messages = self._fit_history(turn.conversation, text, local_system_prompt(), turn.local_max_tokens)
        hide = StatementFilter()
        gen: Generation | None = None
        for item in local.stream(messages, max_tokens=turn.local_max_tokens, cancel=turn.token):
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

    def _answer_locally(self, turn: _Turn):
        result = turn.result
        gen = yield from self._stream_local(turn, turn.text)
        verbal = parse_verbal(gen.text)
        result.local_model = self.local.name
        result.local_answer = verbal.answer
        result.local_prompt_tokens = gen.prompt_tokens
        result.local_completion_tokens = gen.completion_tokens
        result.local_ms = gen.total_s * 1000
        result.local_tokens_per_s = gen.tokens_per_s
        if gen.finish_reason == "cancelled":
            result.answer = verbal.answer
            raise Cancelled()
        conf = score(gen, verbal, question=turn.text)
        fitted = self._calibration()
        if fitted is not None:  # `edgeapp calibrate` saved one: its probability is the confidence
            conf = fitted.apply(conf)
        result.confidence = conf.score
        result.components = conf.components()
        return gen, conf

    # -- the cloud --------------------------------------------------------------------------
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
                result.collab["compress"] = {
                    "kept_words": round(kept, 3),
                    "max_drop": round(budget, 3),
                    "sent": short,
                }
        if s["collab.exclusion_hints"]:
            letters = collab.parse_choices(text)
            if letters:
                messages = [
                    {"role": "system", "content": local_system_prompt()},
                    {"role": "user", "content": text},
                ]
                hint = collab.exclusion_hint(collab.option_probabilities(self.local, messages, letters))
                if hint:
                    outgoing = f"{outgoing}\n\n{hint}"
                    result.collab["exclusion_hint"] = hint
        return outgoing

    def _escalate(self, turn: _Turn, *, local_ran: bool = True) -> Iterator[Event]:
        cloud = self.cloud
        assert cloud is not None
        result, conversation, text = turn.result, turn.conversation, turn.text
        # the collaboration settings need the local model's answer: not in cloud mode
        mode = self.settings["collab.mode"] if local_ran else "answer"
        outgoing = self._outgoing(text, result) if local_ran else text
        if mode == "answer":
            reply = yield from self._cloud_call(turn, outgoing, show=True)
            if reply is not None:
                self._cloud_answer(conversation, reply, result)
            return
        # align / shepherd: the cloud writes a plan or the first steps, the local model the answer
        ask, limit, intro = collab.request_for(mode, self.settings["cloud.max_tokens"])
        reply = yield from self._cloud_call(turn, f"{outgoing}\n\n{ask}", max_tokens=limit)
        if reply is None:
            return
        part = conversation.vault.restore(reply.text).strip()
        result.collab[mode] = {"cloud_part": part}
        yield Notice(
            f"The cloud sent {'its first steps' if mode == 'shepherd' else 'a plan'} "
            f"({reply.output_tokens or '?'} tokens); the local model writes the answer.",
            kind="collab",
        )
        gen = yield from self._stream_local(turn, f"{text}\n\n{intro}\n{part}")
        answer = parse_verbal(gen.text).answer
        if gen.finish_reason == "cancelled":
            result.route, result.answer = "cloud", answer
            raise Cancelled()
        if mode == "align":
            score_ = collab.alignment(self.embedder, part, answer)
            result.collab[mode]["alignment"] = round(score_, 4)
            if score_ < collab.ALIGN_MIN:  # the local answer did not follow the plan: ask for the answer
                yield Notice(
                    f"The local answer did not follow the cloud's plan (alignment {score_:.2f}); "
                    "asking the cloud for the full answer.",
                    kind="collab",
                )
                result.collab[mode]["fallback"] = True
                full = yield from self._cloud_call(turn, outgoing, show=True, keep_route=True)
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

    def _history_window(self, conversation: Conversation) -> list[tuple[str, str]]:
        """The newest earlier messages whose estimated tokens fit `cloud.history_tokens`."""
        budget = self.settings["cloud.history_tokens"]
        window: list[tuple[str, str]] = []
        used = 0
        for message in reversed(conversation.messages):
            content = message.get("content") or ""
            cost = history_tokens(content)
            if used + cost > budget:
                break
            window.append((message.get("role") or "user", content))
            used += cost
        window.reverse()
        return window

    def _scrub(self, turn: _Turn, text: str) -> tuple[ScrubbedPayload, int, PolicyBlocked | None]:
        """The scrubbed payload: system prompt, the history window, the message. Scrubbed per
        message: a value the policy blocks in the new message blocks the escalation (raises
        PolicyBlocked); one in an earlier message ends the window there (it and what is older stay
        home) and is returned as the third item."""
        gatekeeper = self.gatekeeper
        vault = turn.conversation.vault
        window = self._history_window(turn.conversation)
        try:
            return (
                gatekeeper.scrub([("system", CLOUD_SYSTEM), *window, ("user", text)], vault),
                len(window),
                None,
            )
        except PolicyBlocked:
            gatekeeper.check_policy(gatekeeper.find(text))  # the new message itself: the turn is blocked
            kept: list[tuple[str, str]] = []
            cut: PolicyBlocked | None = None
            for role, content in reversed(window):
                try:
                    gatekeeper.check_policy(gatekeeper.find(content))
                except PolicyBlocked as exc:
                    cut = exc
                    break
                kept.append((role, content))
            kept.reverse()
            return gatekeeper.scrub([("system", CLOUD_SYSTEM), *kept, ("user", text)], vault), len(kept), cut

    def _cloud_call(
        self,
        turn: _Turn,
        text: str,
        *,
        max_tokens: int | None = None,
        show: bool = False,
        keep_route: bool = False,
    ):
        """One scrubbed cloud call for this turn: scrub, confirm (when asked for), reserve budget,
        stream (shown as CloudToken when `show`), settle. Returns the reply, or None after falling
        back to the local answer (or, with `keep_route`, leaving the turn as it was). Stopped
        mid-way, the call is charged by estimate and Cancelled propagates."""
        cloud = self.cloud
        assert cloud is not None
        result, conversation, token = turn.result, turn.conversation, turn.token
        ledger = self.ledger
        result.cloud_model, result.cloud_provider = cloud.model, cloud.provider
        max_tokens = max_tokens or self.settings["cloud.max_tokens"]

        def fall_back(route: str, code: str, reason: str) -> None:
            if not keep_route:
                result.route, result.reason, result.reason_code = route, reason, code
                result.answer = result.local_answer

        try:
            payload, sent, cut = self._scrub(turn, text)
        except PolicyBlocked as exc:
            fall_back("blocked", wording.PRIVACY, f"{exc} The answer is the local model's.")
            yield Notice(f"{exc} The answer is the local model's.", kind="privacy")
            return None
        except GatekeeperError as exc:
            fall_back("local-fallback", wording.GATEKEEPER_ERROR, f"kept local: {exc}")
            yield Notice(f"kept local: {exc}", kind="fallback")
            return None
        result.history_sent = sent
        result.history_left_out = len(conversation.messages) - sent
        if cut is not None:
            yield Notice(
                "An earlier message in this conversation holds data your privacy policy blocks; the "
                "cloud got only the messages after it.",
                kind="privacy",
            )
        for kind, count in payload.entities.items():
            result.masked_entities[kind] = max(result.masked_entities.get(kind, 0), count)
        token.check()
        if self.settings["privacy.confirm_before_send"]:
            confirm = turn.options.confirm
            if confirm is None or not confirm(payload):
                why = (
                    "you chose to keep it on this device"
                    if confirm is not None
                    else "privacy.confirm_before_send is on and this face cannot ask"
                )
                fall_back("local-fallback", wording.USER_KEPT_LOCAL, f"kept local: {why}")
                yield Notice(f"Not sent: {why}. The answer is the local model's.", kind="fallback")
                return None
            token.check()
        stream = self.settings["cloud.stream"]
        request_json = json.dumps(
            cloud.request_body(payload, stream=stream, max_tokens=max_tokens), ensure_ascii=False
        )
        reservation = None
        if ledger is not None:
            try:
                reservation = ledger.reserve(
                    cloud.provider, cloud.model, cloud.base_url, estimate_tokens(request_json), max_tokens
                )
            except EdgeappError as exc:  # BudgetExceeded, UnknownPrice: the turn stays local
                fall_back("local-fallback", wording.BUDGET, f"kept local: {exc}")
                yield Notice(str(exc), kind="fallback")
                return None
        restorer = conversation.vault.stream_restorer()
        reply: CloudReply | None = None
        error: str | None = None
        streamed: list[str] = []
        shown_text: list[str] = []
        finished = False
        try:  # from here on, every way out settles or releases the reservation
            if getattr(reservation, "alert", None):
                yield Notice(reservation.alert, kind="alert")
            yield Notice(wording.escalation_notice(cloud.model, payload.entities), kind="sending")
            for item in _pumped(
                lambda: cloud.iter_complete(payload, stream=stream, max_tokens=max_tokens, cancel=token),
                token,
            ):
                if not isinstance(item, CloudReply):
                    token.check()  # chunks already received are not shown once the turn is stopped
                if isinstance(item, str):
                    streamed.append(item)
                    shown = restorer.feed(item)
                    if shown and show:
                        shown_text.append(shown)
                        yield CloudToken(shown)
                elif isinstance(item, Restart):
                    streamed.clear()
                    shown_text.clear()
                    restorer = conversation.vault.stream_restorer()
                    if show:
                        yield CloudRestart(item.reason)
                else:
                    reply = item
            finished = True
            tail = restorer.flush()
            if tail and show:
                yield CloudToken(tail)
        except CloudError as exc:
            error, finished = str(exc), True
        finally:  # also when the turn is stopped or the face closes us: never leave a reservation held
            stopped = not finished and reply is None
            call = self._close_call(
                reservation,
                cloud,
                payload,
                request_json,
                reply,
                "stopped by the user" if stopped else error,
                partial="".join(streamed) if stopped else None,
            )
            self._book(result, call, reply)
            if stopped and show and streamed:
                result.route = "cloud"
                result.answer = conversation.vault.restore("".join(streamed)).strip()
        if reply is None:
            fall_back("local-fallback", wording.CLOUD_ERROR, f"cloud failed: {error}")
            yield Notice(f"The cloud did not answer ({error}); showing the local answer.", kind="fallback")
            return None
        return reply

    @staticmethod
    def _book(result: TurnResult, call, reply: CloudReply | None) -> None:
        if reply is not None:
            result.cloud_input_tokens = _add(result.cloud_input_tokens, reply.input_tokens)
            result.cloud_output_tokens = _add(result.cloud_output_tokens, reply.output_tokens)
            result.cloud_ms = (result.cloud_ms or 0.0) + reply.latency_ms
            result.cloud_attempts += reply.attempts
        if call is not None:
            result.cost += call.cost or 0.0
            result.cost_estimated = result.cost_estimated or call.estimated
            if call.id is not None:
                result.cloud_call_ids.append(call.id)

    def _close_call(
        self,
        reservation,
        cloud: CloudClient,
        payload,
        request_json: str,
        reply: CloudReply | None,
        error: str | None,
        *,
        partial: str | None = None,
    ):
        """Settle (success, or stopped: charged by estimate) or release (failure) the budget
        reservation, recording the call."""
        if reservation is None:
            return None
        from .ledger import CloudCallRecord

        if partial is not None:  # stopped: the provider bills what it generated; usage never came
            response = {
                "object": "chat.completion",
                "model": cloud.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": partial},
                        "finish_reason": "stopped",
                    }
                ],
            }
            call = CloudCallRecord(
                turn_id=None,
                provider=cloud.provider,
                model=cloud.model,
                request_json=request_json,
                entities=dict(payload.entities),
                response_json=json.dumps(response, ensure_ascii=False),
                input_tokens=None,
                output_tokens=None,
                status="stopped",
                error=error,
                latency_ms=0.0,
                base_url=cloud.base_url,
            )
            self.ledger.settle(reservation, call)  # estimates both counts (capped at the reservation)
            return call
        call = CloudCallRecord(
            turn_id=None,
            provider=cloud.provider,
            model=reply.model if reply else cloud.model,
            request_json=request_json,
            entities=dict(payload.entities),
            response_json=reply.response_json if reply else None,
            input_tokens=reply.input_tokens if reply else None,
            output_tokens=reply.output_tokens if reply else None,
            status="ok" if reply else "error",
            error=None if reply else error,
            latency_ms=reply.latency_ms if reply else 0.0,
            base_url=cloud.base_url,
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

        result.turn_id = ledger.record_turn(
            TurnRecord(
                conversation_id=result.conversation_id,
                user_text=text,
                answer=result.answer,
                route=result.route,
                reason=result.reason,
                confidence=result.confidence,
                components=result.components,
                threshold=result.threshold,
                local_model=result.local_model,
                local_prompt_tokens=result.local_prompt_tokens,
                local_completion_tokens=result.local_completion_tokens,
                local_ms=result.local_ms,
                cloud_ms=result.cloud_ms,
                cost=result.cost,
                cloud_call_ids=[i for i in result.cloud_call_ids if i is not None],
                client=result.client,
                reason_code=result.reason_code,
                stopped=result.stopped,
            )
        )

    # -- the escalation leg alone (the evaluation measures the product's path with it) -------
    def escalate_sync(
        self,
        conversation: Conversation,
        text: str,
        *,
        confidence: float | None,
        threshold: float,
        local_answer: str = "",
        confirm: Callable[[ScrubbedPayload], bool] | None = None,
    ) -> TurnResult:
        """Escalate `text` as a turn whose local answer had `confidence` would, with this
        assistant's settings (collab.*), and return the result; nothing is recorded as a turn.
        `edgeapp eval --method` runs its methods through this, so it measures the product's code.
        `confirm`: as TurnOptions.confirm (with privacy.confirm_before_send on, it sees each payload
        before it is sent; False: nothing is sent and the result stays local)."""
        self.refresh_settings()
        result = TurnResult(
            answer=local_answer,
            route="local",
            reason="",
            confidence=confidence,
            components={},
            threshold=threshold,
            mode="auto",
            conversation_id=conversation.id,
            local_answer=local_answer,
        )
        turn = _Turn(
            conversation,
            text,
            TurnOptions(client="eval", confirm=confirm),
            result,
            CancelToken(),
            threshold,
            self.settings["local.max_tokens"],
        )
        for _ in self._escalate(turn, local_ran=True):
            pass
        return result
