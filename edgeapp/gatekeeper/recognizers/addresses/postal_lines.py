"""A postal block line by line (issue 27): a first line with a house number and a street ("87200 Allen
Road", "3674 Moore Meadow, Suite 596"), then the lines of the same block under it, each one part of the
address: a flat ("Apt. 523", "Dpto. 8798"), the town ("KIMBERLYBURY", "north nataljachester"), a region
code ("MA"), the postcode alone ("20828", "05-902") or after the country ("Latvia 10432"; the country
stays). Addresses are counted per part, so a block masked only down to its street is mostly missed.

The block ends at the first line that is none of these (a blank line, "Account: 2944", a sentence). It
counts when it has two parts or more under its street line and its lines are indented (as a letter's or
a form's block is) or it ends in a postcode: a sentence that starts with a number and a word is not
followed by a town line and a postcode line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from .intl_patterns import FIELD, POSTCODE
from .intl_streets import Scan
from .street_words import Found, StreetWords

# the first line: a house number, then a street name of one to six words (a flat may follow on the line)
HOUSE_LINE = regex.compile(r"(?P<v>\d{1,5}[A-Za-z]?[ \t]+\p{L}[\p{L}\p{M}\d'’.,/ -]{1,60}?)[ \t,.]*")
# a flat, suite, floor or office on its own line, in several languages, one to three of them ("Torre 2
# apartamento 31", "Bl. 46 Sc. 14 Ap. 302")
UNIT_WORDS = (
    r"apt|apartment|apartamento|appartamento|apto|ap|suite|ste|unit|flat|studio|level|dpto|depto|dto|"
    r"departamento|casa|piso|planta|puerta|of|oficina|office|local|bodega|torre|etapa|edif|edificio|interior|"
    r"int|piano|interno|scala|sc|bl|bloc|et|whg|wohnung|floor|fl|room|rm|bldg|building|block|lot|box|lok|"
    r"lokal|kv|kvartira|stan|byt|lgh|bus|bte|door|#"
)
UNIT_LINE = regex.compile(
    r"(?i)(?:(?:" + UNIT_WORDS + r")\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?(?:[ \t]*,)?[ \t]*){1,3}(?<![ \t,])"
)
REGION_LINE = regex.compile(r"\p{L}{2,3}\.?")
# the postcode alone, or after the country's name ("Bosnia and Herzegovina 39438", "Canada X7S 3Y2")
POSTCODE_LINE = regex.compile(
    r"(?P<country>\p{L}[\p{L}\p{M} .'-]{1,40}?[ \t]+)?(?P<v>(?i:" + POSTCODE + r")|\d{7,8}|[A-Za-z]-\d{4,5})"
)
TOWN_WORD = r"[\p{L}\p{M}][\p{L}\p{M}'’.-]*"
TOWN_LINE = regex.compile(TOWN_WORD + r"(?:[ \t]+" + TOWN_WORD + r"){0,5}")
# the town, region and postcode on one line: "New Andrew, MA 28237", "70-785 Chojnice"
TOWN_AND_POSTCODE = regex.compile(
    r"(?P<town>"
    + TOWN_WORD
    + r"(?:[ \t]+"
    + TOWN_WORD
    + r"){0,4}),?[ \t]+(?:\p{Lu}{2,3}[ \t]+)?(?i:"
    + POSTCODE
    + r")|(?i:"
    + POSTCODE
    + r")[ \t]+(?P<town2>"
    + TOWN_WORD
    + r"(?:[ \t]+"
    + TOWN_WORD
    + r"){0,4})"
)
# the small words a town's name holds in lower case ("Sankt Veit an der Glan", "Hubert-sur-Mer")
TOWN_PARTICLES = frozenset(
    "an der den die am im de da do dos das del la le les sur sous en y i e of upon and the".split()
)


@dataclass(frozen=True)
class Part:
    """One part of a postal block: where it is in the message, and what kind of line it came from."""

    start: int
    end: int
    kind: str  # "street", "unit", "town", "region", "postcode"


def _lines(text: str) -> list[tuple[int, int]]:
    lines, pos = [], 0
    for piece in text.split("\n"):
        lines.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return lines


def _town(body: str, lower: bool) -> bool:
    """A town's name: up to six words of letters, capitalised or in capitals (any case in a message typed
    in lower case), no digits, not a field label."""
    if not TOWN_LINE.fullmatch(body) or len(body) > 40 or body.endswith("."):
        return False
    if lower:
        return True
    return all(w[0].isupper() or w.lower() in TOWN_PARTICLES for w in body.split())


def _part(body: str, at: int, lower: bool, seen: set[str]) -> Part | None:
    """The part a line of the block holds (`at`: where `body` starts), or None when the block ends."""
    if FIELD.match(body) or "@" in body:
        return None
    if UNIT_LINE.fullmatch(body):
        return Part(at, at + len(body), "unit")
    m = POSTCODE_LINE.fullmatch(body)
    if m and (not m.group("country") or _town(m.group("country").strip(), lower)):
        return Part(at + m.start("v"), at + m.end("v"), "postcode")
    both = TOWN_AND_POSTCODE.fullmatch(body)
    if both and "town" not in seen and _town(both.group("town") or both.group("town2"), lower):
        return Part(at, at + len(body), "postcode")
    if "town" in seen and REGION_LINE.fullmatch(body) and (lower or body.isupper()):
        return Part(at, at + len(body), "region")
    if "town" not in seen and "postcode" not in seen and _town(body, lower):
        return Part(at, at + len(body), "town")
    return None


def _block_parts(text: str, lines: list[tuple[int, int]], i: int, lower: bool) -> Iterator[Part]:
    """The parts of the lines under the house line `i`, in order, up to the first line that is none."""
    seen: set[str] = set()
    for s, e in lines[i + 1 : i + 7]:
        body = text[s:e].strip(" \t>").rstrip(",")
        if not body:
            return
        part = _part(body, s + text[s:e].index(body), lower, seen)
        if part is None:
            return
        seen.add(part.kind)
        yield part
        if part.kind == "postcode":
            return


@dataclass(frozen=True)
class PostalBlock:
    """A postal block: its street line (house number and street), the parts under it, and the line above
    it in the same block, if any (the addressee's name as a rule)."""

    street: tuple[int, int]
    parts: tuple[Part, ...]
    above: tuple[int, int] | None


def _above(text: str, lines: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    """The line above the street line, without its indent, when it belongs to the block (not blank, not a
    header that ends in a colon)."""
    if i == 0:
        return None
    s, e = lines[i - 1]
    body = text[s:e].strip(" \t>").rstrip(",")
    if not body or body.endswith(":"):
        return None
    at = s + text[s:e].index(body)
    return at, at + len(body)


def postal_blocks_in(text: str, lower: bool) -> list[PostalBlock]:
    """Every postal block of `text` (the module's docstring); `lower`: the message is typed in lower case."""
    lines = _lines(text)
    blocks = []
    for i, (s, e) in enumerate(lines[:-1]):
        line = text[s:e]
        body = line.strip(" \t>")
        house = HOUSE_LINE.fullmatch(body)
        if not house or regex.search(r"[?!:;]", body) or len(house.group("v").split()) > 10:
            continue
        parts = tuple(_block_parts(text, lines, i, lower))
        indented = line[:1] in " \t" and text[lines[i + 1][0] : lines[i + 1][0] + 1] in (" ", "\t")
        kinds = [p.kind for p in parts]
        ends_in_postcode = len(parts) >= 2 and kinds[-1] == "postcode"
        if not parts or not (ends_in_postcode or (indented and len(parts) >= 2)):
            continue
        at = s + line.index(body)
        above = _above(text, lines, i)
        if above is not None and UNIT_LINE.fullmatch(text[above[0] : above[1]]):  # "Flat 3" / "12 High St"
            parts = (Part(*above, "unit"), *parts)
            above = _above(text, lines, i - 1)
        blocks.append(PostalBlock((at, at + house.end("v")), parts, above))
    return blocks


def postal_lines(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """Every part of a postal block under a line with a house number and a street (the module's
    docstring): the street line itself, and each unit, town, region and postcode line under it."""
    for block in postal_blocks_in(scan.text, scan.lower):
        found.append((*block.street, 0.6))
        found += [(p.start, p.end, 0.6) for p in block.parts]
