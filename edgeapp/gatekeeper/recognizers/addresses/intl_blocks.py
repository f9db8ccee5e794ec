"""Rules for addresses spread over a line's comma-separated parts or over the lines of a postal block
(see `intl` for the order): a chain of parts that ends in a town and a postcode, the flat and floor parts
after an address, the lines after an address header, a form's place fields, and the street, unit,
district and town lines of a postal block.

Each rule takes the word tests (`StreetWords`), the message (`Scan`) and the list of what the rules
before it found, and appends to that list (or, for `secondary_parts`, extends what is in it).
"""

from __future__ import annotations

import regex

from ..base import NO_VALUE
from .intl_patterns import (
    ADDRESS_CUE,
    ADDRESS_HEADER,
    DISTRICT_LINE,
    FIELD,
    INLINE_TOWN,
    PLACE_FIELD,
    POSTCODE,
    SEGMENT,
    TOWN_LINE,
    UNIT,
)
from .intl_streets import Scan
from .street_words import Found, StreetWords, secondary_end

Line = tuple[int, int]  # where a line of the message starts and ends
_POSTCODE_SHAPE = regex.compile(POSTCODE)
_PIECE_STARTS = regex.compile(r"(?:^|(?<=\s))")


def _covered(found: list[Found], s: int, e: int) -> bool:
    return any(fs < e and s < fe for fs, fe, _ in found)


def _whole(text: str, s: int, e: int) -> Found:
    """A whole line as an address part, without its indent and the punctuation at its end."""
    line = text[s:e]
    lead = len(line) - len(line.lstrip(" \t>"))
    return s + lead, s + len(line.rstrip(" \t,.")), 0.6


def _lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for piece in text.split("\n"):
        lines.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return lines


def _chain_tail(text: str, pieces: list[str], starts: list[int]) -> tuple[list[Line], bool]:
    """The parts before the town, taken back to the first that is not a short run of capitalised words
    and numbers (the longest tail of that piece that is), and whether one of them holds a number."""
    taken, numbered = [], False
    for piece, pos in zip(reversed(pieces[:-1]), reversed(starts[:-1]), strict=True):
        pos -= 1  # `at` below counts from the comma before the piece
        body = piece.strip()
        if not body:
            break
        fit = None
        for k in _PIECE_STARTS.finditer(body):
            if SEGMENT.fullmatch(body[k.start() :]):
                fit = body[k.start() :]
                break
        if not fit or len(fit.split()) > 5:
            break
        at = pos + 1 + piece.index(body) + len(body) - len(fit)
        taken.append((at, at + len(fit)))
        numbered = numbered or bool(regex.search(r"\d", fit))
        if fit != body or len(taken) >= 5:
            break
    return taken, numbered


