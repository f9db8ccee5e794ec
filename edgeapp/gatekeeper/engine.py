"""The privacy gatekeeper: Presidio finds personal data, placeholders replace it.

Every path to the cloud goes through `Gatekeeper.scrub`, which is the only maker of a
`ScrubbedPayload`. Any failure inside raises `GatekeeperError` and the caller keeps the turn
local (fail closed); a `block` policy raises `PolicyBlocked`, a subclass.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from presidio_analyzer import RecognizerResult

from ..errors import GatekeeperError, PolicyBlocked
from . import lexicon, places
from .entities import ALLOW, BLOCK, ENTITY_TYPES, describe, policy_key
from .lexicon.name_words import NOT_NAME, PRODUCTS, TITLES
from .payload import ScrubbedPayload, seal
from .policy import PrivacyPolicy
from .recognizers import (
    AddressRecognizer,
    ContextNameRecognizer,
    DenyListRecognizer,
    IdentifierRecognizer,
    KnownNameRecognizer,
    OrgNameRecognizer,
    PersonRecognizer,
    PhoneNumberRecognizer,
    SecretRecognizer,
    parse_entries,
)
from .recognizers.denylist import DEFAULT_TYPE
from .recognizers.names import locate, looks_like_full_name, tidy_name
from .spacy_engine import NerOnlySpacyEngine, spacy_model_path
from .vault import PlaceholderVault

__all__ = ["Finding", "Gatekeeper", "spacy_model_path"]

DENY_LIST_SOURCE = "deny_list"
RECASED_SOURCE = "recased"
_NER_SOURCES = {"SpacyRecognizer", "OrgNameRecognizer", RECASED_SOURCE}
_TITLE_BEFORE = re.compile(r"(?:\b" + TITLES + r"\.?\s+)$", re.IGNORECASE)
# initials next to a name, before or after it: "A.B. Okafor", "A. B. Okafor", "Okafor A.B."
_INITIALS_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z]\.[ ]?){1,3}[ ]?$")
_INITIALS_AFTER = re.compile(r"^[ ]?(?:[A-Z]\.){2,3}(?![\w])")  # two at least: "Juice Box A." ends a sentence
_NOT_INITIALS = {
    "U.S.",
    "U.K.",
    "U.S.A.",
    "E.U.",
    "U.N.",
    "P.S.",
    "A.M.",
    "P.M.",
    "N.B.",
    "D.C.",
    "B.C.",
    "A.D.",
}
_FIELD_WORDS = {
    "tel",
    "fax",
    "phone",
    "mob",
    "mobile",
    "cell",
    "email",
    "e-mail",
    "mail",
    "address",
    "name",
    "date",
    "subject",
    "re",
    "fw",
    "fwd",
    "attn",
    "cc",
    "bcc",
    "ref",
    "no",
    "nr",
    "tel/fax",
    "whatsapp",
    "dob",
}
_ALL_CAPS_WORD = re.compile(r"\b[A-Z][A-Z'’-]+\b")


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    entity_type: str
    score: float
    text: str
    source: str = field(default="", compare=False)


def _no_context_enhancer():
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

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            return raw_results

    return NoContextEnhancer()


def _offline_email_recognizer():
    """Presidio's EmailRecognizer, but tldextract never fetches the suffix list from the internet."""
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return bool(extractor(pattern_text).fqdn)

    return OfflineEmailRecognizer()


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
        # same span win, and those are dropped in `_tidy`
        self._people = PersonRecognizer()
        self._analyzer = None
        self._nlp_engine: NerOnlySpacyEngine | None = None
        self._lock = threading.Lock()
        # spaCy does not promise thread safety; a scan takes milliseconds, so scans take turns
        self._scan_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> Gatekeeper:
        """Policy, deny-list and threshold from `edgeapp.config.Settings`."""
        return cls(policy=PrivacyPolicy.from_settings(settings))

    # -- building ---------------------------------------------------------
    def _build(self):
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer

        nlp_engine = NerOnlySpacyEngine(spacy_model_path(), self.language)
        nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=[self.language])
        for recognizer in (
            SpacyRecognizer(supported_language=self.language, supported_entities=["PERSON"]),
            _offline_email_recognizer(),
            OrgNameRecognizer(),
            KnownNameRecognizer(),
            ContextNameRecognizer(),
            PhoneNumberRecognizer(),
            IdentifierRecognizer(),
            AddressRecognizer(),
            SecretRecognizer(),
        ):
            registry.add_recognizer(recognizer)
        self._nlp_engine = nlp_engine
        return AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[self.language],
            context_aware_enhancer=_no_context_enhancer(),
        )

    @property
    def analyzer(self):
        if self._analyzer is None:
            with self._lock:
                if self._analyzer is None:
                    try:
                        self._analyzer = self._build()
                    except GatekeeperError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - any failure means: stay local
                        raise GatekeeperError(
                            f"The privacy gatekeeper could not start ({exc}); the question stays on this device."
                        ) from exc
        return self._analyzer

    def warm_up(self) -> None:
        """Build the analyzer now (e.g. at app start) instead of on the first message."""
        self.find("warm up")

    # -- detection --------------------------------------------------------
    def find(self, text: str) -> list[Finding]:
        """Personal data in `text`: non-overlapping findings, in order."""
        try:
            with self._scan_lock:
                raw = self._find(text)
        except GatekeeperError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise GatekeeperError(
                f"The privacy gatekeeper failed while scanning the message ({exc}); it was not sent to the cloud."
            ) from exc
        return _merge_overlaps(raw, text)

    def _find(self, text: str) -> list[Finding]:
        if not text.strip():
            return []
        results = self.analyzer.analyze(
            text=text,
            language=self.language,
            score_threshold=self.score_threshold,
            entities=[t for t in ENTITY_TYPES if t != DEFAULT_TYPE],
            return_decision_process=False,
        )
        findings = [
            Finding(
                r.start,
                r.end,
                r.entity_type,
                r.score,
                text[r.start : r.end],
                (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, ""),
            )
            for r in results
        ]
        findings += self._recased_people(text)
        findings = [f for f in (_tidy(f) for f in findings) if f is not None]
        findings += [
            Finding(s, e, kind, score, text[s:e], "PersonRecognizer")
            for s, e, kind, score in self._people.spans(text)
            if score >= self.score_threshold
        ]
        findings = _not_places(text, findings)
        findings += [
            Finding(s, e, kind, score, text[s:e], DENY_LIST_SOURCE)
            for s, e, kind, score in self._deny.spans(text)
        ]
        return [_with_title(text, f) for f in findings]

    def _recased_people(self, text: str) -> list[Finding]:
        """spaCy misses names written in capitals ("JOHN SMITH"); run NER again with those words
        in title case (same length, so offsets carry over)."""
        caps = _ALL_CAPS_WORD.findall(text)
        if len(caps) < 2:
            return []
        letters = [ch for ch in text if ch.isalpha()]
        shouting = sum(ch.isupper() for ch in letters) > 0.6 * len(letters)
        recased = _ALL_CAPS_WORD.sub(lambda m: m.group(0).capitalize(), text)
        doc = self._nlp_engine.nlp[self.language](recased)
        return [
            Finding(ent.start_char, end, "PERSON", 0.8, text[ent.start_char : end], RECASED_SOURCE)
            for ent in doc.ents
            # a name ends at its line ("NGUYEN/THI HOA MS" above "SEAT 14C")
            if (end := _line_end(text, ent.start_char, ent.end_char)) > ent.start_char
            if ent.label_ in ("PERSON", "ORG")
            and (shouting or len(ent.text.split()) >= 2)
            and (ent.label_ == "PERSON" or looks_like_full_name(ent.text))
            and text[ent.start_char : ent.end_char].isupper()
            and not any(w.lower() in NOT_NAME for w in ent.text.split())
        ]

    # -- masking ----------------------------------------------------------
    def check_policy(self, findings: Iterable[Finding]) -> None:
        blocked = sorted({f.entity_type for f in findings if self.policy.action_for(f.entity_type) == BLOCK})
        if blocked:
            what = ", ".join(describe(kind) for kind in blocked)
            keys = ", ".join(f"`edgeapp config set {policy_key(kind)} mask`" for kind in blocked)
            raise PolicyBlocked(
                f"This message contains {what}, and your privacy policy blocks sending that to the cloud, "
                f"so it was answered on this device only. To allow masked sending, run {keys}."
            )

    def to_mask(self, findings: Iterable[Finding]) -> list[Finding]:
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


