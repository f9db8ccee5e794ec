"""Privacy gatekeeper: the only path from a user's text to the cloud client."""

from .engine import Finding, Gatekeeper
from .payload import ScrubbedPayload
from .policy import ACTIONS, ENTITY_TYPES, PrivacyPolicy
from .vault import PlaceholderVault, StreamRestorer

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
