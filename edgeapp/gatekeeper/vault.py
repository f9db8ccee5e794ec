"""Placeholders: the same value gets the same `<TYPE_N>` for a whole conversation.

The mapping lives in memory only; `store.py` writes it to disk only when the user opts in
(`privacy.persist_mapping`). It is never written to the ledger.
"""

from __future__ import annotations

import re
import threading
from typing import Any

PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*?)_(\d+)>")
# What a cloud model may write back instead of `<PERSON_1>`, restored all the same: the type in any case
# (`<Person_1>`), other brackets (`[PERSON_1]`, `{PERSON_1}`, `{{PERSON_1}}`), escaped brackets
# (`\<PERSON_1\>`, `&lt;PERSON_1&gt;`), a space or hyphen for the underscore (`<PERSON 1>`,
# `<PERSON-1>`), spaces inside (`< PERSON_1 >`), or no brackets at all (`PERSON_1`, `PERSON 1`: the
# type in capitals). Only placeholders this conversation sent are restored; any other match stays as
# written (`PERSON 3` in a sentence is just words).
_OPEN = r"(?:\{\{|\{|<|\\<|&lt;|\[)"
_CLOSE = r"(?:\}\}|\}|>|\\>|&gt;|\])"
_LOOSE_RE = re.compile(
    rf"{_OPEN}\s?([A-Za-z][A-Za-z0-9_]*?)[_\- ](\d+)\s?{_CLOSE}"
    r"|(?<![\w<\[{&;\\])([A-Z][A-Z0-9_]*?)[_ ](\d+)(?![\w>\]}])"
)
# a suffix that could still grow into one: "<", "<PER", "<PERSON_", "[PERSON_1", "< PERSON 1 ", "&lt",
# "\\", "{{PERSON_1}" (one more brace to come), "&lt;PERSON_1&g"
_PARTIAL_RE = re.compile(
    r"(?:\{\{?|<|\\<?|&(?:l(?:t;?)?)?|\[)"
    r"(?:\s?(?:[A-Za-z][A-Za-z0-9_]{0,40}(?:[\- ]\d{0,6})?\s?(?:\}|\\|&(?:g(?:t)?)?)?)?)?$"
)
# a bare `PERSON_1` or `PERSON 1` may be cut after `PERSON`, `PERSON_` or `PERSON 1`
_BARE_TAIL_RE = re.compile(r"(?<![\w<\[{&;\\])[A-Z][A-Z0-9_]*(?:[_ ]\d*)?$")


def placeholder_key(kind: str, number: str) -> str:
    """The placeholder a loose spelling stands for: (`Person`, `1`) -> `<PERSON_1>`."""
    return f"<{kind.upper()}_{number}>"


def loose_placeholders(text: str) -> list[re.Match[str]]:
    """Every spelling in `text` that may stand for a placeholder (see `_LOOSE_RE`), restorable or not;
    `loose_key(match)` says which."""
    return list(_LOOSE_RE.finditer(text))


def loose_key(match: re.Match[str]) -> str:
    return placeholder_key(match.group(1) or match.group(3), match.group(2) or match.group(4))


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


class PlaceholderVault:
    def __init__(self) -> None:
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self._lock = threading.Lock()

    def placeholder_for(self, entity_type: str, value: str) -> str:
        key = (entity_type, _norm(value))
        with self._lock:
            found = self._by_value.get(key)
            if found:
                return found
            n = self._counters.get(entity_type, 0) + 1
            self._counters[entity_type] = n
            placeholder = f"<{entity_type}_{n}>"
            self._by_value[key] = placeholder
            self._by_placeholder[placeholder] = value
            return placeholder

    def value_of(self, placeholder: str) -> str | None:
        return self._by_placeholder.get(placeholder)

    def __len__(self) -> int:
        return len(self._by_placeholder)

    def placeholders(self) -> list[str]:
        """Every placeholder this conversation has sent (never the values)."""
        with self._lock:
            return list(self._by_placeholder)

    def restore(self, text: str) -> str:
        """Every placeholder of this conversation back to its value; others are left as they are."""

        def sub(match: re.Match[str]) -> str:
            return self._by_placeholder.get(loose_key(match), match.group(0))

        return _LOOSE_RE.sub(sub, text)

    def stream_restorer(self) -> StreamRestorer:
        return StreamRestorer(self)

    # -- persistence (only used when the user opts in) ---------------------
    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {"version": 1, "placeholders": dict(self._by_placeholder)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlaceholderVault:
        vault = cls()
        for placeholder, value in data.get("placeholders", {}).items():
            m = PLACEHOLDER_RE.fullmatch(placeholder)
            if not m:
                continue
            kind, n = m.group(1), int(m.group(2))
            vault._by_placeholder[placeholder] = value
            vault._by_value.setdefault((kind, _norm(value)), placeholder)
            vault._counters[kind] = max(vault._counters.get(kind, 0), n)
        return vault


class StreamRestorer:
    """Restores placeholders in a stream whose chunks may split a placeholder anywhere.

    `feed` returns only text that can no longer be part of a placeholder; call `flush` at the end.
    """

    def __init__(self, vault: PlaceholderVault) -> None:
        self._vault = vault
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        partial = _PARTIAL_RE.search(text)
        if partial:
            self._pending = text[partial.start() :]
            text = text[: partial.start()]
        else:
            self._pending = ""
        # a bare `PERSON_1` may be cut after `PERSON_`; hold back a trailing upper-case word too
        bare = _BARE_TAIL_RE.search(text)
        if bare and not partial:
            self._pending = text[bare.start() :]
            text = text[: bare.start()]
        return self._vault.restore(text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._vault.restore(text)
