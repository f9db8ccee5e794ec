"""OpenAI-compatible chat client (requests): streaming and not, timeouts, retries.

It accepts only a `ScrubbedPayload`: raw text cannot reach it. Retries cover 408/409/429/5xx,
connection errors, read timeouts, malformed JSON and streams cut mid-way, with exponential
backoff and `Retry-After` honoured. We retry by hand rather than with urllib3's `Retry`
because half of these failures (bad JSON, a stream cut after the headers) happen after
urllib3 has handed over the response.
"""

from __future__ import annotations

import email.utils
import json
import random
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import requests

from ..cancel import Cancelled, CancelToken
from ..errors import Action, CloudError
from ..gatekeeper.payload import ScrubbedPayload

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 30.0


@dataclass
class CloudReply:
    text: str
    model: str
    request_json: str  # the exact body sent (scrubbed)
    response_json: str  # the final response (for streams: the assembled completion)
    input_tokens: int | None
    output_tokens: int | None
    latency_ms: float
    attempts: int
    finish_reason: str | None = None


@dataclass(frozen=True)
class Restart:
    """The previous attempt failed after streaming some text; what was shown is void."""

    reason: str


class _Retry(Exception):
    def __init__(self, message: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _error_text(resp: requests.Response) -> str:
    try:
        body = resp.json()
        err = body.get("error", body)
        return str(err.get("message", err) if isinstance(err, dict) else err)[:300]
    except ValueError:
        return resp.text[:200].strip()


def _shut(resp: requests.Response) -> None:
    """Shut the socket under a response being read (from another thread): a blocked read returns."""
    try:
        sock = resp.raw.connection.sock  # urllib3 2: the HTTPConnection and its socket
    except AttributeError:
        return
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def provider_name(base_url: str) -> str:
    host = (urlparse(base_url).hostname or "").lower()
    for needle, name in [
        ("openai.com", "openai"),
        ("openrouter.ai", "openrouter"),
        ("groq.com", "groq"),
        ("mistral.ai", "mistral"),
        ("anthropic.com", "anthropic"),
        ("together", "together"),
    ]:
        if needle in host:
            return name
    if host in ("localhost", "127.0.0.1", "::1") or host.startswith("127."):
        return "local-server"
    return host or "unknown"


class CloudClient:
    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        max_retries: int = 3,
        max_tokens: int = 1024,
        backoff: float = 0.5,
        provider: str = "",
        temperature: float | None = None,
    ) -> None:
        if not base_url:
            raise CloudError(
                "No cloud endpoint is configured. Run `edgeapp config set cloud.base_url URL`.",
                action=Action("Set the cloud address", setting="cloud.base_url"),
            )
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.provider = provider or provider_name(base_url)
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.max_tokens = max_tokens
        self.backoff = backoff
        self.temperature = temperature  # None: the provider's default
        self._session = requests.Session()
        self._session.headers["Content-Type"] = "application/json"
        if api_key:
            self._session.headers["Authorization"] = f"Bearer {api_key}"

    @classmethod
    def from_settings(cls, settings, api_key: str | None) -> CloudClient:
        return cls(
            settings["cloud.base_url"],
            settings["cloud.model"],
            api_key=api_key,
            connect_timeout=settings["cloud.connect_timeout"],
            read_timeout=settings["cloud.read_timeout"],
            max_retries=settings["cloud.max_retries"],
            max_tokens=settings["cloud.max_tokens"],
            provider=settings["cloud.provider"],
            temperature=settings["cloud.temperature"] if settings["cloud.temperature"] >= 0 else None,
        )

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def request_body(self, payload: ScrubbedPayload, *, stream: bool, max_tokens: int | None = None) -> dict:
        options: dict = {"model": self.model, "max_tokens": max_tokens or self.max_tokens, "stream": stream}
        if self.temperature is not None:
            options["temperature"] = self.temperature
        if stream:
            options["stream_options"] = {"include_usage": True}
        return payload.request_body(**options)

    def complete(
        self,
        payload: ScrubbedPayload,
        *,
        stream: bool = True,
        max_tokens: int | None = None,
        on_delta: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> CloudReply:
        """Send the scrubbed payload; return the reply or raise CloudError after the retries."""
        for item in self.iter_complete(payload, stream=stream, max_tokens=max_tokens, cancel=cancel):
            if isinstance(item, CloudReply):
                return item
            if isinstance(item, str) and on_delta:
                on_delta(item)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Close the HTTP session (its pooled connections)."""
        self._session.close()

    def iter_complete(
        self,
        payload: ScrubbedPayload,
        *,
        stream: bool = True,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[str | Restart | CloudReply]:
        """Yield text deltas as they arrive, a `Restart` before a retry that follows streamed
        text (the face should clear what it showed), and finally the `CloudReply`.

        Setting `cancel` raises `Cancelled` between chunks and wakes the retry back-off sleeps; a
        stream being read is shut down so a blocked read returns at once."""
        if not isinstance(payload, ScrubbedPayload):
            raise TypeError("CloudClient only sends a ScrubbedPayload made by the gatekeeper.")
        body = self.request_body(payload, stream=stream, max_tokens=max_tokens)
        data = json.dumps(body, ensure_ascii=False)
        started = time.perf_counter()
        last: _Retry | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                delay = self.backoff * (2 ** (attempt - 1)) * (1 + random.random() * 0.25)
                if last is not None and last.retry_after is not None:
                    if last.retry_after > MAX_RETRY_AFTER:
                        break
                    delay = max(delay, last.retry_after)
                if cancel is not None:
                    if cancel.wait(delay):
                        raise Cancelled()
                else:
                    time.sleep(delay)
            if cancel is not None:
                cancel.check()
            emitted = False
            try:
                for item in self._attempt(data, stream, cancel):
                    if cancel is not None:
                        cancel.check()
                    if isinstance(item, CloudReply):
                        item.request_json = data
                        item.attempts = attempt + 1
                        item.latency_ms = (time.perf_counter() - started) * 1000
                        yield item
                        return
                    emitted = True
                    yield item
            except _Retry as exc:
                last = exc
                if emitted:
                    yield Restart(str(exc))
                continue
        assert last is not None
        if last.retry_after is not None and last.retry_after > MAX_RETRY_AFTER:
            raise CloudError(
                f"The cloud endpoint is rate-limiting us for {last.retry_after:.0f} s.",
                status=last.status,
                retryable=True,
            )
        raise CloudError(
            f"The cloud endpoint failed after {self.max_retries + 1} attempts ({last}).",
            status=last.status,
            retryable=True,
        )

    # -- one attempt ----------------------------------------------------------
    def _attempt(
        self, data: str, stream: bool, cancel: CancelToken | None = None
    ) -> Iterator[str | CloudReply]:
        try:
            resp = self._session.post(
                self.url, data=data.encode("utf-8"), timeout=self.timeout, stream=stream
            )
        except requests.exceptions.Timeout as exc:
            raise _Retry(f"timed out after {self.timeout[1]:.0f} s") from exc
        except requests.exceptions.ConnectionError as exc:
            raise _Retry(f"cannot connect to {self.base_url}") from exc
        except requests.exceptions.RequestException as exc:  # invalid URL and friends: not retryable
            raise CloudError(f"The request to {self.base_url} could not be made ({exc}).") from exc
        remove = cancel.on_set(lambda: _shut(resp)) if cancel is not None else None
        with resp:
            try:
                yield from self._read(resp, stream)
            except requests.exceptions.RequestException as exc:  # cut or stalled mid-body
                if cancel is not None and cancel.is_set():
                    raise Cancelled() from exc
                raise _Retry(f"the connection broke mid-answer ({type(exc).__name__})") from exc
            finally:
                if remove is not None:
                    remove()

    def _read(self, resp: requests.Response, stream: bool) -> Iterator[str | CloudReply]:
        if resp.status_code in RETRY_STATUS:
            raise _Retry(
                f"HTTP {resp.status_code}: {_error_text(resp)}",
                _retry_after(resp.headers.get("Retry-After")),
                resp.status_code,
            )
        if resp.status_code == 401 or resp.status_code == 403:
            raise CloudError(
                f"The cloud endpoint refused the API key (HTTP {resp.status_code}). "
                "Store a valid key with `edgeapp keys set`.",
                status=resp.status_code,
                action=Action("Set the API key", command="edgeapp keys set"),
            )
        if resp.status_code == 404:
            raise CloudError(
                f"{self.url} was not found (HTTP 404): check cloud.base_url (it usually ends in /v1) "
                f"and that the model '{self.model}' exists there.",
                status=404,
                action=Action("Check the cloud address", setting="cloud.base_url"),
            )
        if resp.status_code >= 400:
            raise CloudError(
                f"The cloud endpoint rejected the request (HTTP {resp.status_code}): {_error_text(resp)}",
                status=resp.status_code,
            )
        if stream and "text/event-stream" in resp.headers.get("Content-Type", ""):
            yield from self._read_stream(resp)
        else:
            yield from self._read_json(resp)

    def _read_json(self, resp: requests.Response) -> Iterator[str | CloudReply]:
        raw = resp.content
        try:
            body = json.loads(raw)
            choice = body["choices"][0]
            text = choice["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise _Retry(f"the reply was not valid chat-completion JSON ({raw[:60]!r})") from exc
        usage = body.get("usage") or {}
        if not isinstance(usage, dict):
            usage = {}
        yield text
        yield CloudReply(
            text,
            body.get("model", self.model),
            "",
            raw.decode("utf-8", "replace"),
            usage.get("prompt_tokens"),
            usage.get("completion_tokens"),
            0.0,
            0,
            choice.get("finish_reason"),
        )

    def _read_stream(self, resp: requests.Response) -> Iterator[str | CloudReply]:
        parts: list[str] = []
        usage: dict = {}
        model = self.model
        finish = None
        done = False
        for line in resp.iter_lines(decode_unicode=False):
            if not line or not line.startswith(b"data:"):
                continue
            data = line[5:].strip()
            if data == b"[DONE]":
                done = True
                break
            try:
                chunk = json.loads(data)
            except ValueError as exc:
                raise _Retry(f"the stream carried invalid JSON ({data[:60]!r})") from exc
            if chunk.get("error"):
                raise _Retry(f"the stream reported an error: {chunk['error']}")
            model = chunk.get("model") or model
            usage = chunk.get("usage") or usage
            for choice in chunk.get("choices") or []:
                delta = (choice.get("delta") or {}).get("content")
                if delta:
                    parts.append(delta)
                    yield delta
                finish = choice.get("finish_reason") or finish
        if not done and finish is None:
            raise _Retry("the stream ended before the answer was complete")
        text = "".join(parts)
        assembled = {
            "object": "chat.completion",
            "model": model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}
            ],
        }
        if usage:
            assembled["usage"] = usage
        yield CloudReply(
            text,
            model,
            "",
            json.dumps(assembled, ensure_ascii=False),
            usage.get("prompt_tokens"),
            usage.get("completion_tokens"),
            0.0,
            0,
            finish,
        )
