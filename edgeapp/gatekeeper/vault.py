"""Placeholders: the same value gets the same `<TYPE_N>` for a whole conversation.

The mapping lives in memory only; it is never written to the ledger.
"""

from __future__ import annotations

import re
import threading

PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*?)_(\d+)>")
# a suffix that could still grow into a placeholder: "<", "<PER", "<PERSON_", "<PERSON_1"
_PARTIAL_RE = re.compile(r"<[A-Z0-9_]{0,40}$")


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

    def restore(self, text: str) -> str:
        def sub(match: re.Match[str]) -> str:
            return self._by_placeholder.get(match.group(0), match.group(0))

        return PLACEHOLDER_RE.sub(sub, text)

    def stream_restorer(self) -> StreamRestorer:
        return StreamRestorer(self)


class StreamRestorer:
    """Restores placeholders in a stream whose chunks may split a placeholder anywhere."""

    def __init__(self, vault: PlaceholderVault) -> None:
        self._vault = vault
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        partial = _PARTIAL_RE.search(text)
        if partial:
            self._pending = text[partial.start():]
            text = text[: partial.start()]
        else:
            self._pending = ""
        return self._vault.restore(text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._vault.restore(text)
