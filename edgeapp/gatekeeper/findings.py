"""What the gatekeeper reports for one piece of personal data in a message."""

from __future__ import annotations

from dataclasses import dataclass, field

# the `source` of a finding from the user's deny-list: always masked, and it wins an overlap
DENY_LIST_SOURCE = "deny_list"
# the `source` of a name spaCy found in a copy of the message with its capitals re-cased
RECASED_SOURCE = "recased"


@dataclass(frozen=True)
class Finding:
    """A span of the message (`text[start:end]`), its entity type and score, and which recognizer
    found it (`source`: a recognizer's class name, `DENY_LIST_SOURCE` or `RECASED_SOURCE`)."""

    start: int
    end: int
    entity_type: str
    score: float
    text: str
    source: str = field(default="", compare=False)
