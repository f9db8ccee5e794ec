"""Phone numbers in international and national formats, with extensions.

A loose pattern proposes candidates; a candidate counts when its shape is clearly a phone
number (+country code, parentheses, separators in phone-like groups, an extension) or when
`phonenumbers` says it is a valid number in one of several regions, or a phone word is near.
Plain sequences of small numbers ("5 10 15 20") are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from .base import Span, SpanRecognizer, comma_list, context_words, near

REGIONS = tuple("US GB DE FR NL ES IT IE CA AU IN CH BE AT SE".split())
# national numbers written without a country code are tried in these too (phonenumbers' metadata)
MORE_REGIONS = tuple(
    """PL PT BR CZ SK HU DK NO FI RO GR TR MX AR CO CL PE ZA NG KE GH JP KR CN SG NZ PH ID VN MY TH RU UA IL
    AE SA EG MA HR SI RS BG LT LV EE GE PK BD""".split()
)

_BODY = r"""
    (?P<number>
        (?:\(?\+|\b00|\b011)?[ ]?   # international prefix
        \(?\d[\d ()./-]{3,22}\d     # digits with phone separators (five at least: "Tel: 22457")
    )
    (?P<ext>(?:,[ ]?|[ ]/[ ]|[ ])?(?:x|ext\.?|extension|\#)[ ]?\d{1,6})?
    (?!\w|-\d|\.\d|:\d|/\d)        # "516 466 638-Office" ends at the dash
"""
CANDIDATE = re.compile(r"(?x)(?<![\w+@/.-])(?<!\d:)" + _BODY)  # "tel:+48...", not "10:30" or a URL
TWO_NUMBERS = re.compile(r"(?P<before>\(?\+?\d[\d ().-]{5,20})[ ](?P<slash>/)[ ](?=\(?\+?\d)")
# a phone word glued on before the number with a dash: "Office-516 466 638", "Fax-22 334 455"
GLUED = re.compile(r"(?xi)\b(?:office|fax|tel|phone|mobile|cell|home|work|mob|landline|direct)-" + _BODY)
# words about phones in many languages (each a pattern), near a number
PHONE_WORDS = comma_list(
    r"""phone, call, tel, telephone, mobile, cell, fax, whats ?app, text me, reach, line\b, emergency,
    contact, number, dial, ring, landline, sms, office, fax, home, work, mob, direct, ping, reception,
    switchboard, t[ée]l, telefon, tel[ée]fono, telefone, handy, hotline, helpline, ph\b, ph\., tlf, tfn\b,
    puh, cel\b, celular, m[óo]vil, gsm\b, n[uú]mero, nummer, portable, mob\b, tel[ée]fone, appel, joindre,
    ll[aá]m, ligue, liga, chiama, anruf, ruf\b, bel\b, zadzwo, zavolej, soita,
    (?:support|direct|phone|help|customer) line"""
)
PHONE_CONTEXT = re.compile(context_words(*PHONE_WORDS).pattern + "|[☎📞📱☏]")  # and the telephone signs
# a phone word right before the number, nothing but "is", "on", "at", a colon... between: "Tel: 20 61 43",
# "my mobile is 22457", "call me on 31-733". Small countries have five- and six-digit numbers.
TIGHT_CUE = re.compile(
    r"(?i)(?:\b|(?=[☎📞📱☏]))(?:phone|tel|telephone|mobile|cell|fax|whatsapp|landline|sms|mob|handy|hotline|"
    r"helpline|"
    r"t[ée]l[ée]phone|telefon\w*|tel[ée]fono|telefone|m[óo]vil|celular|puhelin|nummer|dial|reception|"
    r"call(?: me)?|ring(?: me)?|text(?: me)?|contact|direct line|whats[ ]?app|emergency|"
    r"(?:my|the|our|his|her) \#|"
    r"(?:call|text|sms|whatsapp)[ ]?/[ ]?(?:call|text|sms|whatsapp)|"
    r"[☎📞📱☏]\ufe0f?|"
    r"reach\s+(?:me|us|him|her|them|the\s+(?:office|desk|front desk|school|shop|clinic|team))\s+(?:at|on)|"
    r"(?:my|mi|mon|mein|our|his|her|their|phone|contact|mobile|cell|home|work|office) "
    r"(?:number|n[uú]mero|nummer))"
    r"(?:\b|(?<=\W))(?:\s*(?:(?:is|on|at|no|number|es|est|ist|au|é|e)\b|[:#.)\]-]))*\s*$"
)
EVERY_REGION = tuple(sorted(r for r in phonenumbers.SUPPORTED_REGIONS if r != "001"))
ALL_REGIONS = REGIONS + MORE_REGIONS
IPV4_SHAPE = re.compile(r"^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")
DATE_SHAPE = re.compile(r"^(\d{1,4})[-./](\d{1,2})[-./](\d{1,4})$")
SSN_SHAPE = re.compile(r"^\d{3}-\d{2}-\d{4}$")  # a US social security number, never a phone grouping
# "(21) 36-8308", "(025) 1206 91": an area code in brackets, then the number in groups
BRACKETED_AREA = re.compile(r"^\(\d{1,4}\) ?\d{2,4}(?:[ .-]\d{2,4}){1,3}$")


def _date_like(number: str) -> bool:
    """ "12-03-2024", "2024.03.12"; not "88-85-645" (no month or day is 85)."""
    m = DATE_SHAPE.match(number)
    if not m:
        return False
    a, b, c = (int(g) for g in m.groups())
    if len(m.group(1)) == 4:
        return 1 <= b <= 12 and 1 <= c <= 31
    return 1 <= b <= 31 and 1 <= a <= 31 and (a <= 12 or b <= 12)


def _groups(number: str) -> list[str]:
    return [g for g in re.split(r"[^\d]+", number) if g]


def _valid_somewhere(number: str, regions: tuple[str, ...] = REGIONS) -> bool:
    for region in regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


@lru_cache(maxsize=256)
def _valid_anywhere(number: str) -> bool:
    """Valid in some country's numbering plan, written nationally (every region phonenumbers knows)."""
    return _valid_somewhere(number, EVERY_REGION)


def _valid_international(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number.replace("(+", "+").lstrip("("), None))
    except phonenumbers.NumberParseException:
        return False


# a one-letter phone label at the start of a line or after a "|" in a signature: "T 32 1019 | W example.org",
# "M: 0412..."
LETTER_CUE = re.compile(r"(?:^|[|·•/][ \t]*)(?:[TMPFHOCD]\.?|[tmpfhocd][.:]|[TMPFHOCD]:)[ \t]*$")
# a closing above a line that is nothing but a number: "Best,\nThe front desk\n22320"
# "12 500", "1 250 000": a number written with spaces between the thousands, in a table cell more likely an
# amount
THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")
SIGN_OFF = re.compile(
    r"(?im)^[ \t]*(?:best|regards|kind regards|best regards|cheers|thanks|thank you|many thanks|"
    r"sincerely|yours sincerely|warm regards|--)[ \t]*[,.!]?[ \t]*$"
)


def _line(text: str, start: int, end: int) -> tuple[str, str]:
    """What stands before the span on its line, and after it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return text[line_start:start], text[end:line_end]


def _own_slot(text: str, start: int, end: int) -> bool:
    """The number fills a slot of its own: a cell of a CSV or table row ("Ahmed,21 36 75 20,active"), a pair
    of brackets after a word ("the plumber (30 011 756) said"), or the rest of a line after a label and a dash
    ("Reception desk — 21 25 17"). A number in prose runs on into words; one in a slot is a value."""
    before, after = _line(text, start, end)
    cell = re.search(r"[,;|\t][ \t]*$", before) and re.match(r"[ \t]*(?:[,;|\t]|$)", after)
    bracket = re.search(r"[^\W\d][ \t]*\($", before) and after.startswith(")")
    labelled = re.fullmatch(r"[ \t]*[^\W\d][^\d\n]{1,40}[ \t](?:—|–|-)[ \t]*", before) and not after.strip(
        " ."
    )
    return bool(cell or bracket or labelled)


def _signature(text: str, start: int, end: int) -> bool:
    """Alone on a line within three lines under a closing ("Best,")."""
    if not _alone_on_line(text, start, end):
        return False
    above = text[:start].split("\n")[-4:-1]
    return any(SIGN_OFF.match(line) for line in above)


def _trunk_grouped(number: str, digits: str, groups: list[str]) -> bool:
    """A national number with its trunk zero, in groups ("014 56 83 95", "0611-259-83"): no amount is written
    so. Only asked when no phone word or slot has decided (checking every region is the costly part)."""
    return digits[0] == "0" and len(groups) >= 2 and len(groups[0]) >= 2 and _valid_anywhere(number)


def _alone_on_line(text: str, start: int, end: int) -> bool:
    before, after = _line(text, start, end)
    return not before.strip(" \t>:") and not after.strip(" \t.,")


@dataclass(frozen=True)
class _Candidate:
    """A number found in a message, with what the score rules ask of it."""

    text: str
    start: int
    end: int
    number: str  # as written, stripped
    digits: str
    groups: list[str]  # the runs of digits ("+44(0)20 ...": the trunk 0 is not a group)
    has_ext: bool
    tight: bool  # a phone word right before it, or a one-letter phone label
    international: bool

    @classmethod
    def of(cls, text: str, start: int, end: int, number: str, has_ext: bool) -> _Candidate:
        number = number.strip()
        tight = (
            TIGHT_CUE.search(text[max(0, start - 30) : start]) is not None
            or LETTER_CUE.search(_line(text, start, end)[0]) is not None
        )
        return cls(
            text,
            start,
            end,
            number,
            re.sub(r"\D", "", number),
            _groups(number.replace("(0)", "")),
            has_ext,
            tight,
            number.startswith(("+", "(+", "00", "011")),
        )


def _wrong_shape(c: _Candidate) -> bool:
    """An IPv4 address (unless a phone word is right before it: "Tel. 212.34.43.98"), a date, a US SSN,
    seven groups of digits or more, or unbalanced brackets."""
    number = c.number
    if (IPV4_SHAPE.match(number) and not c.tight) or _date_like(number) or SSN_SHAPE.match(number):
        return True
    return len(c.groups) > 6 or number.count("(") != number.count(")")


def _wrong_separators(c: _Candidate, context: bool) -> bool:
    """A gap of two separators (only "0171 - 234 5678" after a phone word), a slash (only near a phone
    word, or in "(75)/651-3521" alone on a signature line), fewer than five digits or more than fifteen."""
    number = c.number
    if re.search(r"[ .-]{2,}", number) and not (context and re.fullmatch(r"[\d()+ ]+ - [\d ]+", number)):
        return True
    if (
        "/" in number
        and not context
        and not ("(" in number and "-" in number and _alone_on_line(c.text, c.start, c.end))
    ):
        return True
    return not (5 <= len(c.digits) <= 15)


def _short_number_score(c: _Candidate, slot: bool) -> float:
    """Fewer than seven digits: a number only right after a phone word, in a slot of its own when grouped
    or in brackets, or under a closing, and valid in a country with numbers that short."""
    own = (
        c.tight
        or (slot and len(c.groups) > 1 and not THOUSANDS.fullmatch(c.number))
        or _signature(c.text, c.start, c.end)
    )
    return 0.6 if own and not c.international and _valid_anywhere(c.number) else 0.0


def _small_groups_score(c: _Candidate, context: bool, tail: list[str]) -> float:
    """A one-digit group is a list of numbers, unless the number is shaped like a phone number and valid in
    a country that writes it so: "8 (800) 555-35-35", "06-1-234-5678", "Tel. 0 800 123 45 67"; or a phone
    word is near ("Emergency contact: 2 2129457", "364 169 7 (mobile)")."""
    number = c.number
    shaped_here = "(" in number or bool(re.search(r"\d-\d", number)) or context
    if shaped_here and len(c.digits) >= 10 and _valid_somewhere(number, ALL_REGIONS):
        return 0.7
    if (c.tight or (context and len(c.groups) <= 3)) and _valid_anywhere(number):
        return 0.6
    return 0.0


def _pairs_score(c: _Candidate, context: bool, alone: bool) -> float:
    """Pairs of digits ("06 12 34 56 78", the French way) with a phone word, or five pairs from a trunk 0
    joined the same way throughout ("06.12.34.56.78"), and a valid number."""
    french = re.fullmatch(r"0\d([.-])\d\d(?:\1\d\d){3}", c.number) is not None
    if (context or french) and _valid_somewhere(c.number, ALL_REGIONS):
        return 0.7
    return 0.6 if (c.tight or alone or context) and _valid_anywhere(c.number) else 0.0


def _grouped_score(c: _Candidate, context: bool, alone: bool) -> float:
    """Seven digits or more, past the checks of `phone_score`: by the grouping of the digits."""
    number, groups = c.number, c.groups
    # phone-like grouping: no run of tiny groups as in a list of numbers
    tail = groups[1:] if (c.international or number.startswith("(")) else groups
    if c.international and len(tail) >= 2 and len(tail[0]) == 1:
        tail = tail[1:]  # a one-digit area code: "+61 2 9374 4000", "+33 1 42 68 53 00"
    if re.match(r"^1[ .-]\d{3}[ .-]\d{3}[ .-]\d{4}$", number):
        return 0.85  # "1-496-393-7706": the North American trunk prefix
    if c.international and _valid_international(number):
        return 0.85  # "+33 (0)1 23 45 67 89": whatever the grouping, the plan of its country says it is one
    if len(groups) > 1 and sum(len(g) < 2 for g in tail) > 0:
        return _small_groups_score(c, context, tail)
    if len(groups) > 1 and max(len(g) for g in groups) < 3:
        return _pairs_score(c, context, alone)
    shaped = c.international or "(" in number or c.has_ext or bool(re.search(r"\d[-.]\d", number))
    if shaped or context or c.tight:
        return 0.85
    if alone and len(groups) >= 2:
        return 0.6  # a line that is nothing but a grouped number, as in a signature
    if _valid_somewhere(number) or (len(c.digits) >= 9 and _valid_anywhere(number)):
        return 0.6
    return 0.0


# "no one picks up at 47 220 918", "texts go to 512-804-377", "on my registered 21 40 77 11": a number of
# seven to ten digits in two to four groups (two to four digits each, one to five in the first: "at 4 722
# 0918"), right after a word a number is reached at
REACH_WORD = re.compile(
    r"(?i)\b(?:at|to|on|via|onto|from)(?:[ \t]+(?:my|our|his|her|their|your|the|this))?"
    r"(?:[ \t]+(?:registered|usual|old|new|other|private|personal|work|home|backup|second))?[ \t]*:?[ \t]*$"
)
REACH_GROUPS = re.compile(r"\d{1,5}(?:[ .-]\d{2,4}){1,3}")
# an amount with its thousands parted by spaces or dots ("12 500 000", "12.500.000")
GROUPED_THOUSANDS = re.compile(r"\d{1,3}(?:([ .])\d{3})(?:\1\d{3})*")
# what follows an amount, not a phone number: "grew to 12 500 000 people", "at 10 000 000 km"
AMOUNT_AFTER = re.compile(
    r"(?i)[ \t]*(?:%|per\b|percent|people|persons|dollars|euros|pounds|yen|rupees|usd|eur|gbp|km|kms|"
    r"kilomet|miles|metres|meters|m\b|kg|tons|tonnes|units|items|copies|votes|visitors|residents|"
    r"inhabitants|users|words|pages|times|views|followers|subscribers|hours|minutes|seconds|years|days|"
    r"cases|calories|points|steps|bytes|[kmgt]b\b|rows|records|[a-z]+s\b(?=[ \t]+(?:each|a|per)\b))"
)

# words before an amount written with spaces between the thousands ("the price went up to 12 500 000")
AMOUNT_BEFORE = re.compile(
    r"(?i)\b(?:price|cost|costs|population|worth|budget|salary|revenue|sales|total|sum|amount|profit|"
    r"grew|grow|rose|rise|risen|increased?|fell|fall|dropped|drop|went up|went down|reached|raised|"
    r"cut|reduced|climbed|doubled|tripled|round(?:ed)?|sold|sells?|bought|buys?|priced|valued|listed|"
    r"offered|offers?|estimated|bid|paid|pays?|earns?|earned|invested|insured|fined|charged|taxed)\b"
)


def _reached_at(c: _Candidate) -> bool:
    """Seven to ten digits in groups right after "at", "to", "on" ("nobody answers at 61 95 750"): a
    number someone is reached at, unless an amount's unit follows or it continues a range ("from 12 500 000
    to 14 250 000")."""
    if not (7 <= len(c.digits) <= 10 and REACH_GROUPS.fullmatch(c.number)):
        return False
    before = c.text[max(0, c.start - 40) : c.start]
    if not REACH_WORD.search(before) or AMOUNT_AFTER.match(c.text, c.end):
        return False
    if GROUPED_THOUSANDS.fullmatch(c.number) and (re.search(r"\d", before) or AMOUNT_BEFORE.search(before)):
        return False
    return not (_spaced_date(c.groups) or _counting(c.groups))


def _spaced_date(groups: list[str]) -> bool:
    """ "12 03 2024": a day, a month and a year."""
    return len(groups) == 3 and len(groups[2]) == 4 and _date_like("-".join(groups))


def _counting(groups: list[str]) -> bool:
    """ "20 30 40 50": numbers counted in steps, not a phone number."""
    values = [int(g) for g in groups]
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    return len(groups) >= 3 and len(steps) == 1 and steps != {0}


def phone_score(text: str, start: int, end: int, number: str, has_ext: bool) -> float:
    """0 when the candidate is not a phone number, else a confidence."""
    c = _Candidate.of(text, start, end, number, has_ext)
    if _wrong_shape(c):
        return 0.0
    context = near(text, start, end, PHONE_CONTEXT, window=30)
    if _wrong_separators(c, context):
        return 0.0
    slot = _own_slot(text, start, end)
    if len(c.digits) < 7:
        return _short_number_score(c, slot)
    alone = _alone_on_line(text, start, end) or (
        slot and (not THOUSANDS.fullmatch(c.number) or _valid_somewhere(c.number, ALL_REGIONS))
    )
    if BRACKETED_AREA.match(c.number) and _valid_anywhere(c.number):
        return 0.7
    if _reached_at(c):
        return 0.7
    if len(c.digits) < 10 and not (
        context
        or c.tight
        or alone
        or (c.international and len(c.digits) >= 8)
        or _trunk_grouped(c.number, c.digits, c.groups)
    ):
        return 0.0
    return _grouped_score(c, context, alone)


# a candidate's own bracket ("(455-291-7477)") and an aside in brackets after it ("2245 2798 (24/7)")
_ASIDE = re.compile(r"[ ]\((?:\d{1,2}/\d{1,2}|\d{1,3}(?:h|hrs)?)$")


def _judged(text: str, number: str, start: int, ext: str | None, ext_end: int) -> Iterable[Span]:
    """One candidate judged: the span and score when it is a phone number."""
    if number.startswith("(") and number.count("(") > number.count(")"):
        number, start = number[1:], start + 1  # "(455-291-7477)", "(+44(0)151...)": the bracket is prose
    aside = _ASIDE.search(number)
    if aside and ext is None:
        number = number[: aside.start()]  # "2245 2798 (24/7)": an aside in brackets after the number
    stripped = number.rstrip(" .-(")
    end = start + len(stripped)
    has_ext = ext is not None
    if has_ext:
        end = ext_end
    lead = len(stripped) - len(stripped.lstrip())
    stripped, start = stripped.lstrip(), start + lead
    score = phone_score(text, start, end, stripped, has_ext)
    if score:
        yield start, end, "PHONE_NUMBER", score


class PhoneNumberRecognizer(SpanRecognizer):
    # not `PhoneRecognizer`: Presidio finds predefined recognizers by class name among all subclasses
    ENTITIES = ("PHONE_NUMBER",)

    def spans(self, text: str) -> Iterable[Span]:
        # " / " between two whole numbers parts them ("032 455 6677 / 032 455 6678"); after an area code it
        # is part of the number ("030 / 2345 6789")
        parted = text
        for m in TWO_NUMBERS.finditer(text):
            if len(re.sub(r"\D", "", m.group("before"))) >= 7:
                parted = parted[: m.start("slash")] + ";" + parted[m.end("slash") :]
        for m in [*CANDIDATE.finditer(parted), *GLUED.finditer(parted)]:
            yield from _judged(text, m.group("number"), m.start("number"), m.group("ext"), m.end("ext"))
