"""Person names that spaCy's small model misses.

spaCy finds most capitalised names; this adds names after a title ("Dr Louis Jones"), after
phrases that announce a name ("my name is ...", "beneficiary ...", "Dear ..."), in any case,
and leaves the all-caps / lower-case text to a re-cased spaCy pass in the engine.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult

from ..lexicon.name_words import (
    LEADING_VERBS,
    NOT_NAME,
    NUMBER_WORDS,
    PARTICLES,
    TITLES,
)
from .base import SpanRecognizer

_NAME = r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)?"
_PARTICLE = r"(?:(?:van|von|der|de|da|di|del|la|le|bin|al)[ \t]+)?"
TITLED = re.compile(  # the name ends at its line ("Dr. Nomsa Dube\nHead of Science")
    r"(?<![\w-])(?:"
    + TITLES
    + r"|"
    + TITLES.upper()
    + r")\.?[ \t]+(?:"
    + _NAME
    + r"|[A-Z]\.)(?:[ \t]+"
    + _PARTICLE
    + _NAME
    + r"){0,2}(?![\w-])"
)
# cues after which the next one to three words are a name, whatever their case
_STRONG_CUES = (
    r"mr\.?|mrs\.?|ms\.?|miss|dr\.?|prof\.?|my name is|my name's|name:|full name:|i am called|i'm called|named|called|signed|regards,|"
    r"customer:|client:|guest:|passenger:|recipient:|sender:|owner:|applicant:|student:|contact:|payee:|"
    r"sincerely,|cheers,|dear|hi|hello|hey|beneficiary|account holder|cardholder|attn:?|attention:?|"
    r"i'm|i am|contact person:?|patient:?|tenant:?|employee:?|this is|ask for|speak to|talk to|cc:?|from:|to:"
)
# the name follows on the same line, or on the next after a "Name:" or "Regards," (not "MS" above "SEAT 14C")
CUE = re.compile(
    r"(?i)(?<![\w-])(?:"
    + _STRONG_CUES
    + r")(?:[ \t]+|(?<=[:,])[ \t]*\n[ \t]*)(?P<title>(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+)?(?P<name>[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Za-z][A-Za-z'’-]+){0,2})"
)
def tidy_name(value: str) -> str:
    """The part of a detected name that is a name: stop at a number word ("Sally Four"), a stop
    word, or a lower-case word after a capitalised one ("John ate"); "" when nothing is left."""
    kept: list[str] = []
    for word in value.split():
        bare = word.strip(".,;:!?'’").lower()
        if not kept and bare in LEADING_VERBS:  # "EMAIL DEBORAH PHAM" re-cased is "Email Deborah Pham"
            continue
        if bare in NUMBER_WORDS or bare in NOT_NAME:
            break
        if kept and word[:1].islower() and bare not in PARTICLES and any(w[:1].isupper() for w in kept):
            break
        kept.append(word)
    return " ".join(kept)


def locate(text: str, name: str, start: int = 0) -> tuple[int, int] | None:
    """Where the words of `name` (as `tidy_name` joined them, by single spaces) stand in `text`,
    whatever whitespace separates them there ("Usual Suspects:\nOptions")."""
    m = re.compile(r"\s+".join(map(re.escape, name.split()))).search(text, start)
    return (m.start(), m.end()) if m else None


def name_words(candidate: str) -> str:
    """The leading words of `candidate` that can be part of a name."""
    kept: list[str] = []
    for word in candidate.split():
        if word.lower() in NOT_NAME or word.lower() in NUMBER_WORDS:
            break
        kept.append(word)
    return " ".join(kept)


class PersonRecognizer(SpanRecognizer):
    ENTITIES = ("PERSON",)

    def spans(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        for m in TITLED.finditer(text):
            title, _, rest = m.group(0).partition(" ")
            name = tidy_name(rest.strip())
            where = locate(m.group(0), name, len(title)) if name else None
            if where:
                yield m.start(), m.start() + where[1], "PERSON", 0.85
        for m in CUE.finditer(text):
            cue = m.group(0)[: m.start("name") - m.start()].strip().lower()
            name = name_words(m.group("name"))
            if name[
                :1
            ].isupper():  # "Mrs Adjoa Frimpong keeps ...": a capitalised name ends at a lower-case word
                name = " ".join(
                    itertools.takewhile(lambda w: w[:1].isupper() or w.lower() in PARTICLES, name.split())
                )
            elif len(name.split()) > 1:  # "mr jones used ...": a lower-case name ends before an English word
                from .. import lexicon

                english = lexicon.english_lower()
                words = name.split()
                name = " ".join(
                    [
                        words[0],
                        *itertools.takewhile(
                            lambda w, english=english: (
                                w.lower().rstrip("'’s") not in english and w.lower() not in english
                            ),
                            words[1:],
                        ),
                    ]
                )
            if not name:
                continue
            capitalised = all(w[0].isupper() for w in name.split())
            weak_cue = cue in {"hi", "hello", "hey", "this is", "to:", "from:", "called", "cc", "cc:", "dear"}
            if weak_cue and not capitalised and not m.group("title"):
                continue
            if cue in {"i'm", "i am"} and not (capitalised and len(name.split()) >= 2):
                continue
            if not capitalised and len(name.split()) == 1 and cue not in {"my name is", "my name's", "named"}:
                continue
            start = m.start("name")
            yield start, start + len(name), "PERSON", 0.8 if capitalised else 0.7


_ORG_WORDS = set(
    """inc ltd llc plc corp corporation company co group bank school university college academy institute
    park lake river mountain street road avenue city county state north south east west new san santa saint st
    store shop market mall restaurant cafe hotel hospital clinic church club team center centre airlines air
    motors foods news times post press records studios pictures games labs systems solutions services
    international national united american british european global department ministry office council
    committee association society foundation trust fund day week month year morning evening night""".split()
)
_ORG_SHAPE = re.compile(r"^[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?){1,2}$")


def looks_like_full_name(value: str) -> bool:
    """ "Tiffany Diaz" yes; "Home Depot Inc", "North Ryan", "The Store" no."""
    if not _ORG_SHAPE.match(value):
        return False
    words = [w.lower() for w in value.split()]
    return not any(w in _ORG_WORDS or w in NOT_NAME for w in words)


class OrgNameRecognizer(SpanRecognizer):
    """spaCy's small model tags many full names as ORG; take those that have a name's shape."""

    ENTITIES = ("PERSON",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        self._entities = list(getattr(nlp_artifacts, "entities", None) or [])
        return super().analyze(text, entities, nlp_artifacts)

    def spans(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        for ent in self._entities:
            if ent.label_ == "ORGANIZATION" and looks_like_full_name(ent.text):
                yield ent.start_char, ent.end_char, "PERSON", 0.6
