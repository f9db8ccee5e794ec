"""Names found by the words around them in prose, whatever the name ("Chidi", "Seo-yeon", "Tewodros"):
a list after words that announce people ("invited Kjeld, Obinna and Sunniva"), a possessive ("Tigran
Appiah's bakery", "Ravshan's laptop"), a full name of words no list knows ("Haruto Sato"), the slots
only a person fills ("Is Pemba coming?"), initials with a surname ("by M Osei", "Okafor A.B."), a pair
after a word for people ("the kids, Inti and Wayra"), a relation ("my friend Chidi"), the object of
what people are asked or met ("ask Toby"), and the subject of what people do ("Chidi says", "Did
Halvard reply?").

Each rule takes the recognizer (its word tests, `ContextWords`), the message and whether it is typed
in lower case, and yields PERSON spans; `by_context` runs them in its fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from ..base import Span
from .context_words import MONTHS, NOT_PERSON, NUMERIC, PLACES, ContextWords, phrases, words_span
from .prose_cues import (
    BELONGINGS,
    IS,
    ONLY_PEOPLE_HAVE,
    PERSON_ONLY_STATES,
    PERSON_VERBS,
    RELATIONS,
    person_slot,
)
from .shapes import CAP, CUED_RUN, INITIAL, NAME_RUN, PART

# a list of three or more single capitalised words after words that announce people ("invited Kjersti,
# Otieno and Sjoerd", "The team this sprint is ...", "Seating plan: ..."); every word in it must be no
# English word, place or street type
PEOPLE_LIST = regex.compile(
    r"(?i:\b(?:invited?|inviting|with|between|among|team|guests?|seating|carpool|kids|children|friends|"
    r"people|"
    r"names|"
    r"attendees|participants|members|students|players|pupils|cousins|colleagues|siblings|cc|to|for|and\s+me|"
    r"thanks?|"
    r"congrats|congratulations|welcome|hosts?|speakers|winners|passengers|tenants|parents|volunteers|"
    r"staff)\b)"
    r"[^.!?\n]{0,40}?(?P<v>"
    + CAP
    + r"(?:(?:[ \t]*,[ \t]*|,?[ \t]+(?:and|&|or|und|et|y|e|og|och|en|i)[ \t]+)"
    + CAP
    + r"){2,9})(?![\p{L}])"
)
# "outside Tigran Appiah's bakery": a name of two or three words before a possessive
POSSESSIVE = regex.compile(r"(?<![\p{L}\p{M}'’.-])(?P<v>" + CAP + r"(?:[ \t]+" + CAP + r"){1,2})['’]s\b")
# "Ravshan's laptop", "Giorgi's number is...": one word before a possessive and something a person has
POSSESSIVE_ONE = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + CAP
    + r")['’]s[ \t]+(?:new[ \t]+|old[ \t]+)?(?P<what>"
    + BELONGINGS
    + r")\b"
)
# "reported by M Osei", "cc J Mensah": an initial and a surname after a word that names who did or gets
# something
BY_INITIAL = regex.compile(
    r"\b(?i:by|from|to|cc|with|for|and)[ \t]+(?P<v>\p{Lu}\.?[ \t]+" + CAP + r")(?![\p{L}\p{M}'’-])"
)
# "Okafor A.B. submitted", "Mensah K. called": a surname with initials after it
INITIALS_AFTER = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>" + CAP + r"[ \t]+(?:\p{Lu}\.[ \t]?){1,3})(?![\p{L}])"
)
# "the kids, Inti and Wayra, are...", "our twins Inti and Wayra": two names right after a word for people
PEOPLE_PAIR = regex.compile(
    r"(?i:\b(?:kids|children|sons|daughters|twins|grandchildren|grandkids|friends|parents|siblings|brothers|"
    r"sisters|"
    r"cousins|guests|colleagues|roommates|flatmates|housemates|neighbou?rs|tenants|students|pupils|hosts|"
    r"organi[sz]ers))"
    r"(?:[ \t]*[,:—–-][ \t]*|[ \t]+(?:are|were|named|called)[ \t]+)(?P<v>"
    + CAP
    + r")[ \t]+(?:and|&)[ \t]+(?P<v2>"
    + CAP
    + r")(?![\p{L}\p{M}'’-])"
)
# two to four capitalised words in a row, none of them an English word, place or stop word ("Haruto Sato",
# "Kgosi Mothibi", "Tõnis Tamm"): a full name whatever spaCy calls it
NAME_PAIR = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + CAP
    + r"(?:[ \t]+(?:(?:"
    + PART
    + r")[ \t]+)*(?:"
    + CAP
    + r"|"
    + INITIAL
    + r")){1,3})(?![\p{L}\p{M}'’-])"
)
RELATION = regex.compile(
    r"(?i:\b(?:my|our|his|her|their|your)\s+(?:(?:best|old|new|dear|little|big|younger|older|elder|late|"
    r"ex-?)\s+)?"
    r"(?:" + RELATIONS + r")),?[ \t]+(?:(?i:mr|mrs|ms|miss|dr|prof)\.?[ \t]+)?(?P<v>" + CUED_RUN + r")"
)
PERSON_STATE = regex.compile(IS + r"(?:" + PERSON_ONLY_STATES + r")$")
SUBJECT = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + NAME_RUN
    + r")(?:['’]s\s+(?:mom|dad|wife|husband|sister|brother|partner|boss))?"
    r"[ \t]+(?:" + PERSON_VERBS + r")\b"
)
# "Meet Regina at the corner", "ask Toby", "text Dominika": a person is met, asked, texted
OBJECT = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<cue>(?i:meet|meeting|tell|ask|text|texting|email|e-mail|message|remind|ping|"
    r"thank|thanks|"
    r"invite|congratulate|call|phone|dm|cc|told|asked|texted|emailed|messaged|thanked|invited|reminded|"
    r"pinged|"
    r"phoned|met|paid|(?:check|checked|speak|spoke|talk|talked|chat|chatted|meet|catch[ \t]+up|"
    r"caught[ \t]+up|"
    r"work|worked|lunch|dinner|coffee)[ \t]+(?:to|with)))[ \t]+(?P<v>" + NAME_RUN + r")(?![\p{L}\p{M}'’-])"
)
# cues a company is the object of too: after them, only a name the lists know
_COMPANY_CUES = frozenset("ask call phone email e-mail cc asked emailed phoned paid".split())
# cues only a person follows: a company is asked and called, but not met, invited or had coffee with
ONLY_PEOPLE_CUE = regex.compile(
    r"(?i)meet|meeting|met|invite|invited|thank|thanks|thanked|congratulate|remind|reminded|text|texting|"
    r"texted|"
    r"dm|ping|"
    r"pinged|(?:lunch|dinner|coffee|catch[ \t]+up|caught[ \t]+up|chat|chatted)[ \t]+(?:to|with)"
)
COORDINATED = regex.compile(r"(?<![\p{L}\p{M}'’.-])(?P<v>" + NAME_RUN + r")[ \t]+(?:and|&)[ \t]+\Z")
# the subject of a question about what a person does: "Did Halvard reply?", "Has Oyelaran signed?"
AUX_SUBJECT = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?:Did|Didn't|Does|Doesn't|Has|Hasn't|Will|Won't|Can|Could|Would|Should|Shall)"
    r"[ \t]+"
    r"(?P<v>"
    + NAME_RUN
    + r")[ \t]+(?:already[ \t]+|ever[ \t]+|still[ \t]+)?(?:reply|replied|respond|responded|answer|"
    r"answered|call|called|ring|rang|text|texted|say|said|send|sent|sign|signed|pay|paid|come|arrive|arrived|"
    r"leave|"
    r"left|agree|agreed|confirm|confirmed|email|emailed|write|written|wrote|finish|finished|join|joined|"
    r"accept|"
    r"accepted|approve|approved|book|booked|bring|pick|mention|mentioned|remember|forget|forgot|tell|told|"
    r"ask|"
    r"asked|"
    r"visit|visited|meet|met|help|helped|drive|drove|cook|cooked)\b"
)
PERSON_SLOT = person_slot(CAP)
SPEECH = phrases(
    """says, said, told, tells, asked, asks, texted, called, emailed, messaged, replied, and i, and me, wants,
    thinks, mentioned, promised, wrote"""
)
# a first name that is an English word or a place too ("Molly", "Toby", "Regina") is a person before these
HUMAN = SPEECH | phrases(
    """paid, booked, logged in, logged on, logged out, signed in, signed up, signed the, ordered,
    requested, submitted, registered, invited, borrowed, lent, owes, married, forgot, promised, agreed,
    refused, complained, insisted, decided, joined, quit, changed his, changed her, changed their,
    changed the, updated his, updated her, updated their, updated the, uploaded, confirmed, approved,
    cancelled, canceled, got married, got engaged, got divorced"""
)


def people_lists(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Three or more names listed after words that announce people: every item a word no list knows or a
    first name; one of them no place, and spaCy calling none of the names it could know a date or a number
    ("invited Oluwaseun, Marta and Joon": Marta is a town too)."""
    for m in PEOPLE_LIST.finditer(text):
        items = list(regex.finditer(CAP, m.group("v")))
        lows = [i.group(0).lower() for i in items]
        if (
            all(w.unknown_word(low) or low in w.first for low in lows)
            and any(w.unknown_word(low) or low not in w.places for low in lows)
            and not any(
                w.blocked(m.start("v") + i.start(), m.start("v") + i.end(), NOT_PERSON - PLACES)
                and not w.unknown_word(low)
                for i, low in zip(items, lows, strict=True)
            )
        ):
            for i in items:
                yield m.start("v") + i.start(), m.start("v") + i.end(), "PERSON", 0.9


