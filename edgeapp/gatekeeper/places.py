"""Real places that look like people: "North Carolina", "San Jose", "Victoria Falls", "Austin Texas",
"Lake Louise", "Georgia Tech", "in London".

Many places carry a person's name ("Carolina", "Jose", "Louise"), so spaCy and the name lists call
them people, and a question about a trip would reach the cloud as "flights to <PERSON_1>". This
module finds the stretches of a message that are places and lets the resolution stage drop the person
findings inside them (`resolve.drop_places_named_like_people`). It never adds a finding: a place is not
personal data on its own (a street address is, and the address recognizers keep finding those).

The list is GeoNames' (CC BY 4.0), bundled in `resources/gatekeeper/places.txt.gz` (see
`lexicon.place_list`).

What counts as a place here, one rule each, run in this order:
* `_named_places`: a run of 2-4 capitalised words that the list knows as a whole ("Santa Barbara",
  "El Salvador"), except a town named like a person ("Juan Díaz", "Carlos Barbosa") unless "in",
  "near"... leads to it; a city followed by its state or country ("Austin Texas", "Madison,
  Wisconsin"); a name after a landform word ("Mount Vernon", "Lake Louise", "Cape Elizabeth", "Fort
  Worth"); and one known place word after "in", "near", "visiting"... ("the weather in London"), unless
  a possessive follows ("in Jordan's office");
* `_route_places`: the places on a route ("from Dallas to Houston", "between Leeds and York");
* `_listed_places`: the places listed after a place ("in Austin and Denver");
* `_before_place_nouns`: a name before a place noun ("Victoria Station", "Georgia Tech", "Charlotte
  Douglas airport").

A single word alone is never taken for a place ("Ask Charlotte", "Madison said"): too many first
names are also cities.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import lexicon
from .lexicon.place_list import SAME_ABBREVIATION, norm

Word = tuple[int, int, str]  # start, end, the word
Place = tuple[int, int]

_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?")
# words that start a place name whatever follows them
LANDFORMS = frozenset(
    {"mount", "mt.", "mt", "lake", "cape", "port", "fort", "ft.", "isla", "lago", "monte", "puerto"}
)
# words that end a place or an institution named after someone
PLACE_NOUNS = frozenset(
    """station cathedral falls island islands airport county beach valley tech college university hospital
    stadium arena square abbey palace museum bay canyon mountains heights springs harbour harbor peninsula
    province state""".split()
)
# a single place word after one of these is a place ("flights in Dallas", "near Victoria")
PLACE_CUES = frozenset("in near around outside across throughout visit visiting visited via".split())
# first words of place names that are no one's first name in a message ("Santa Rosa", "El Monte")
PLACE_PARTICLES = frozenset(
    """el la le les los las san santa santo são sankt rio río campo belo bela alta alto nova novo novi nueva
    nuevo néa villa vila ciudad puerto porto monte terra del beni st ste mt ft""".split()
)
# nothing after a listed place that a person would do ("Jordan came too")
_LIST_END = re.compile(
    r"\s*(?:$|[.,;:!?)\n]|(?:and|or|in|to|for|from|via|on|at|by|during|this|next|last|today|"
    r"tomorrow|tonight|yesterday)\b)"
)
_LIST_JOIN = re.compile(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+")


@functools.cache
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    return lexicon.place_names(), lexicon.place_regions()


def _cap(word: str) -> bool:
    return word[:1].isupper()


def _key(words: list[str]) -> str:
    return norm(
        " ".join(w.lower() if w.lower() in SAME_ABBREVIATION else w.rstrip(".,").lower() for w in words)
    )


def _end(word: Word) -> int:
    """Where a place ends: before a full stop, unless it is an abbreviation's ("St.")."""
    start, end, text = word
    return end - 1 if text.endswith(".") and text.lower() not in SAME_ABBREVIATION else end


def _person_like(words: list[str]) -> bool:
    """A place name that is also a plausible person's name ("Juan Díaz", "Carlos Barbosa", "Diego
    Martin": towns named after people): a first name no dictionary knows, then a name."""
    first, last = norm(words[0].lower().rstrip(".,")), words[-1].lower().rstrip(".,")
    return (
        first in lexicon.first_names()
        and first not in lexicon.english_lower()
        and first not in PLACE_PARTICLES
        and (last in lexicon.last_names() or last in lexicon.first_names())
    )


@dataclass(frozen=True)
class _Message:
    """The words of one message and the place lists, with the word tests the rules share."""

    text: str
    words: list[Word]
    names: frozenset[str]
    regions: frozenset[str]

    def gap(self, a: int, b: int) -> str:
        """What stands between words a and b."""
        return self.text[self.words[a][1] : self.words[b][0]]

    def single(self, k: int) -> bool:
        """Word k is one known place word, not a possessive ("in Jordan's office") nor the first word of
        a longer name ("in Georgia Miller's class")."""
        return (
            0 <= k < len(self.words)
            and _cap(self.words[k][2])
            and self.words[k][2].rstrip(".").lower() in self.names
            and not re.match(r"['’]s\b|\s+[^\W\d_a-z]", self.text[self.words[k][1] :])
        )

    def joined(self, a: int, b: int) -> bool:
        """Words a and b (b = a + 1) stand side by side, or with a comma."""
        return self.gap(a, b) in (" ", ", ") and (
            not self.words[a][2].endswith(".") or self.words[a][2].lower() in SAME_ABBREVIATION
        )

    def ends(self, k: int) -> bool:
        """Nothing after word k that a person would do ("Jordan came too")."""
        return _LIST_END.match(self.text[self.words[k][1] :]) is not None

    def place(self, first: int, last: int) -> Place:
        return self.words[first][0], _end(self.words[last])


