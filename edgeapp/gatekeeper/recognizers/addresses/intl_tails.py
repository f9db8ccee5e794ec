"""Rules for what follows an address it found (see `intl` for the order): its town, postcode, district
and unit ("..., 10115 Berlin", "... in 5729-680 Vendas Novas", "..., Yeongdeungpo-gu, Seoul 07332",
"..., lisboa", "..., Apt 4"), a unit just before it, and a town, region or country spaCy found right
after it ("..., Lekki, Lagos").

Each rule takes the word tests (`StreetWords`), the message (`Scan`) and the list of what the rules
before it found, and appends to that list.
"""

from __future__ import annotations

import regex

from ... import lexicon
from .intl_patterns import (
    DISTRICT_AFTER,
    LOW_PLACE,
    TOWN_AFTER,
    TOWN_AFTER_IN,
    TOWN_AFTER_LOW,
    TOWN_AFTER_POSTCODE,
    UNIT,
)
from .intl_streets import Scan
from .street_words import Found, StreetWords, secondary_end

_UNIT_AFTER = regex.compile(r"\G,?\s*(" + UNIT.pattern + r")")
_UNIT_BEFORE = regex.compile(r"(" + UNIT.pattern + r"),?\s*$")
ROUNDS = 4  # a tail may have a tail: "..., Yeongdeungpo-gu, Seoul 07332"


def _town_tails(w: StreetWords, text: str, fe: int) -> list[Found]:
    """A postcode and town after "in", a town and postcode after a comma (and a town after that
    postcode: "Konak 35210 İzmir"), or a district before such a town."""
    added = []
    after_in = TOWN_AFTER_IN.match(text, fe)
    if after_in and "\n" not in after_in.group(0) and not w.english_tail(after_in.group("v")):
        added.append((after_in.start("v"), after_in.end("v"), 0.55))
    tail = TOWN_AFTER.match(text, fe)
    if tail and "\n" not in text[fe : tail.end("v")]:
        added.append((tail.start("v"), secondary_end(text, tail.end("v")), 0.6))
        town = TOWN_AFTER_POSTCODE.match(text, tail.end("v"))
        if town and regex.search(r"\d$", tail.group("v")):
            added.append((town.start("v"), town.end("v"), 0.55))
    district = DISTRICT_AFTER.match(text, fe)
    if district and "\n" not in district.group(0) and not tail:
        after = TOWN_AFTER.match(text, district.end("v"))
        if after and "\n" not in after.group(0):
            added.append((district.start("v"), district.end("v"), 0.55))
    return added


def _lower_case_tails(w: StreetWords, text: str, fe: int) -> list[Found]:
    """In a message typed in lower case: a town and postcode ("12 elm grove, york yo1 7hh", "lindenweg 4,
    60311 frankfurt"), or a place the lists know ("..., lisboa", "..., sao paulo")."""
    added = []
    low_tail = TOWN_AFTER_LOW.match(text, fe)
    if low_tail and "\n" not in low_tail.group(0) and not w.english_tail(low_tail.group("v")):
        added.append((low_tail.start("v"), low_tail.end("v"), 0.55))
    place = LOW_PLACE.match(text, fe)
    first = lexicon.fold(place.group("v").split()[0]) if place else ""
    if (
        place
        and (first in w.places or place.group("v").split()[0] in w.places)
        and (" " in place.group("v") or first not in w.english)
    ):
        added.append((place.start("v"), place.end("v"), 0.55))
    return added


def _unit_tails(text: str, fs: int, fe: int) -> list[Found]:
    """A unit right after the address, or right before it."""
    added = []
    unit = _UNIT_AFTER.match(text, fe)
    if unit and "\n" not in unit.group(0):
        added.append((unit.start(1), secondary_end(text, unit.end(1)), 0.6))
    before = _UNIT_BEFORE.search(text[max(0, fs - 20) : fs])
    if before:
        added.append((max(0, fs - 20) + before.start(1), fs, 0.6))
    return added


def tails(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """The towns, postcodes, districts and units around each address, for up to ROUNDS rounds."""
    seen: set[tuple[int, int]] = set()
    for _ in range(ROUNDS):
        added = []
        for fs, fe, _ in found:
            if (fs, fe) in seen:
                continue
            seen.add((fs, fe))
            added += _town_tails(w, scan.text, fe)
            if scan.lower:
                added += _lower_case_tails(w, scan.text, fe)
            added += _unit_tails(scan.text, fs, fe)
        if not added:
            break
        found += added


def places_after(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A town, region or country spaCy found right after an address ("..., Lekki, Lagos"), until none
    more joins."""
    text = scan.text
    grew = True
    while grew:
        grew = False
        for ps, pe in scan.places:
            if any(fs <= ps and pe <= fe for fs, fe, _ in found):
                continue
            if any(
                0 <= ps - fe <= 3 and regex.fullmatch(r"[,\s-]*", text[fe:ps]) and "\n" not in text[fe:ps]
                for fs, fe, _ in found
            ):
                found.append((ps, pe, 0.55))
                grew = True
