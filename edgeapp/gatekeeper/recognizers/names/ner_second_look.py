"""Names spaCy's small English model sees but labels wrongly or misses for their capitals:

- `OrgTaggedNameRecognizer`: the full names it tags as an organisation ("Tiffany Diaz" as ORG);
- `names_in_capitals`: names written in capitals ("JOHN SMITH"), found by running its NER again over
  a copy of the message with those words in title case (the engine calls it beside the analyzer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ...findings import RECASED_SOURCE, Finding
from ...lexicon.name_words import NOT_NAME
from ..base import Span, SpanRecognizer
from .shapes import looks_like_full_name

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

_ALL_CAPS_WORD = re.compile(r"\b[A-Z][A-Z'’-]+\b")


class OrgTaggedNameRecognizer(SpanRecognizer):
    """spaCy's small model tags many full names as ORG; take those that have a name's shape."""

    ENTITIES = ("PERSON",)

    def __init__(self) -> None:
        super().__init__()
        self._entities: list[SpacySpan] = []

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        self._entities = list(nlp_artifacts.entities or []) if nlp_artifacts is not None else []
        return super().analyze(text, entities, nlp_artifacts)

    def spans(self, text: str) -> Iterable[Span]:
        for ent in self._entities:
            if ent.label_ == "ORGANIZATION" and looks_like_full_name(ent.text):
                yield ent.start_char, ent.end_char, "PERSON", 0.6


def _line_end(text: str, start: int, end: int) -> int:
    """`end`, or the end of the line `start` is on when the span runs past it (trailing spaces cut)."""
    cut = text.find("\n", start, end)
    return end if cut < 0 else len(text[start:cut].rstrip()) + start


def _capitals_name(text: str, ent: SpacySpan, shouting: bool) -> bool:
    """An entity of the re-cased copy that is a name in capitals in the message: a person (or an
    organisation with a full name's shape), of two words at least unless the whole message shouts,
    and no word of it a stop word."""
    return (
        ent.label_ in ("PERSON", "ORG")
        and (shouting or len(ent.text.split()) >= 2)
        and (ent.label_ == "PERSON" or looks_like_full_name(ent.text))
        and text[ent.start_char : ent.end_char].isupper()
        and not any(w.lower() in NOT_NAME for w in ent.text.split())
    )


def names_in_capitals(text: str, nlp: Callable[[str], Doc]) -> list[Finding]:
    """spaCy misses names written in capitals ("JOHN SMITH"); run `nlp` again with those words in
    title case (same length, so offsets carry over). A name ends at its line ("NGUYEN/THI HOA MS"
    above "SEAT 14C")."""
    caps = _ALL_CAPS_WORD.findall(text)
    if len(caps) < 2:
        return []
    letters = [ch for ch in text if ch.isalpha()]
    shouting = sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
    recased = _ALL_CAPS_WORD.sub(lambda m: m.group(0).capitalize(), text)
    doc = nlp(recased)
    return [
        Finding(ent.start_char, end, "PERSON", 0.8, text[ent.start_char : end], RECASED_SOURCE)
        for ent in doc.ents
        if (end := _line_end(text, ent.start_char, ent.end_char)) > ent.start_char
        if _capitals_name(text, ent, shouting)
    ]