def _starts(m: _Message, found: list[Place], k: int) -> bool:
    return any(s == m.words[k][0] for s, _ in found)


def _known_run(m: _Message, i: int) -> int | None:
    """The last word of the longest run of capitalised words from word i that the list knows, or of a
    city and its region ("Austin Texas", "Santa Clara, California")."""
    words = m.words
    for n in (4, 3, 2):
        if i + n > len(words) or not all(_cap(words[k][2]) for k in range(i, i + n)):
            continue
        if not all(m.joined(k, k + 1) for k in range(i, i + n - 1)):
            continue
        run = [words[k][2] for k in range(i, i + n)]
        if (
            all(m.gap(k, k + 1) == " " for k in range(i, i + n - 1))
            and _key(run) in m.names
            and (not _person_like(run) or i > 0 and words[i - 1][2].lower() in PLACE_CUES)
        ):
            return i + n - 1  # a town named like a person only where a place word leads to it
        for cut in range(1, n):
            if _key(run[:cut]) in m.names and _key(run[cut:]) in m.regions:
                return i + n - 1
    return None


def _after_landform(m: _Message, i: int) -> int | None:
    """The last word of a name after a landform word at word i: "Mount Vernon", "Mount Saint Helens"."""
    words = m.words
    if not (
        words[i][2].rstrip(".").lower() in LANDFORMS
        and i + 1 < len(words)
        and m.gap(i, i + 1) == " "
        and _cap(words[i + 1][2])
    ):
        return None
    best = i + 1
    if best + 1 < len(words) and m.gap(best, best + 1) == " " and _cap(words[best + 1][2]):
        best += 1
    return best


def _named_places(m: _Message, found: list[Place]) -> None:
    """Runs the list knows, cities with their region, names after a landform, and one place word after
    "in", "near"... (see the module's docstring), in the order they stand."""
    words = m.words
    i = 0
    while i < len(words):
        start, end, word = words[i]
        if not _cap(word):
            if (
                word.rstrip(".").lower() in PLACE_CUES
                and i + 1 < len(words)
                and m.gap(i, i + 1) == " "
                and m.single(i + 1)
            ):
                found.append(m.place(i + 1, i + 1))
            i += 1
            continue
        best = _known_run(m, i)
        if best is None:
            best = _after_landform(m, i)
        if best is None:
            i += 1
            continue
        found.append((start, _end(words[best])))
        i = best + 1


def _route_places(m: _Message, found: list[Place]) -> None:
    """The ends of a route: "from Dallas to Houston", "between Leeds and York"."""
    words = m.words
    for k, (_, _, word) in enumerate(words):
        if (
            word.lower() in ("from", "between")
            and k + 3 < len(words)
            and (m.single(k + 1) or _starts(m, found, k + 1))
            and words[k + 2][2].lower() in ("to", "and")
            and (m.single(k + 3) and m.ends(k + 3) or _starts(m, found, k + 3))
        ):
            found += [m.place(j, j) for j in (k + 1, k + 3) if not _starts(m, found, j)]


def _listed_places(m: _Message, found: list[Place]) -> None:
    """More places in the same list: "in Austin and Denver", "Leeds, York or Hull"."""
    index = {w[0]: k for k, w in enumerate(m.words)}
    grown = True
    while grown:
        grown = False
        for _, e in list(found):
            joint = _LIST_JOIN.match(m.text[e:])
            k = index.get(e + joint.end()) if joint else None
            if k is not None and m.single(k) and m.ends(k) and not _starts(m, found, k):
                found.append(m.place(k, k))
                grown = True


def _before_place_nouns(m: _Message, found: list[Place]) -> None:
    """A capitalised name right before a place noun: "Victoria Station", "Charlotte Douglas airport"."""
    words = m.words
    for k in range(1, len(words)):
        noun = words[k][2].rstrip(".")
        if (
            (noun.lower() in PLACE_NOUNS and _cap(noun) or noun == "airport")
            and m.gap(k - 1, k) == " "
            and _cap(words[k - 1][2])
        ):
            first = k - 1
            while (
                first > 0 and _cap(words[first - 1][2]) and m.gap(first - 1, first) == " " and first > k - 3
            ):
                first -= 1
            span = m.place(first, k)
            if not any(s <= span[0] and span[1] <= e for s, e in found):
                found.append(span)


RULES: tuple[Callable[[_Message, list[Place]], None], ...] = (
    _named_places,
    _route_places,
    _listed_places,
    _before_place_nouns,
)


def spans(text: str) -> list[Place]:
    """Character ranges of `text` that are places (see the module's docstring), in the order the rules
    found them."""
    names, regions = _lists()
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    message = _Message(text, words, names, regions)
    found: list[Place] = []
    for rule in RULES:
        rule(message, found)
    return found
