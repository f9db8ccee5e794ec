"""The companion's HTTP app: OpenAI-compatible `/v1/chat/completions` and `/v1/models`, the phone
page at `/`, and a few read-only `/edgeapp/...` endpoints the page uses (budget, its conversations).

Every request is a turn of the one shared `Assistant` (no routing, scrubbing, pricing or wording
here: route labels and money come from `edgeapp.wording`). A turn runs on a thread of its own and
its events reach the request through an asyncio queue. At most `parallel` turns run at once (the
local model itself runs one generation at a time on its owner thread); up to `queue_limit` more
wait; past that the server answers 503 with Retry-After. A client that goes away stops its turn
(CancelToken), which the core records as stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .. import __version__, wording
from ..assistant import (
    CloudRestart,
    CloudToken,
    Escalating,
    LocalToken,
    Notice,
    TurnDone,
    TurnOptions,
    TurnResult,
)
from ..cancel import CancelToken
from ..conversations import Conversation, ConversationError
from ..errors import EdgeappError, PromptError
from . import protocol
from .protocol import MODEL_NOTES, MODELS, RequestError, StopFilter

PHONE_CLIENT = "api:phone"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
    "/icon.svg": ("icon.svg", "image/svg+xml"),
}
_END = object()


@dataclass
class ServerOptions:
    token: str
    parallel: int = 2  # turns running at once (local generation is still one at a time)
    queue_limit: int = 8  # turns waiting for a slot; past that: 503 + Retry-After
    max_body: int = 1_000_000  # bytes of a request body
    max_tokens_cap: int = 4096  # the largest max_tokens a request may ask for
    max_messages: int = 256
    fail_free: int = 5  # wrong tokens from one address before answers are slowed down
    fail_delay_max: float = 8.0


# -- errors in the OpenAI shape -------------------------------------------------------------
def error_response(
    status: int,
    message: str,
    *,
    kind: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: dict | None = None,
    extra: dict | None = None,
) -> JSONResponse:
    error: dict[str, Any] = {"message": message, "type": kind, "param": param, "code": code}
    if extra:
        error.update(extra)
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def _edgeapp_error(exc: EdgeappError) -> tuple[int, dict]:
    action = exc.action.to_dict() if getattr(exc, "action", None) is not None else None
    if isinstance(exc, PromptError):
        status, kind, code = 400, "invalid_request_error", "context_length_exceeded"
    else:
        status, kind, code = 500, "server_error", type(exc).__name__
    error = {"message": str(exc), "type": kind, "param": None, "code": code}
    if action:
        error["edgeapp_action"] = action
    return status, error


# -- who may ask ----------------------------------------------------------------------------
class FailureThrottle:
    """Counts wrong or missing tokens per address; past `free` failures each answer to that address
    waits longer (doubling up to `max_delay`). Forgotten after 10 minutes without a failure."""

    def __init__(self, free: int, max_delay: float) -> None:
        self.free, self.max_delay = free, max_delay
        self._fails: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def delay(self, address: str) -> float:
        with self._lock:
            count, last = self._fails.get(address, (0, 0.0))
            if time.monotonic() - last > 600:
                count = 0
            count += 1
            self._fails[address] = (count, time.monotonic())
            if len(self._fails) > 10000:  # bounded memory
                self._fails.pop(next(iter(self._fails)))
        if count <= self.free:
            return 0.0
        return min(self.max_delay, 0.25 * 2 ** (count - self.free - 1))

    def forgive(self, address: str) -> None:
        with self._lock:
            self._fails.pop(address, None)


# -- the queue for the model ----------------------------------------------------------------
class Admission:
    """`parallel` turns run; `queue_limit` more wait; the rest are turned away."""

    def __init__(self, parallel: int, queue_limit: int) -> None:
        self.parallel, self.queue_limit = max(1, parallel), max(0, queue_limit)
        self._slots = threading.Semaphore(self.parallel)
        self._lock = threading.Lock()
        self.inflight = 0
        self.rejected = 0
        self._durations: list[float] = []

    def enter(self) -> bool:
        with self._lock:
            if self.inflight >= self.parallel + self.queue_limit:
                self.rejected += 1
                return False
            self.inflight += 1
            return True

    def leave(self, seconds: float | None) -> None:
        with self._lock:
            self.inflight -= 1
            if seconds is not None:
                self._durations = (self._durations + [seconds])[-20:]

    def acquire(self, cancel: CancelToken) -> bool:
        """Wait for a slot; gives up (False) when the turn is cancelled meanwhile."""
        while not self._slots.acquire(timeout=0.05):
            if cancel.is_set():
                return False
        return True

    def release(self) -> None:
        self._slots.release()

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue ahead divided among the slots, at the
        recent turns' average time."""
        with self._lock:
            average = sum(self._durations) / len(self._durations) if self._durations else 2.0
            ahead = max(1, self.inflight - self.parallel + 1)
        return max(1, min(120, math.ceil(average * ahead / self.parallel)))


