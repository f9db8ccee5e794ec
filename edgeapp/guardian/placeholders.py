"""Placeholder integrity: did the reply keep the placeholders the question sent, and does it carry
any this conversation never sent?

The vault restores the tolerant spellings (`[PERSON_1]`, `<Person_1>`, `PERSON 1`, ...); what is
left is judged here:

- invented: the gatekeeper's shape `<TYPE_N>` with a number never sent (`<PERSON_7>`), a loose
  spelling of a type of personal data with such a number (`[CREDIT_CARD_3]`, `PERSON_7`), or two
  placeholders merged into one or one without its number (`<PERSON_1_2>`, `<PERSON_1 and PERSON_2>`,
  `<PERSONS_1_2>`, `<PERSON>` when persons were sent). A bare `PERSON 3` with a space is words, not
  a placeholder, unless that placeholder was sent.
- dropped: a placeholder of the question that appears in the reply in no restorable spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..gatekeeper.entities import ENTITY_TYPES
from ..gatekeeper.vault import PLACEHOLDER_RE, loose_key, loose_placeholders
from .findings import PLACEHOLDER_DROPPED, PLACEHOLDER_INVENTED, Finding

# first words of the types of personal data, and the short names a model writes for them
_TYPE_WORDS = {kind.split("_")[0] for kind in ENTITY_TYPES} | {"CARD", "EMAIL", "PHONE", "NAME", "SSN", "KEY"}
# something in brackets that starts like a type of personal data: merged or numberless placeholders
# (not a shell `${API_KEY}` or LaTeX `\text{Person}`)
_ODD_RE = re.compile(
    r"(?<![$\w\\])(?:<|&lt;|\[|\{\{?)\s?([A-Z][A-Za-z0-9_ ,&\-]{1,60}?)\s?(?:>|&gt;|\]|\}\}?)"
)
_STRICT_BARE_RE = re.compile(r"[A-Z][A-Z0-9_]*_\d+")


def _type_word(content: str) -> str:
    word = re.split(r"[_ ,&\-\d]", content, maxsplit=1)[0].upper()
    return word[:-1] if word.endswith("S") and word[:-1] in _TYPE_WORDS else word


def check_placeholders(reply: str, known: Iterable[str], expected: Iterable[str]) -> list[Finding]:
    """Findings for `reply` (as the cloud wrote it). `known`: every placeholder of the conversation
    (the vault's); `expected`: the placeholders of the message the reply answers."""
    known = set(known)
    sent_words = {_type_word(m.group(1)) for m in PLACEHOLDER_RE.finditer(" ".join(known))}
    words = _TYPE_WORDS | sent_words
    found: set[str] = set()
    covered: list[tuple[int, int]] = []
    invented: list[Finding] = []
    for match in loose_placeholders(reply):
        key, written = loose_key(match), match.group(0)
        covered.append(match.span())
        if key in known:
            found.add(key)
            continue
        if match.group(1) is not None:  # in brackets of some kind
            suspicious = PLACEHOLDER_RE.fullmatch(written) is not None or _type_word(match.group(1)) in words
        else:  # bare: only the underscore spelling of a type of personal data
            suspicious = _STRICT_BARE_RE.fullmatch(written) is not None and _type_word(written) in words
        if suspicious:
            invented.append(Finding(PLACEHOLDER_INVENTED, written, written, "unknown-number"))
    for match in _ODD_RE.finditer(reply):
        if any(start <= match.start() < end for start, end in covered):
            continue
        content = match.group(1)
        word = _type_word(content)
        if word in words and (re.search(r"\d", content) or word in sent_words):
            written = match.group(0)
            invented.append(Finding(PLACEHOLDER_INVENTED, written, written, "merged-or-numberless"))
    dropped = [
        Finding(PLACEHOLDER_DROPPED, placeholder, "", "missing")
        for placeholder in dict.fromkeys(expected)
        if placeholder not in found
    ]
    return invented + dropped
