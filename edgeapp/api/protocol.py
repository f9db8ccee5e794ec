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
SAMPLING_RANGES = (
    ("temperature", 0.0, 2.0),
    ("top_p", 0.0, 1.0),
    ("presence_penalty", -2.0, 2.0),
    ("frequency_penalty", -2.0, 2.0),
)
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


def _model(body: dict[str, Any]) -> str:
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
    return model


def _role(message: Any, i: int) -> str:
    """The message's role as the core knows it (developer -> system)."""
    if not isinstance(message, dict):
        raise RequestError(f"messages[{i}] must be an object with 'role' and 'content'.", param="messages")
    role = message.get("role")
    where = f"messages[{i}].role"
    if not isinstance(role, str):
        raise RequestError(f"{where} must be a string.", param=where)
    if role in ("tool", "function"):
        raise RequestError(
            f"messages[{i}] has role {role!r}: edgeapp has no tools; send system, user and "
            "assistant messages.",
            param=where,
        )
    if role not in ROLES:
        raise RequestError(
            f"{where} {role!r} is unknown: use system, developer, user or assistant.", param=where
        )
    return ROLES[role]


def _messages(body: dict[str, Any], max_messages: int) -> list[dict[str, str]]:
    """The messages with their roles mapped and their text joined; the last is the user's."""
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
    mapped = [{"role": _role(m, i), "content": _content(m, i)} for i, m in enumerate(messages)]
    if mapped[-1]["role"] != "user":
        raise RequestError(
            "The last message must be the user's (role 'user'): it is the question to answer.",
            param="messages",
        )
    if not mapped[-1]["content"].strip():
        raise RequestError("The last user message is empty: send a question.", param="messages")
    return mapped


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise RequestError(f"'{name}' must be true or false.", param=name)
    return value


def _include_usage(body: dict[str, Any]) -> bool:
    options = body.get("stream_options")
    if options is None:
        return False
    if not isinstance(options, dict):
        raise RequestError("'stream_options' must be an object.", param="stream_options")
    return bool(options.get("include_usage"))


def _max_tokens(body: dict[str, Any], cap: int) -> int | None:
    """`max_tokens`, or `max_completion_tokens` when only that is given (both checked)."""
    max_tokens = None
    for name in ("max_completion_tokens", "max_tokens"):
        value = body.get(name)
        if value is None:
            continue
        if not _is_int(value) or value < 1:
            raise RequestError(f"'{name}' must be a whole number of at least 1.", param=name)
        if value > cap:
            raise RequestError(f"'{name}' is {value}; this server allows at most {cap}.", param=name)
        max_tokens = value
    return max_tokens


def _stops(body: dict[str, Any]) -> list[str]:
    value = body.get("stop")
    wrong = "'stop' must be a string or a list of at most 4 strings."
    if isinstance(value, str):
        stops = [value]
    elif isinstance(value, list):
        if len(value) > 4 or not all(isinstance(s, str) for s in value):
            raise RequestError(wrong, param="stop")
        stops = list(value)
    elif value is not None:
        raise RequestError(wrong, param="stop")
    else:
        stops = []
    return [s for s in stops if s]


def _check_sampling(body: dict[str, Any]) -> None:
    """Sampling fields are accepted (not applied: the core decodes greedily) when in range."""
    for name, low, high in SAMPLING_RANGES:
        value = body.get(name)
        if value is not None and (not _is_number(value) or not low <= value <= high):
            raise RequestError(f"'{name}' must be a number between {low:g} and {high:g}.", param=name)


def _check_unsupported(body: dict[str, Any]) -> None:
    """What edgeapp cannot honour: several answers, tools, log-probabilities, JSON formats."""
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


def _conversation_id(body: dict[str, Any]) -> str | None:
    conversation_id = body.get("conversation_id")
    if conversation_id is not None and (
        not isinstance(conversation_id, str) or not _CONVERSATION_ID.match(conversation_id)
    ):
        raise RequestError(
            "'conversation_id' must be 1-64 letters, digits, '-' or '_'.", param="conversation_id"
        )
    return conversation_id


def _threshold(body: dict[str, Any]) -> float | None:
    threshold = body.get("threshold")
    if threshold is not None and (not _is_number(threshold) or not 0.0 <= threshold <= 1.0):
        raise RequestError("'threshold' must be a number between 0 and 1.", param="threshold")
    return float(threshold) if threshold is not None else None


def parse_chat(body: Any, *, max_tokens_cap: int, max_messages: int = 256) -> ChatRequest:
    """The request checked field by field, in the order a reader fixes them: the model, the
    messages, then the options."""
    if not isinstance(body, dict):
        raise RequestError("The request body must be a JSON object.")
    model = _model(body)
    mapped = _messages(body, max_messages)
    stream = _flag(body, "stream")
    include_usage = _include_usage(body)
    max_tokens = _max_tokens(body, max_tokens_cap)
    stop = _stops(body)
    _check_sampling(body)
    _check_unsupported(body)
    return ChatRequest(
        model=model,
        mode=MODELS[model],
        history=mapped[:-1],
        text=mapped[-1]["content"].strip(),
        stream=stream,
        include_usage=include_usage,
        max_tokens=max_tokens,
        stop=stop,
        temperature=body.get("temperature"),
        conversation_id=_conversation_id(body),
        threshold=_threshold(body),
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
