"""Names found by the role a label or a layout gives them, whatever the name (issue 27): the names after
a credit label ("Directed by", "Cast:", "Screenplay:"), the speakers of a dialogue ("Tiborc: Not
again..."), surnames alone in a list after words for the people they are ("Authors: Szabó, Lindqvist
and Moreau", "named after its partners ..."), a name with a middle initial ("Oksana P. Hryhorenko"), and
the addressee above a postal block's street line.

Each rule takes the recognizer (its word tests, `ContextWords`), the message and whether it is typed in
lower case, and yields PERSON spans; `by_context` runs them with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import regex

from ..addresses.postal_lines import postal_blocks_in
from ..base import Span
from ..phones import PHONE_CONTEXT
from .context_words import NOT_PERSON, PLACES, ContextWords
from .shapes import RUN_PARTICLES

# a list's text: up to the end of the line or the sentence, a dash or a bracket ("... and Sazonova - who
# should I e-mail first?")
VALUE = r"(?:(?![ \t][-–—][ \t])[^\n.!?;|()\[\]–—]){2,200}"
VALUE_AT = regex.compile(VALUE)
# labels of a film's, a book's or a record's credits; the names follow
CREDIT_LABELS = (
    r"directed|written|produced|edited|narrated|created|illustrated|translated|photographed|designed|"
    r"composed|arranged|performed|presented|hosted|adapted|animated|choreographed|curated|lyrics|music|"
    r"story|screenplay|teleplay|script|words|photography|cinematography|costumes?|choreography"
)
CREDIT_NOUNS = (
    r"director|directors|writer|writers|screenwriter|screenplay|story|starring|also\s+starring|co-starring|"
    r"cast|featuring|feat\.|producer|producers|executive\s+producers?|editor|editors|composer|music|"
    r"cinematographer|cinematography|director\s+of\s+photography|narrator|creator|creators|illustrator|"
    r"translator|lyricist|lyrics|author|authors|host|hosts|presenter|presenters|voices?|with|guest\s+stars?|"
    r"camera|editing|casting|conductor|soloists?|vocals|lead\s+vocals|guitars?|drums|bass|piano|keyboards|"
    r"narration|animation|stunts|makeup|costume\s+design|production\s+design|art\s+direction|storyboards?|"
    r"sound\s+design|visual\s+effects|colou?rist|mixing|mastering|engineer"
)
CREDIT = regex.compile(
    r"(?im)(?:^|(?<=[.;|•,(]\s))[ \t>*•-]*(?:(?:(?:"
    + CREDIT_LABELS
    + r")[ \t]+(?:and|&)[ \t]+)?(?:"
    + CREDIT_LABELS
    + r")[ \t]+by|(?:"
    + CREDIT_NOUNS
    + r"))[ \t]*(?::[ \t]*|[ \t](?=\S))(?P<v>"
    + VALUE
    + ")"
)
# the words for the people a list of surnames names ("Authors: ...", "co-signed by ...", "partners ...")
LIST_CUES = (
    r"authors?|co-?authors|founders|co-?founders|founded\s+by|partners|co-?signed\s+by|signed\s+by|"
    r"signatories|team\s+leads?|leads|supervisors|editors|reviewers|reviewed\s+by|judges|panel(?:l?ists)?|"
    r"committee(?:\s+members)?|board(?:\s+members)?|named\s+after|witnesses|defendants|plaintiffs|"
    r"claimants|organi[sz]ers|contributors|maintainers|investigators|researchers|inventors|owners|heirs|"
    r"trustees|directors|architects|lawyers|attorneys|doctors|surgeons|teachers|coaches|examiners|"
    r"interviewers|referees|advisors|advisers|mentors|hosts|speakers|panelists|(?:the|law)\s+firm\s+of|"
    r"nominees|finalists|candidates|shortlist(?:ed)?|winners|present|absent|absentees|excused|regrets|"
    r"apologies|attendees|attending|in\s+attendance|participants|members|guests|players|thanks\s+to|thanks|jury|"
    r"jurors|b?cc|"
    r"thank\s+you|grateful\s+to|congratulations\s+to|kudos\s+to|shout-?outs?\s+to|"
    r"(?:written|edited|compiled|translated|prepared|approved|sent|drafted|authored|co-?authored|led|run|"
    r"chaired|moderated|hosted|organi[sz]ed|supervised|coordinated|managed|founded|started)\s+by"
)
SURNAME_LIST = regex.compile(r"(?i:\b(?P<cue>" + LIST_CUES + r"))\b(?P<gap>[^\n.!?]{0,40})")
# the cues of a meeting's minutes, after which one name alone is a list ("Apologies: Costa.")
ATTENDANCE = regex.compile(
    r"(?i)present|absent|absentees|excused|regrets|apologies|attending|in\s+attendance"
)
# where a list may start in the gap after its cue: after a space or a colon ("reviewers this year were
# Broeckx & Popov", "Absent today: Yakovlev and Zysk")
LIST_START = regex.compile(r"(?<=[ \t:(])(?=[^ \t:(])")
# what may stand between the cue and the list: nothing, a comma before a list in apposition ("The
# partners, Lindroos, Pisaroni and Torres, met ..."), words up to a colon ("Absent today: ..."), or words up
# to a verb that introduces the list ("reviewers this year were ...")
GAP_BEFORE_LIST = regex.compile(
    r"(?i)[ \t]*\(?|,[ \t]*|[^:]*:[ \t]*|.*\b(?:are|were|is|was|include[sd]?|including|namely|being)[ \t]+"
)
# the last item of a list, after its "and" or "&", up to the next comma
APPOSITION_LAST = regex.compile(r"(?i)(?<![\p{L}\p{M}])(?:and|&)[ \t]+[^,]*")
# a credit label or a list's cue alone on its line, the names on the lines under it ("Cast:\n- Rune Bakken")
PEOPLE_HEADING = regex.compile(
    r"(?im)^[ \t>*•-]*(?:(?:"
    + CREDIT_LABELS
    + r")[ \t]+by|"
    + CREDIT_NOUNS
    + r"|"
    + LIST_CUES
    + r")[ \t]*:[ \t]*$"
)
BULLET = regex.compile(r"[ \t>*•-]*(?:\d{1,2}[.)][ \t]+)?")
# the words between a list's cue and its first name: "the winners are ...", "partners were: ..."
LIST_LEAD = regex.compile(
    r"(?i)(?:(?:are|were|is|was|include[sd]?|including|namely|its|our|their|his|her|the|two|three|four|"
    r"both|also|with)\b[ \t:]*)+"
)
# items of a list: commas, "and", "&", slashes
LIST_SPLIT = regex.compile(
    r"[ \t]*(?:,|;|/|&|·|\bas[ \t]+well[ \t]+as\b|\bplus\b|\bor\b|\band\b|\bund\b|\bet\b|\by\b|\bi\b|"
    r"\bog\b|\boch\b)[ \t]*"
)
NAME_WORD = r"[\p{L}\p{M}][\p{L}\p{M}'’-]*\.?"
ITEM = regex.compile(NAME_WORD + r"(?:[ \t]+" + NAME_WORD + r"){0,3}")
# a dialogue line: a speaker's label, a colon, what they say (in Markdown the label may be bold: "**Marit:**";
# a stage direction may follow the label: "Tiborc (angry): ...")
DIALOGUE = regex.compile(
    r"(?m)^[ \t>*_-]*(?P<v>[\p{L}\p{M}][\p{L}\p{M}'’ʼ-]+(?:[ \t]+[\p{L}\p{M}'’ʼ-]+)?)[*_]*"
    r"(?:[ \t]*\([^)\n]{1,20}\))?[ \t]*:[*_]*[ \t]+(?P<said>[^\n]+)"
)
# what a speaker says starts with words, not a value ("Telefonnummer: 021 212 603")
SPEECH = regex.compile(r"[^\d\n+(]{2}[^\n]*")
# labels of a line that are no speaker
NOT_SPEAKERS = frozenset(
    """question answer q a note notes nb hint tip tips example examples input output step user assistant
    system bot ai context summary task response reply subject re from to cc bcc date time title name email
    phone address options choices translation original source account customer total price status result
    results error warning info debug update edit ps fyi agenda item todo done problem solution reason
    explanation definition meaning topic goal goals rule rules warning caution important attention remember
    instructions prompt text message quote comment comments feedback review rating score category tags
    location venue where when who what why how day week morning afternoon evening night attn attention
    consignee recipient sender shipper payee payer client patient contact c/o""".split()
)
# "Oksana P. Hryhorenko", "kornil f. rozhkov", "Oksana P Hryhorenko", "oksana p hryhorenko": a first name,
# a middle initial (with its dot, or without one: a capital, or a letter in lower case but "a" and "i"), a
# surname
MIDDLE_INITIAL = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>(?P<first>\p{L}[\p{Ll}\p{Lm}\p{M}'’ʼ-]+)[ \t]+"
    r"(?:\p{L}\.|\p{Lu}(?=[ \t]+\p{Lu})|(?P<bare>[b-hj-z]))[ \t]+"
    r"(?P<last>\p{L}(?:[\p{Ll}\p{Lm}\p{M}ʼ-]|['’](?!s\b))+))(?![\p{L}\p{M}ʼ-])"
)


def _items(value: str, offset: int) -> Iterator[tuple[int, int, str]]:
    """The items of a list written in `value` (which starts at `offset`): where each is, and the item."""
    pos = 0
    for sep in [*LIST_SPLIT.finditer(value), None]:
        end = sep.start() if sep else len(value)
        item = value[pos:end]
        body = item.strip(" \t")
        if body:
            at = offset + pos + item.index(body)
            yield at, at + len(body), body
        if sep is None:
            return
        pos = sep.end()


def _listed_name(w: ContextWords, item: str, lower_mode: bool) -> str | None:
    """How an item of a list after a word for people looks like a name: "strong" (one to four name
    words, capitalised, or in a message typed in lower case one of them a first name or no English
    word), "weak" (lower-case words that are English words too: "baker") or None (a stop word, a digit)."""
    if not ITEM.fullmatch(item):
        return None
    # particles inside a name ("Pieter van den Berg", "Maria de la Cruz"): no stop words, not capitalised
    words = [x.strip(".'’") for x in item.split() if x.lower() not in RUN_PARTICLES]
    lows = [x.lower() for x in words]
    if not words or any(w.is_stop(low) for low, word in zip(lows, words, strict=True) if len(word) > 1):
        return None
    if lower_mode and item.islower():
        return "strong" if any(low in w.first or w.unknown_word(low) for low in lows) else "weak"
    if not all(x[:1].isupper() for x in words):
        return None
    return "weak" if w.plain_word(item) else "strong"  # "HOST: Welcome." is no credit


def _name_head(w: ContextWords, item: str, lower_mode: bool) -> str | None:
    """The words at the head of `item` that are a strong name, when a word that is none follows them:
    the capitalised words before the first that is not ("Vass for the long hours"), or in a message typed
    in lower case the first word alone ("vass for the long hours")."""
    words = item.split()
    if lower_mode and item.islower():
        n = 1
    else:
        n = next((i for i, x in enumerate(words) if not x[:1].isupper()), len(words))
    if not 0 < n < len(words) or n > 4:
        return None
    head = item[: item.index(words[n - 1]) + len(words[n - 1])]
    return head if _listed_name(w, head, lower_mode) == "strong" else None


def _named_items(
    w: ContextWords, value: str, offset: int, lower_mode: bool, least: int, every: bool = False
) -> Iterator[Span]:
    """The items of a list that are names, up to the first that is none, when at least `least` are and
    one of them (`every`: all of them) is a strong name ("written by hand" is no credit)."""
    spans, strong = [], False
    for start, end, item in _items(value, offset):
        shape = _listed_name(w, item, lower_mode)
        if every and shape != "strong":
            return
        if shape is None and spans:
            # the list's last item runs on into the sentence ("... Benavides and Vass for the long
            # hours"): its name is the words before the first that is none, when the items before it
            # already make a list of names
            head = _name_head(w, item, lower_mode)
            if head and strong:
                spans.append((start, start + len(head), "PERSON", 0.9))
            break
        if shape is None:
            break
        strong = strong or shape == "strong"
        spans.append((start, end, "PERSON", 0.9))
    if len(spans) >= least and strong:
        yield from spans


# two or more capitalised words in a list after "by", whatever the verb before it: "formed in 1994 by
# Haukeland, Ostrowski and Meijer"
_CAPITALISED = r"\p{Lu}[\p{Ll}\p{M}'’-]+"
BARE_LIST = regex.compile(
    rf"\b(?i:by)[ \t]+(?P<v>{_CAPITALISED}(?:,[ \t]+{_CAPITALISED})*,?[ \t]+(?:and|&)[ \t]+{_CAPITALISED})"
    r"(?![\p{L}\p{M}'’-])"
)


def _bare_item(w: ContextWords, word: str) -> str | None:
    """How a capitalised word alone in a list looks like a surname: "unknown" (no list knows it),
    "listed" (a surname or first name that is no English word or place), or None."""
    low = word.lower()
    if w.is_stop(low) or low in w.places or low in w.streets:
        return None
    if w.unknown_word(low):
        return "unknown"
    if (low in w.last or low in w.first) and not w.is_english(low):
        return "listed"
    return None


def bare_surname_lists(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Surnames alone in a list after "by" with no word for people before it ("formed by Haukeland,
    Ostrowski and Meijer"): every item a word no list knows or a surname that is no English word, one
    of them at least no list knows, none that spaCy calls a number or a date, and none of the listed
    ones a place (spaCy calls surnames it does not know places or organisations: "opened by Abernethy,
    Okoro and Vantongeren" are two places to it; real places are dropped later, `resolve`). In a
    message typed in lower case there are no capitals to go by, and the rule is off."""
    if lower_mode:
        return
    for m in BARE_LIST.finditer(text):
        items = list(regex.finditer(_CAPITALISED, m.group("v")))
        shapes = [_bare_item(w, i.group()) for i in items]
        if None in shapes or "unknown" not in shapes:
            continue
        at = m.start("v")
        if any(
            w.blocked(at + i.start(), at + i.end(), NOT_PERSON if shape == "listed" else NOT_PERSON - PLACES)
            for i, shape in zip(items, shapes, strict=True)
        ):
            continue
        for i in items:
            yield at + i.start(), at + i.end(), "PERSON", 0.9


