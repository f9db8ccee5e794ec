"""Errors a user can act on. Every message says what is wrong and what to do."""

from __future__ import annotations


class EdgeappError(Exception):
    """Base class: the message is shown to the user as is (CLI prints it, GUI shows it)."""


class ConfigError(EdgeappError):
    pass


class ModelError(EdgeappError):
    """The local model file is missing, corrupt or cannot be loaded."""


class PromptError(EdgeappError):
    """The prompt is empty or does not fit the model's context."""


class CloudError(EdgeappError):
    """The cloud endpoint failed for good (after retries)."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class GatekeeperError(EdgeappError):
    """Scrubbing failed; the turn must stay local (fail closed)."""


class PolicyBlocked(GatekeeperError):
    """The privacy policy forbids sending this message to the cloud."""


class KeyStoreError(EdgeappError):
    pass
