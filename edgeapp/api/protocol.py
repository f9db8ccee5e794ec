"""The OpenAI chat-completions request, checked: every problem is a 400 with a sentence that says
which field is wrong and how. Fields the OpenAI API has and edgeapp cannot honour either get a
clear 400 (tools, n > 1, logprobs, JSON response formats) or are accepted and documented as not
applied (temperature, top_p, seed, presence/frequency penalties, user)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MODELS = {"edgeapp-auto": "auto", "edgeapp-local": "local", "edgeapp-cloud": "cloud"}
MODEL_NOTES = {
    "edgeapp-auto": "the cascade: the local model answers, the cloud helps when it is unsure",
    "edgeapp-local": "the local model only; never escalates",
    "edgeapp-cloud": "always the cloud, through the privacy gatekeeper and the budget",
}
ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}
_CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class RequestError(Exception):
    """A request edgeapp will not run: `status` and a message for the OpenAI error shape."""

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        status: int = 400,
        code: str | None = "invalid_request",
        kind: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.message, self.param, self.status, self.code, self.kind = message, param, status, code, kind


@dataclass
class ChatRequest:
    model: str
    mode: str
    history: list[dict[str, str]]  # the messages before the last one, roles mapped (developer -> system)
    text: str  # the last message (the user's): the turn's question
    stream: bool = False
    include_usage: bool = False
    max_tokens: int | None = None
    stop: list[str] = field(default_factory=list)
    temperature: float | None = None
    conversation_id: str | None = None
    threshold: float | None = None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _content(message: dict, index: int) -> str:
    content = message.get("content")
    where = f"messages[{index}].content"
    if isinstance(content, str):
        return content
    if content is None:
        if message.get("role") == "assistant":
            return ""
        raise RequestError(f"{where} is missing: a {message.get('role')} message needs text.", param=where)
    if isinstance(content, list):
        parts = []
        for j, part in enumerate(content):
            if not isinstance(part, dict) or not isinstance(part.get("type"), str):
                raise RequestError(f"{where}[{j}] must be an object with a 'type'.", param=where)
            if part["type"] != "text":
                raise RequestError(
                    f"{where}[{j}] is of type {part['type']!r}: edgeapp's models read text only "
                    "(send parts of type 'text').",
                    param=where,
                )
            if not isinstance(part.get("text"), str):
                raise RequestError(f"{where}[{j}].text must be a string.", param=where)
            parts.append(part["text"])
        return "\n".join(parts)
    raise RequestError(
        f"{where} must be a string or a list of text parts, not {type(content).__name__}.", param=where
    )


def parse_chat(body: Any, *, max_tokens_cap: int, max_messages: int = 256) -> ChatRequest:
    if not isinstance(body, dict):
        raise RequestError("The request body must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise RequestError("'model' is required: one of " + ", ".join(MODELS) + ".", param="model")
    if model not in MODELS:
        raise RequestError(
            f"The model {model!r} does not exist here. Use one of: {', '.join(MODELS)}.",
            param="model",
            status=404,
            code="model_not_found",
        )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError(
            "'messages' must be a non-empty list of {role, content} objects.", param="messages"
        )
    if len(messages) > max_messages:
        raise RequestError(
            f"'messages' holds {len(messages)} messages; at most {max_messages} are accepted.",
            param="messages",
        )
    mapped: list[dict[str, str]] = []
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise RequestError(
                f"messages[{i}] must be an object with 'role' and 'content'.", param="messages"
            )
        role = message.get("role")
        if not isinstance(role, str):
            raise RequestError(f"messages[{i}].role must be a string.", param=f"messages[{i}].role")
        if role in ("tool", "function"):
            raise RequestError(
                f"messages[{i}] has role {role!r}: edgeapp has no tools; send system, user and "
                "assistant messages.",
                param=f"messages[{i}].role",
            )
        if role not in ROLES:
            raise RequestError(
                f"messages[{i}].role {role!r} is unknown: use system, developer, user or assistant.",
                param=f"messages[{i}].role",
            )
        mapped.append({"role": ROLES[role], "content": _content(message, i)})
    if mapped[-1]["role"] != "user":
        raise RequestError(
            "The last message must be the user's (role 'user'): it is the question to answer.",
            param="messages",
        )
    text = mapped[-1]["content"].strip()
    if not text:
        raise RequestError("The last user message is empty: send a question.", param="messages")

    def flag(name: str) -> bool:
        value = body.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise RequestError(f"'{name}' must be true or false.", param=name)
        return value

    stream = flag("stream")
    include_usage = False
    options = body.get("stream_options")
    if options is not None:
        if not isinstance(options, dict):
            raise RequestError("'stream_options' must be an object.", param="stream_options")
        include_usage = bool(options.get("include_usage"))
    max_tokens = None
    for name in ("max_completion_tokens", "max_tokens"):
        value = body.get(name)
        if value is None:
            continue
        if not _is_int(value) or value < 1:
            raise RequestError(f"'{name}' must be a whole number of at least 1.", param=name)
        if value > max_tokens_cap:
            raise RequestError(
                f"'{name}' is {value}; this server allows at most {max_tokens_cap}.", param=name
            )
        max_tokens = value
    stop_value = body.get("stop")
    stop: list[str] = []
    if isinstance(stop_value, str):
        stop = [stop_value]
    elif isinstance(stop_value, list):
        if len(stop_value) > 4 or not all(isinstance(s, str) for s in stop_value):
            raise RequestError("'stop' must be a string or a list of at most 4 strings.", param="stop")
        stop = list(stop_value)
    elif stop_value is not None:
        raise RequestError("'stop' must be a string or a list of at most 4 strings.", param="stop")
    stop = [s for s in stop if s]
    for name, low, high in (
        ("temperature", 0.0, 2.0),
        ("top_p", 0.0, 1.0),
        ("presence_penalty", -2.0, 2.0),
        ("frequency_penalty", -2.0, 2.0),
    ):
        value = body.get(name)
        if value is not None and (not _is_number(value) or not low <= value <= high):
            raise RequestError(f"'{name}' must be a number between {low:g} and {high:g}.", param=name)
    n = body.get("n")
    if n is not None and (not _is_int(n) or n != 1):
        raise RequestError("'n' must be 1: edgeapp writes one answer per request.", param="n")
    if body.get("tools") or body.get("functions") or body.get("tool_choice") not in (None, "none"):
        raise RequestError("Tools and function calling are not supported by edgeapp.", param="tools")
    if body.get("logprobs"):
        raise RequestError(
            "'logprobs' is not supported: edgeapp reports its own confidence in the 'edgeapp' "
            "field of the response.",
            param="logprobs",
        )
    response_format = body.get("response_format")
    if response_format is not None:
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        if kind != "text":
            raise RequestError('Only response_format {"type": "text"} is supported.', param="response_format")
    conversation_id = body.get("conversation_id")
    if conversation_id is not None and (
        not isinstance(conversation_id, str) or not _CONVERSATION_ID.match(conversation_id)
    ):
        raise RequestError(
            "'conversation_id' must be 1-64 letters, digits, '-' or '_'.", param="conversation_id"
        )
    threshold = body.get("threshold")
    if threshold is not None and (not _is_number(threshold) or not 0.0 <= threshold <= 1.0):
        raise RequestError("'threshold' must be a number between 0 and 1.", param="threshold")
    return ChatRequest(
        model=model,
        mode=MODELS[model],
        history=mapped[:-1],
        text=text,
        stream=stream,
        include_usage=include_usage,
        max_tokens=max_tokens,
        stop=stop,
        temperature=body.get("temperature"),
        conversation_id=conversation_id,
        threshold=float(threshold) if threshold is not None else None,
    )


class StopFilter:
    """Cuts streamed text at the first stop sequence, holding back just enough characters to see a
    sequence that spans two pieces."""

    def __init__(self, stops: list[str]) -> None:
        self.stops = stops
        self.keep = max((len(s) for s in stops), default=1) - 1
        self.pending = ""
        self.hit = False

    def feed(self, text: str) -> str:
        if self.hit:
            return ""
        if not self.stops:
            return text
        self.pending += text
        cut = min((i for i in (self.pending.find(s) for s in self.stops) if i >= 0), default=-1)
        if cut >= 0:
            out, self.pending, self.hit = self.pending[:cut], "", True
            return out
        if self.keep <= 0:
            out, self.pending = self.pending, ""
            return out
        out, self.pending = self.pending[: -self.keep], self.pending[-self.keep :]
        return out

    def flush(self) -> str:
        out, self.pending = ("" if self.hit else self.pending), ""
        return out


def cut_at_stop(text: str, stops: list[str]) -> tuple[str, bool]:
    cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=-1)
    return (text[:cut], True) if cut >= 0 else (text, False)
