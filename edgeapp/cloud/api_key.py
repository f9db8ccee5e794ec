"""The cloud API key lives in the OS keyring; an environment variable is the fallback.

The key is never written to a file of ours, a log or the database.
"""

from __future__ import annotations

import os

import keyring
from keyring.errors import KeyringError, NoKeyringError

from ..errors import KeyStoreError

SERVICE = "edgeapp"
ACCOUNT = "cloud-api-key"


def get_api_key(env_var: str = "EDGEAPP_API_KEY") -> str | None:
    try:
        key = keyring.get_password(SERVICE, ACCOUNT)
    except (KeyringError, RuntimeError):
        key = None
    if key:
        return key
    return os.environ.get(env_var) or os.environ.get("OPENAI_API_KEY") or None


def key_source(env_var: str = "EDGEAPP_API_KEY") -> str:
    try:
        if keyring.get_password(SERVICE, ACCOUNT):
            return "OS keyring"
    except (KeyringError, RuntimeError):
        pass
    if os.environ.get(env_var):
        return f"environment variable {env_var}"
    if os.environ.get("OPENAI_API_KEY"):
        return "environment variable OPENAI_API_KEY"
    return "none"


def set_api_key(key: str) -> None:
    key = key.strip()
    if not key:
        raise KeyStoreError("The API key is empty; nothing was stored.")
    try:
        keyring.set_password(SERVICE, ACCOUNT, key)
    except NoKeyringError as exc:
        raise KeyStoreError(
            "No OS keyring is available on this system, so the key was not stored. "
            "Set it in the environment variable EDGEAPP_API_KEY instead."
        ) from exc
    except (KeyringError, RuntimeError) as exc:
        raise KeyStoreError(f"The OS keyring refused to store the key ({exc}).") from exc


def delete_api_key() -> bool:
    try:
        keyring.delete_password(SERVICE, ACCOUNT)
        return True
    except (KeyringError, RuntimeError):
        return False


# Backends that keep the key unencrypted, or nowhere: the key should not go there.
_INSECURE = (
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.file_base",
)


def keyring_backend() -> tuple[str, bool]:
    """The keyring backend in use (a readable name) and whether it keeps secrets safely."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring config: say so, not secure
        return f"unavailable ({exc})", False
    kind = type(backend)
    full = f"{kind.__module__}.{kind.__qualname__}"
    name = getattr(backend, "name", None) or kind.__qualname__
    if full.startswith("keyring.backends.chainer"):
        inner = getattr(backend, "backends", [])
        if not inner:
            return "none (no OS keyring found)", False
        return name, not any(
            f"{type(b).__module__}.{type(b).__qualname__}".startswith(_INSECURE) for b in inner
        )
    return name, not full.startswith(_INSECURE)
