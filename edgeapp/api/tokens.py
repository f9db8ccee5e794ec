"""The companion's bearer token: generated on first use, kept in the OS keyring, rotatable.

`--token` or `EDGEAPP_API_TOKEN` override it (scripts, tests). Without a usable keyring the token
is made for this run only and the server says so: it changes at every start, so a paired phone has
to scan the code again (set EDGEAPP_API_TOKEN to keep one).
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass

import keyring
from keyring.errors import KeyringError, NoKeyringError

from ..cloud.api_key import SERVICE, keyring_backend

ACCOUNT = "api-token"
ENV = "EDGEAPP_API_TOKEN"
MIN_LENGTH = 16


@dataclass(frozen=True)
class Token:
    value: str
    source: str  # "option" | "environment" | "keyring" | "this run only"
    note: str = ""  # what the user should know (no keyring: the token does not survive a restart)


def _new() -> str:
    return secrets.token_urlsafe(24)  # 192 bits, URL- and header-safe


def _keyring_usable() -> bool:
    _, secure = keyring_backend()
    return secure


def check_token(value: str) -> str:
    value = (value or "").strip()
    if len(value) < MIN_LENGTH or not all(c.isalnum() or c in "-_.~" for c in value):
        from ..errors import ConfigError

        raise ConfigError(
            f"The API token must be at least {MIN_LENGTH} characters of letters, digits, "
            "'-', '_', '.' or '~' (it goes in a URL and a header)."
        )
    return value


def resolve(option: str | None = None, *, rotate: bool = False) -> Token:
    """The token the server accepts: --token, then EDGEAPP_API_TOKEN, then the keyring's (made on
    first use, or new when `rotate`), else one for this run only."""
    if option:
        return Token(check_token(option), "option")
    env = os.environ.get(ENV)
    if env and not rotate:
        return Token(check_token(env), "environment")
    if _keyring_usable():
        try:
            stored = None if rotate else keyring.get_password(SERVICE, ACCOUNT)
            if stored:
                return Token(stored, "keyring")
            value = _new()
            keyring.set_password(SERVICE, ACCOUNT, value)
            return Token(
                value,
                "keyring",
                "a new token was made and stored in the OS keyring"
                + (" (the old one no longer works)" if rotate else ""),
            )
        except (KeyringError, NoKeyringError, RuntimeError):
            pass
    return Token(
        _new(),
        "this run only",
        "no usable OS keyring: this token works until the server stops (a paired phone must scan "
        f"the new code after a restart); set {ENV} to keep one",
    )


def rotate(option: str | None = None) -> Token:
    return resolve(option, rotate=True)


def matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison (the time taken does not depend on how much of the token matched)."""
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))