_HOUSE_LINE = re.compile(
    r"(?i)\s*(?:\d{1,5}[a-z]?\s+[^\W\d]|(?:flat|apt\.?|apartment|unit|suite|plot|p\.?\s?o\.?\s?box)\b)"
)


def _address_line(line: str) -> bool:
    """A line of a postal block: a house number first, a flat or PO box, a street word with a number,
    or a postcode."""
    if _HOUSE_LINE.match(line) or re.search(r"\b\d{4,6}\b", line):
        return True
    streets = lexicon.street_words()
    return any(ch.isdigit() for ch in line) and any(w.lower().strip(".,") in streets for w in line.split())


def _not_places(text: str, findings: list[Finding]) -> list[Finding]:
    """Drop the person findings that lie inside a place ("North Carolina", "San Jose", "in London";
    recognizers/places.py), or that start before one only with dictionary words ("Compare Sierra
    Leone"). A place that continues an address ("12 Nguyen Hue, District 1, Ho Chi Minh City") is
    part of that address: a person finding there is kept, as an address over the whole place."""
    if not any(f.entity_type == "PERSON" for f in findings):
        return findings
    where = places.spans(text)
    if not where:
        return findings
    english = lexicon.english_lower()
    addresses = [(f.start, f.end) for f in findings if f.entity_type == "ADDRESS"]

    def continues_an_address(place: tuple[int, int]) -> bool:
        """The place overlaps an address, or comes right after one (a comma, "in", the next line), or
        stands on a short line of a postal block (no lower-case word beside it) with an address line among
        the two above it or the one below ("45 Le Loi" / "District 1" / "Ho Chi Minh City"; "Rua Augusta
        1450" / "Bairro Santa Cecília, São Paulo"; not "Day 1" / "San Francisco")."""
        if any(
            a < place[1]
            and (end >= place[0] or re.fullmatch(r"[ \t]*(?:,|in\b)?[ \t]*\n?[ \t]*", text[end : place[0]]))
            for a, end in addresses
        ):
            return True
        line_start = text.rfind("\n", 0, place[0]) + 1
        line_end = len(text) if (n := text.find("\n", place[1])) < 0 else n
        rest = (text[line_start : place[0]] + " " + text[place[1] : line_end]).split()
        if len(rest) > 6 or any(w[:1].islower() for w in rest):  # a sentence, not a line of a postal block
            return False
        above = text[:line_start].rstrip("\n").split("\n")[-2:] if line_start else []
        below = text[line_end + 1 :].split("\n", 1)[:1] if line_end < len(text) else []
        return any(_address_line(line) for line in above + below)

    def place_of(f: Finding) -> tuple[int, int] | None:
        for s, e in where:
            if s <= f.start and f.end <= e:
                return s, e
            if f.start < s < f.end <= e:  # only words before the place: "Compare Sierra Leone"
                if all(w.strip(".,").lower() in english for w in text[f.start : s].split()):
                    return s, e
        return None

    out: list[Finding] = []
    for f in findings:
        place = place_of(f) if f.entity_type == "PERSON" else None
        if place is None:
            out.append(f)
        elif continues_an_address(place):
            s, e = place
            out.append(Finding(s, e, "ADDRESS", f.score, text[s:e], f.source))
    return out


