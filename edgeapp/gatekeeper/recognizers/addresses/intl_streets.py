"""Rules for street addresses in the shapes of many countries, one per shape (see `intl` for the order):
the house number after the street ("Hauptstraße 12", "ul. Marszałkowska 104/122") or before it ("12 rue
de la Paix", "77, Kadakia Marg"), a street of any name before a postcode and a town, a street corner, a
postcode after a cue, what follows "I live at", addresses in scripts without Latin letters, Colombian
and Japanese numbering, and PO boxes.

Each rule takes the word tests (`StreetWords`), the message (`Scan`) and the list of what the rules
before it found, and appends to that list.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .intl_patterns import (
    ANCHOR_NOT_STREET,
    ANCHORED,
    CO_STREET,
    CORNER,
    DISTINCT_POSTCODE,
    JP_BLOCK,
    LIVE_AT,
    LOWER_FIRST,
    NON_LATIN,
    NUMBER_THEN_STREET,
    PARTICLES,
    PLACE_CUE,
    PO_BOX_INTL,
    PO_BOX_TOWNS,
    POSTCODE,
    POSTCODE_CUE,
    SENT_TO,
    STREET_THEN_NUMBER,
    STRONG_LIVE,
    TOWN,
    TRAILING,
)
from .street_words import Found, StreetWords, out_near


@dataclass(frozen=True)
class Scan:
    """One message: its text, the places spaCy found in it, the addresses the US/UK/EU shapes found
    (`seeds`), and whether it is typed in lower case."""

    text: str
    places: list[tuple[int, int]]
    seeds: list[tuple[int, int]]
    lower: bool


# a postcode of any country's shape, standing alone
_POSTCODE_ALONE = regex.compile(r"(?<![\p{L}\d-])" + POSTCODE + r"(?![\p{L}\d-])")
# a house number in what follows "I live at" (not an amount: "3 km", "20 minutes", "2 people")
_HOUSE_NUMBER = regex.compile(
    r"(?<![\d.,])\d{1,6}[A-Za-z]?(?![\d.,]\d|\s?(?:%|percent|km|miles?|hours?|minutes?|days?|"
    r"years?|times|people|dollars|euros?|kg|m)\b)"
)
_NUMBER_WORD = regex.compile(r"\d{1,5}[a-z]?(?:/\d+)?$")
_LEADING_WORDS = ("de", "la", "du", "des", "del", "di", "da")


def streets_then_numbers(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A street with a type, then its house number: "Calle de Alcalá 48", "ul. Marszałkowska 104/122",
    "Hauptstraße 12", "Næsbyholm Allé 77", "Praça Melo, 46"."""
    text = scan.text
    for m in STREET_THEN_NUMBER.finditer(text):
        seg = m.group("words")
        words = seg.split()
        k = w.street_start(words)
        if k is None:
            continue
        lead = len(seg) - len(seg.lstrip())
        offsets, pos = [], m.start("words") + lead
        for word in words:
            pos = text.index(word, pos)
            offsets.append(pos)
            pos += len(word)
        if "\n" not in text[offsets[k] : m.end("num")]:
            found.append((offsets[k], m.end("num"), 0.7))


def _type_at(w: StreetWords, words: list[str]) -> int | None:
    """Where the street type stands among the words after a house number: "Rue Royale", "Hauptstraße",
    "Steven Outlook"; not "Green Pears" or "Lakes"."""
    cut = None
    for i, word in enumerate(words):
        bare = word.strip(",")
        leading = i == 0 and bare.lower() in LOWER_FIRST and len(words) > 1 and words[1][:1].isupper()
        glued = w.glued(bare.lower()) and bare[:1].isupper()
        if leading or (w.type_word(bare) and bare[:1].isupper() and (i > 0 or glued)):
            cut = i
            if i > 0:
                break
    return cut


