"""The base of the name recognizers that look words up in the lexicon's lists (first names, surnames,
English words, places, street words), with spaCy's analysis of the message at hand while they run."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ... import lexicon
from ..base import SpanRecognizer

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan


class WordListNameRecognizer(SpanRecognizer):
    """A PERSON recognizer over the lexicon's word lists; `entities()` are spaCy's entities of the
    message being analysed (none outside `analyze`)."""

    ENTITIES = ("PERSON",)
    # endings that make an English word's forms ("miles", "drives", "walked"): (suffix, restored)
    FORMS: tuple[tuple[str, str], ...] = (
        ("s", ""),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    )
    MIN_STEM = 3  # letters a stem keeps after its suffix goes

    def __init__(self) -> None:
        super().__init__()
        lexicon.load_all()
        self.first = lexicon.first_names()
        self.last = lexicon.last_names()
        self.english = lexicon.english_lower()
        self.places = lexicon.places()
        self.streets = lexicon.street_words()
        self._doc: Doc | None = None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        self._doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        try:
            return super().analyze(text, entities, nlp_artifacts)
        finally:
            self._doc = None

    def entities(self) -> tuple[SpacySpan, ...]:
        """spaCy's entities of the message being analysed."""
        return self._doc.ents if self._doc is not None else ()

    def english_form(self, low: str) -> bool:
        """A dictionary word, or one of its forms by FORMS."""
        e = self.english
        if low in e:
            return True
        if any(
            low.endswith(suffix)
            and len(low) >= len(suffix) + self.MIN_STEM
            and low[: -len(suffix)] + back in e
            for suffix, back in self.FORMS
        ):
            return True
        # a doubled consonant before -ing, -ed, -er: "starring", "planned", "runner"
        doubled = re.fullmatch(r"(\w*([bdfgklmnprtz]))\2(?:ing|ed|er|ers)", low)
        return bool(doubled and len(doubled.group(1)) >= 2 and doubled.group(1) in e)
