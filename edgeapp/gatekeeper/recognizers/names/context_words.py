"""The word tests of the context name recognizer (`by_context`): what counts as an English word, a
stop word, a word no list knows, a name's run of words, and a form field's value that is a name.

The rules in `in_layout`, `in_prose` and `in_lower_case` ask these of the recognizer, which is a
`ContextWords`; `blocked` asks what spaCy found in the message being analysed.
"""

from __future__ import annotations

import regex

from ... import lexicon
from ...lexicon.name_words import IRREGULAR, NOT_NAME, NUMBER_WORDS, PARTICLES, PRODUCTS, SLANG
from ..base import NO_VALUE, Span
from .shapes import NO_CASE
from .word_lists import WordListNameRecognizer


def phrases(text: str) -> frozenset[str]:
    """A set of words and phrases written one after another with commas between them."""
    return frozenset(p.strip() for p in text.split(","))


# spaCy's labels for what is not a person ("Regina" the city, "May" the month)
NOT_PERSON = frozenset(
    """DATE TIME MONEY QUANTITY CARDINAL ORDINAL PERCENT GPE LOC FAC NORP LANGUAGE LAW EVENT PRODUCT
    WORK_OF_ART""".split()
)
PLACES = frozenset({"GPE", "LOC", "FAC", "NORP"})
NUMERIC = frozenset({"DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "PERCENT"})
MONTHS = lexicon.MONTHS_AND_DAYS
# particles inside a name that runs on after a cue
MORE_PARTICLES = frozenset("dos das do della ní nic mac bin binti ibn el ter dela y e".split())
# words that are no name after a cue: titles, greetings, headers, form words, pronouns, times
MORE_STOP = frozenset(
    """mr mrs ms miss mx dr prof sir madam dame lady lord hi hey hello dear yes no please via re fw fwd
    cc bcc subject sent from to date name address phone email e-mail tel fax mobile office street
    road team all everyone everybody there guys folks friends colleagues both again support admin
    customer service sales hr it n/a na none unknown tbd anonymous me myself someone somebody nobody
    anyone anybody he she they we you i who whoever today tomorrow tonight yesterday this that then
    now also ok okay sorry thanks""".split()
)
# who a greeting is to that is no one's name ("Hi team", "Dear hiring manager")
NOT_GREETED = frozenset(
    """there all team everyone everybody guys folks friends sir madam hiring manager colleagues again
    world both you mom mum dad sister brother customer support ladies gentlemen community neighbours
    neighbors future sirs partners members parents students teacher doctor professor class""".split()
)
# before a lower-case run: a word that names a person or is said to one, the head of a list item or a
# quoted line, a closing
_LOW_PERSON_BEFORE = regex.compile(
    r"(?:\b(?:with|by|to|for|from|ask|tell|call|text|email|contact|cc|hi|hey|hello|dear|meet|met|thanks|"
    r"thank\s+you|invite|add|person|hire|mr|mrs|ms|dr|and|&)[ \t]*[-:,]?|^[ \t]*[-*•>][ \t]*|"
    r"(?:thanks|regards|best|cheers),?[ \t]*\n)"
    r"[ \t]*\Z",
    regex.M,
)
# after a lower-case run: what a person does or is
_LOW_PERSON_AFTER = regex.compile(
    r"[ \t]*(?:['’]s\b|\((?:hr|it|ops|finance|sales|legal)\)|[ \t]+(?:said|says|called|texted|wrote|will|"
    r"would|has|had|can|could|approved|signed|joined|replied|and[ \t]+i|is[ \t]+my|was[ \t]+my|"
    r"is[ \t]+coming|is[ \t]+our)\b|[ \t]*(?:-|—|–)[ \t]|:|,[ \t]+can\b)"
)
_VALUE_CUT = regex.compile(r"[,;/|]|\s[-–—]\s|\s{3,}|\t")
_VALUE_TITLE = regex.compile(
    r"(?i)(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|sr|sra|srta|mme|mlle|m)\.?\s+"
)
_VALUE_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}'’.-]*|\p{Lu}\.?|" + NO_CASE)


def words_span(m: regex.Match[str], n: int) -> Span:
    """The first `n` words of the match's group "v", as a person."""
    value = m.group("v")
    words = list(regex.finditer(r"\S+", value))[:n]
    return m.start("v"), m.start("v") + words[-1].end(), "PERSON", 0.9


def person_around(text: str, start: int, end: int) -> bool:
    """A lower-case run sits where a person's name goes: after a word that names a person or is said to
    one, at the head of a list item or a quoted line, or before what a person does."""
    return bool(
        _LOW_PERSON_BEFORE.search(text, max(0, start - 30), start) or _LOW_PERSON_AFTER.match(text, end)
    )


class ContextWords(WordListNameRecognizer):
    """The word lists and word tests of the context name recognizer."""

    # the forms of an English word: the context rules see names in any case, so more of them
    FORMS = (
        ("s", ""),
        ("es", ""),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
        ("'s", ""),
        ("’s", ""),
        ("er", ""),
        ("est", ""),
        ("ly", ""),
    )
    MIN_STEM = 2

    def blocked(self, start: int, end: int, labels: frozenset[str]) -> bool:
        """spaCy labels a stretch overlapping start..end with one of `labels`."""
        return any(e.start_char < end and start < e.end_char and e.label_ in labels for e in self.entities())

    def is_english(self, low: str) -> bool:
        return self.english_form(low) or low in IRREGULAR

    def is_stop(self, low: str) -> bool:
        return low in NOT_NAME or low in NUMBER_WORDS or low in SLANG or low in MORE_STOP or low in PRODUCTS

    def unknown_word(self, low: str) -> bool:
        """A word that is no English word, place, street type or stop word: likely a name."""
        return not (self.is_stop(low) or self.is_english(low) or low in self.places or low in self.streets)

    def person_word(self, low: str) -> bool:
        """A capitalised word that can be a name on its own: no English word, place or stop word, or a
        first name that is no place ("Ravshan", "Molly"; not "Monday", "Lisbon", "Google")."""
        return (
            not self.is_stop(low)
            and low not in MONTHS
            and (self.unknown_word(low) or low in self.first and low not in self.places)
        )

    def cued_low(self, low: str) -> bool:
        """A lower-case word after a person cue ("write to amy", "tell timothy") is a name when it is a
        first name, even one that is a word too, or a word that is no English word, place or stop word."""
        known = len(low) >= 3 and low in self.first and not self.is_stop(low) and low not in MONTHS
        return known or len(low) >= 4 and self.unknown_word(low)

    def name_value(self, value: str, lower_ok: bool = False, strong: bool = True) -> tuple[int, int] | None:
        """The span inside a field's value that is a name (1-5 name words, no digits), or None."""
        if NO_VALUE.fullmatch(value.strip(" .")):
            return None  # "Name: N/A"
        cut = _VALUE_CUT.search(value)
        head = (value[: cut.start()] if cut else value).rstrip(" .")
        title = _VALUE_TITLE.match(head)
        lead = title.end() if title else 0
        head = head[lead:]
        words = head.split()
        if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in head) or "@" in head:
            return None
        lows = [w.strip(".'’").lower() for w in words]
        if any(self.is_stop(low) and low not in PARTICLES for low in lows if len(low) > 1):
            return None
        shaped = all(
            _VALUE_WORD.fullmatch(w) or w.lower() in PARTICLES or w.lower() in MORE_PARTICLES for w in words
        )
        if not shaped and not (lower_ok and head.islower()):
            return None
        if not strong and all(self.is_english(low) and low not in self.first for low in lows):
            return None
        if all(low in self.places or low in self.streets for low in lows):
            return None
        start = len(value) - len(value.lstrip())
        return start, start + lead + len(head)

    def plain_word(self, value: str) -> bool:
        """A value that is one English word and no one's first name or surname ("HOST: Welcome.")."""
        words = value.split()
        if len(words) != 1:
            return False
        low = words[0].strip(".,!?:;'’").lower()
        return self.is_english(low) and low not in self.first and low not in self.last

    def run_ok(self, run: str, strong_verb: bool, place_ok: bool = False) -> int:
        """How many leading words of `run` make a name (0 when none): a first word that is no English
        word, place or stop word (or a known first name before a verb only people do), then surnames."""
        words = run.split()
        low = words[0].strip(".'’").lower()
        if self.is_stop(low) or low in MONTHS:
            return 0
        if not self.unknown_word(low) and not (
            strong_verb
            and low in self.first
            and (place_ok or low not in self.places)
            and words[0][:1].isupper()
        ):
            return 0
        n = 1
        for w in words[1:]:
            wl = w.strip(".'’").lower()
            if (
                len(wl) == 1
                or wl in PARTICLES
                or self.unknown_word(wl)
                or wl in self.last
                or wl in self.first
            ):
                n += 1
            else:
                break
        return n

    def _surname_word(self, low: str) -> bool:
        """A later word of a full name: no stop word, month or street type; a word no list knows, or a
        surname or first name that is no English word."""
        if self.is_stop(low) or low in MONTHS or low in self.streets:
            return False
        return (
            self.unknown_word(low)
            or low in self.last
            and not self.is_english(low)
            or low in self.first
            and not self.is_english(low)
        )

    def full_name(self, run: str) -> int:
        """How many leading words of `run` make a full name with no list's help: a first word that is no
        English word, place or stop word (or a first name that is no English word), then surnames of the
        same kind, particles and initials; two words at least, the last one a name word."""
        words = run.split()
        first = words[0].lower()
        if not (
            self.unknown_word(first)
            or first in self.first
            and not self.is_english(first)
            and first not in self.places
        ):
            return 0
        n, last_name_at = 1, 0
        for i, w in enumerate(words[1:], 1):
            low = w.strip(".").lower()
            if len(low) == 1 or low in PARTICLES or low in MORE_PARTICLES:
                n += 1
                continue
            if not self._surname_word(low):
                break
            n, last_name_at = n + 1, i
        return last_name_at + 1 if last_name_at else 0

    def greeted(self, run: str) -> int:
        """How many words of a greeting's run are the name ("Dear Taavi van der Berg": a particle inside
        the name goes on; "Hi team" none)."""
        n = 0
        for w in run.split():
            low = w.strip(".").lower()
            if (self.is_stop(low) or low in NOT_GREETED) and not (w.islower() and low in PARTICLES):
                break
            n += 1
        return n
