"""Numbers that identify a person or an account: SSN / NI number, payment card, IBAN, IP address.

Each candidate is checked with code (Luhn, IBAN mod 97, `ipaddress`) so that ordinary
numbers in a question are left alone.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from .base import Span, SpanRecognizer, context_words, near

SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}(?P<sep>[- ])(?!00)\d{2}(?P=sep)(?!0000)\d{4}(?![\w-])")
SSN_PLAIN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}(?![\w-])")
SSN_CONTEXT = context_words(
    "ssn", "social security", "social-security", "tax id", "taxpayer", "itin", "tin\\b"
)
# UK National Insurance number: two letters, six digits (maybe spaced), one letter A-D.
NINO = re.compile(
    r"(?<![\w-])(?![DFIQUV])[A-Z](?![DFIQUVO])[A-Z] ?\d{2} ?\d{2} ?\d{2} ?(?P<suffix>[A-Z])(?![\w-])"
)
# any two letters: with context words the official example prefix ("QQ") and unissued ones count too
NINO_LOOSE = re.compile(r"(?<![\w-])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w-])")
NINO_CONTEXT = context_words(
    "national insurance",
    "ni number",
    "nino",
    "ni no",
    "insurance number",
    "ssn",
    "social security",
    "tax",
    "hmrc",
    "payroll",
)

CARD = re.compile(r"(?<![\w.-])(?:\d(?:[ -]{1,2}|\.(?=\d))?){11,18}\d(?![\w-]|\.\d)")
# an IBAN in capitals or in lower case, grouped by spaces or dashes in any way
IBAN = re.compile(
    r"(?<![\w-])(?:[A-Z]{2}(?:[ -]?\d\d|\d[ -]\d)(?:[ -]?[A-Z0-9]){11,30}(?![a-z0-9])"
    r"|[a-z]{2}\d[ -]?\d(?:[ -]?[a-z0-9]){11,30}(?![A-Za-z0-9]))"
)  # "GB4 6YR SZ5 ...": threes
# a 12-digit Maestro number counts only right after a card word ("Maestro 5038 0724 0919")
TIGHT_CARD = re.compile(r"(?i)\b(?:card|visa|mastercard|maestro|amex|debit|credit)\b[^\d\n]{0,12}$")
# IBAN lengths by country (SWIFT IBAN registry)
IBAN_LENGTHS = dict(
    AD=24,
    AE=23,
    AL=28,
    AT=20,
    AZ=28,
    BA=20,
    BE=16,
    BG=22,
    BH=22,
    BR=29,
    BY=28,
    CH=21,
    CR=22,
    CY=28,
    CZ=24,
    DE=22,
    DK=18,
    DO=28,
    EE=20,
    EG=29,
    ES=24,
    FI=18,
    FO=18,
    FR=27,
    GB=22,
    GE=22,
    GI=23,
    GL=18,
    GR=27,
    GT=28,
    HR=21,
    HU=28,
    IE=22,
    IL=23,
    IQ=23,
    IS=26,
    IT=27,
    JO=30,
    KW=30,
    KZ=20,
    LB=28,
    LC=32,
    LI=21,
    LT=20,
    LU=20,
    LV=21,
    MC=27,
    MD=24,
    ME=22,
    MK=19,
    MR=27,
    MT=31,
    MU=30,
    NL=18,
    NO=15,
    PK=24,
    PL=28,
    PS=29,
    PT=25,
    QA=29,
    RO=24,
    RS=22,
    SA=24,
    SC=31,
    SE=24,
    SI=19,
    SK=24,
    SM=27,
    ST=25,
    SV=28,
    TL=23,
    TN=24,
    TR=26,
    UA=29,
    VA=22,
    VG=24,
    XK=20,
)
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w.]|\.\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?:/\d{1,3})?(?![\w:])")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_ok(candidate: str, cued: bool = False) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if not (12 if cued else 13) <= len(digits) <= 19 or len(set(digits)) < 2:
        return False
    groups = [g for g in re.split(r"[ .-]", candidate) if g]
    # "4730 3110 8879 7584", "3714-496353-98431", "22 6376 7491 6462 48", and the digit left over when a
    # number is cut in threes or fives ("355 807 302 157 368 5"); not "1 2 3 ..." nor "1.5"
    if len(groups) > 1 and not all(2 <= len(g) <= 8 for g in groups[:-1]):
        return False

    if "." in candidate and len(groups) < 3:
        return False
    return (digits[0] in "23456" or old_jcb(digits)) and luhn_ok(digits)


def old_jcb(digits: str) -> bool:
    """A JCB card of 15 digits from the old ranges, 1800... and 2131... ("1800 0264 6165 280")."""
    return len(digits) == 15 and digits.startswith(("1800", "2131"))


def iban_ok(candidate: str) -> bool:
    value = re.sub(r"[ -]", "", candidate).upper()
    if not 15 <= len(value) <= 34 or IBAN_LENGTHS.get(value[:2]) != len(value):
        return False
    rearranged = value[4:] + value[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _social_security_numbers(text: str) -> Iterable[Span]:
    """US SSNs: grouped with dashes (or near an SSN word), or plain digits near an SSN word."""
    for m in SSN.finditer(text):
        score = 0.75 if m.group("sep") == "-" or near(text, m.start(), m.end(), SSN_CONTEXT) else 0.3
        yield m.start(), m.end(), "US_SSN", score
    for m in SSN_PLAIN.finditer(text):
        if near(text, m.start(), m.end(), SSN_CONTEXT):
            yield m.start(), m.end(), "US_SSN", 0.7


def _national_insurance_numbers(text: str) -> Iterable[Span]:
    """UK NINOs: with an A-D suffix or near a NINO word; loosely grouped ones near a NINO word."""
    for m in NINO.finditer(text):
        if m.group("suffix") in "ABCD" or near(text, m.start(), m.end(), NINO_CONTEXT):
            yield m.start(), m.end(), "UK_NINO", 0.75
    for m in NINO_LOOSE.finditer(text):
        if near(text, m.start(), m.end(), NINO_CONTEXT):
            yield m.start(), m.end(), "UK_NINO", 0.7


def _cards(text: str) -> Iterable[Span]:
    """Card numbers that pass the Luhn check (12 digits only right after a card word)."""
    for m in CARD.finditer(text):
        cued = (
            len(re.sub(r"\D", "", m.group(0))) == 12
            and TIGHT_CARD.search(text[max(0, m.start() - 25) : m.start()]) is not None
        )
        if card_ok(m.group(0), cued=cued):
            yield m.start(), m.end(), "CREDIT_CARD", 0.95


def _ibans(text: str) -> Iterable[Span]:
    for m in IBAN.finditer(text):
        yield from _longest_valid_iban(m.group(0), m.start())


def _ip_addresses(text: str) -> Iterable[Span]:
    """IPv4 addresses and networks, and IPv6 addresses, that the `ipaddress` module accepts."""
    for m in IPV4.finditer(text):
        try:
            ipaddress.ip_network(m.group(0), strict=False)
        except ValueError:
            continue
        yield m.start(), m.end(), "IP_ADDRESS", 0.8
    for m in IPV6.finditer(text):
        value = m.group(0).split("/")[0].split("%")[0]
        if value.count(":") < 2 or len(value) < 6:
            continue
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue
        yield m.start(), m.end(), "IP_ADDRESS", 0.85


class IdentifierRecognizer(SpanRecognizer):
    """Numbers that identify a person or an account: SSNs, NINOs, cards, IBANs, IP addresses."""

    ENTITIES = ("US_SSN", "UK_NINO", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS")
    RULES = (_social_security_numbers, _national_insurance_numbers, _cards, _ibans, _ip_addresses)

    def spans(self, text: str) -> Iterable[Span]:
        for rule in self.RULES:
            yield from rule(text)


def _longest_valid_iban(candidate: str, offset: int) -> Iterable[Span]:
    # the pattern may run into a following upper-case word; back off until the checksum holds
    end = len(candidate)
    while end >= 15:
        piece = candidate[:end].rstrip(" -")
        if iban_ok(piece):
            yield offset, offset + len(piece), "IBAN_CODE", 1.0
            return
        end = len(piece) - 1
