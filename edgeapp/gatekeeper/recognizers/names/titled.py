"""Names after a title ("Dr Louis Jones", "MRS ADJOA FRIMPONG") or after a phrase that announces a
name ("my name is ...", "beneficiary ...", "Dear ..."), in any case.

The engine runs this recognizer outside Presidio's registry (see `engine.Gatekeeper`): there, its
de-duplication would let spaCy's lower-case guess at the same span win, and those are dropped by
`resolve.tidy_ner_people`. Rules, in order: `_names_after_titles`, `_names_after_cues`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from ... import lexicon
from ...lexicon.name_words import PARTICLES, TITLES
from ..base import Span, SpanRecognizer
from .shapes import locate, name_words, tidy_name

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
    r"mr\.?|mrs\.?|ms\.?|miss|dr\.?|prof\.?|my name is|my name's|name:|full name:|i am called|i'm called|"
    r"named|called|signed|regards,|"
    r"customer:|client:|guest:|passenger:|recipient:|sender:|owner:|applicant:|student:|contact:|payee:|"
    r"sincerely,|cheers,|dear|hi|hello|hey|beneficiary|account holder|cardholder|attn:?|attention:?|"
    r"i'm|i am|contact person:?|patient:?|tenant:?|employee:?|this is|ask for|speak to|talk to|cc:?|from:|to:"
)
# the name follows on the same line, or on the next after a "Name:" or "Regards," (not "MS" above "SEAT 14C")
CUE = re.compile(
    r"(?i)(?<![\w-])(?:"
    + _STRONG_CUES
    + r")(?:[ \t]+|(?<=[:,])[ \t]*\n[ \t]*)(?P<title>(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+)?"
    r"(?P<name>[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Za-z][A-Za-z'’-]+){0,2})"
)
# cues that greet or address someone: a lower-case word after them is a name only after a title too
WEAK_CUES = frozenset({"hi", "hello", "hey", "this is", "to:", "from:", "called", "cc", "cc:", "dear"})
# "I'm ..." is a name only as a capitalised full name ("I'm Ama Owusu", not "I'm Tired")
SELF_CUES = frozenset({"i'm", "i am"})
# cues after which one lower-case word is a name ("my name is ama")
NAMING_CUES = frozenset({"my name is", "my name's", "named"})


def _names_after_titles(text: str) -> Iterable[Span]:
    for m in TITLED.finditer(text):
        title, _, rest = m.group(0).partition(" ")
        name = tidy_name(rest.strip())
        where = locate(m.group(0), name, len(title)) if name else None
        if where:
            yield m.start(), m.start() + where[1], "PERSON", 0.85


def _cued_name(value: str) -> str:
    """The words after a cue that are the name: a capitalised name ends at a lower-case word ("Mrs
    Adjoa Frimpong keeps ..."), a lower-case one before an English word ("mr jones used ...")."""
    name = name_words(value)
    if name[:1].isupper():
        return " ".join(
            itertools.takewhile(lambda w: w[:1].isupper() or w.lower() in PARTICLES, name.split())
        )
    if len(name.split()) > 1:
        english = lexicon.english_lower()
        words = name.split()
        rest = itertools.takewhile(
            lambda w: w.lower().rstrip("'’s") not in english and w.lower() not in english, words[1:]
        )
        return " ".join([words[0], *rest])
    return name


def _cue_allows(cue: str, name: str, titled: bool) -> bool:
    capitalised = all(w[0].isupper() for w in name.split())
    if cue in WEAK_CUES and not capitalised and not titled:
        return False
    if cue in SELF_CUES and not (capitalised and len(name.split()) >= 2):
        return False
    return capitalised or len(name.split()) != 1 or cue in NAMING_CUES


def _names_after_cues(text: str) -> Iterable[Span]:
    for m in CUE.finditer(text):
        cue = m.group(0)[: m.start("name") - m.start()].strip().lower()
        name = _cued_name(m.group("name"))
        if not name or not _cue_allows(cue, name, titled=bool(m.group("title"))):
            continue
        capitalised = all(w[0].isupper() for w in name.split())
        start = m.start("name")
        yield start, start + len(name), "PERSON", 0.8 if capitalised else 0.7


class TitledNameRecognizer(SpanRecognizer):
    """Names after a title or a phrase that announces one (see the module's docstring)."""

    ENTITIES = ("PERSON",)
    RULES = (_names_after_titles, _names_after_cues)

    def spans(self, text: str) -> Iterable[Span]:
        for rule in self.RULES:
            yield from rule(text)