def possessives(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Two or three name words before a possessive: "outside Tigran Appiah's bakery"."""
    for m in POSSESSIVE.finditer(text, overlapped=True):
        if w.blocked(m.start("v"), m.end("v"), NOT_PERSON | {"ORG"}):
            continue
        lows = [x.lower() for x in m.group("v").split()]
        if all(w.unknown_word(x) or x in w.last or x in w.first for x in lows) and (
            w.unknown_word(lows[0]) or lows[0] in w.first
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def name_pairs(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Two to four capitalised words no list calls English, a place or a stop word: "Haruto Sato"."""
    for m in NAME_PAIR.finditer(text, overlapped=True):
        if regex.search(r"\d[\w/-]*[ \t]+\Z", text[max(0, m.start() - 12) : m.start()]) or regex.match(
            r"[ \t]+\d{1,5}\b", text[m.end() :]
        ):
            continue  # "12 Nguyen Hue", "Rruga Myslym Shyri 22": a street before or after its house number
        if regex.search(r"(?i)\b(?:the|a|an)[ \t]+\Z", text[max(0, m.start() - 5) : m.start()]):
            continue  # "the Dacia Sandero", "a Pinot Noir": a thing, not a person
        n = w.full_name(m.group("v"))
        if n >= 2 and not w.blocked(
            m.start("v"), m.end("v"), NOT_PERSON - {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
        ):
            yield words_span(m, n)


def person_slots(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A word in a slot only a person fills (`prose_cues.person_slot`); spaCy's label for a word it does
    not know is a guess, so only a date or a number stops these."""
    for m in PERSON_SLOT.finditer(text):
        if w.person_word(m.group("v").lower()) and not w.blocked(m.start("v"), m.end("v"), NUMERIC):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def possessed_things(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """One word before a possessive and something a person has: "Ravshan's laptop". spaCy calls many a
    name it does not know an organisation; a company has no mother or birthday."""
    for m in POSSESSIVE_ONE.finditer(text):
        low = m.group("v").lower()
        only_people = m.group("what").lower() in ONLY_PEOPLE_HAVE
        if (
            w.person_word(low)
            and not w.blocked(m.start("v"), m.end("v"), NOT_PERSON - PLACES)
            and not (low not in w.first and not only_people and w.blocked(m.start("v"), m.end("v"), {"ORG"}))
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def initial_and_surname(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """An initial and a surname after "by", "cc"...: "reported by M Osei" (not "A" or "I")."""
    for m in BY_INITIAL.finditer(text):
        initial, surname = m.group("v").split()
        low = surname.lower()
        if (
            initial[0] not in "AI"
            and not w.is_stop(low)
            and low not in MONTHS
            and (w.unknown_word(low) or low in w.last)
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def surname_and_initials(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A surname with initials after it: "Okafor A.B.", "Mensah K." (one initial after a word no list
    knows is as likely a label: "Box A.", "Unit B.")."""
    for m in INITIALS_AFTER.finditer(text):
        low = m.group("v").split()[0].lower()
        several = m.group("v").count(".") >= 2
        if (
            not w.is_stop(low)
            and low not in MONTHS
            and (several and w.unknown_word(low) or low in w.last and not w.is_english(low))
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def people_pairs(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Two names right after a word for people: "the kids, Inti and Wayra"."""
    for m in PEOPLE_PAIR.finditer(text):
        if all(w.person_word(m.group(k).lower()) for k in ("v", "v2")) and not w.blocked(
            m.start("v"), m.end("v2"), NOT_PERSON - {"GPE", "NORP"}
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9
            yield m.start("v2"), m.end("v2"), "PERSON", 0.9


def relations(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The name after a relation: "my friend Chidi", "our neighbour Mrs Okafor"."""
    for m in RELATION.finditer(text):
        n = 0
        for word in m.group("v").split():
            if w.is_stop(word.strip(".").lower()) or word.lower() in w.places and n == 0:
                break
            n += 1
        if n:
            yield words_span(m, n)


def _object_ok(w: ContextWords, m: regex.Match[str]) -> bool:
    """A company is asked, called or e-mailed too: after those cues only a name the lists know; a single
    word spaCy calls an organisation only after a cue only people follow ("ask Google")."""
    low = m.group("v").lower()
    personal = m.group("cue").lower() not in _COMPANY_CUES
    return (
        not w.is_stop(low)
        and low not in MONTHS
        and (personal and w.unknown_word(low) or low in w.first)
        and not w.blocked(m.start("v"), m.end("v"), NOT_PERSON - PLACES)
        and not (
            " " not in m.group("v")
            and low not in w.first
            and low not in w.last
            and not ONLY_PEOPLE_CUE.fullmatch(m.group("cue"))
            and w.blocked(m.start("v"), m.end("v"), {"ORG"})
        )
    )


def objects(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The person met, asked, texted: "Meet Regina at the corner", "ask Toby", "text Dominika"."""
    for m in OBJECT.finditer(text):
        if _object_ok(w, m):
            yield words_span(m, w.run_ok(m.group("v"), strong_verb=True, place_ok=True) or 1)


def aux_subjects(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The subject of a question about what a person does: "Did Halvard reply?"."""
    for m in AUX_SUBJECT.finditer(text):
        low = m.group("v").split()[0].lower()
        if (
            not w.is_stop(low)
            and low not in MONTHS
            and (w.unknown_word(low) or low in w.first)
            and not w.blocked(m.start("v"), m.end("v"), NOT_PERSON - PLACES)
        ):
            yield words_span(m, w.run_ok(m.group("v"), strong_verb=True, place_ok=True) or 1)


def subjects(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The subject of what people do ("Chidi says", "Seo-yeon texted me", "Gulnara is very reliable"),
    from each word on ("Yesterday Tuan Ho called"); the other subject joined by "and" too ("Ravshan and
    Dilnoza got married")."""
    for m in SUBJECT.finditer(text, overlapped=True):
        verb = " ".join(text[m.end("v") : m.end()].split()).lower()
        human = verb in HUMAN or PERSON_STATE.search(verb) is not None
        if w.blocked(m.start("v"), m.end("v"), NOT_PERSON - (PLACES if human else set())):
            continue  # a place that logs in or says something is a person ("Regina logged in")
        run = m.group("v")
        # spaCy calls most single words it does not know an organisation, names as much as companies; the
        # companies and services people write about are on the PRODUCTS list ("Netflix says" stays); a
        # short word in capitals is an acronym ("A DIY will saves...", "NASA said")
        if run.isupper() and " " not in run and len(run) <= 5 and run.lower() not in w.first:
            continue
        n = w.run_ok(run, strong_verb=human, place_ok=human)
        if n:
            yield words_span(m, n)
            before = COORDINATED.search(text, 0, m.start("v"))
            if (
                before
                and " " not in before.group("v")
                and w.run_ok(before.group("v"), strong_verb=human, place_ok=True)
            ):
                yield before.start("v"), before.end("v"), "PERSON", 0.9