def credits(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The names after a credit label: "Directed by Ilse Varga", "Cast: Rune Bakken, Helena Lepšíková"."""
    for m in CREDIT.finditer(text):
        lead = LIST_LEAD.match(m.group("v"))
        skip = lead.end() if lead else 0
        yield from _named_items(w, m.group("v")[skip:], m.start("v") + skip, lower_mode, least=1)


def names_under_headings(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The names on the lines under a credit label or a list's cue alone on its line, one line or more
    ("Cast:\n- Rune Bakken\n- Helena Lepšíková", "Authors:\n Seleznev, Sazonova"), up to a line that
    holds none."""
    for m in PEOPLE_HEADING.finditer(text):
        pos = m.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            bullet = BULLET.match(text, pos, end)
            found = list(_named_items(w, text[bullet.end() : end], bullet.end(), lower_mode, least=1))
            if not found:
                break
            yield from found
            pos = end + 1


def surname_lists(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """Two or more names after a word for the people they are: "Authors: Szabó, Lindqvist and Moreau",
    "named after its partners Oliveira and Conwell", "the winners are Ruiz and Tamm"."""
    for m in SURNAME_LIST.finditer(text, overlapped=True):
        for start in LIST_START.finditer(text, m.start("gap"), m.end("gap") + 1):
            if not GAP_BEFORE_LIST.fullmatch(text, m.start("gap"), start.start()):
                continue
            value = VALUE_AT.match(text, start.start())
            if value is None:
                continue
            lead = LIST_LEAD.match(value.group())
            skip = lead.end() if lead else 0
            items = value.group()[skip:]
            gap = text[m.start("gap") : start.start()]
            apposition = gap.strip().startswith(",")
            if apposition:
                # "The partners, Lindroos, Pisaroni and Torres, met ...": the list ends at the comma after
                # its last item, and every item must be a strong name ("Our partners, banks and insurers,")
                last = APPOSITION_LAST.search(items)
                items = items[: last.end()] if last else items
            # one name is a list too in the minutes' "Apologies: Costa."
            least = 1 if ATTENDANCE.fullmatch(m.group("cue")) and ":" in gap else 2
            found = list(_named_items(w, items, value.start() + skip, lower_mode, least, every=apposition))
            if found:
                yield from found
                break


# a credit's or a list's label word ("Cast", "Vocals", "Directors"): spaCy calls some of them a person
LABEL_WORDS = regex.compile(r"(?i)(?:" + CREDIT_NOUNS + "|" + LIST_CUES + "|" + CREDIT_LABELS + ")")


def _speaker(w: ContextWords, label: str) -> bool:
    low = label.lower()
    first = low.split()[0]
    if low in NOT_SPEAKERS or first in NOT_SPEAKERS or w.is_stop(first) or LABEL_WORDS.fullmatch(low):
        return False
    return first in w.first or w.unknown_word(first)


def _speech(said: str) -> bool:
    """Words someone says, not a field's value: no digit first, four digits at most ("Kontakt: Tel. 70
    123 37 17" is a phone field)."""
    return bool(SPEECH.fullmatch(said.strip())) and sum(ch.isdigit() for ch in said) <= 4


def speakers(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The speakers of a dialogue: lines that start with a name and a colon ("Tiborc: Not again..."). A
    label that is no English word or a known first name counts; with two such lines or more, any label
    that is no stop word and no common line label ("Answer:", "Note:") does."""
    lines = [
        m
        for m in DIALOGUE.finditer(text)
        if m.group("v").lower() not in NOT_SPEAKERS
        and not LABEL_WORDS.fullmatch(m.group("v"))
        and not PHONE_CONTEXT.search(m.group("v"))
        and _speech(m.group("said"))
    ]
    named = [m for m in lines if _speaker(w, m.group("v"))]
    dialogue = len(named) >= 2 and len(lines) >= 2
    for m in lines:
        label = m.group("v")
        if m in named or (
            dialogue and not w.is_stop(label.split()[0].lower()) and (lower_mode or label[0].isupper())
        ):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def middle_initials(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """A first name, a middle initial and a surname: "Oksana P. Hryhorenko", in lower case too."""
    for m in MIDDLE_INITIAL.finditer(text):
        first, last = m.group("first"), m.group("last")
        if not lower_mode and not (first[0].isupper() and last[0].isupper()):
            continue
        if m.group("bare") and not lower_mode:
            continue  # "oksana p hryhorenko": an initial with no dot, in a message typed in lower case
        f, s = first.lower(), last.lower()
        if w.is_stop(f) or w.is_stop(s):
            continue
        if (f in w.first or w.unknown_word(f)) and (s in w.last or w.unknown_word(s) or not w.is_english(s)):
            yield m.start("v"), m.end("v"), "PERSON", 0.9


def addressees(w: ContextWords, text: str, lower_mode: bool) -> Iterable[Span]:
    """The line above a postal block's street line: the addressee ("Ship to:\\n Ana Ferraz\\n 27 Rua ...")."""
    for block in postal_blocks_in(text, lower_mode):
        if block.above is None:
            continue
        start, end = block.above
        where = w.name_value(text[start:end], lower_ok=True, strong=False)
        if where and len(text[start:end].split()) >= 2:
            yield start + where[0], start + where[1], "PERSON", 0.9
