"""The resolution stage: from what the recognizers found in a message to the findings the gatekeeper
masks. Applied once per message by `Gatekeeper.find`, in this order:

1. `tidy_ner_people`: spaCy's person spans (and those of `OrgTaggedNameRecognizer` and the re-cased
   pass) trimmed to the name on its first line, or dropped (numbers, lower-case words, field labels,
   products);
2. the names after a title or a cue (`TitledNameRecognizer`, kept out of Presidio's registry) join;
3. `drop_places_named_like_people`: person findings inside a real place ("North Carolina") go, or
   become an address where the place continues one;
4. the user's deny-list joins (after step 3, so a deny-listed value is never taken for a place);
5. `widen_over_titles`: a person's span grows over initials and a title next to it ("Dr A.B. Okafor");
6. `merge_overlaps`: overlapping findings become one span, typed by the strongest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon, places
from .findings import DENY_LIST_SOURCE, RECASED_SOURCE, Finding
from .lexicon.name_words import PRODUCTS, TITLES
from .recognizers.names.in_roles import LABEL_WORDS
from .recognizers.names.ner_second_look import OrgTaggedNameRecognizer
from .recognizers.names.shapes import locate, tidy_name

# findings whose person spans come from spaCy's NER (Presidio names its recognizer "SpacyRecognizer")
NER_SOURCES = frozenset({"SpacyRecognizer", OrgTaggedNameRecognizer.__name__, RECASED_SOURCE})
_TITLE_BEFORE = re.compile(r"(?:\b" + TITLES + r"\.?\s+)$", re.IGNORECASE)
# initials next to a name, before or after it: "A.B. Okafor", "A. B. Okafor", "Okafor A.B."
_INITIALS_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z]\.[ ]?){1,3}[ ]?$")
_INITIALS_AFTER = re.compile(r"^[ ]?(?:[A-Z]\.){2,3}(?![\w])")  # two at least: "Juice Box A." ends a sentence
NOT_INITIALS = frozenset(
    {"U.S.", "U.K.", "U.S.A.", "E.U.", "U.N.", "P.S.", "A.M.", "P.M.", "N.B.", "D.C.", "B.C.", "A.D."}
)
# the labels at the head of a form's or a letter's line that spaCy's small model calls a person
FIELD_WORDS = frozenset(
    """tel fax phone mob mobile cell email e-mail mail address name date subject re fw fwd attn cc bcc ref
    no nr tel/fax whatsapp dob""".split()
)
_HOUSE_LINE = re.compile(
    r"(?i)\s*(?:\d{1,5}[a-z]?\s+[^\W\d]|(?:flat|apt\.?|apartment|unit|suite|plot|p\.?\s?o\.?\s?box)\b)"
)
_ADDRESS_JOINT = re.compile(r"[ \t]*(?:,|in\b)?[ \t]*\n?[ \t]*")


@dataclass(frozen=True)
class Evidence:
    """What the recognizers found in one message, kept apart by where it came from (the steps above
    take each group at its own point)."""

    analyzed: list[Finding]  # Presidio's analyzer: spaCy's NER and the registered recognizers
    recased: list[Finding]  # spaCy again, over the words written in capitals
    titled: list[Finding]  # names after a title or a cue, at or above the score threshold
    deny_listed: list[Finding]  # the user's deny-list


def resolve(text: str, evidence: Evidence) -> list[Finding]:
    """The findings to report for `text`: non-overlapping, in order (the steps in the module's docstring)."""
    findings = tidy_ner_people(text, evidence.analyzed + evidence.recased)
    findings = drop_places_named_like_people(text, findings + evidence.titled)
    findings = widen_over_titles(text, findings + evidence.deny_listed)
    return merge_overlaps(text, findings)


# what a family calls its own, alone: spaCy calls some of them a person ("Mum", "Grandma")
KIN = frozenset(
    """mum mom mummy mommy dad daddy mama papa grandma grandpa granny grandad granddad grandmother
    grandfather""".split()
)
# a form's header that starts with a first name: "Bill to:"
_HEADER_AFTER = re.compile(r"[ \t]+to[ \t]*:")


def tidy_ner_people(text: str, findings: list[Finding]) -> list[Finding]:
    """Each NER person finding trimmed by `tidy_ner_person`, or dropped; other findings as they are. A
    person at the head of a line before "to:" is a form's header ("Bill to:")."""
    kept = []
    for f in map(tidy_ner_person, findings):
        if f is None:
            continue
        if f.source in NER_SOURCES and f.entity_type == "PERSON" and _HEADER_AFTER.match(text, f.end):
            if not text[text.rfind("\n", 0, f.start) + 1 : f.start].strip(" \t>*"):
                continue
        kept.append(f)
    return kept


def tidy_ner_person(f: Finding) -> Finding | None:
    """NER person spans trimmed to the name (on its first line), or dropped: numbers and number
    words must reach the cloud, a lone letter is not a name, and lower-case NER "names" are mostly
    common nouns ("rose bush"); lower-case names are found from context by the name recognizers."""
    if f.entity_type != "PERSON" or f.source not in NER_SOURCES:
        return f
    line = f.text.split("\n", 1)[0]  # a name does not run over a line break ("Get Shorty\n\nAnswer ...")
    if any(ch.isdigit() for ch in line) or not any(ch.isupper() for ch in line):
        return None
    if all(w.strip(".:").lower() in FIELD_WORDS for w in line.split()):
        return None  # "Tel.:", "Fax:" at the head of a line: spaCy's small model calls some of them a person
    if LABEL_WORDS.fullmatch(line.strip(" .:")):
        return None  # "Cast:", "Vocals:" in a list of credits
    label = re.match(r"(\S+)\s+", line)
    if label and LABEL_WORDS.fullmatch(label.group(1).strip(".:")):
        line = " " * label.end() + line[label.end() :]  # "Starring Noor van Dijk": the credit's label goes
    name = tidy_name(line)
    if name.lower() in PRODUCTS:
        return None  # "Django says...": software, not a person
    if name.lower() in KIN:
        return None  # "Special thanks: Mum, Dad": what a family calls its own, no name
    where = locate(line, name) if len(name.strip(".")) > 1 else None  # "X" or "J." alone is no name
    if not where:
        return None
    start, end = f.start + where[0], f.start + where[1]
    return Finding(start, end, f.entity_type, f.score, f.text[where[0] : where[1]], f.source)


def _address_line(line: str) -> bool:
    """A line of a postal block: a house number first, a flat or PO box, a street word with a number,
    or a postcode."""
    if _HOUSE_LINE.match(line) or re.search(r"\b\d{4,6}\b", line):
        return True
    streets = lexicon.street_words()
    return any(ch.isdigit() for ch in line) and any(w.lower().strip(".,") in streets for w in line.split())


def _continues_an_address(text: str, place: places.Place, addresses: list[tuple[int, int]]) -> bool:
    """The place overlaps an address, or comes right after one (a comma, "in", the next line), or
    stands on a short line of a postal block (no lower-case word beside it) with an address line among
    the two above it or the one below ("45 Le Loi" / "District 1" / "Ho Chi Minh City"; "Rua Augusta
    1450" / "Bairro Santa Cecília, São Paulo"; not "Day 1" / "San Francisco")."""
    if any(
        a < place[1] and (end >= place[0] or _ADDRESS_JOINT.fullmatch(text[end : place[0]]))
        for a, end in addresses
    ):
        return True
    line_start = text.rfind("\n", 0, place[0]) + 1
    line_end = len(text) if (n := text.find("\n", place[1])) < 0 else n
    rest = (text[line_start : place[0]] + " " + text[place[1] : line_end]).split()
    if len(rest) > 6 or any(w[:1].islower() for w in rest):  # a sentence, not a line of a postal block
        return False
    above = text[:line_start].rstrip("\n").split("\n")[-2:] if line_start else []
    below = text[line_end + 1 :].split("\n", 1)[:1] if line_end < len(text) else []
    return any(_address_line(line) for line in above + below)


def _place_of(text: str, f: Finding, where: list[places.Place]) -> places.Place | None:
    """The place a person finding lies in, or that it reaches only with dictionary words before it
    ("Compare Sierra Leone")."""
    for s, e in where:
        if s <= f.start and f.end <= e:
            return s, e
        if f.start < s < f.end <= e:
            english = lexicon.english_lower()
            if all(w.strip(".,").lower() in english for w in text[f.start : s].split()):
                return s, e
    return None


def drop_places_named_like_people(text: str, findings: list[Finding]) -> list[Finding]:
    """Drop the person findings that lie inside a place ("North Carolina", "San Jose", "in London";
    see places.py), or that start before one only with dictionary words ("Compare Sierra Leone"). A
    place that continues an address ("12 Nguyen Hue, District 1, Ho Chi Minh City") is part of that
    address: a person finding there is kept, as an address over the whole place."""
    if not any(f.entity_type == "PERSON" for f in findings):
        return findings
    where = places.spans(text)
    if not where:
        return findings
    addresses = [(f.start, f.end) for f in findings if f.entity_type == "ADDRESS"]
    out: list[Finding] = []
    for f in findings:
        place = _place_of(text, f, where) if f.entity_type == "PERSON" else None
        if place is None:
            out.append(f)
        elif _continues_an_address(text, place, addresses):
            s, e = place
            out.append(Finding(s, e, "ADDRESS", f.score, text[s:e], f.source))
    return out


def widen_over_titles(text: str, findings: list[Finding]) -> list[Finding]:
    """Each finding with `widen_over_title` applied."""
    return [widen_over_title(text, f) for f in findings]


def widen_over_title(text: str, f: Finding) -> Finding:
    """Extend a person's name over initials next to it and a title just before it ("Dr", "Mrs.")."""
    if f.entity_type != "PERSON":
        return f
    start, end = f.start, f.end
    m = _INITIALS_BEFORE.search(text, 0, start)
    line_start = text.rfind("\n", 0, start) + 1
    if (
        m
        and m.group(0).replace(" ", "") not in NOT_INITIALS
        and not (m.group(0).count(".") == 1 and not text[line_start : m.start()].strip(" \t("))
    ):
        start = m.start()  # not a lone "A." heading a line: a choice's letter ("A. Bill")
    m = _INITIALS_AFTER.match(text[end : end + 8])
    if m and m.group(0).strip() not in NOT_INITIALS:
        end += m.end()
    m = _TITLE_BEFORE.search(text, 0, start)
    if m:
        start = m.start()
    if (start, end) == (f.start, f.end):
        return f
    return Finding(start, end, f.entity_type, f.score, text[start:end], f.source)


def _strength(f: Finding) -> tuple[bool, int, float]:
    """Which of overlapping findings gives the merged span its type: deny-list first, then the
    longest, then the highest score."""
    return (f.source == DENY_LIST_SOURCE, f.end - f.start, f.score)


def merge_overlaps(text: str, findings: list[Finding]) -> list[Finding]:
    """Overlapping findings become one span covering all of them (masking more is the safe side);
    its type is that of the strongest finding (`_strength`; the first of equals)."""
    merged: list[tuple[int, int, Finding]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1][1]:
            start, end, best = merged[-1]
            merged[-1] = (start, max(end, f.end), max(best, f, key=_strength))
        else:
            merged.append((f.start, f.end, f))
    return [
        Finding(start, end, best.entity_type, best.score, text[start:end], best.source)
        for start, end, best in merged
    ]
