"""The gatekeeper's own recognizers, added to Presidio's registry beside spaCy's NER."""

from __future__ import annotations

from .addresses import AddressRecognizer
from .context_names import ContextNameRecognizer
from .denylist import DenyEntry, DenyListRecognizer, parse_entries
from .identifiers import IdentifierRecognizer
from .known_names import KnownNameRecognizer
from .names import OrgNameRecognizer, PersonRecognizer
from .phones import PhoneNumberRecognizer
from .secrets import SecretRecognizer

__all__ = [
    "AddressRecognizer",
    "ContextNameRecognizer",
    "DenyEntry",
    "DenyListRecognizer",
    "IdentifierRecognizer",
    "KnownNameRecognizer",
    "OrgNameRecognizer",
    "PersonRecognizer",
    "PhoneNumberRecognizer",
    "SecretRecognizer",
    "parse_entries",
]
