"""Real places that look like people: "North Carolina", "San Jose", "Victoria Falls", "Austin Texas",
"Lake Louise", "Georgia Tech", "in London".

Many places carry a person's name ("Carolina", "Jose", "Louise"), so spaCy and the name lists call
them people, and a question about a trip would reach the cloud as "flights to <PERSON_1>". This
module finds the stretches of a message that are places and lets the engine drop the person
findings inside them. It never adds a finding: a place is not personal data on its own (a street
address is, and the address recognizers keep finding those).

The list is GeoNames' (CC BY 4.0): cities of 15,000 people or more, countries, US states and
continents, written by `scripts/make_places.py` into `resources/gatekeeper/places.txt.gz`.

What counts as a place here:
* a run of 2-4 capitalised words that the list knows as a whole ("Santa Barbara", "El Salvador"),
  except a town named like a person ("Juan Díaz", "Carlos Barbosa") unless "in", "near"... leads to it;
* a city followed by its state or country ("Austin Texas", "Madison, Wisconsin");
* a name after a landform word ("Mount Vernon", "Lake Louise", "Cape Elizabeth", "Port Elizabeth",
  "Fort Worth") or before a place noun ("Victoria Station", "Georgia Tech", "Charlotte Douglas airport");
* one known place word after "in", "near", "visiting"... ("the weather in London"), unless a
  possessive follows ("in Jordan's office"), and the places listed after a place ("in Austin and
  Denver") or on a route ("from Dallas to Houston", "between Leeds and York").

A single word alone is never taken for a place ("Ask Charlotte", "Madison said"): too many first
names are also cities.
"""

from __future__ import annotations

import functools
import gzip
import re

from ...paths import resource
from . import lexicon

_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?")
# words that start a place name whatever follows them
LANDFORMS = {"mount", "mt.", "mt", "lake", "cape", "port", "fort", "ft.", "isla", "lago", "monte", "puerto"}
# words that end a place or an institution named after someone
PLACE_NOUNS = {
    "station",
    "cathedral",
    "falls",
    "island",
    "islands",
    "airport",
    "county",
    "beach",
    "valley",
    "tech",
    "college",
    "university",
    "hospital",
    "stadium",
    "arena",
    "square",
    "abbey",
    "palace",
    "museum",
    "bay",
    "canyon",
    "mountains",
    "heights",
    "springs",
    "harbour",
    "harbor",
    "peninsula",
    "province",
    "state",
}
# a single place word after one of these is a place ("flights in Dallas", "near Victoria")
PLACE_CUES = {
    "in",
    "near",
    "around",
    "outside",
    "across",
    "throughout",
    "visit",
    "visiting",
    "visited",
    "via",
}


_SAME = {
    "saint": "st",
    "st.": "st",
    "mount": "mt",
    "mt.": "mt",
    "fort": "ft",
    "ft.": "ft",
    "sainte": "ste",
    "ste.": "ste",
}


def _norm(name: str) -> str:
    """One spelling for the abbreviations place names take ("Saint Louis" = "St. Louis")."""
    return " ".join(_SAME.get(w, w) for w in name.replace(",", " ").split())


# first words of place names that are no one's first name in a message ("Santa Rosa", "El Monte")
PLACE_PARTICLES = {
    "el",
    "la",
    "le",
    "les",
    "los",
    "las",
    "san",
    "santa",
    "santo",
    "são",
    "sankt",
    "rio",
    "río",
    "campo",
    "belo",
    "bela",
    "alta",
    "alto",
    "nova",
    "novo",
    "novi",
    "nueva",
    "nuevo",
    "néa",
    "villa",
    "vila",
    "ciudad",
    "puerto",
    "porto",
    "monte",
    "terra",
    "del",
    "beni",
    "st",
    "ste",
    "mt",
    "ft",
}


def _person_like(words: list[str]) -> bool:
    """A place name that is also a plausible person's name ("Juan Díaz", "Carlos Barbosa", "Diego
    Martin": towns named after people): a first name no dictionary knows, then a name."""
    first, last = _norm(words[0].lower().rstrip(".,")), words[-1].lower().rstrip(".,")
    return (
        first in lexicon.first_names()
        and first not in lexicon.english_lower()
        and first not in PLACE_PARTICLES
        and (last in lexicon.last_names() or last in lexicon.first_names())
    )


