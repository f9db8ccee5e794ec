"""People's names that spaCy's small English model misses: first names of many countries on their
own ("Tancredi is very reliable"), in lists ("Efua, Marit, Joaquim and Ines"), with initials and
several parts ("Zsófia K Bartók", "João P. Almeida", "Ana dos Santos"), and in lower case in a
message typed in lower case ("ask ingrid").

A word is a first name when Faker's name lists of about 80 locales know it and it is not an
English word as a dictionary writes it in lower case ("Grace", "Will", "May" need a surname after
them), nor a place on its own ("Florence", "Jordan"), nor part of a date or number spaCy found.
The name then runs over the initials, particles and capitalised words that follow it on its line,
and over a capitalised word just before it that is not an English word ("Nguyễn Thị Minh").
Neighbours in a list of names ("Efua, Marit and Oyelaran") are names too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult

from ... import lexicon
from ...lexicon.name_words import IRREGULAR, NOT_NAME, NUMBER_WORDS, PARTICLES, PRODUCTS, SLANG
from ..base import SpanRecognizer

WORD = re.compile(r"[^\W\d_]+(?:['’-](?![sS]\b)[^\W\d_]+)*\.?")  # "Appiah's": the name is "Appiah"
_MORE_PARTICLES = {
    "dos",
    "das",
    "do",
    "della",
    "des",
    "du",
    "ní",
    "nic",
    "mac",
    "mc",
    "binti",
    "ibn",
    "el",
    "ten",
    "y",
    "e",
    "st",
    "st.",
    "thi",
    "văn",
    "van't",
}
_LIST_SEP = re.compile(
    r"^(?:\s*[,;&/]\s*|\s*,?\s+(?:and|or|und|et|y|e|og|och|en|i)\s+|\s+&\s+)$", re.IGNORECASE
)
# spaCy labels under which a capitalised first name is something else ("May 5", "Jordan", "Victoria Park")
_NOT_PERSON_LABELS = {
    "DATE",
    "TIME",
    "MONEY",
    "QUANTITY",
    "CARDINAL",
    "ORDINAL",
    "PERCENT",
    "LAW",
    "LANGUAGE",
}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# in a message typed in lower case, a known first name after these is a name even if it is a word too
_LOWER_CUES = {
    "to",
    "ask",
    "tell",
    "remind",
    "call",
    "text",
    "email",
    "message",
    "invite",
    "thank",
    "meet",
    "with",
    "and",
    "for",
    "from",
    "dear",
    "hi",
    "hey",
    "hello",
    "cc",
    "ping",
    "pay",
    "visit",
}
_CAPITALISED_INSIDE = re.compile(
    r"(?<![.!?:\n>]\s)(?<![.!?:\n>]\s\s)(?<!^)(?<!^\s)\b(?!I\b|I['’])[^\W\d_a-z]"
)
_STOP = (
    NOT_NAME
    | NUMBER_WORDS
    | PRODUCTS
    | {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "lady",
        "lord",
        "rev",
        "hi",
        "hey",
        "hello",
        "dear",
        "ok",
        "okay",
        "yes",
        "no",
        "thanks",
        "pls",
        "please",
        "via",
        "re",
        "fw",
        "fwd",
        "cc",
        "bcc",
        "subject",
        "sent",
        "from",
        "to",
        "date",
        "name",
        "address",
        "phone",
        "email",
        "tel",
        "fax",
        "mobile",
        "office",
        "street",
        "road",
        "per",
        "thx",
        "lol",
        "pm",
        "am",
    }
)


def _cap(word: str) -> bool:
    """Written like a name: "Efua", "O'Brien", "Jae-won", "McKay", "ÅSA" (all capitals, 3+ letters)."""
    letters = [ch for ch in word if ch.isalpha()]
    return (
        bool(letters) and letters[0].isupper() and (any(ch.islower() for ch in letters) or len(letters) >= 3)
    )


def _bare(word: str) -> str:
    return word.rstrip(".").lower()


def _initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[0].isupper()


# a street or unit line: a house number and a word, or a flat, suite or PO box
_ADDRESS_LINE = re.compile(
    r"(?i)^\s*(?:(?:flat|apt\.?|apartment|unit|suite|plot|po box|p\.o\. box)\s*\w*\b|\d{1,5}[a-z]?\s+\w+"
    r"|\w+(?:\s\w+)?\s+\d{1,5}[a-z]?\b)"
)


class LexiconNameRecognizer(SpanRecognizer):
    """A PERSON recognizer over the lexicon's word lists (first names, surnames, English words,
    places, street words), with spaCy's tokens of the message at hand while it runs."""

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
        self._doc = None

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        self._doc = getattr(nlp_artifacts, "tokens", None)
        try:
            return super().analyze(text, entities, nlp_artifacts)
        finally:
            self._doc = None

    def _english_form(self, low: str) -> bool:
        """A dictionary word, or one of its forms by FORMS."""
        e = self.english
        if low in e:
            return True
        return any(
            low.endswith(suffix)
            and len(low) >= len(suffix) + self.MIN_STEM
            and low[: -len(suffix)] + back in e
            for suffix, back in self.FORMS
        )