def _tidy(f: Finding) -> Finding | None:
    """NER person spans trimmed to the name (on its first line), or dropped: numbers and number
    words must reach the cloud, a lone letter is not a name, and lower-case NER "names" are mostly
    common nouns ("rose bush"); lower-case names are found from context by `PersonRecognizer`."""
    if f.entity_type != "PERSON" or f.source not in _NER_SOURCES:
        return f
    line = f.text.split("\n", 1)[0]  # a name does not run over a line break ("Get Shorty\n\nAnswer ...")
    if any(ch.isdigit() for ch in line) or not any(ch.isupper() for ch in line):
        return None
    if all(w.strip(".:").lower() in _FIELD_WORDS for w in line.split()):
        return None  # "Tel.:", "Fax:" at the head of a line: spaCy's small model calls some of them a person
    name = tidy_name(line)
    if name.lower() in PRODUCTS:
        return None  # "Django says...": software, not a person
    where = locate(line, name) if len(name.strip(".")) > 1 else None  # "X" or "J." alone is no name
    if not where:
        return None
    start, end = f.start + where[0], f.start + where[1]
    return Finding(start, end, f.entity_type, f.score, f.text[where[0] : where[1]], f.source)


def _with_title(text: str, f: Finding) -> Finding:
    """Extend a person's name over initials next to it and a title just before it ("Dr", "Mrs.")."""
    if f.entity_type != "PERSON":
        return f
    start, end = f.start, f.end
    m = _INITIALS_BEFORE.search(text, 0, start)
    line_start = text.rfind("\n", 0, start) + 1
    if (
        m
        and m.group(0).replace(" ", "") not in _NOT_INITIALS
        and not (m.group(0).count(".") == 1 and not text[line_start : m.start()].strip(" \t("))
    ):
        start = m.start()  # not a lone "A." heading a line: a choice's letter ("A. Bill")
    m = _INITIALS_AFTER.match(text[end : end + 8])
    if m and m.group(0).strip() not in _NOT_INITIALS:
        end += m.end()
    m = _TITLE_BEFORE.search(text, 0, start)
    if m:
        start = m.start()
    if (start, end) == (f.start, f.end):
        return f
    return Finding(start, end, f.entity_type, f.score, text[start:end], f.source)


def _merge_overlaps(findings: list[Finding], text: str) -> list[Finding]:
    """Overlapping findings become one span covering all of them (masking more is the safe side);
    its type is that of the strongest finding (deny-list first, then the longest, then score)."""

    def rank(f: Finding) -> tuple:
        return (f.source == DENY_LIST_SOURCE, f.end - f.start, f.score)

    merged: list[tuple[int, int, Finding]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1][1]:
            start, end, best = merged[-1]
            merged[-1] = (start, max(end, f.end), max(best, f, key=rank))
        else:
            merged.append((f.start, f.end, f))
    return [
        Finding(start, end, best.entity_type, best.score, text[start:end], best.source)
        for start, end, best in merged
    ]


def _line_end(text: str, start: int, end: int) -> int:
    """`end`, or the end of the line `start` is on when the span runs past it (trailing spaces cut)."""
    cut = text.find("\n", start, end)
    return end if cut < 0 else len(text[start:cut].rstrip()) + start