def numbers_then_streets(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A house number, then the street: "77, Kadakia Marg", "1777 Çetin Fords", "12 rue de la Paix",
    "3-2-1 Nishi-Shinjuku"; the name runs on over capitalised words after a leading type."""
    text = scan.text
    for m in NUMBER_THEN_STREET.finditer(text):
        words = m.group("words").split()
        cut = _type_at(w, words)
        if cut is None:
            continue
        end_i = cut
        while (
            end_i + 1 < len(words)
            and (words[end_i + 1][:1].isupper() or words[end_i + 1] in _LEADING_WORDS)
            and not words[end_i].endswith(",")
        ):
            end_i += 1
        if any(
            not (x[:1].isupper() or x.lower() in (*_LEADING_WORDS, "le", "of") or w.type_word(x.strip(",")))
            for x in words[: cut + 1]
        ):
            continue
        pos = m.start("words")
        for x in words[: end_i + 1]:
            pos = text.index(x, pos) + len(x)
        if "\n" not in text[m.start() : pos]:
            found.append((m.start(), pos - (1 if text[pos - 1] in ",." else 0), 0.65))


def anchored_streets(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A street of any name when a postcode and a town follow: "Einsteinova 57, 075923 Ulhasnagar". The
    street's name is the run of capitalised words, particles and types before the number: "My address is
    Nørrebrogade 110, 2200 København" starts at "Nørrebrogade"; a word in lower case that is no English
    word is part of the name ("Suché mýto 1")."""
    for m in ANCHORED.finditer(scan.text):
        words = list(regex.finditer(r"\S+", m.group("v")))
        k = len(words) - 1
        while k > 0 and (
            words[k - 1].group(0)[:1].isupper()
            or words[k - 1].group(0).lower() in PARTICLES
            or words[k - 1].group(0).lower() in LOWER_FIRST
            or words[k - 1].group(0).lower() not in w.english
            and words[k - 1].group(0).lower() not in ANCHOR_NOT_STREET
        ):
            k -= 1
        while k < len(words) - 1 and words[k].group(0).lower() in ANCHOR_NOT_STREET:
            k += 1
        found.append((m.start("v") + words[k].start(), m.end("v"), 0.6))


def corners(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A street corner: "the corner of Bathurst and Queen"."""
    found += [(m.start("v"), m.end("v"), 0.7) for m in CORNER.finditer(scan.text)]


def cued_postcodes(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A postcode after a cue ("my zip code is 90210-170"), and one of a distinctive shape near a word
    about places ("does the courier deliver to 39-103?")."""
    text = scan.text
    for m in _POSTCODE_ALONE.finditer(text):
        if POSTCODE_CUE.search(text[max(0, m.start() - 30) : m.start()]):
            found.append((m.start(), m.end(), 0.6))
    for m in DISTINCT_POSTCODE.finditer(text):
        if PLACE_CUE.search(text[max(0, m.start() - 40) : m.end() + 40]):
            found.append((m.start(), m.end(), 0.55))


def _house_numbered(value: str, words: list[str]) -> bool:
    """A house number opens or closes an address ("23 gartlan street", "tabor 760", "no. 3", "5a",
    "0a/6"; "havnegade 5 in 1058 københavn")."""
    head = regex.split(r",|\s+in\s+(?=\d)", value)[0].lower().split()
    return bool(
        regex.match(r"\d", words[0])
        or _NUMBER_WORD.match(words[-1])
        or (len(head) >= 2 and _NUMBER_WORD.match(head[-1]))
        or (len(words) > 2 and regex.match(r"\d", words[-1]) and words[-2].rstrip(".") in ("m", "apt", "lok"))
        or (len(words) > 2 and regex.match(r"\d", words[-2]) and words[-3].rstrip(".") in ("no", "nr"))
    )


def _lived_at_span(w: StreetWords, scan: Scan, m: regex.Match[str], strong: bool) -> Found:
    """The address after "I live at": up to the end of the clause, less the words after it ("now"), and
    in a lower-case message with the town parts after it ("... 5-2-1 ginza, chuo-ku, tokyo 104-0061
    before noon"); not the "at" before a short number ("im at 19, ...")."""
    value = m.group("v")
    kept = value
    while len(kept.split()) > 2 and kept.split()[-1].lower() in TRAILING:
        kept = kept.rstrip().rsplit(None, 1)[0]
    end = m.start("v") + len(kept)
    if scan.lower and strong:
        end = w.lower_parts(scan.text, end)
    lead = regex.match(r"(?i)(?:at|to|on|in|is)[ \t]+(?=\d)", value)
    return m.start("v") + (lead.end() if lead else 0), end, 0.6


def lived_at(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """What follows "I live at", "we are at", "ship it to"... when it holds a house number and either a
    street word or a strong cue ("live at", "address is"; after "ship to", "moved to" a capitalised name
    next to the number: "Deliver to Shevchenka St 5, apt 3, Kyiv 01001")."""
    text = scan.text
    for m in LIVE_AT.finditer(text):
        value = m.group("v")
        if not _HOUSE_NUMBER.search(value):
            continue
        words = value.lower().rstrip(".").split()  # "i live at fürdőhalasi utca 132. and my number is..."
        while len(words) > 2 and words[-1] in TRAILING:
            words.pop()  # "... polna 7 m. 3 now"
        if not _house_numbered(value, words):
            continue
        cue = text[m.start() : m.start("v")]
        strong = bool(STRONG_LIVE.search(cue) or (SENT_TO.search(cue) and w.named_number(value, scan.lower)))
        streety = strong or any(x.strip(",.") in w.streets or w.type_word(x.strip(",.")) for x in words)
        if streety and len(words) <= 14:
            found.append(_lived_at_span(w, scan, m, strong))


def seeded(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """The addresses the US/UK/EU shapes found, so that their tails are found too."""
    found += [(fs, fe, 0.7) for fs, fe in scan.seeds]


def non_latin(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """Addresses in Japanese, Chinese, Korean, Cyrillic, Greek and Arabic script."""
    if regex.search(r"[^\p{Latin}\p{Common}\p{Inherited}]", scan.text):
        for pattern in NON_LATIN:
            found += [(m.start(), m.end(), 0.65) for m in pattern.finditer(scan.text)]


def numbered_grids(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """Colombian ("Carrera 7 # 32-16") and Japanese ("2-11-3 Meguro") street numbering."""
    found += [(m.start(), m.end(), 0.7) for m in CO_STREET.finditer(scan.text)]
    found += [(m.start(), m.end(), 0.6) for m in JP_BLOCK.finditer(scan.text)]


def po_boxes(w: StreetWords, scan: Scan, found: list[Found]) -> None:
    """A PO box ("PO Box 1234", "Postfach 10 20", "Caixa Postal 55"; a bare "Box 12" or "BP 3" only near
    an address), with the towns and country after it to the end of the line ("PO Box 1234, Gaborone,
    Botswana")."""
    text = scan.text
    for m in PO_BOX_INTL.finditer(text):
        box = m.group(0).lower()
        if not (
            not box.startswith(("pl", "box", "b"))
            or out_near(found, m.start(), m.end())
            or box.startswith(("p.o", "po ", "p o"))
        ):
            continue
        found.append((m.start(), m.end(), 0.7))
        towns = PO_BOX_TOWNS.match(text, m.end())
        if towns and all(
            w.place(t) or not w.english_tail(t.lower()) for t in regex.findall(TOWN, towns.group(0))
        ):
            found.append((m.start(), towns.end(), 0.7))
