"""What a person's name looks like: the regular expressions for its words (`CAP`, `NAME_RUN`,
`LOW_RUN`...), where a detected name really ends (`tidy_name`), where its words stand in a text
(`locate`), and whether a run of capitalised words has a full name's shape rather than an
organisation's (`looks_like_full_name`)."""

from __future__ import annotations

import re

from ...lexicon.name_words import LEADING_VERBS, NOT_NAME, NUMBER_WORDS, PARTICLES

# words of organisations, places and times: a run with one of them is no person's full name
ORG_WORDS = frozenset(
    """inc ltd llc plc corp corporation company co group bank school university college academy institute
    park lake river mountain street road avenue city county state north south east west new san santa
    saint st store shop market mall restaurant cafe hotel hospital clinic church club team center centre
    airlines air motors foods news times post press records studios pictures games labs systems solutions
    services international national united american british european global department ministry office
    council committee association society foundation trust fund day week month year morning evening
    night""".split()
)
# the words of a name as regular expressions (the `regex` module's syntax)
CAP = (
    r"(?:\p{Lu}['’])?\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{L}[\p{Ll}\p{M}]*)*"  # "Seo-yeon", "O'Sullivan", "Nguyễn"
)
CAPS = r"\p{Lu}{2,}(?:['’-]\p{Lu}+)*"  # "OKAFOR" (a family name written first)
INITIAL = r"\p{Lu}\."
LOW = r"\p{Ll}[\p{Ll}\p{M}]+(?:['’-]\p{Ll}[\p{Ll}\p{M}]*)*"
# particles inside a run of name words ("Ana dos Santos", "Taavi van der Berg")
RUN_PARTICLES = PARTICLES | frozenset("dos das do della ní nic mac bin binti ibn el ter van de dela".split())
PART = r"(?:" + "|".join(sorted(RUN_PARTICLES, key=lambda w: (-len(w), w))) + r")"
# a word in a script without capitals (a name after a strong cue may be written so)
NO_CASE = r"[\p{Han}\p{Hangul}\p{Katakana}\p{Hiragana}\p{Arabic}\p{Hebrew}\p{Thai}\p{Devanagari}ー・]{1,12}"
# a run of one to four name words on one line: capitalised words, initials, particles inside
NAME_RUN = (
    r"(?:"
    + CAP
    + r"|"
    + CAPS
    + r")(?:[ \t]+(?:(?:"
    + PART
    + r")[ \t]+)*(?:"
    + CAP
    + r"|"
    + CAPS
    + r"|"
    + INITIAL
    + r")){0,3}"
)
# after a strong cue (a form field, a greeting, a relation) a name may be in a script without capitals
CUED_RUN = r"(?:" + NAME_RUN + r"|" + NO_CASE + r"(?:[ \t]" + NO_CASE + r"){0,2})"
LOW_RUN = r"(?:" + LOW + r")(?:[ \t]+" + LOW + r"){0,2}"

_FULL_NAME_SHAPE = re.compile(
    r"^[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?){1,2}$"
)


def tidy_name(value: str) -> str:
    """The part of a detected name that is a name: stop at a number word ("Sally Four"), a stop
    word, or a lower-case word after a capitalised one ("John ate"); "" when nothing is left."""
    kept: list[str] = []
    for word in value.split():
        bare = word.strip(".,;:!?'’").lower()
        if not kept and bare in LEADING_VERBS:  # "EMAIL DEBORAH PHAM" re-cased is "Email Deborah Pham"
            continue
        if bare in NUMBER_WORDS or bare in NOT_NAME:
            break
        if kept and word[:1].islower() and bare not in PARTICLES and any(w[:1].isupper() for w in kept):
            break
        kept.append(word)
    return " ".join(kept)


def locate(text: str, name: str, start: int = 0) -> tuple[int, int] | None:
    """Where the words of `name` (as `tidy_name` joined them, by single spaces) stand in `text`,
    whatever whitespace separates them there ("Usual Suspects:\nOptions")."""
    m = re.compile(r"\s+".join(map(re.escape, name.split()))).search(text, start)
    return (m.start(), m.end()) if m else None


def name_words(candidate: str) -> str:
    """The leading words of `candidate` that can be part of a name."""
    kept: list[str] = []
    for word in candidate.split():
        if word.lower() in NOT_NAME or word.lower() in NUMBER_WORDS:
            break
        kept.append(word)
    return " ".join(kept)


def looks_like_full_name(value: str) -> bool:
    """ "Tiffany Diaz" yes; "Home Depot Inc", "North Ryan", "The Store" no."""
    if not _FULL_NAME_SHAPE.match(value):
        return False
    words = [w.lower() for w in value.split()]
    return not any(w in ORG_WORDS or w in NOT_NAME for w in words)
