"""The kinds of personal data the gatekeeper knows, the words a sentence uses for each, and what a
policy may do with them. No imports of ours: the settings schema and every face read it."""

from __future__ import annotations

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
    """The setting that holds the policy for one kind of data: `privacy.policy.credit_card`."""
    return f"privacy.policy.{entity_type.lower()}"
