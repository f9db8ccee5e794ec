"""The gatekeeper's own recognizers, added to Presidio's registry beside spaCy's NER (see
`analyzer.registered_recognizers`), one module per kind of evidence:

- `names/`: people's names: by the word lists (`by_lists`), by the words around them (`by_context`,
  with its rules in `in_layout`, `in_prose`, `in_lower_case`), after a title or a cue (`titled`, run by
  the engine outside the registry) and spaCy's second look (`ner_second_look`);
- `addresses/`: postal addresses: the US, UK and EU shapes (`postal`) and those of other countries and
  postal blocks (`intl` and its `intl_*` modules);
- `phones`: phone numbers; `identifiers`: SSNs, NINOs, cards, IBANs, IP addresses; `secrets`: API keys,
  tokens and passwords; `offline_email`: Presidio's e-mail recognizer without the internet;
- `deny_list`: the user's own list, always masked (run by the engine, outside the registry);
- `base`: the small base class (`SpanRecognizer`) and helpers they share.

The word lists they read are in `gatekeeper/lexicon/`; what happens to their findings afterwards is
`gatekeeper/resolve.py`.
"""

from __future__ import annotations

from .addresses.postal import AddressRecognizer
from .deny_list import DenyEntry, DenyListRecognizer, parse_entries
from .identifiers import IdentifierRecognizer
from .names.by_context import ContextNameRecognizer
from .names.by_lists import ListedNameRecognizer
from .names.ner_second_look import OrgTaggedNameRecognizer
from .names.titled import TitledNameRecognizer
from .phones import PhoneNumberRecognizer
from .secrets import SecretRecognizer

__all__ = [
    "AddressRecognizer",
    "ContextNameRecognizer",
    "DenyEntry",
    "DenyListRecognizer",
    "IdentifierRecognizer",
    "ListedNameRecognizer",
    "OrgTaggedNameRecognizer",
    "PhoneNumberRecognizer",
    "SecretRecognizer",
    "TitledNameRecognizer",
    "parse_entries",
]
