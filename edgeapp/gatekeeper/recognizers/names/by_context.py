"""People's names found from the structure and the words around them, whatever the name is
(given names no list knows: "Chidi", "Seo-yeon", "Tewodros"):

- where they stand in a text's layout (`in_layout`): a form field or header for a person, a JSON name
  field, a table's name column, a greeting and the line under a closing, a chat log's speaker, a
  heading line, a ticket's passenger;
- the words around them in prose (`in_prose`): a list after words that announce people, possessives,
  full names of words no list knows, the slots only a person fills, initials, relations, what people
  are asked and what they do;
- the role a label or a layout gives them (`in_roles`): credits, a dialogue's speakers, surnames in a
  list after a word for people, a middle initial, the addressee of a postal block;
- in a message typed in lower case (`in_lower_case`), the same cues for lower-case words that are no
  English word.

The word tests the rules share are `ContextWords` (context_words.py); the cue words of prose are in
prose_cues.py. Scores are above spaCy's 0.85: Presidio keeps only one of two equal spans, and spaCy's
lower-case names are dropped later (`resolve.tidy_ner_people`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import regex

from ..base import Span
from . import in_layout, in_lower_case, in_prose, in_roles
from .context_words import ContextWords

Rule = Callable[[ContextWords, str, bool], Iterable[Span]]

# every message, in this order
RULES: tuple[Rule, ...] = (
    in_layout.form_fields,
    in_layout.cyrillic_greek_names,
    in_layout.airline_names,
    in_layout.quoted_senders,
    in_layout.json_fields,
    in_layout.table_columns,
    in_layout.table_rows,
    in_layout.greetings,
    in_layout.closings,
    in_layout.chat_speakers,
    in_roles.credits,
    in_roles.names_under_headings,
    in_roles.speakers,
    in_roles.surname_lists,
    in_roles.bare_surname_lists,
    in_roles.middle_initials,
    in_roles.addressees,
    in_prose.people_lists,
    in_prose.possessives,
    in_prose.name_pairs,
    in_prose.person_slots,
    in_prose.possessed_things,
    in_prose.initial_and_surname,
    in_prose.surname_and_initials,
    in_prose.people_pairs,
    in_layout.headings_for,
    in_prose.relations,
    in_prose.objects,
    in_prose.aux_subjects,
    in_prose.subjects,
)
# then, in a message typed in lower case, these
LOWER_CASE_RULES: tuple[Rule, ...] = (
    in_lower_case.relations,
    in_lower_case.self_named,
    in_lower_case.cued,
    in_lower_case.pairs,
    in_lower_case.full_names,
    in_lower_case.slots,
    in_lower_case.possessives,
    in_lower_case.people_lists,
    in_lower_case.subjects,
)
# typed in lower case: no capitalised word but "I" and the first of a sentence
_CAPITALISED_INSIDE = regex.compile(r"(?<![.!?:\n>]\s)(?<![.!?:\n>]\s\s)(?<!^)(?<!^\s)\b(?!I\b|I['’])\p{Lu}")


class ContextNameRecognizer(ContextWords):
    """Names by the words around them (see the module's docstring)."""

    def spans(self, text: str) -> Iterable[Span]:
        lower_mode = not _CAPITALISED_INSIDE.search(text)
        for rule in RULES:
            yield from rule(self, text, lower_mode)
        if lower_mode:
            for rule in LOWER_CASE_RULES:
                yield from rule(self, text, lower_mode)
