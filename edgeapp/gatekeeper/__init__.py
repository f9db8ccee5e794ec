"""Privacy gatekeeper: the only path from a user's text to the cloud client.

The names below load on first use (PEP 562), so importing a light part of the package (the vault, the
policy, the `edgeapp scrub` command) does not pay for Presidio and spaCy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ACTIONS": ".policy",
    "ENTITY_TYPES": ".policy",
    "PrivacyPolicy": ".policy",
    "Finding": ".engine",
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
    from .engine import Finding, Gatekeeper
    from .payload import ScrubbedPayload
    from .policy import ACTIONS, ENTITY_TYPES, PrivacyPolicy
    from .vault import PlaceholderVault, StreamRestorer


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value
