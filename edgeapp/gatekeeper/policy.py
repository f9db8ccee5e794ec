"""What happens to each kind of personal data: `mask` (default), `block` or `allow`.

The settings keys live here too (registered on import of `edgeapp.gatekeeper`):
`privacy.policy.<type>`, `privacy.deny_list`, `privacy.score_threshold`, `privacy.persist_mapping`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .. import config
from ..errors import ConfigError

MASK, BLOCK, ALLOW = "mask", "block", "allow"
ACTIONS = (MASK, BLOCK, ALLOW)

# entity type -> words for a sentence ("... contains a payment card number ...")
ENTITY_NAMES: dict[str, str] = {
    "PERSON": "a person's name",
    "EMAIL_ADDRESS": "an email address",
    "PHONE_NUMBER": "a phone number",
    "ADDRESS": "a street address",
    "CREDIT_CARD": "a payment card number",
    "US_SSN": "a social security number",
    "UK_NINO": "a National Insurance number",
    "IBAN_CODE": "a bank account number (IBAN)",
    "IP_ADDRESS": "an IP address",
    "API_KEY": "an API key",
    "SECRET": "a password or secret",
    "PRIVATE": "an entry of your deny-list",
}
ENTITY_TYPES = tuple(ENTITY_NAMES)
DEFAULT_SCORE_THRESHOLD = 0.4


def describe(entity_type: str) -> str:
    return ENTITY_NAMES.get(entity_type, f"personal data of type {entity_type}")


def policy_key(entity_type: str) -> str:
    return f"privacy.policy.{entity_type.lower()}"


def _action_check(value: str) -> str | None:
    return None if value in ACTIONS else f"must be one of: {', '.join(ACTIONS)}"


def _fraction(value: float) -> str | None:
    return None if 0.0 <= value <= 1.0 else "must be between 0.0 and 1.0"


def register_settings() -> None:
    for kind in ENTITY_TYPES:
        config.register(
            config.Key(policy_key(kind), str, MASK, f"{describe(kind)}: mask, block or allow", _action_check)
        )
    config.register(
        config.Key(
            "privacy.deny_list",
            list,
            [],
            "values always masked before the cloud (your name, address, employer); 'TYPE: value' picks the type",
        )
    )
    config.register(
        config.Key(
            "privacy.score_threshold",
            float,
            DEFAULT_SCORE_THRESHOLD,
            "minimum detector confidence for masking (lower masks more)",
            _fraction,
        )
    )
    config.register(
        config.Key(
            "privacy.persist_mapping",
            bool,
            False,
            "keep the placeholder-to-value mapping on disk between sessions (off: memory only)",
        )
    )


register_settings()


@dataclass(frozen=True)
class PrivacyPolicy:
    actions: Mapping[str, str] = field(default_factory=dict)  # entity type -> action; missing: mask
    deny_list: tuple[str, ...] = ()
    score_threshold: float = DEFAULT_SCORE_THRESHOLD
    persist_mapping: bool = False

    def __post_init__(self) -> None:
        for kind, action in self.actions.items():
            if action not in ACTIONS:
                raise ConfigError(
                    f"The privacy policy for {kind} is '{action}'; use one of: {', '.join(ACTIONS)}."
                )

    def action_for(self, entity_type: str) -> str:
        return self.actions.get(entity_type, MASK)

    @classmethod
    def from_settings(cls, settings: config.Settings) -> PrivacyPolicy:
        actions = {kind: settings[policy_key(kind)] for kind in ENTITY_TYPES}
        return cls(
            actions={k: v for k, v in actions.items() if v != MASK},
            deny_list=tuple(str(v) for v in settings["privacy.deny_list"]),
            score_threshold=float(settings["privacy.score_threshold"]),
            persist_mapping=bool(settings["privacy.persist_mapping"]),
        )

    def with_deny_list(self, extra: Iterable[str]) -> PrivacyPolicy:
        return PrivacyPolicy(
            dict(self.actions), (*self.deny_list, *extra), self.score_threshold, self.persist_mapping
        )