def chains(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A comma-separated address that ends in a town and a postcode on one line: "Flat 12, Lakeview
    Residency, 5th Main, HSR Layout, Bengaluru - 560102", "17 Yeouido-ro, Yeongdeungpo-gu, Seoul 07332";
    one of its parts must hold a house, flat or plot number."""
    text = scan.text
    for m in INLINE_TOWN.finditer(text):
        pc = m.group("pc") or m.group("pc2")
        if m.group("pc") and regex.fullmatch(r"(?:19|20)\d\d", pc):
            continue  # "Madrid 2025": a year
        if (
            regex.fullmatch(r"\d{4}", pc)
            and not w.place(m.group("v"))
            and not any(ps < m.end("v") and m.start("v") < pe for ps, pe in scan.places)
        ):
            continue  # four digits after a word that is no known place: a quantity ("Bananas 1500")
        line_start = text.rfind("\n", 0, m.start()) + 1
        pieces = text[line_start : m.start()].split(",")
        if len(pieces) < 2 or pieces[-1].strip():
            continue  # the town must follow a comma
        starts, at = [], line_start
        for piece in pieces:
            starts.append(at)
            at += len(piece) + 1
        taken, numbered = _chain_tail(text, pieces, starts)
        if taken and numbered and any(w.address_part(text[a:b]) for a, b in taken):
            found += [(a, b, 0.6) for a, b in taken]
            found.append((m.start("v"), m.end("v"), 0.6))


def secondary_parts(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """Every address found so far runs on over its flat, floor and building parts (`secondary_end`)."""
    found[:] = [(fs, secondary_end(scan.text, fe), sc) for fs, fe, sc in found]


def _after_header(text: str, lines: list[Line], i: int, header: regex.Match[str], found: list[Found]) -> None:
    """The rest of a header's line when it holds a number, or the lines under a header alone on its line
    up to a blank line, an e-mail, another field or a long line ("Billing address:")."""
    s, e = lines[i]
    line = text[s:e]
    rest = line[header.end() :].strip()
    if rest and any(ch.isdigit() for ch in rest):
        after = line[header.end() :]
        found.append(
            (s + header.end() + (len(after) - len(after.lstrip())), s + len(line.rstrip(" \t,.")), 0.65)
        )
    elif not rest:
        for s2, e2 in lines[i + 1 : i + 7]:
            nxt = text[s2:e2].strip(" \t>")
            if not nxt or "@" in nxt or FIELD.match(nxt) or len(nxt) > 60:
                break
            found.append(_whole(text, s2, e2))


def _above_town(
    w: StreetWords, text: str, lines: list[Line], i: int, found: list[Found]
) -> tuple[list[Line], Line | None]:
    """The unit lines above a postcode-and-town line, with up to two district lines between the street
    and the town ("Victoria Island", "Col. Roma Norte") when a street line stands above them; and the
    line above those (the street's place)."""

    def line_at(k: int) -> str:
        return text[lines[k][0] : lines[k][1]].strip(" \t>,")

    k, units = i - 1, []
    while k >= 0 and UNIT.fullmatch(line_at(k)):
        units.append(lines[k])
        k -= 1
    kk, districts = k, []
    while kk >= 0 and len(districts) < 2 and DISTRICT_LINE.fullmatch(line_at(kk)):
        districts.append(lines[kk])
        kk -= 1
    while districts and kk >= 0 and UNIT.fullmatch(line_at(kk)):
        districts.append(lines[kk])
        kk -= 1
    if (
        districts
        and kk >= 0
        and (_covered(found, *lines[kk]) or w.streetish(text[lines[kk][0] : lines[kk][1]]))
    ):
        units += districts
        k = kk
    return units, (lines[k] if k >= 0 else None)


def _town_block(
    w: StreetWords, text: str, lines: list[Line], i: int, town: regex.Match[str], found: list[Found]
) -> None:
    """A postcode-and-town line with the lines of its block above it: a street line (one found already,
    or a short line with a house number), unit and district lines, or an address cue before it."""
    s = lines[i][0]
    units, street = _above_town(w, text, lines, i, found)
    street_ok = street is not None and (_covered(found, *street) or w.streetish(text[street[0] : street[1]]))
    cue = bool(ADDRESS_CUE.search(text[max(0, s - 120) : s]))
    if not (street_ok or units or cue):
        return
    found.append((s + town.start("v"), s + town.end("v"), 0.6))
    found += [_whole(text, *u) for u in units if not _covered(found, *u)]
    if street is not None and street_ok and not _covered(found, *street):
        found.append(_whole(text, *street))


def _unit_lines(text: str, lines: list[Line], found: list[Found]) -> None:
    """A unit line under an address line, or above one."""
    for i, (s, e) in enumerate(lines):
        if _covered(found, s, e) or not UNIT.fullmatch(text[s:e].strip(" \t>,")):
            continue
        if (i > 0 and _covered(found, *lines[i - 1])) or (
            i + 1 < len(lines) and _covered(found, *lines[i + 1])
        ):
            found.append(_whole(text, s, e))


def _lines_under(w: StreetWords, scan: Scan, lines: list[Line], found: list[Found]) -> None:
    """Under an address line: a line that is only a postcode ("LS6 2QW" under "Leeds"), or only a town or
    region the place lists know or spaCy calls a place ("Lagos", "Nairobi"); a postcode under a district
    line under an address line ("Sheffield" / "S10 2BP")."""
    text = scan.text
    for i, (s, e) in enumerate(lines):
        if i == 0 or _covered(found, s, e):
            continue
        bare = text[s:e].strip(" \t>,.")
        lead = s + len(text[s:e]) - len(text[s:e].lstrip(" \t>"))
        postcode = _POSTCODE_SHAPE.fullmatch(bare) and not regex.fullmatch(r"\d{4}", bare)
        town = (
            DISTRICT_LINE.fullmatch(bare)
            and len(bare.split()) <= 3
            and (
                bare.split()[0].lower() in w.places
                or any(ps <= lead and lead + len(bare) <= pe for ps, pe in scan.places)
            )
        )
        if _covered(found, *lines[i - 1]) and (postcode or town):
            found.append(_whole(text, s, e))
        elif (
            postcode
            and i >= 2
            and _covered(found, *lines[i - 2])
            and DISTRICT_LINE.fullmatch(text[lines[i - 1][0] : lines[i - 1][1]].strip(" \t>,."))
        ):
            found += [_whole(text, *lines[i - 1]), _whole(text, s, e)]


def postal_blocks(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """The lines of a postal block: the lines after an address header, a form's place fields ("City:
    Marousi"), a postcode-and-town line with its street, unit and district lines; then unit lines next to
    an address line, and postcode or town lines under one."""
    text = scan.text
    lines = _lines(text)
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        header = ADDRESS_HEADER.match(line)
        if header:
            _after_header(text, lines, i, header, found)
            continue
        place = PLACE_FIELD.match(line)
        if (
            place
            and regex.search(r"[\p{L}\d]", place.group("v"))
            and not NO_VALUE.fullmatch(place.group("v").strip())
        ):
            found.append((s + place.start("v"), s + place.end("v"), 0.6))
            continue
        town = TOWN_LINE.match(line)
        if town:
            _town_block(w, text, lines, i, town, found)
    _unit_lines(text, lines, found)
    _lines_under(w, scan, lines, found)
