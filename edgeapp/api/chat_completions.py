"""`POST /v1/chat/completions`: a request becomes one turn of the Assistant, answered whole or
streamed as server-sent events in the OpenAI shape (`chat.completion` / `chat.completion.chunk`),
with the turn's route, confidence and cost in an `edgeapp` field and X-Edgeapp-* headers."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from ..assistant import Assistant, TurnDone, TurnResult
from . import protocol
from .admission import Admission
from .deltas import DeltaTranslator, Part
from .errors import error_response, turn_error, turn_error_response
from .options import ServerOptions
from .protocol import RequestError
from .turn_report import currency, finish_reason, info_headers, turn_info, usage
from .turns import END, QueueItem, TurnJob, TurnRunner

TOO_DEEP = "The request body nests too deeply to be a chat request."
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def client_label(request: Request) -> str:
    """`api:<name>`: the X-Edgeapp-Client header, else the User-Agent (printable ASCII, 60 chars)."""
    name = request.headers.get("x-edgeapp-client") or request.headers.get("user-agent") or "unknown"
    name = "".join(c for c in name if 32 <= ord(c) < 127).strip()[:60] or "unknown"
    return f"api:{name}"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past `limit` bytes whatever Content-Length claims."""
    length = request.headers.get("content-length")
    too_large = f"at most {limit} are accepted."
    if length and length.isdigit() and int(length) > limit:
        raise RequestError(
            f"The request body is {int(length)} bytes; {too_large}", status=413, code="request_too_large"
        )
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(
                f"The request body is over {limit} bytes; {too_large}", status=413, code="request_too_large"
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int, timeout: float = 30.0) -> Any:
    """The request body parsed as JSON: 413 past `limit` bytes, 408 when it takes longer than
    `timeout` seconds to arrive, 400 when it is not JSON, nests too deeply or holds text that is
    not Unicode (a lone surrogate such as \\ud800, which no model or database can take)."""
    try:
        raw = await asyncio.wait_for(read_body(request, limit), timeout)
    except TimeoutError:
        raise RequestError(
            f"The request body did not arrive within {timeout:g} s.", status=408, code="request_timeout"
        ) from None
    if not raw.strip():
        raise RequestError("The request body is empty: send a JSON object with 'model' and 'messages'.")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestError(f"The request body is not valid JSON ({exc}).", code="invalid_json") from None
    except RecursionError:
        raise RequestError(TOO_DEEP, code="invalid_json") from None
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise RequestError(TOO_DEEP, code="invalid_json") from None
    except UnicodeEncodeError:
        raise RequestError(
            "The request body holds a lone surrogate escape (such as \\ud800): that is not Unicode text.",
            code="invalid_json",
        ) from None
    return body


def sse(obj: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n\n"


@dataclass
class Completion:
    """One request's answer in the making: its id and time, the parsed request, its turn."""

    id: str
    created: int
    req: protocol.ChatRequest
    job: TurnJob
    deltas: DeltaTranslator

    def chunk(
        self, delta: dict[str, Any], finish: str | None = None, extra: dict[str, Any] | None = None
    ) -> bytes:
        """A `chat.completion.chunk` event with one choice holding `delta`."""
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return sse({**self._chunk_head(), "choices": [choice], **(extra or {})})

    def usage_chunk(self, result: TurnResult) -> bytes:
        """The last chunk when the client asked for `stream_options.include_usage`: no choices."""
        return sse({**self._chunk_head(), "choices": [], "usage": usage(result)})

    def parts(self, parts: list[Part]) -> list[bytes]:
        return [
            self.chunk({"content": part["content"]}) if "content" in part else self.chunk({}, extra=part)
            for part in parts
        ]

    def _head(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.req.model}

    def _chunk_head(self) -> dict[str, Any]:
        return {**self._head("chat.completion.chunk"), "system_fingerprint": None}

    def whole(self, result: TurnResult, currency: str) -> dict[str, Any]:
        """The `chat.completion` body for a finished turn (the answer cut at a stop sequence)."""
        text, hit = protocol.cut_at_stop(result.answer or "", self.req.stop)
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": finish_reason(result, self.req.max_tokens, hit),
            "logprobs": None,
        }
        return {
            **self._head("chat.completion"),
            "choices": [choice],
            "usage": usage(result),
            "system_fingerprint": None,
            "edgeapp": turn_info(result, currency),
        }