@functools.cache
def read_bundled() -> dict[str, frozenset[str]]:
    """The bundled list as two sets: every place name, and the regions among them. The lexicon keeps
    them in its start-up cache with the other word lists (read once for both of its entries)."""
    cities, regions = set(), set()
    with gzip.open(resource("gatekeeper", "places.txt.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            kind, _, name = line.rstrip("\n").partition("\t")
            (regions if kind == "region" else cities).add(_norm(name))
    return {"names": frozenset(cities | regions), "regions": frozenset(regions)}


@functools.cache
def _lists() -> tuple[frozenset[str], frozenset[str]]:
    lists = lexicon.lexicon()
    return lists["place_names"], lists["place_regions"]


def _cap(word: str) -> bool:
    return word[:1].isupper()


def _key(words: list[str]) -> str:
    return _norm(" ".join(w.lower() if w.lower() in _SAME else w.rstrip(".,").lower() for w in words))


def spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of `text` that are places (see the module's docstring)."""
    names, regions = _lists()
    out: list[tuple[int, int]] = []
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]

    def single(k: int) -> bool:
        """Word k is one known place word, not a possessive ("in Jordan's office") nor the first word of
        a longer name ("in Georgia Miller's class")."""
        return (
            0 <= k < len(words)
            and _cap(words[k][2])
            and words[k][2].rstrip(".").lower() in names
            and not re.match(r"['’]s\b|\s+[^\W\d_a-z]", text[words[k][1] :])
        )

    def joined(a: int, b: int) -> bool:  # words a and b (b = a + 1) stand side by side, or with a comma
        return text[words[a][1] : words[b][0]] in (" ", ", ") and (
            not words[a][2].endswith(".") or words[a][2].lower() in _SAME
        )

    i = 0
    while i < len(words):
        start, end, word = words[i]
        low = word.rstrip(".").lower()
        if not _cap(word):
            if (
                low in PLACE_CUES
                and i + 1 < len(words)
                and text[end : words[i + 1][0]] == " "
                and single(i + 1)
            ):
                out.append((words[i + 1][0], _end(words[i + 1])))
            i += 1
            continue
        best = None
        # the longest run of capitalised words the list knows, or city + region
        for n in (4, 3, 2):
            if i + n > len(words) or not all(_cap(words[k][2]) for k in range(i, i + n)):
                continue
            if not all(joined(k, k + 1) for k in range(i, i + n - 1)):
                continue
            run = [words[k][2] for k in range(i, i + n)]
            if (
                all(text[words[k][1] : words[k + 1][0]] == " " for k in range(i, i + n - 1))
                and _key(run) in names
                and (not _person_like(run) or i > 0 and words[i - 1][2].lower() in PLACE_CUES)
            ):
                best = i + n - 1  # a town named like a person only where a place word leads to it
                break
            for cut in range(1, n):  # "Austin Texas", "Santa Clara, California"
                if _key(run[:cut]) in names and _key(run[cut:]) in regions:
                    best = i + n - 1
                    break
            if best is not None:
                break
        if (
            best is None
            and low in LANDFORMS
            and i + 1 < len(words)
            and text[end : words[i + 1][0]] == " "
            and _cap(words[i + 1][2])
        ):
            best = i + 1  # "Mount Vernon", "Lake Louise"
            if (
                best + 1 < len(words)
                and text[words[best][1] : words[best + 1][0]] == " "
                and _cap(words[best + 1][2])
            ):
                best += 1  # "Mount Saint Helens"
        if best is None:
            i += 1
            continue
        out.append((start, _end(words[best])))
        i = best + 1

    # more places in the same list or route: "in Austin and Denver", "from Dallas to Houston"
    def starts(k: int) -> bool:
        return any(s == words[k][0] for s, _ in out)

    def ends(k: int) -> bool:  # nothing after the word that a person would do ("Jordan came too")
        m = re.match(
            r"\s*(?:$|[.,;:!?)\n]|(?:and|or|in|to|for|from|via|on|at|by|during|this|next|last|today|"
            r"tomorrow|tonight|yesterday)\b)",
            text[words[k][1] :],
        )
        return m is not None

    index = {w[0]: k for k, w in enumerate(words)}
    for k, (_, _, word) in enumerate(words):
        if (
            word.lower() in ("from", "between")
            and k + 3 < len(words)
            and (single(k + 1) or starts(k + 1))
            and words[k + 2][2].lower() in ("to", "and")
            and (single(k + 3) and ends(k + 3) or starts(k + 3))
        ):
            out += [(words[j][0], _end(words[j])) for j in (k + 1, k + 3) if not starts(j)]
    grown = True
    while grown:
        grown = False
        for _, e in list(out):
            m = re.match(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+", text[e:])
            k = index.get(e + m.end()) if m else None
            if k is not None and single(k) and ends(k) and not starts(k):
                out.append((words[k][0], _end(words[k])))
                grown = True
    # a capitalised name right before a place noun: "Victoria Station", "Charlotte Douglas airport"
    for k in range(1, len(words)):
        noun = words[k][2].rstrip(".")
        if (
            (noun.lower() in PLACE_NOUNS and _cap(noun) or noun == "airport")
            and text[words[k - 1][1] : words[k][0]] == " "
            and _cap(words[k - 1][2])
        ):
            first = k - 1
            while (
                first > 0
                and _cap(words[first - 1][2])
                and text[words[first - 1][1] : words[first][0]] == " "
                and first > k - 3
            ):
                first -= 1
            span = (words[first][0], _end(words[k]))
            if not any(s <= span[0] and span[1] <= e for s, e in out):
                out.append(span)
    return out


def _end(word: tuple[int, int, str]) -> int:
    """Where a place ends: before a full stop, unless it is an abbreviation's ("St.")."""
    start, end, text = word
    return end - 1 if text.endswith(".") and text.lower() not in _SAME else end
