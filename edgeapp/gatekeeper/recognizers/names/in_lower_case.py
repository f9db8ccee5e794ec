"""Names in a message typed in lower case ("ask kgosi mothibi for the keys", "ok so ngozi and kemi are
coming over"): the same cues as `in_prose` and more, for lower-case words that are no English word,
place or stop word, or first names the lists know. `by_context` runs these only when the message has
no capitalised word but "I" and the first of a sentence.

Each rule takes the recognizer (its word tests, `ContextWords`), the message and whether it is typed
in lower case, and yields PERSON spans; `by_context` runs them in its fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from ...lexicon.name_words import PARTICLES
from ..base import Span
from .context_words import MORE_PARTICLES, NOT_PERSON, NUMERIC, ContextWords, person_around, words_span
from .prose_cues import BELONGINGS, PERSON_VERBS, RELATIONS, person_slot
from .shapes import LOW, LOW_RUN, PART

# "write to kaito", "tell ifeoma", "ask tobiloba": a lower-case word that is no English word after such a
# verb; "tell adebayo and funmi": the second of two names joined by "and" too
CUE_LOW = regex.compile(
    r"\b(?:(?:thanks|thank[ \t]+you)(?:[ \t]+(?:so|very)[ \t]+much|[ \t]+a[ \t]+lot)?|write|writing|text|"
    r"texting|"
    r"message|msg|tell|ask|remind|email|call|thank|invite|ping|dm|congratulate|dear|hi|hey|hello|told|asked|"
    r"texted|"
    r"messaged|emailed|thanked|invited|reminded|pinged)[ \t]+(?:to[ \t]+)?(?P<v>"
    + LOW
    + r")(?:[ \t]+(?:and|&)[ \t]+(?P<v2>"
    + LOW
    + r"))?"
)
# "hey, it's ravshan.", "this is bekzod from accounting", "ticket opened by kalinda": who is speaking or
# did it
SELF_LOW = regex.compile(
    r"\b(?:it's|it’s|it is|this is|my name is|my name's|name's|(?:opened|sent|written|signed|reported|"
    r"created|posted|"
    r"submitted|approved|reviewed|assigned)[ \t]+(?:by|to))[ \t]+(?P<v>" + LOW + r")"
    r"(?=[ \t]*(?:[.,!?;:\n]|$|from\b|here\b|again\b|speaking\b|at\b))"
)
RELATION_LOW = regex.compile(
    r"\b(?:my|our|his|her|their|your)\s+(?:(?:best|old|new|little|big)\s+)?(?:"
    + RELATIONS
    + r"),?[ \t]+(?P<v>"
    + LOW
    + r")"
)
SUBJECT_LOW = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>" + LOW + r")[ \t]+(?:" + PERSON_VERBS.replace("I", "i") + r")\b"
)
# "ok so ngozi and kemi are coming over": two lower-case words that are no English words, joined by "and"
PAIR_LOW = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<a>"
    + LOW
    + r")[ \t]+(?:and|&|or)[ \t]+(?P<b>"
    + LOW
    + r")[ \t]+(?:are|were|have|had|will|"
    r"can|can't|cant|want|wanna|said|say|told|went|came|come|both|just|got|get|left|arrived|invited|called|"
    r"texted)\b"
)
POSSESSIVE_LOW = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + LOW
    + r")['’]s[ \t]+(?:new[ \t]+|old[ \t]+)?(?:"
    + BELONGINGS
    + r"|flight|train|bus)\b"
)
# "the team is halvard, inti, wayra": lower-case names listed after a word for people
PEOPLE_LIST_LOW = regex.compile(
    r"\b(?:team|kids|children|guests|friends|people|attendees|participants|members|students|players|"
    r"roommates|"
    r"flatmates|colleagues|siblings|cousins|twins|invitees|speakers|winners|volunteers)[ \t]+"
    r"(?:is|are|were|will[ \t]+be|"
    r"=|:)[ \t]*(?P<v>" + LOW + r"(?:(?:[ \t]*,[ \t]*|,?[ \t]+(?:and|&)[ \t]+)" + LOW + r"){1,9})(?![\p{L}])"
)
# two to four lower-case words in a row ("ask kgosi mothibi for the keys"): one of them must be on a list of
# first names or surnames, none an English word
LOW_NAME_PAIR = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + LOW
    + r"(?:[ \t]+(?:(?:"
    + PART
    + r"|\p{Ll}\.?)[ \t]+)*"
    + LOW
    + r"){1,3})(?![\p{L}\p{M}'’-])"
)
# the slots only a person fills, in lower case, and the lower-case cues of a person: "me and yaw are
# going", "i had coffee with ashot", "did chidi pay you back?", "send this to kalani"
PERSON_SLOT_LOW = person_slot(LOW_RUN)
CUE_LOW_MORE = regex.compile(
    r"\b(?:me[ \t]+and|(?:coffee|lunch|dinner|drinks|tea|brunch)[ \t]+with|"
    r"send[ \t]+(?:this|it|that)[ \t]+to|"
    r"forward[ \t]+(?:this|it|that)[ \t]+to|did|does|has|hasn't|didn't)[ \t]+(?P<v>" + LOW_RUN + r")"
    r"(?=[ \t]*(?:[.,!?;:\n]|$|['’]s\b|(?:are|were|is|pay|paid|reply|replied|call|called|say|said|come|send|"
    r"sent|"
    r"yesterday|today|tonight|tomorrow|later|last|this|next|on|at|after|before)\b))"
)


def relations(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The name after a relation: "my flatmate kwabena"."""
    for m in RELATION_LOW.finditer(text):
        low = m.group("v")
        if (
            len(low) >= 3
            and w.unknown_word(low)
            or (low in w.first and not w.is_stop(low) and low not in w.english)
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def self_named(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Who is speaking or did it: "hey, it's ravshan.", "ticket opened by kalinda"."""
    for m in SELF_LOW.finditer(text):
        if w.cued_low(m.group("v")) and not w.blocked(m.start("v"), m.end("v"), NOT_PERSON):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def cued(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """After "write to", "tell"... a first name is one even when it is a word too: "tell timothy"."""
    for m in CUE_LOW.finditer(text, overlapped=True):
        if w.cued_low(m.group("v")) and not w.blocked(m.start("v"), m.end("v"), NOT_PERSON):
            yield m.start("v"), m.end("v"), "PERSON", 0.9
            if m.group("v2") and w.cued_low(m.group("v2")):
                yield m.start("v2"), m.end("v2"), "PERSON", 0.9


def pairs(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Two names joined by "and" before what people do: "ngozi and kemi are coming over"."""
    for m in PAIR_LOW.finditer(text):
        a, b = m.group("a"), m.group("b")
        if (
            len(a) >= 3
            and len(b) >= 3
            and all(w.unknown_word(x) or (x in w.first and x not in w.english) for x in (a, b))
        ):
            yield m.start("a"), m.end("a"), "PERSON", 0.9
            yield m.start("b"), m.end("b"), "PERSON", 0.9


def _verb_shaped(w: ContextWords, named: list[str]) -> bool:
    """A word shaped like a verb or a plural ("liam bragged", "grayson recycles", "sarah didn't",
    "cannolis allan") that no list knows; a surname (after the first word) may end in -s."""
    return any(
        regex.search(r"(?:ed|es|ing)$|['’]" if i else r"(?:ed|s|ing)$|['’]", x)
        and x not in w.first
        and x not in w.last
        for i, x in enumerate(named)
    )


def full_names(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Two words or more of a full name: one of them listed, or all of four letters and more where a
    person's name goes ("ask ...", "signed by ...", "... said")."""
    for m in LOW_NAME_PAIR.finditer(text, overlapped=True):
        n = w.full_name(m.group("v"))
        words = [x.strip(".") for x in m.group("v").split()[:n]]
        named = [x for x in words if len(x) > 2 and x not in PARTICLES and x not in MORE_PARTICLES]
        if words and regex.fullmatch(RELATIONS, words[0]):
            continue  # "my flatmate kwabena": the relation is no part of the name
        if _verb_shaped(w, named):
            continue
        if (
            n >= 2
            and len(named) >= 2
            and (
                any(x in w.first or x in w.last for x in named)
                or all(len(x) >= 4 for x in named)
                and person_around(text, m.start("v"), m.start("v") + len(" ".join(m.group("v").split()[:n])))
            )
            and not w.blocked(m.start("v"), m.end("v"), NOT_PERSON)
        ):
            yield words_span(m, n)


def slots(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A lower-case name in a person's slot or after a person's cue, with the surnames after it that are
    no English word ("is aigerim nurlanovna coming"); after an auxiliary an English word is no name ("has
    faith", "did per sandwich"), and a date after the name stops it ("... with chidi yesterday")."""
    for m in [*PERSON_SLOT_LOW.finditer(text), *CUE_LOW_MORE.finditer(text)]:
        words = m.group("v").split()
        aux = regex.match(r"(?:did|does|has|hasn't|didn't)\b", m.group(0))
        if not w.cued_low(words[0]) or aux and w.is_english(words[0]):
            continue
        n = 1
        for x in words[1:]:
            if (
                len(x) >= 3 and w.unknown_word(x) or x in w.last and not w.is_english(x)
            ) and not regex.search(r"(?:ed|ing)$|['’]", x):
                n += 1
            else:
                break
        span = words_span(m, n)
        if not w.blocked(span[0], span[1], NUMERIC):
            yield span


def possessives(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A name before a possessive and something a person has: "ravshan's laptop"."""
    for m in POSSESSIVE_LOW.finditer(text):
        low = m.group("v")
        if (
            len(low) >= 3
            and (w.unknown_word(low) or low in w.first and low not in w.english)
            and not w.blocked(m.start("v"), m.end("v"), NUMERIC)
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def people_lists(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Names listed after a word for people: "the team is halvard, inti, wayra"."""
    for m in PEOPLE_LIST_LOW.finditer(text):
        items = [i for i in regex.finditer(LOW, m.group("v")) if i.group(0) not in ("and",)]
        if all(
            len(i.group(0)) >= 3
            and (w.unknown_word(i.group(0)) or i.group(0) in w.first and i.group(0) not in w.english)
            for i in items
        ):
            for i in items:
                yield m.start("v") + i.start(), m.start("v") + i.end(), "PERSON", 0.9


def subjects(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A word no list knows before what people do: "ravshan says"."""
    for m in SUBJECT_LOW.finditer(text):
        low = m.group("v")
        if len(low) >= 3 and w.unknown_word(low):
            yield m.start("v"), m.end("v"), "PERSON", 0.9
