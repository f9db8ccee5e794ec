"""The privacy gatekeeper: Presidio finds personal data, placeholders replace it.

Every path to the cloud goes through `Gatekeeper.scrub`, which is the only maker of a
`ScrubbedPayload`. Any failure inside raises `GatekeeperError` and the caller keeps the turn
local (fail closed); a `block` policy raises `PolicyBlocked`, a subclass.

Finding personal data is two stages: the recognizers gather evidence (Presidio's analyzer with its
registry, see `analyzer.py`; the re-cased spaCy pass; the titled names; the user's deny-list), then
`resolve.resolve` turns it into the findings to mask, in one documented order.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from presidio_analyzer import RecognizerResult

from .. import config
from ..errors import GatekeeperError, PolicyBlocked
from .analyzer import build_analyzer
from .entities import ALLOW, BLOCK, ENTITY_TYPES, describe, policy_key
from .findings import DENY_LIST_SOURCE, Finding
from .payload import ScrubbedPayload, seal
from .policy import PrivacyPolicy
from .recognizers import DenyListRecognizer, TitledNameRecognizer, parse_entries
from .recognizers.base import Span
from .recognizers.deny_list import DEFAULT_TYPE
from .recognizers.names.ner_second_look import names_in_capitals
from .resolve import Evidence, resolve
from .spacy_engine import NerOnlySpacyEngine, spacy_model_path
from .vault import PlaceholderVault

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

__all__ = ["Finding", "Gatekeeper", "spacy_model_path"]


class Gatekeeper:
    """Thread-safe; build once and reuse (the analyzer is built on first use, about a second)."""

    def __init__(
        self,
        score_threshold: float | None = None,
        language: str = "en",
        *,
        policy: PrivacyPolicy | None = None,
        deny_list: Iterable[str] = (),
    ) -> None:
        policy = policy or PrivacyPolicy()
        if deny_list:
            policy = policy.with_deny_list(deny_list)
        self.policy = policy
        self.score_threshold = policy.score_threshold if score_threshold is None else score_threshold
        self.language = language
        self._deny = DenyListRecognizer(parse_entries(policy.deny_list))
        # outside Presidio's registry: its de-duplication would let spaCy's lower-case guess at the
        # same span win, and those are dropped in `resolve.tidy_ner_people`
        self._titled = TitledNameRecognizer()
        self._analyzer: AnalyzerEngine | None = None
        self._nlp_engine: NerOnlySpacyEngine | None = None
        self._lock = threading.Lock()
        # spaCy does not promise thread safety; a scan takes milliseconds, so scans take turns
        self._scan_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: config.Settings) -> Gatekeeper:
        """Policy, deny-list and threshold from `edgeapp.config.Settings`."""
        return cls(policy=PrivacyPolicy.from_settings(settings))

    # -- building ---------------------------------------------------------
    def _build(self) -> AnalyzerEngine:
        analyzer, self._nlp_engine = build_analyzer(spacy_model_path(), self.language)
        return analyzer

    @property
    def analyzer(self) -> AnalyzerEngine:
        if self._analyzer is None:
            with self._lock:
                if self._analyzer is None:
                    try:
                        self._analyzer = self._build()
                    except GatekeeperError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - any failure means: stay local
                        raise GatekeeperError(
                            f"The privacy gatekeeper could not start ({exc}); "
                            "the question stays on this device."
                        ) from exc
        return self._analyzer

    def warm_up(self) -> None:
        """Build the analyzer now (e.g. at app start) instead of on the first message."""
        self.find("warm up")

    # -- detection --------------------------------------------------------
    def find(self, text: str) -> list[Finding]:
        """Personal data in `text`: non-overlapping findings, in order."""
        try:
            if not text.strip():
                return []
            with self._scan_lock:
                evidence = self._evidence(text)
            return resolve(text, evidence)
        except GatekeeperError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise GatekeeperError(
                f"The privacy gatekeeper failed while scanning the message ({exc}); "
                "it was not sent to the cloud."
            ) from exc

    def _evidence(self, text: str) -> Evidence:
        """What every recognizer finds in `text` (the analyzer's results at or above the threshold)."""
        results = self.analyzer.analyze(
            text=text,
            language=self.language,
            score_threshold=self.score_threshold,
            entities=[t for t in ENTITY_TYPES if t != DEFAULT_TYPE],
            return_decision_process=False,
        )
        return Evidence(
            analyzed=[_finding(text, r) for r in results],
            recased=names_in_capitals(text, self._nlp_engine.nlp[self.language]),  # built with the analyzer
            titled=[
                _from_span(text, span, self._titled.name)
                for span in self._titled.spans(text)
                if span[3] >= self.score_threshold
            ],
            deny_listed=[_from_span(text, span, DENY_LIST_SOURCE) for span in self._deny.spans(text)],
        )

    # -- masking ----------------------------------------------------------
    def check_policy(self, findings: Iterable[Finding]) -> None:
        """Raise `PolicyBlocked` when the policy blocks a type among `findings`."""
        blocked = sorted({f.entity_type for f in findings if self.policy.action_for(f.entity_type) == BLOCK})
        if blocked:
            what = ", ".join(describe(kind) for kind in blocked)
            keys = ", ".join(f"`edgeapp config set {policy_key(kind)} mask`" for kind in blocked)
            raise PolicyBlocked(
                f"This message contains {what}, and your privacy policy blocks sending that to the cloud, "
                f"so it was answered on this device only. To allow masked sending, run {keys}."
            )

    def to_mask(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings the policy masks (deny-listed ones always)."""
        return [
            f
            for f in findings
            if f.source == DENY_LIST_SOURCE or self.policy.action_for(f.entity_type) != ALLOW
        ]

    def scrub_text(self, text: str, vault: PlaceholderVault) -> tuple[str, list[Finding]]:
        """The text with each masked value replaced by its placeholder, and what was masked."""
        findings = self.find(text)
        self.check_policy(findings)
        masked = self.to_mask(findings)
        try:
            out, last = [], 0
            for f in masked:
                out.append(text[last : f.start])
                out.append(vault.placeholder_for(f.entity_type, f.text))
                last = f.end
            out.append(text[last:])
        except Exception as exc:  # noqa: BLE001
            raise GatekeeperError(f"The privacy gatekeeper could not mask the message ({exc}).") from exc
        return "".join(out), masked

    def scrub(self, messages: Iterable[tuple[str, str]], vault: PlaceholderVault) -> ScrubbedPayload:
        """Scrub every message; the result is the only thing the cloud client accepts."""
        scrubbed: list[tuple[str, str]] = []
        counts: Counter[str] = Counter()
        try:
            for role, content in messages:
                text, findings = self.scrub_text(content, vault)
                counts.update(f.entity_type for f in findings)
                scrubbed.append((role, text))
        except GatekeeperError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise GatekeeperError(
                f"The privacy gatekeeper failed ({exc}); the question stays on this device."
            ) from exc
        return seal(scrubbed, dict(counts))


def _finding(text: str, result: RecognizerResult) -> Finding:
    source = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
    return Finding(
        result.start, result.end, result.entity_type, result.score, text[result.start : result.end], source
    )


def _from_span(text: str, span: Span, source: str) -> Finding:
    start, end, kind, score = span
    return Finding(start, end, kind, score, text[start:end], source)
