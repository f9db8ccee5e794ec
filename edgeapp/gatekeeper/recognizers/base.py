"""A tiny base for regex recognizers that need more than Presidio's PatternRecognizer offers:
masking one group of a match, validating with code, and scoring with nearby context words."""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

# what a recognizer's rules yield: start, end, entity type, score
Span = tuple[int, int, str, float]

# a form field's value that says there is none: "N/A", "none", "-", "same as above"
NO_VALUE = re.compile(r"(?i)n/?a|none|nil|-+|—|tbd|tbc|same(?:\s+as\s+above)?|unknown|\?+")


def near(text: str, start: int, end: int, words: re.Pattern[str], window: int = 40) -> bool:
    """True when one of `words` occurs within `window` characters before or after the span."""
    before = text[max(0, start - window) : start]
    after = text[end : end + window]
    return bool(words.search(before) or words.search(after))


def comma_list(text: str) -> tuple[str, ...]:
    """The items of a list written with commas between them, in order ("a, b c, d" -> "a", "b c", "d")."""
    return tuple(item.strip() for item in text.split(","))


def context_words(*words: str) -> re.Pattern[str]:
    """A pattern that finds any of `words` at the start of a word, in any case."""
    return re.compile(r"(?i)\b(?:" + "|".join(words) + r")")


class SpanRecognizer(EntityRecognizer):
    """Subclasses implement `spans(text)` yielding (start, end, entity_type, score)."""

    ENTITIES: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__(
            supported_entities=list(self.ENTITIES), supported_language="en", name=type(self).__name__
        )

    def load(self) -> None:  # nothing to load
        pass

    def spans(self, text: str) -> Iterable[Span]:
        raise NotImplementedError

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        wanted = set(entities) if entities else set(self.ENTITIES)
        return [
            RecognizerResult(
                entity_type=kind,
                start=start,
                end=end,
                score=score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end, kind, score in self.spans(text)
            if kind in wanted and end > start
        ]
