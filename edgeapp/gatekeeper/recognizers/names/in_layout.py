"""Names found by where they stand in a text's layout, whatever the name: a form field or a mail
header for a person ("Name:", "Nombre:", "From: "Okafor, Chinwe""), a JSON name field, the name
column of a table or a name cell of a CSV row, a greeting ("Hi Seo-yeon,") and the line under a
closing ("Best,"), the speaker of a chat log line ("[10:42] Chidi: on my way"), a heading line
("Notes from Chidi:"), a ticket's passenger ("LEE/SEO YEON MS"), and a Cyrillic or Greek name in a
message in Latin letters.

Each rule takes the recognizer (its word tests, `ContextWords`), the message and whether it is typed
in lower case, and yields PERSON spans; `by_context` runs them in its fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from ..base import Span
from .context_words import ContextWords, words_span
from .shapes import CUED_RUN, LOW_RUN, NAME_RUN

# labels of a form field or header whose value is a person
_LABELS = (
    r"(?:full\s+|first\s+|last\s+|family\s+|given\s+|middle\s+|maiden\s+|contact\s+|account\s+|customer\s+|"
    r"patient\s+|guest\s+|student\s+|employee\s+|client\s+|applicant'?s?\s+|your\s+)?names?|surname|"
    r"nombre(?:\s+completo)?|apellidos?|nom(?:\s+complet)?|prénom|navn|namn|nimi|nome(?:\s+completo)?|"
    r"imię(?:\s+i\s+nazwisko)?|nazwisko|vorname|nachname|naam|achternaam|voornaam|isim|ad\s+soyad|"
    r"contact(?:\s+person)?|applicant|guest|customer|client|patient|tenant|landlord|landlady|passenger|"
    r"recipient|"
    r"sender|addressee|account\s+holder|holder|cardholder|card\s+holder|beneficiary|payee|payer|attn|"
    r"attention|"
    r"driver|emergency\s+contact|next\s+of\s+kin|signed(?:\s+by)?|employee|student|pupil|parent|guardian|"
    r"owner|"
    r"buyer|seller|author|reporter|assignee|requester|requested\s+by|organi[sz]er|host|speaker|witness|"
    r"spouse|"
    r"referee|reference|doctor|physician|from|to|cc|bcc|reply-to|wrote\s+by|written\s+by|prepared\s+by|"
    r"attendee"
)
FIELD = regex.compile(
    r"(?im)(?:^|(?<=[;|][ \t]*))[ \t>*•-]*(?:"
    + _LABELS
    + r")(?:[ \t]*[:：][ \t]*(?:\n[ \t>]*)?|[ \t]+[-–—][ \t]+)"
    r"(?P<v>[^\n<(@\[{|\"]{2,70})"
)
# two or three capitalised Cyrillic or Greek words in a message written in Latin letters: a name ("send
# this to Иван Петров", "Γιώργος Παπαδόπουλος")
_CG_WORD = r"[А-ЯЁІЇЄҐΑ-ΩΆΈΉΊΌΎΏ][а-яёіїєґα-ωάέήίόύώϊϋΐΰς]+"
CYRILLIC_GREEK_NAME = regex.compile(
    r"(?<![\p{L}\p{M}])(?P<v>" + _CG_WORD + r"(?:[ \t]+" + _CG_WORD + r"){1,2})(?![\p{L}\p{M}])"
)
# a ticket's passenger name, SURNAME/GIVEN NAMES, with a title after it or a passenger cue before it on
# the line: "LEE/SEO YEON MS", "pax: SMITH/JOHN MR" (not "TCP/IP")
AIRLINE_NAME = regex.compile(
    r"(?m)(?:(?<=(?i:passenger|pax|traveller|traveler|name)[ \t]*:?[ \t]*)|"
    r"(?=[A-Z'-]+/[A-Z'-]+(?:[ ][A-Z'-]+){0,3}"
    r"[ ]+(?:MR|MRS|MS|MISS|MSTR|DR|MX)\b))"
    r"(?P<v>\b[A-Z][A-Z'-]+/[A-Z][A-Z'-]+(?:[ ](?!(?:MR|MRS|MS|MISS|MSTR|DR|MX)\b)[A-Z][A-Z'-]+){0,3})\b"
)
# a mail header's display name in quotes, "Family, Given" as mail programs write it: From: "Okafor,
# Chinwe" <...>
QUOTED_SENDER = regex.compile(
    r'(?im)^[ \t>]*(?:from|to|cc|bcc|reply-to|sender)[ \t]*:[ \t]*"(?P<v>[^"\n]{2,60})"'
)
_GREETINGS = (
    r"hi|hello|hey|dear|hej|hola|salut|bonjour|bonsoir|ciao|hallo|olá|ola|hei|moi|merhaba|namaste|salam|"
    r"assalamu\s+alaikum|szia|ahoj|cześć|czesc|privet|sveiki|tere|halo|kia\s+ora|sawubona|jambo|habari|"
    r"good\s+(?:morning|afternoon|evening)|greetings|howdy|yo|sehr\s+geehrte[r]?|liebe[r]?|querid[oa]|cara?|"
    r"caro|"
    r"beste|kære|kära|kjære|hyvä|estimad[oa]"
)
GREETING = regex.compile(
    r"(?im)(?:^|(?<=[.!?]\s))[ \t>]*(?:"
    + _GREETINGS
    + r")[ \t]+(?P<v>"
    + CUED_RUN
    + r")(?=[ \t]*[,!:\n—–-]|$)"
)
_CLOSINGS = (
    r"best(?:\s+regards|\s+wishes)?|kind\s+regards|warm\s+regards|warmest\s+regards|regards|cheers|thanks|"
    r"thank\s+you|"
    r"many\s+thanks|thx|sincerely|yours(?:\s+sincerely|\s+truly|\s+faithfully)?|love|xoxo|take\s+care|"
    r"saludos(?:\s+cordiales)?|un\s+saludo|atentamente|cordialement|bien\s+à\s+vous|amitiés|bises|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|liebe\s+grüße|lg|beste\s+grüße|med\s+vennlig\s+hilsen|mvh|"
    r"hilsen|"
    r"med\s+venlig\s+hilsen|venlig\s+hilsen|hälsningar|vänliga\s+hälsningar|mvh|terveisin|"
    r"ystävällisin\s+terveisin|"
    r"groeten|met\s+vriendelijke\s+groet(?:en)?|groetjes|pozdrawiam|s\s+pozdravem|pozdrav|atenciosamente|"
    r"abraços|"
    r"cumprimentos|beijos|distinti\s+saluti|cordiali\s+saluti|saluti|un\s+abbraccio|saygılarımla|üdvözlettel|"
    r"--|—|sent\s+from\s+\w+"
)
CLOSING = regex.compile(
    r"(?im)^[ \t>]*(?:" + _CLOSINGS + r")[ \t]*[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t>]*(?P<v>[^\n]{2,60})$"
)
TIMESTAMP_SPEAKER = regex.compile(
    r"(?m)^[ \t]*(?:\[?\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?[ \t]*)?"
    r"\[?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?[ \t]*(?:[AaPp][Mm])?\]?"
    r"[ \t]*[-–]?[ \t]*(?P<v>" + NAME_RUN + r"|" + LOW_RUN + r")[ \t]*:"
)
JSON_FIELD = regex.compile(
    r"(?i)[\"'](?:name|full_?name|first_?name|last_?name|given_?name|family_?name|surname|"
    r"customer(?:_?name)?|"
    r"client(?:_?name)?|guest(?:_?name)?|contact(?:_?name|_?person)?|author|recipient|sender|owner|patient|"
    r"employee|"
    r"passenger|account_?holder|holder|cardholder|beneficiary|payee|driver|student|"
    r"tenant|user_?full_?name)[\"']"
    r"\s*:\s*[\"'](?P<v>[^\"'\n]{2,60})[\"']"
)
NAME_HEADER = regex.compile(
    r"(?i)^(?:(?:full|first|last|given|family|customer|client|guest|contact|employee|student|patient|"
    r"passenger)"
    r"[ _]?)?(?:name|names|surname|guest|customer|client|contact|person|employee|student|patient|passenger|"
    r"tenant|"
    r"attendee|member|participant|owner|driver|recipient|nombre|nom|navn|namn|nimi|nome|naam)s?$"
)
# a column headed only "name" heads product lists too: there a one-word cell must be a known first name
_BARE_NAME_HEADER = regex.compile(r"(?i)names?|nombre|nom|navn|namn|nimi|nome|naam")
# "New address for Mads:", "Notes from Chidi:": a name at the end of a heading line
HEADING_FOR = regex.compile(
    r"(?im)^[^\n:]{0,40}\b(?:for|from|to|with|by|about)[ \t]+(?P<v>" + NAME_RUN + r")[ \t]*:[ \t]*$"
)
_TABLE_ROW = regex.compile(r"^\s*\|(.*)\|\s*$")


def _cells(line: str) -> tuple[list[str], str]:
    """The cells of a Markdown table row or a CSV line (comma, semicolon or tab), and the separator."""
    table = _TABLE_ROW.match(line)
    if table:
        return table.group(1).split("|"), "|"
    for sep in ("\t", ";", ","):
        if line.count(sep) >= 1 and not regex.search(r"[.!?]\s", line):
            return line.split(sep), sep
    return [], ""


def form_fields(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The value of a form field or header for a person: "Name: ...", "student: X; guardian: Y"."""
    for m in FIELD.finditer(text, overlapped=True):
        where = w.name_value(m.group("v"), lower_ok=lower_mode)
        if where and not w.plain_word(m.group("v")[where[0] : where[1]]):
            yield m.start("v") + where[0], m.start("v") + where[1], "PERSON", 0.9