class ChatCompletions:
    """The route: checks the request, admits it to the model's queue, runs the turn, answers."""

    def __init__(
        self, assistant: Assistant, options: ServerOptions, admission: Admission, runner: TurnRunner
    ) -> None:
        self.assistant = assistant
        self.options = options
        self.admission = admission
        self.runner = runner

    async def handle(self, request: Request) -> Response:
        try:
            body = await read_json(request, self.options.max_body, self.options.body_timeout)
            req = protocol.parse_chat(
                body, max_tokens_cap=self.options.max_tokens_cap, max_messages=self.options.max_messages
            )
        except RequestError as exc:
            return error_response(exc.status, exc.message, kind=exc.kind, code=exc.code, param=exc.param)
        if not self.admission.enter():
            return self._busy()
        try:
            job = self.runner.start(req, client_label(request))
        except BaseException:
            self.admission.leave(None)
            raise
        completion = Completion(
            "chatcmpl-" + uuid.uuid4().hex[:24],
            int(time.time()),
            req,
            job,
            DeltaTranslator(req.mode, req.stop),
        )
        try:
            first = await job.next(request)
        except BaseException:
            job.cancel.set()
            raise
        if isinstance(first, BaseException):
            return turn_error_response(first)
        if first is END:
            return turn_error_response(None)
        if req.stream:
            return StreamingResponse(
                self._stream(completion, first),
                media_type="text/event-stream",
                headers={**STREAM_HEADERS, "X-Edgeapp-Mode": req.mode},
            )
        return await self._whole(completion, first, request)

    def _busy(self) -> Response:
        seconds = self.admission.retry_after()
        return error_response(
            503,
            f"edgeapp is busy: {self.admission.inflight} requests are running or waiting for the local "
            f"model. Try again in {seconds} s.",
            kind="server_error",
            code="queue_full",
            headers={"Retry-After": str(seconds)},
        )

    async def _whole(self, completion: Completion, first: QueueItem, request: Request) -> Response:
        """Wait for the turn to end, then answer with the whole completion."""
        item = first
        result: TurnResult | None = None
        try:
            while item is not END:
                if isinstance(item, BaseException):
                    return turn_error_response(item)
                if isinstance(item, TurnDone):
                    result = item.result
                item = await completion.job.next(request)
        finally:
            if item is not END:
                completion.job.cancel.set()
        if result is None:
            return turn_error_response(None)
        body = completion.whole(result, currency(self.assistant))
        return JSONResponse(body, headers=info_headers(result))

    def _done(self, completion: Completion, result: TurnResult) -> list[bytes]:
        """The chunks that close a streamed answer: the rest of the content, the finish reason with
        the `edgeapp` field, and the usage when asked for."""
        out = completion.parts(completion.deltas.finish(result))
        reason = finish_reason(result, completion.req.max_tokens, completion.deltas.stop.hit)
        out.append(
            completion.chunk({}, reason, extra={"edgeapp": turn_info(result, currency(self.assistant))})
        )
        if completion.req.include_usage:
            out.append(completion.usage_chunk(result))
        return out

    def _chunks(self, completion: Completion, item: QueueItem) -> list[bytes]:
        if isinstance(item, BaseException):
            return [sse({"error": turn_error(item)[1]})]
        if isinstance(item, TurnDone):
            return self._done(completion, item.result)
        return completion.parts(completion.deltas.event(item))

    async def _stream(self, completion: Completion, first: QueueItem) -> AsyncIterator[bytes]:
        done = False
        item = first
        try:
            yield completion.chunk({"role": "assistant", "content": ""})
            while item is not END:
                for data in self._chunks(completion, item):
                    yield data
                while True:  # a comment line now and then: a write that finds a client that left
                    try:
                        item = await asyncio.wait_for(completion.job.queue.get(), timeout=1.0)
                        break
                    except TimeoutError:
                        yield b": waiting\n\n"
            yield b"data: [DONE]\n\n"
            done = True
        finally:
            if not done:  # the client went away (or the server stops): stop the turn; the core records it
                completion.job.cancel.set()
