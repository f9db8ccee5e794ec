"""Presidio's analyzer as the gatekeeper builds it: spaCy's NER (only the `ner` component, see
`spacy_engine`) and the recognizers of the registry, in a fixed order (Presidio keeps the first of two
equal results, so the order decides which recognizer a finding is credited to)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .recognizers import (
    AddressRecognizer,
    ContextNameRecognizer,
    IdentifierRecognizer,
    ListedNameRecognizer,
    OrgTaggedNameRecognizer,
    PhoneNumberRecognizer,
    SecretRecognizer,
)
from .recognizers.offline_email import offline_email_recognizer
from .spacy_engine import NerOnlySpacyEngine

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer


def registered_recognizers(language: str) -> list[EntityRecognizer]:
    """The registry's recognizers, in the order the analyzer runs them."""
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, SpacyRecognizer

    return [
        SpacyRecognizer(supported_language=language, supported_entities=["PERSON"]),
        offline_email_recognizer(),
        OrgTaggedNameRecognizer(),
        ListedNameRecognizer(),
        ContextNameRecognizer(),
        PhoneNumberRecognizer(),
        IdentifierRecognizer(),
        AddressRecognizer(),
        SecretRecognizer(),
        # Presidio's own card recognizer as a floor: no card shape it finds is missed (ours runs first
        # and is credited with what both find)
        CreditCardRecognizer(supported_language=language),
    ]


def no_context_enhancer() -> ContextAwareEnhancer:
    """Presidio's context enhancer raises a result's score when a recognizer's context words stand
    among the lemmas around it. The gatekeeper loads no lemmatizer (and its own recognizers weigh
    their context themselves), so the enhancer never changes a score; it only deep-copied every
    result of every message. This one hands the results back as they are."""
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

    class NoContextEnhancer(ContextAwareEnhancer):
        def __init__(self) -> None:
            super().__init__(
                context_similarity_factor=0.0,
                min_score_with_context_similarity=0.0,
                context_prefix_count=0,
                context_suffix_count=0,
            )

        def enhance_using_context(
            self,
            text: str,
            raw_results: list[RecognizerResult],
            nlp_artifacts: NlpArtifacts,
            recognizers: list[EntityRecognizer],
            context: list[str] | None = None,
        ) -> list[RecognizerResult]:
            return raw_results

    return NoContextEnhancer()


def build_analyzer(model_path: Path, language: str) -> tuple[AnalyzerEngine, NerOnlySpacyEngine]:
    """The analyzer and its spaCy engine (loaded: about a second)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    nlp_engine = NerOnlySpacyEngine(model_path, language)
    nlp_engine.load()
    registry = RecognizerRegistry(supported_languages=[language])
    for recognizer in registered_recognizers(language):
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[language],
        context_aware_enhancer=no_context_enhancer(),
    )
    return analyzer, nlp_engine