def cyrillic_greek_names(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Two or three capitalised Cyrillic or Greek words in a message mostly in Latin letters."""
    if len(regex.findall(r"[A-Za-z]", text)) > len(regex.findall(r"[\p{Cyrillic}\p{Greek}]", text)):
        for m in CYRILLIC_GREEK_NAME.finditer(text):
            yield m.start("v"), m.end("v"), "PERSON", 0.85


def airline_names(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A ticket's passenger: "LEE/SEO YEON MS", "pax: SMITH/JOHN MR"."""
    for m in AIRLINE_NAME.finditer(text):
        yield m.start("v"), m.end("v"), "PERSON", 0.9


def quoted_senders(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A mail header's quoted display name, each part of "Family, Given"."""
    for m in QUOTED_SENDER.finditer(text):
        offset = 0
        for part in m.group("v").split(","):
            where = w.name_value(part, lower_ok=True)
            if where:
                yield m.start("v") + offset + where[0], m.start("v") + offset + where[1], "PERSON", 0.9
            offset += len(part) + 1


def json_fields(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The value of a JSON name field: "customer": "..."."""
    for m in JSON_FIELD.finditer(text):
        where = w.name_value(m.group("v"), lower_ok=True)
        if where:
            yield m.start("v") + where[0], m.start("v") + where[1], "PERSON", 0.9


def _column_cells(
    w: ContextWords, header: list[str], column: list[int], row: tuple[int, str, list[str]]
) -> Iterable[Span]:
    """The names in a row's cells of the name columns (`row`: where the line starts, the line, its cells)."""
    start, line, cells = row
    offset = 0
    for k, cell in enumerate(cells):
        at = line.index(cell, offset)
        offset = at + len(cell)
        if k not in column:
            continue
        where = w.name_value(cell, lower_ok=True, strong=False)
        if (
            where
            and _BARE_NAME_HEADER.fullmatch(header[k].strip())
            and len(cell.split()) < 2
            and cell.strip().lower() not in w.first
        ):
            where = None
        if where:
            yield start + at + where[0], start + at + where[1], "PERSON", 0.9


def table_columns(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The name column of a CSV (comma, semicolon or tab) or a Markdown table."""
    lines, pos = [], 0
    for piece in text.split("\n"):
        lines.append((pos, piece))
        pos += len(piece) + 1
    i = 0
    while i < len(lines):
        cells, sep = _cells(lines[i][1])
        column = [k for k, c in enumerate(cells) if NAME_HEADER.match(c.strip())] if cells else []
        if not column or len(cells) < 2:
            i += 1
            continue
        j = i + 1
        while j < len(lines):
            start, line = lines[j]
            row, row_sep = _cells(line)
            if regex.fullmatch(r"[\s|:-]+", line) and line.strip():
                j += 1
                continue  # the |---|---| line
            if row_sep != sep or len(row) < 2:
                break
            yield from _column_cells(w, cells, column, (start, line, row))
            j += 1
        i = j


def _name_cell(w: ContextWords, value: str) -> bool:
    """A cell of two or three capitalised words that are no English words (surnames and first names
    allowed), or a known first name and nothing else."""
    words = value.split()
    if not regex.fullmatch(NAME_RUN, value) or not 1 <= len(words) <= 3:
        return False
    lows = [x.lower() for x in words]
    if len(words) == 1:
        low = lows[0]
        return low in w.first and not w.is_english(low) and low not in w.places and not w.is_stop(low)
    return w.person_word(lows[0]) and all(
        not w.is_stop(x) and (w.unknown_word(x) or x in w.last or x in w.first) for x in lows[1:]
    )


def table_rows(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A name in a table or CSV row with no header ("| 3 | Dagny Aasen | approved |", "Ahmed,22 21 57
    83,active")."""
    pos = 0
    for line in text.split("\n"):
        cells, sep = _cells(line)
        if len(cells) >= 3 and (sep == "|" or sum(bool(regex.search(r"\d", c)) for c in cells) >= 1):
            offset = 0
            for cell in cells:
                at = line.index(cell, offset)
                offset = at + len(cell)
                value = cell.strip()
                if _name_cell(w, value):
                    lead = len(cell) - len(cell.lstrip())
                    yield pos + at + lead, pos + at + lead + len(value), "PERSON", 0.9
        pos += len(line) + 1


def greetings(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The name a greeting is to: "Hi Seo-yeon,", "Hola Iker", "Hej Ylva"."""
    for m in GREETING.finditer(text):
        n = w.greeted(m.group("v"))
        if n:
            yield words_span(m, n)


def closings(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The line under a closing: "Best,\\nChidi", "Med vennlig hilsen\\nYlva"."""
    for m in CLOSING.finditer(text):
        where = w.name_value(m.group("v"), lower_ok=lower_mode, strong=False)
        if where and not regex.search(r"[?!:]", m.group("v")):
            yield m.start("v") + where[0], m.start("v") + where[1], "PERSON", 0.9


def chat_speakers(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The speaker of a chat log line with a time stamp ("[10:42] Chidi: on my way"); a log has two or
    more such lines ("10:30 Standup: ..." alone is an agenda) unless the speaker is a listed first name."""
    speakers = list(TIMESTAMP_SPEAKER.finditer(text))
    for m in speakers:
        known = m.group("v").split()[0].lower() in w.first
        if known or (len(speakers) >= 2 and w.run_ok(m.group("v"), strong_verb=True)):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def headings_for(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A name at the end of a heading line: "New address for Mads:", "Notes from Chidi:"."""
    for m in HEADING_FOR.finditer(text):
        n = w.run_ok(m.group("v"), strong_verb=True)
        if n:
            yield words_span(m, n)
