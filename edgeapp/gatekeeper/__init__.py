"""Privacy gatekeeper: the only path from a user's text to the cloud client.

Where things are: `engine` (the `Gatekeeper`: build, find, scrub, policy), `analyzer` (Presidio's
analyzer and its registry), `recognizers/` (one module per kind of evidence), `lexicon/` (the word
lists and the place list, data only), `places` (real places named like people), `resolve` (what
happens to the findings after the recognizers, in one documented order), `findings`, `vault`,
`payload`, `policy`, `entities`, `store`, `spacy_engine`, `evaluation`.

The names below load on first use (PEP 562), so importing a light part of the package (the vault, the
policy, the `edgeapp scrub` command) does not pay for Presidio and spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attributes

_WHERE = {
    "ACTIONS": ".entities",
    "ENTITY_TYPES": ".entities",
    "PrivacyPolicy": ".policy",
    "Finding": ".findings",
    "Gatekeeper": ".engine",
    "ScrubbedPayload": ".payload",
    "PlaceholderVault": ".vault",
    "StreamRestorer": ".vault",
}
__all__ = [
    "ACTIONS",
    "ENTITY_TYPES",
    "Finding",
    "Gatekeeper",
    "PlaceholderVault",
    "PrivacyPolicy",
    "ScrubbedPayload",
    "StreamRestorer",
]

if TYPE_CHECKING:
    from .engine import Gatekeeper
    from .entities import ACTIONS, ENTITY_TYPES
    from .findings import Finding
    from .payload import ScrubbedPayload
    from .policy import PrivacyPolicy
    from .vault import PlaceholderVault, StreamRestorer


__getattr__ = attributes(__name__, _WHERE)