class ListedNameRecognizer(LexiconNameRecognizer):
    # -- word tests --------------------------------------------------------------------------------
    def _english(self, low: str) -> bool:
        """A dictionary word, or a plural / verb form of one ("miles", "drives", "walked")."""
        if self._english_form(low):
            return True
        return (
            bool(re.search(r"(?:s|x|z|ch|sh)es$", low)) and low[:-2] in self.english
        )  # "boxes", not "james"

    def _plain_word(self, low: str) -> bool:
        return low in _STOP or self._english(low)

    def _first(self, word: str, lower_mode: bool) -> bool:
        low = _bare(word)
        if len(low) < 2 or low in _STOP or low not in self.first:
            return False
        if _cap(word):
            return not self._english(low)
        return (
            lower_mode
            and word.islower()
            and len(low) >= 3
            and not self._english(low)
            and low not in self.places
        )

    def _surname_like(self, word: str, lower_mode: bool) -> bool:
        low = _bare(word)
        if low in _STOP or low in self.streets or low in NUMBER_WORDS:
            return False
        if _cap(word):
            return not self._english(low) or low in self.last or low in self.first
        # typed in lower case, after a first name: a surname the lists know, or a word that is no English
        # word, place or chat word ("tomasz kowalski")
        return (
            lower_mode
            and word.islower()
            and not self._english(low)
            and (
                low in self.last
                or low in self.first
                or len(low) >= 4
                and low.isalpha()
                and low not in SLANG
                and low not in IRREGULAR
                and low not in self.places
                and not low.endswith(("ed", "ing", "s"))
            )
        )  # a verb or a plural, not a surname ("recycles")

    # -- scan --------------------------------------------------------------------------------------
    def spans(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        # typed in lower case: no capitalised word but "I" and the first of a sentence
        lower_mode = not _CAPITALISED_INSIDE.search(text)
        blocked = self._blocked(text)
        found: list[tuple[int, int]] = []
        for line_match in re.finditer(r"[^\n]+", text):
            base = line_match.start()
            words = [
                (base + m.start(), base + m.end(), m.group(0)) for m in WORD.finditer(line_match.group(0))
            ]
            spans = self._line(text, words, lower_mode, blocked)
            if self._name_line(text, line_match):  # the whole line, whatever part of it the words gave
                lead = len(line_match.group(0)) - len(line_match.group(0).lstrip(" \t>"))
                spans.append((base + lead, base + len(line_match.group(0).rstrip(" \t,"))))
            found.extend(spans)
        for start, end in found:
            # above spaCy's 0.85: Presidio drops a result that another of the same type contains with an
            # equal or higher score, and spaCy's span of the same name may be cut short later ("Ana I.")
            yield start, end, "PERSON", 0.9

    def _name_line(self, text: str, line_match) -> bool:
        """A line that is only a name, above an address, a phone number or an e-mail ("Sessa C Rodriguez"
        at the head of a postal block or a signature)."""
        words = line_match.group(0).strip(" \t>,").split()
        rest = text[line_match.end() + 1 :].split("\n", 1)[0]
        if (
            len(words) == 1
            and _cap(words[0])
            and len(words[0]) >= 3
            and re.fullmatch(r"[^\W\d_][\w'’-]*", words[0])
        ):
            # one word no list calls English, a place or a street, above an address line ("Oluwaseun\nFlat 3, 12 High St")
            low = _bare(words[0])
            return (
                not (
                    self._plain_word(low)
                    or low in _STOP
                    or low in SLANG
                    or low in self.streets
                    or low in self.places
                )
                and _ADDRESS_LINE.search(rest) is not None
            )
        if not 2 <= len(words) <= 4 or not all(
            _cap(w) or _initial(w) or w.lower() in PARTICLES for w in words
        ):
            return False
        if any(w.endswith(":") for w in words):
            return False  # "Name: Thandiwe Mokoena": a field, whose label is no part of the name
        if (
            not _cap(words[0])
            or not _cap(words[-1])
            or any(
                self._plain_word(_bare(w))
                and _bare(w) not in self.last
                and _bare(w) not in self.first
                or _bare(w) in self.streets
                or _bare(w) in self.places
                for w in words
                if not _initial(w)
            )
        ):
            return False
        return bool(rest) and (any(ch.isdigit() for ch in rest) or "@" in rest)

    def _blocked(self, text: str) -> list[tuple[int, int, bool]]:
        """Character ranges spaCy calls a date, number... (True) or a place (False)."""
        out = []
        for ent in getattr(self._doc, "ents", ()) or ():
            if ent.label_ in _NOT_PERSON_LABELS:
                out.append((ent.start_char, ent.end_char, True))
            elif ent.label_ in _PLACE_LABELS:
                out.append((ent.start_char, ent.end_char, False))
        return out

    def _in(self, start: int, end: int, blocked, hard: bool | None = None) -> bool:
        return any(s < end and start < e and (hard is None or h == hard) for s, e, h in blocked)

    def _line(self, text, words, lower_mode, blocked) -> list[tuple[int, int]]:
        people = [
            (e.start_char, e.end_char) for e in getattr(self._doc, "ents", ()) or () if e.label_ == "PERSON"
        ]
        taken = [any(s <= w[0] and w[1] <= e for s, e in people) for w in words]
        ner = list(taken)
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            start, end, word = words[i]
            if (taken[i] and not ner[i]) or self._in(start, end, blocked, hard=True):
                i += 1
                continue
            low = _bare(word)
            nxt = (
                words[i + 1][2] if i + 1 < len(words) and self._adjacent(text, words[i], words[i + 1]) else ""
            )
            is_first = self._first(word, lower_mode)
            if is_first and low in self.places and not (nxt and self._surname_like(nxt, lower_mode)):
                is_first = False  # "Florence" alone is a city as often as a person
            if (
                not is_first
                and not lower_mode
                and _cap(word)
                and low in self.first
                and low not in _STOP
                and nxt
                and _cap(nxt)
                and _bare(nxt) in self.last
                and _bare(nxt) not in self.streets
            ):
                is_first = (
                    True  # "Grace Kowalski", "Mark Twain": an English word that is a first name + surname
                )
            if (
                not is_first
                and not lower_mode
                and _initial(word)
                and word.endswith(".")
                and nxt
                and _bare(nxt) in self.last
                and self._surname_like(nxt, lower_mode)
            ):
                is_first = True  # "K. Hartmann", "T. Ruotsalainen"
            if (
                not is_first
                and lower_mode
                and word.islower()
                and low in self.first
                and low not in _STOP
                and i > 0
                and _bare(words[i - 1][2]) in _LOWER_CUES
                and len(low) >= 3
                and not self._english(low)
            ):
                is_first = True  # "write a message to lorraine", "ask anita"
            if not is_first:
                i += 1
                continue
            first, last = i, self._extend(text, words, i, lower_mode)
            while first > 0 and self._adjacent(text, words[first - 1], words[first]) and not lower_mode:
                prev = words[first - 1][2]
                if prev.endswith(".") and not _initial(prev):
                    break  # the end of the sentence before
                known_first = _cap(prev) and _bare(prev) in self.first and _bare(prev) not in _STOP
                if not known_first and (
                    not _cap(prev)
                    or self._plain_word(_bare(prev))
                    or _bare(prev) in self.streets
                    or _bare(prev) in self.places
                    or self._in(words[first - 1][0], words[first - 1][1], blocked)
                ):
                    break
                if first - 1 == 0 or text[words[first - 2][1] : words[first - 1][0]].strip():
                    # the first word of a sentence or line: only a known name, not any capitalised word
                    if _bare(prev) not in self.first and _bare(prev) not in self.last:
                        break
                first -= 1
            for k in range(first, last + 1):
                taken[k] = True
            spans.append(
                (
                    words[first][0],
                    words[last][1]
                    - (1 if words[last][2].endswith(".") and not _initial(words[last][2]) else 0),
                )
            )
            i = last + 1
        spans += self._list_neighbours(text, words, taken, lower_mode, blocked, ner)
        return spans

    def _adjacent(self, text: str, a, b) -> bool:
        return text[a[1] : b[0]] in (" ", "  ", "\t")

    def _extend(self, text, words, i, lower_mode) -> int:
        last = i
        j = i + 1
        parts = 0
        while j < len(words) and parts < 4 and self._adjacent(text, words[j - 1], words[j]):
            if words[j - 1][2].endswith(".") and not _initial(words[j - 1][2]):
                break  # the end of a sentence
            word = words[j][2]
            low = _bare(word)
            if _initial(word) and not lower_mode:
                if not word.endswith(".") and not (
                    j + 1 < len(words)
                    and self._adjacent(text, words[j], words[j + 1])
                    and self._surname_like(words[j + 1][2], lower_mode)
                ):
                    break  # a bare capital letter only between names ("Zsófia K Bartók"; not "tell Sarah I said")
            elif low in PARTICLES or low in _MORE_PARTICLES:
                # a particle only counts when a name follows it ("dos Santos"; not "Ana and")
                if j + 1 < len(words) and self._surname_like(words[j + 1][2], lower_mode):
                    pass
                else:
                    break
            elif not self._surname_like(word, lower_mode):
                break
            last = j
            parts += 1
            j += 1
        return last

    def _list_neighbours(self, text, words, taken, lower_mode, blocked, ner=None) -> list[tuple[int, int]]:
        """Single words in a list with a found name: "Efua, Marit and Oyelaran"."""
        spans = []
        added: set[int] = set()
        changed = True
        while changed:
            changed = False
            for k in range(len(words)):
                if k in added or taken[k] and not (lower_mode and ner and ner[k]):
                    continue  # spaCy's lower-case "names" are dropped later: such a word is looked at here
                start, end, word = words[k]
                low = _bare(word)
                if (
                    low in _STOP
                    or low in SLANG
                    or low in self.streets
                    or self._in(start, end, blocked, hard=True)
                ):
                    continue
                if (_cap(word) if not lower_mode else word.islower()) is False:
                    continue
                left = any(
                    0 <= j < k and taken[j] and _LIST_SEP.match(text[words[j][1] : start])
                    for j in (k - 1, k - 2)
                )
                right = any(
                    k < j < len(words) and taken[j] and _LIST_SEP.match(text[end : words[j][0]])
                    for j in (k + 1, k + 2)
                )
                if (
                    (self._english(low) or low in self.places)
                    and low not in self.first
                    and not (left and right)
                ):
                    continue  # a word or a place only between two names ("ama, yaw and esi")
                if left or right:
                    taken[k] = True
                    added.add(k)
                    spans.append((start, end - (1 if word.endswith(".") else 0)))
                    changed = True
        return spans