@dataclass(eq=False)
class _Job:
    """One turn on its thread; events go to the request's asyncio queue."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue
    cancel: CancelToken = field(default_factory=CancelToken)
    thread: threading.Thread | None = None

    def put(self, item: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the loop is gone (server stopping): the turn still finishes and is recorded
            self.cancel.set()


def client_label(request: Request) -> str:
    """`api:<name>`: the X-Edgeapp-Client header, else the User-Agent (printable ASCII, 60 chars)."""
    name = request.headers.get("x-edgeapp-client") or request.headers.get("user-agent") or "unknown"
    name = "".join(c for c in name if 32 <= ord(c) < 127).strip()[:60] or "unknown"
    return f"api:{name}"


def turn_info(result: TurnResult, currency: str) -> dict[str, Any]:
    """The `edgeapp` field of a response: what happened to the turn, worded by edgeapp.wording."""
    return {
        "route": result.route,
        "badge": wording.badge(result),
        "reason_code": result.reason_code,
        "reason": result.reason,
        "reasons": wording.reasons(result, currency),
        "confidence": result.confidence,
        "threshold": result.threshold,
        "masked_entities": dict(result.masked_entities),
        "masked": wording.entity_phrase(result.masked_entities),
        "cost": result.cost,
        "cost_text": wording.money(result.cost, currency, estimated=result.cost_estimated),
        "cost_estimated": result.cost_estimated,
        "currency": currency,
        "conversation_id": result.conversation_id,
        "turn_id": result.turn_id,
        "stopped": result.stopped,
        "local_model": result.local_model,
        "cloud_model": result.cloud_model,
        "client": result.client,
        "history_sent": result.history_sent,
        "history_left_out": result.history_left_out,
        "latency_ms": round(result.latency_ms, 1),
    }


def info_headers(result: TurnResult) -> dict[str, str]:
    masked = ",".join(f"{k}={v}" for k, v in sorted(result.masked_entities.items()) if v) or "none"
    return {
        "X-Edgeapp-Route": result.route,
        "X-Edgeapp-Reason-Code": result.reason_code or "",
        "X-Edgeapp-Confidence": "" if result.confidence is None else f"{result.confidence:.4f}",
        "X-Edgeapp-Masked": masked,
        "X-Edgeapp-Cost": f"{result.cost:.6f}",
        "X-Edgeapp-Conversation": result.conversation_id,
        "X-Edgeapp-Turn": "" if result.turn_id is None else str(result.turn_id),
        "X-Edgeapp-Stopped": "true" if result.stopped else "false",
    }


def usage(result: TurnResult) -> dict[str, int]:
    """Tokens of the model that wrote the answer (the cloud's when it did, else the local model's)."""
    if result.route == "cloud" and result.cloud_input_tokens is not None:
        prompt, completion = result.cloud_input_tokens or 0, result.cloud_output_tokens or 0
    else:
        prompt, completion = result.local_prompt_tokens, result.local_completion_tokens
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


class Composer:
    """Turns the core's events into what an OpenAI client reads as `content`, plus edgeapp events
    (drafts, notices) a plain client ignores. `edgeapp-local` streams the local tokens as content;
    `edgeapp-auto` shows the local draft only as `edgeapp.draft` until the router has decided (so
    the content is always the final answer); cloud tokens are content as they come."""

    def __init__(self, mode: str, stops: list[str]) -> None:
        self.mode = mode
        self.stop = StopFilter(stops)
        self.sent = ""  # content before the stop filter
        self.source: str | None = None  # local | cloud: where the content came from

    def _content(self, text: str, source: str) -> list[dict]:
        out: list[dict] = []
        if self.source is not None and self.source != source:  # cloud text then a local fallback
            out.append({"edgeapp": {"event": "restart", "reason": "the answer changed source"}})
            self.stop = StopFilter(self.stop.stops)
            self.sent = ""
        self.source = source
        self.sent += text
        shown = self.stop.feed(text)
        if shown:
            out.append({"content": shown})
        return out

    def event(self, event: Any) -> list[dict]:
        if isinstance(event, LocalToken):
            if self.mode == "auto":
                return [{"edgeapp": {"event": "draft", "text": event.text}}]
            return self._content(event.text, "local")
        if isinstance(event, CloudToken):
            return self._content(event.text, "cloud")
        if isinstance(event, CloudRestart):
            self.stop = StopFilter(self.stop.stops)
            self.sent = ""
            return [{"edgeapp": {"event": "restart", "reason": event.reason}}]
        if isinstance(event, Escalating):
            return [
                {
                    "edgeapp": {
                        "event": "escalating",
                        "reason": event.reason,
                        "confidence": event.confidence,
                        "reason_code": event.reason_code,
                        "cloud_model": event.cloud_model,
                    }
                }
            ]
        if isinstance(event, Notice):
            return [{"edgeapp": {"event": "notice", "kind": event.kind, "text": event.text}}]
        return []

    def finish(self, result: TurnResult) -> list[dict]:
        """What is still to send once the turn is done, so the content adds up to the answer."""
        final = result.answer or ""
        source = "cloud" if result.route == "cloud" else "local"
        out: list[dict] = []
        if not self.sent:
            out += self._content(final, source)
        elif self.source != source:
            out += self._content(final, source)
        elif final.startswith(self.sent) and len(final) > len(self.sent):
            out += self._content(final[len(self.sent) :], source)
        tail = self.stop.flush()
        if tail:
            out.append({"content": tail})
        return out


class CompanionApp:
    """The Starlette app around one Assistant."""

    def __init__(self, assistant, options: ServerOptions) -> None:
        self.assistant = assistant
        self.options = options
        self.admission = Admission(options.parallel, options.queue_limit)
        self.throttle = FailureThrottle(options.fail_free, options.fail_delay_max)
        self._jobs: set[_Job] = set()
        self._jobs_lock = threading.Lock()
        self.started = int(time.time())
        routes = [
            Route("/v1/models", self.models, methods=["GET"]),
            Route("/v1/models/{model}", self.model, methods=["GET"]),
            Route("/v1/chat/completions", self.chat, methods=["POST"]),
            Route("/edgeapp/status", self.status, methods=["GET"]),
            Route("/edgeapp/conversations", self.conversations, methods=["GET"]),
            Route("/edgeapp/conversations/{conversation_id}", self.conversation, methods=["GET"]),
        ]
        routes += [Route(path, self.static, methods=["GET"]) for path in STATIC]
        self.app = Starlette(routes=routes, lifespan=self._lifespan)
        self.app.add_exception_handler(404, self._not_found)
        self.app.add_exception_handler(405, self._not_allowed)

    # -- plumbing --------------------------------------------------------------------------
    async def _not_found(self, request: Request, exc: Exception) -> Response:
        return error_response(404, f"There is nothing at {request.url.path}.", code="not_found")

    async def _not_allowed(self, request: Request, exc: Exception) -> Response:
        return error_response(
            405, f"{request.method} is not allowed on {request.url.path}.", code="method_not_allowed"
        )

    async def _authorized(self, request: Request) -> Response | None:
        """None when the bearer token is right, else the 401 (slowed after repeated failures)."""
        header = request.headers.get("authorization") or ""
        scheme, _, given = header.partition(" ")
        address = request.client.host if request.client else "?"
        if scheme.lower() == "bearer" and protocol_token_ok(given.strip(), self.options.token):
            self.throttle.forgive(address)
            return None
        delay = self.throttle.delay(address)
        if delay:
            await asyncio.sleep(delay)
        message = (
            "Missing bearer token: send 'Authorization: Bearer <token>' (edgeapp serve prints it; "
            "the OpenAI client sends its api_key this way)."
            if not given
            else "Incorrect API token. Use the token `edgeapp serve` prints, or pair again."
        )
        return error_response(
            401, message, code="invalid_api_key", headers={"WWW-Authenticate": 'Bearer realm="edgeapp"'}
        )

    def _currency(self) -> str:
        try:
            return self.assistant.settings["budget.currency"]
        except Exception:  # noqa: BLE001
            return "USD"

    @contextlib.asynccontextmanager
    async def _lifespan(self, app):
        yield
        await self.shutdown()

    async def shutdown(self) -> None:
        with self._jobs_lock:
            jobs = list(self._jobs)
        for job in jobs:
            job.cancel.set()
        for job in jobs:
            if job.thread is not None:
                await asyncio.to_thread(job.thread.join, 30)

    # -- static page -----------------------------------------------------------------------
    async def static(self, request: Request) -> Response:
        name, media = STATIC[request.url.path]
        data = resources.files("edgeapp.api").joinpath("static", name).read_bytes()
        return Response(
            data,
            media_type=media,
            headers={
                "Content-Security-Policy": CSP,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY",
                "Cache-Control": "no-cache",
            },
        )

    # -- models ----------------------------------------------------------------------------
    def _model_card(self, name: str) -> dict[str, Any]:
        return {
            "id": name,
            "object": "model",
            "created": self.started,
            "owned_by": "edgeapp",
            "edgeapp": {"mode": MODELS[name], "description": MODEL_NOTES[name]},
        }

    async def models(self, request: Request) -> Response:
        if (denied := await self._authorized(request)) is not None:
            return denied
        return JSONResponse({"object": "list", "data": [self._model_card(n) for n in MODELS]})

    async def model(self, request: Request) -> Response:
        if (denied := await self._authorized(request)) is not None:
            return denied
        name = request.path_params["model"]
        if name not in MODELS:
            return error_response(
                404,
                f"The model {name!r} does not exist here. Use one of: {', '.join(MODELS)}.",
                code="model_not_found",
                param="model",
            )
        return JSONResponse(self._model_card(name))

    # -- the page's own endpoints ----------------------------------------------------------
    async def status(self, request: Request) -> Response:
        if (denied := await self._authorized(request)) is not None:
            return denied
        return JSONResponse(await asyncio.to_thread(self._status))

    def _status(self) -> dict[str, Any]:
        currency = self._currency()
        out: dict[str, Any] = {
            "version": __version__,
            "models": list(MODELS),
            "currency": currency,
            "cloud": bool(self.assistant.settings["cloud.base_url"]),
            "queue": {
                "running_or_waiting": self.admission.inflight,
                "parallel": self.admission.parallel,
                "queue_limit": self.admission.queue_limit,
            },
        }
        ledger = self.assistant.ledger
        if ledger is not None:
            b = ledger.budget_status()
            out["budget"] = {
                "month": b.month,
                "limit": b.limit,
                "spent": b.spent,
                "reserved": b.reserved,
                "left": b.left,
                "state": b.state,
                "spent_text": wording.money(b.spent, currency),
                "limit_text": None if b.limit is None else wording.money(b.limit, currency),
            }
        return out

    async def conversations(self, request: Request) -> Response:
        if (denied := await self._authorized(request)) is not None:
            return denied
        client = request.query_params.get("client") or PHONE_CLIENT
        return JSONResponse({"data": await asyncio.to_thread(self._conversations, client)})

    def _conversations(self, client: str) -> list[dict[str, Any]]:
        ledger = self.assistant.ledger
        if ledger is None:
            return []
        rows = ledger.store.db.execute(
            "SELECT conversation_id, MAX(created_at) AS last FROM turns WHERE client = ? "
            "GROUP BY conversation_id ORDER BY last DESC LIMIT 50",
            [client],
        ).fetchall()
        out = []
        for conversation_id, _ in rows:
            info = self.assistant.conversations.get(conversation_id)
            if info is not None:
                out.append(info.to_dict())
        return out

    async def conversation(self, request: Request) -> Response:
        if (denied := await self._authorized(request)) is not None:
            return denied
        conversation_id = request.path_params["conversation_id"]
        turns = await asyncio.to_thread(self._turns, conversation_id)
        if turns is None:
            return error_response(404, f"There is no conversation {conversation_id!r}.", code="not_found")
        return JSONResponse({"id": conversation_id, "turns": turns})

    def _turns(self, conversation_id: str) -> list[dict[str, Any]] | None:
        ledger = self.assistant.ledger
        if ledger is None:
            return None
        rows = ledger.store.db.execute(
            "SELECT id, user_text, answer, route, reason_code, stopped, cost FROM turns WHERE conversation_id = ? "
            "ORDER BY created_at, id",
            [conversation_id],
        ).fetchall()
        if not rows:
            return None
        keys = ("id", "user_text", "answer", "route", "reason_code", "stopped", "cost")
        out = []
        for row in rows:
            turn = dict(zip(keys, row, strict=True))
            turn["badge"] = wording.badge(turn)
            out.append(turn)
        return out

    # -- chat completions ------------------------------------------------------------------
    async def _read_json(self, request: Request) -> Any:
        limit = self.options.max_body
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise RequestError(
                f"The request body is {int(length)} bytes; at most {limit} are accepted.",
                status=413,
                code="request_too_large",
            )
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise RequestError(
                    f"The request body is over {limit} bytes; at most {limit} are accepted.",
                    status=413,
                    code="request_too_large",
                )
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw.strip():
            raise RequestError("The request body is empty: send a JSON object with 'model' and 'messages'.")
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RequestError(f"The request body is not valid JSON ({exc}).", code="invalid_json") from None

    def _conversation(self, req: protocol.ChatRequest) -> Conversation:
        """The request's messages as a core Conversation. With `conversation_id` (the phone page),
        the ledger's history of that conversation is used and the request's system messages go
        first; otherwise the request's messages before the last are the history, as they are."""
        if req.conversation_id is None:
            return Conversation(messages=[dict(m) for m in req.history])
        try:
            conversation = self.assistant.conversations.load(req.conversation_id)
        except ConversationError:
            conversation = Conversation(id=req.conversation_id)
        systems = [dict(m) for m in req.history if m["role"] == "system"]
        conversation.messages = systems + conversation.messages
        return conversation

    def _start(self, req: protocol.ChatRequest, client: str) -> _Job:
        job = _Job(asyncio.get_running_loop(), asyncio.Queue())
        options = TurnOptions(
            mode=req.mode, threshold=req.threshold, max_tokens=req.max_tokens, client=client
        )

        def work() -> None:
            started = time.monotonic()
            slot = False
            finished = False
            try:
                slot = self.admission.acquire(job.cancel)
                conversation = self._conversation(req)
                for event in self.assistant.ask(conversation, req.text, options, cancel=job.cancel):
                    job.put(event)
                finished = True
            except BaseException as exc:  # noqa: BLE001 - handed to the request
                job.put(exc)
            finally:
                if slot:
                    self.admission.release()
                self.admission.leave(time.monotonic() - started if finished else None)
                job.put(_END)
                with self._jobs_lock:
                    self._jobs.discard(job)

        job.thread = threading.Thread(target=work, name="edgeapp-api-turn", daemon=True)
        with self._jobs_lock:
            self._jobs.add(job)
        job.thread.start()
        return job

    async def chat(self, request: Request) -> Response:
        if (denied := await self._authorized(request)) is not None:
            return denied
        try:
            body = await self._read_json(request)
            req = protocol.parse_chat(
                body, max_tokens_cap=self.options.max_tokens_cap, max_messages=self.options.max_messages
            )
        except RequestError as exc:
            return error_response(exc.status, exc.message, kind=exc.kind, code=exc.code, param=exc.param)
        if not self.admission.enter():
            seconds = self.admission.retry_after()
            return error_response(
                503,
                f"edgeapp is busy: {self.admission.inflight} requests are running or waiting for the local "
                f"model. Try again in {seconds} s.",
                kind="server_error",
                code="queue_full",
                headers={"Retry-After": str(seconds)},
            )
        try:
            job = self._start(req, client_label(request))
        except BaseException:
            self.admission.leave(None)
            raise
        completion_id = "chatcmpl-" + uuid.uuid4().hex[:24]
        created = int(time.time())
        composer = Composer(req.mode, req.stop)
        try:
            first = await self._next(job, request)
        except BaseException:
            job.cancel.set()
            raise
        if isinstance(first, BaseException) or first is _END:
            return self._failure(first)
        if req.stream:
            return StreamingResponse(
                self._sse(job, first, req, composer, completion_id, created),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "X-Edgeapp-Mode": req.mode},
            )
        return await self._whole(job, first, request, req, composer, completion_id, created)

    async def _next(self, job: _Job, request: Request | None) -> Any:
        """The turn's next event; stops the turn when the client went away while it waited."""
        while True:
            try:
                return await asyncio.wait_for(job.queue.get(), timeout=0.5)
            except TimeoutError:
                if request is not None and await request.is_disconnected():
                    job.cancel.set()

    def _failure(self, item: Any) -> Response:
        if isinstance(item, EdgeappError):
            status, error = _edgeapp_error(item)
            return JSONResponse({"error": error}, status_code=status)
        return error_response(
            500,
            f"The turn failed: {item!r}" if item is not _END else "The turn ended without an answer.",
            kind="server_error",
            code="internal_error",
        )

    async def _whole(
        self,
        job: _Job,
        first: Any,
        request: Request,
        req: protocol.ChatRequest,
        composer: Composer,
        completion_id: str,
        created: int,
    ) -> Response:
        item = first
        result: TurnResult | None = None
        try:
            while item is not _END:
                if isinstance(item, BaseException):
                    return self._failure(item)
                if isinstance(item, TurnDone):
                    result = item.result
                item = await self._next(job, request)
        finally:
            if item is not _END:
                job.cancel.set()
        if result is None:
            return self._failure(_END)
        text, hit = protocol.cut_at_stop(result.answer or "", req.stop)
        body = {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": req.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": self._finish_reason(result, req, hit),
                    "logprobs": None,
                }
            ],
            "usage": usage(result),
            "system_fingerprint": None,
            "edgeapp": turn_info(result, self._currency()),
        }
        return JSONResponse(body, headers=info_headers(result))

    @staticmethod
    def _finish_reason(result: TurnResult, req: protocol.ChatRequest, hit: bool) -> str:
        if hit or result.stopped:
            return "stop"
        limit = req.max_tokens
        if result.route != "cloud" and limit and result.local_completion_tokens >= limit:
            return "length"
        return "stop"

    async def _sse(
        self,
        job: _Job,
        first: Any,
        req: protocol.ChatRequest,
        composer: Composer,
        completion_id: str,
        created: int,
    ) -> AsyncIterator[bytes]:
        def chunk(
            delta: dict, finish: str | None = None, extra: dict | None = None, choices: bool = True
        ) -> bytes:
            obj: dict[str, Any] = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": req.model,
                "system_fingerprint": None,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]
                if choices
                else [],
            }
            if extra:
                obj.update(extra)
            return b"data: " + json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n\n"

        def pieces(parts: list[dict]) -> list[bytes]:
            out = []
            for part in parts:
                if "content" in part:
                    out.append(chunk({"content": part["content"]}))
                else:
                    out.append(chunk({}, extra=part))
            return out

        done = False
        item = first
        try:
            yield chunk({"role": "assistant", "content": ""})
            while item is not _END:
                if isinstance(item, BaseException):
                    status, error = (
                        _edgeapp_error(item)
                        if isinstance(item, EdgeappError)
                        else (
                            500,
                            {
                                "message": f"The turn failed: {item!r}",
                                "type": "server_error",
                                "param": None,
                                "code": "internal_error",
                            },
                        )
                    )
                    yield b"data: " + json.dumps({"error": error}, ensure_ascii=False).encode() + b"\n\n"
                elif isinstance(item, TurnDone):
                    result = item.result
                    for out in pieces(composer.finish(result)):
                        yield out
                    yield chunk(
                        {},
                        self._finish_reason(result, req, composer.stop.hit),
                        extra={"edgeapp": turn_info(result, self._currency())},
                    )
                    if req.include_usage:
                        yield chunk({}, extra={"usage": usage(result)}, choices=False)
                else:
                    for out in pieces(composer.event(item)):
                        yield out
                while True:  # a comment line now and then: a write that finds a client that left
                    try:
                        item = await asyncio.wait_for(job.queue.get(), timeout=1.0)
                        break
                    except TimeoutError:
                        yield b": waiting\n\n"
            yield b"data: [DONE]\n\n"
            done = True
        finally:
            if not done:  # the client went away (or the server stops): stop the turn; the core records it
                job.cancel.set()


def protocol_token_ok(given: str, expected: str) -> bool:
    from .tokens import matches

    return matches(given, expected)


def create_app(assistant, options: ServerOptions) -> Starlette:
    companion = CompanionApp(assistant, options)
    app = companion.app
    app.state.companion = companion
    return app
