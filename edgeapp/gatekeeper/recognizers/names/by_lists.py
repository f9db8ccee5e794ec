"""People's names that spaCy's small English model misses: first names of many countries on their
own ("Tancredi is very reliable"), in lists ("Efua, Marit, Joaquim and Ines"), with initials and
several parts ("Zsófia K Bartók", "João P. Almeida", "Ana dos Santos"), and in lower case in a
message typed in lower case ("ask ingrid").

A word is a first name when Faker's name lists of about 80 locales know it and it is not an
English word as a dictionary writes it in lower case ("Grace", "Will", "May" need a surname after
them), nor a place on its own ("Florence", "Jordan"), nor part of a date or number spaCy found.
The name then runs over the initials, particles and capitalised words that follow it on its line,
and over a capitalised word just before it that is not an English word ("Nguyễn Thị Minh").

Rules, per line, in order: `_first_names` (a name from a first name, by `FIRST_NAME_RULES`),
`_list_neighbours` (the neighbours of a found name in a list: "Efua, Marit and Oyelaran"),
`_name_line` (a line that is only a name, above an address, a phone number or an e-mail).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...lexicon.name_words import IRREGULAR, NOT_NAME, NUMBER_WORDS, PARTICLES, PRODUCTS, SLANG
from ..base import Span
from .word_lists import WordListNameRecognizer

Word = tuple[int, int, str]  # start, end, the word

WORD = re.compile(r"[^\W\d_]+(?:['’-](?![sS]\b)[^\W\d_]+)*\.?")  # "Appiah's": the name is "Appiah"
MORE_PARTICLES = frozenset(
    """dos das do della des du ní nic mac mc binti ibn el ten y e st st. thi văn van't""".split()
)
_LIST_SEP = re.compile(
    r"^(?:\s*[,;&/]\s*|\s*,?\s+(?:and|or|und|et|y|e|og|och|en|i)\s+|\s+&\s+)$", re.IGNORECASE
)
# spaCy labels under which a capitalised first name is something else ("May 5", "Jordan", "Victoria Park")
NOT_PERSON_LABELS = frozenset("DATE TIME MONEY QUANTITY CARDINAL ORDINAL PERCENT LAW LANGUAGE".split())
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# in a message typed in lower case, a known first name after these is a name even if it is a word too
LOWER_CUES = frozenset(
    """to ask tell remind call text email message invite thank meet with and for from dear hi hey hello
    cc ping pay visit""".split()
)
_CAPITALISED_INSIDE = re.compile(
    r"(?<![.!?:\n>]\s)(?<![.!?:\n>]\s\s)(?<!^)(?<!^\s)\b(?!I\b|I['’])[^\W\d_a-z]"
)
# titles, greetings, mail headers and form labels: never a name's word
STOP = (
    NOT_NAME
    | NUMBER_WORDS
    | PRODUCTS
    | frozenset(
        """mr mrs ms miss mx dr prof sir dame lady lord rev hi hey hello dear ok okay yes no thanks pls
        please via re fw fwd cc bcc subject sent from to date name address phone email tel fax mobile
        office street road per thx lol pm am""".split()
    )
)
# a street or unit line: a house number and a word, or a flat, suite or PO box
_ADDRESS_LINE = re.compile(
    r"(?i)^\s*(?:(?:flat|apt\.?|apartment|unit|suite|plot|po box|p\.o\. box)\s*\w*\b|\d{1,5}[a-z]?\s+\w+"
    r"|\w+(?:\s\w+)?\s+\d{1,5}[a-z]?\b)"
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


@dataclass(frozen=True)
class _Scan:
    """One message as the rules see it: typed in lower case or not, and what spaCy found in it."""

    text: str
    lower_mode: bool
    blocked: list[tuple[int, int, bool]]  # a date, number... (True) or a place (False)
    people: list[tuple[int, int]]  # spaCy's person entities

    def inside_blocked(self, start: int, end: int, hard: bool | None = None) -> bool:
        return any(s < end and start < e and (hard is None or h == hard) for s, e, h in self.blocked)

    def adjacent(self, a: Word, b: Word) -> bool:
        return self.text[a[1] : b[0]] in (" ", "  ", "\t")

    def next_word(self, words: list[Word], i: int) -> str:
        """The word right after word i on its line ("" when none, or not beside it)."""
        return words[i + 1][2] if i + 1 < len(words) and self.adjacent(words[i], words[i + 1]) else ""


class ListedNameRecognizer(WordListNameRecognizer):
    """Names from the first names the lists know (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__()
        # a name starts at word i when one of these says so
        self._first_name_rules = (
            self._listed_first_name,
            self._word_name_before_surname,
            self._initial_before_surname,
            self._lower_name_after_cue,
        )

    # -- word tests --------------------------------------------------------------------------------
    def _english(self, low: str) -> bool:
        """A dictionary word, or a plural / verb form of one ("miles", "drives", "walked")."""
        if self.english_form(low):
            return True
        return (
            bool(re.search(r"(?:s|x|z|ch|sh)es$", low)) and low[:-2] in self.english
        )  # "boxes", not "james"

    def _plain_word(self, low: str) -> bool:
        return low in STOP or self._english(low)

    def _first(self, word: str, lower_mode: bool) -> bool:
        low = _bare(word)
        if len(low) < 2 or low in STOP or low not in self.first:
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
        if low in STOP or low in self.streets or low in NUMBER_WORDS:
            return False
        if _cap(word):
            return not self._english(low) or low in self.last or low in self.first
        # typed in lower case, after a first name: a surname the lists know, or a word that is no English
        # word, place or chat word ("tomasz kowalski"); a verb or a plural is no surname ("recycles")
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
        )

    # -- where a name starts -----------------------------------------------------------------------
    def _listed_first_name(self, scan: _Scan, words: list[Word], i: int, nxt: str) -> bool:
        """A first name no dictionary knows; one that is a place too ("Florence") only before a surname."""
        word = words[i][2]
        if not self._first(word, scan.lower_mode):
            return False
        return _bare(word) not in self.places or bool(nxt and self._surname_like(nxt, scan.lower_mode))

    def _word_name_before_surname(self, scan: _Scan, words: list[Word], i: int, nxt: str) -> bool:
        """An English word that is a first name, before a listed surname: "Grace Kowalski", "Mark Twain"."""
        word = words[i][2]
        return bool(
            not scan.lower_mode
            and _cap(word)
            and _bare(word) in self.first
            and _bare(word) not in STOP
            and nxt
            and _cap(nxt)
            and _bare(nxt) in self.last
            and _bare(nxt) not in self.streets
        )

    def _initial_before_surname(self, scan: _Scan, words: list[Word], i: int, nxt: str) -> bool:
        """An initial before a listed surname: "K. Hartmann", "T. Ruotsalainen"."""
        word = words[i][2]
        return bool(
            not scan.lower_mode
            and _initial(word)
            and word.endswith(".")
            and nxt
            and _bare(nxt) in self.last
            and self._surname_like(nxt, scan.lower_mode)
        )

    def _lower_name_after_cue(self, scan: _Scan, words: list[Word], i: int, nxt: str) -> bool:
        """In lower case, a first name after a cue, even one that is a word too: "ask anita"."""
        word = words[i][2]
        low = _bare(word)
        return (
            scan.lower_mode
            and word.islower()
            and low in self.first
            and low not in STOP
            and i > 0
            and _bare(words[i - 1][2]) in LOWER_CUES
            and len(low) >= 3
            and not self._english(low)
        )

    def _starts_name(self, scan: _Scan, words: list[Word], i: int) -> bool:
        """One of the first-name rules says a name starts at word i (`nxt`: the word beside it)."""
        nxt = scan.next_word(words, i)
        for rule in self._first_name_rules:
            if rule(scan, words, i, nxt):
                return True
        return False

    # -- how far a name runs -----------------------------------------------------------------------
    def _surname_next(self, scan: _Scan, words: list[Word], j: int) -> bool:
        return j + 1 < len(words) and self._surname_like(words[j + 1][2], scan.lower_mode)

    def _extend(self, scan: _Scan, words: list[Word], i: int) -> int:
        """The last word of the name that starts at word i: initials, particles and surnames after it."""
        last, j, parts = i, i + 1, 0
        while j < len(words) and parts < 4 and scan.adjacent(words[j - 1], words[j]):
            if words[j - 1][2].endswith(".") and not _initial(words[j - 1][2]):
                break  # the end of a sentence
            word = words[j][2]
            low = _bare(word)
            if _initial(word) and not scan.lower_mode:
                # a bare capital letter only between names ("Zsófia K Bartók"; not "tell Sarah I said")
                if not word.endswith(".") and not (
                    j + 1 < len(words)
                    and scan.adjacent(words[j], words[j + 1])
                    and self._surname_next(scan, words, j)
                ):
                    break
            elif low in PARTICLES or low in MORE_PARTICLES:
                if not self._surname_next(scan, words, j):
                    break  # a particle only counts when a name follows it ("dos Santos"; not "Ana and")
            elif not self._surname_like(word, scan.lower_mode):
                break
            last, parts, j = j, parts + 1, j + 1
        return last

    def _grow_back(self, scan: _Scan, words: list[Word], i: int) -> int:
        """The first word of the name found at word i: capitalised words before it that are no English
        word, street or place ("Nguyễn Thị Minh"); at the head of a sentence or line, only a listed name."""
        first = i
        while first > 0 and scan.adjacent(words[first - 1], words[first]) and not scan.lower_mode:
            prev = words[first - 1][2]
            low = _bare(prev)
            if prev.endswith(".") and not _initial(prev):
                break  # the end of the sentence before
            known_first = _cap(prev) and low in self.first and low not in STOP
            if not known_first and (
                not _cap(prev)
                or self._plain_word(low)
                or low in self.streets
                or low in self.places
                or scan.inside_blocked(words[first - 1][0], words[first - 1][1])
            ):
                break
            if first - 1 == 0 or scan.text[words[first - 2][1] : words[first - 1][0]].strip():
                if low not in self.first and low not in self.last:
                    break
            first -= 1
        return first

    # -- rules -------------------------------------------------------------------------------------
    def _first_names(
        self, scan: _Scan, words: list[Word], taken: list[bool], ner: list[bool]
    ) -> list[tuple[int, int]]:
        """Names that start where a rule of FIRST_NAME_RULES says, run on by `_extend` and back by
        `_grow_back`; their words are marked in `taken`."""
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            start, end, _ = words[i]
            if (
                (taken[i] and not ner[i])
                or scan.inside_blocked(start, end, hard=True)
                or not self._starts_name(scan, words, i)
            ):
                i += 1
                continue
            first, last = self._grow_back(scan, words, i), self._extend(scan, words, i)
            for k in range(first, last + 1):
                taken[k] = True
            _, end, word = words[last]  # a name ends before a full stop, unless an initial's
            spans.append((words[first][0], end - (1 if word.endswith(".") and not _initial(word) else 0)))
            i = last + 1
        return spans

    def _neighbour(self, scan: _Scan, words: list[Word], taken: list[bool], k: int) -> bool:
        """Word k stands in a list beside a found name ("Efua, Marit and Oyelaran"); a word or a place
        only between two names ("ama, yaw and esi")."""
        start, end, word = words[k]
        low = _bare(word)
        if low in STOP or low in SLANG or low in self.streets or scan.inside_blocked(start, end, hard=True):
            return False
        if not (word.islower() if scan.lower_mode else _cap(word)):
            return False
        text = scan.text
        left = any(
            0 <= j < k and taken[j] and _LIST_SEP.match(text[words[j][1] : start]) for j in (k - 1, k - 2)
        )
        right = any(
            k < j < len(words) and taken[j] and _LIST_SEP.match(text[end : words[j][0]])
            for j in (k + 1, k + 2)
        )
        if (self._english(low) or low in self.places) and low not in self.first and not (left and right):
            return False
        return left or right

    def _list_neighbours(
        self, scan: _Scan, words: list[Word], taken: list[bool], ner: list[bool]
    ) -> list[tuple[int, int]]:
        """Single words in a list with a found name, until no more join."""
        spans = []
        added: set[int] = set()
        changed = True
        while changed:
            changed = False
            for k in range(len(words)):
                if k in added or taken[k] and not (scan.lower_mode and ner and ner[k]):
                    continue  # spaCy's lower-case "names" are dropped later: such a word is looked at here
                if self._neighbour(scan, words, taken, k):
                    start, end, word = words[k]
                    taken[k] = True
                    added.add(k)
                    spans.append((start, end - (1 if word.endswith(".") else 0)))
                    changed = True
        return spans

    def _one_word_name_line(self, words: list[str], rest: str) -> bool:
        """One word no list calls English, a place or a street, above an address line ("Oluwaseun" above
        "Flat 3, 12 High St")."""
        low = _bare(words[0])
        plain = (
            self._plain_word(low) or low in STOP or low in SLANG or low in self.streets or low in self.places
        )
        return not plain and _ADDRESS_LINE.search(rest) is not None

    def _name_line(self, scan: _Scan, line: re.Match[str]) -> bool:
        """A line that is only a name, above an address, a phone number or an e-mail ("Sessa C Rodriguez"
        at the head of a postal block or a signature)."""
        words = line.group(0).strip(" \t>,").split()
        rest = scan.text[line.end() + 1 :].split("\n", 1)[0]
        if (
            len(words) == 1
            and _cap(words[0])
            and len(words[0]) >= 3
            and re.fullmatch(r"[^\W\d_][\w'’-]*", words[0])
        ):
            return self._one_word_name_line(words, rest)
        if not 2 <= len(words) <= 4 or not all(
            _cap(w) or _initial(w) or w.lower() in PARTICLES for w in words
        ):
            return False
        if any(w.endswith(":") for w in words):
            return False  # "Name: Thandiwe Mokoena": a field, whose label is no part of the name
        if (
            not _cap(words[0])
            or not _cap(words[-1])
            or any(self._not_in_name(_bare(w)) for w in words if not _initial(w))
        ):
            return False
        return bool(rest) and (any(ch.isdigit() for ch in rest) or "@" in rest)

    def _not_in_name(self, low: str) -> bool:
        """A plain word that no list has as a name, a street word or a place."""
        return (
            self._plain_word(low)
            and low not in self.last
            and low not in self.first
            or low in self.streets
            or low in self.places
        )

    # -- scan --------------------------------------------------------------------------------------
    def _scan(self, text: str) -> _Scan:
        blocked = []
        for ent in self.entities():
            if ent.label_ in NOT_PERSON_LABELS:
                blocked.append((ent.start_char, ent.end_char, True))
            elif ent.label_ in PLACE_LABELS:
                blocked.append((ent.start_char, ent.end_char, False))
        people = [(e.start_char, e.end_char) for e in self.entities() if e.label_ == "PERSON"]
        # typed in lower case: no capitalised word but "I" and the first of a sentence
        return _Scan(text, not _CAPITALISED_INSIDE.search(text), blocked, people)

    def spans(self, text: str) -> Iterable[Span]:
        scan = self._scan(text)
        for line in re.finditer(r"[^\n]+", text):
            base = line.start()
            words = [(base + m.start(), base + m.end(), m.group(0)) for m in WORD.finditer(line.group(0))]
            taken = [any(s <= w[0] and w[1] <= e for s, e in scan.people) for w in words]
            ner = list(taken)
            found = self._first_names(scan, words, taken, ner)
            found += self._list_neighbours(scan, words, taken, ner)
            if self._name_line(scan, line):  # the whole line, whatever part of it the words gave
                lead = len(line.group(0)) - len(line.group(0).lstrip(" \t>"))
                found.append((base + lead, base + len(line.group(0).rstrip(" \t,"))))
            for start, end in found:
                # above spaCy's 0.85: Presidio drops a result that another of the same type contains with
                # an equal or higher score, and spaCy's span of the same name may be cut short ("Ana I.")
                yield start, end, "PERSON", 0.9
