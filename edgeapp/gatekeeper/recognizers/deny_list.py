"""The user's deny-list: their own name, address, employer, anything they add; always masked.

An entry is a plain value ("Acme Corp", masked as `<PRIVATE_n>`) or `TYPE: value`
("PERSON: Jane Doe", masked as `<PERSON_n>`). Matching ignores case and runs of spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .base import Span, SpanRecognizer

DEFAULT_TYPE = "PRIVATE"
_TYPED = re.compile(r"^\s*([A-Z][A-Z_]{1,30})\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class DenyEntry:
    value: str
    entity_type: str = DEFAULT_TYPE


def parse_entries(raw: Iterable[str]) -> list[DenyEntry]:
    entries = []
    for item in raw:
        if not item or not item.strip():
            continue
        m = _TYPED.match(item)
        entries.append(DenyEntry(m.group(2), m.group(1)) if m else DenyEntry(item.strip()))
    return entries


def _pattern(value: str) -> str:
    words = [re.escape(w) for w in value.split()]
    body = r"\s+".join(words)
    left = r"(?<!\w)" if value[0].isalnum() or value[0] == "_" else ""
    right = r"(?!\w)" if value[-1].isalnum() or value[-1] == "_" else ""
    return left + body + right


class DenyListRecognizer(SpanRecognizer):
    ENTITIES = ()

    def __init__(self, entries: Iterable[DenyEntry]) -> None:
        self.entries = [e for e in entries if e.value.strip()]
        self.ENTITIES = tuple(sorted({e.entity_type for e in self.entries} | {DEFAULT_TYPE}))
        super().__init__()
        self._patterns = [(re.compile(_pattern(e.value), re.IGNORECASE), e.entity_type) for e in self.entries]

    def spans(self, text: str) -> Iterable[Span]:
        for pattern, kind in self._patterns:
            for m in pattern.finditer(text):
                yield m.start(), m.end(), kind, 1.0
