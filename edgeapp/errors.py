"""Errors a user can act on. Every message says what is wrong and what to do.

`EdgeappError.action`, where there is one, says it as data (`Action`): a label for a button, and
the setting to change (with a suggested value) or the command to run, so the window can offer a
button and the terminal can print the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Action:
    """What the user can do about an error: change `setting` (to `value`, when one is suggested),
    or run `command`. `label` is short enough for a button ("Raise the context")."""

    label: str
    setting: str | None = None
    value: Any = None
    command: str | None = None

    def as_command(self) -> str | None:
        """The terminal command that does it."""
        if self.command:
            return self.command
        if self.setting and self.value is not None:
            return f"edgeapp config set {self.setting} {self.value}"
        if self.setting:
            return f"edgeapp config set {self.setting} VALUE"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "setting": self.setting,
            "value": self.value,
            "command": self.as_command(),
        }


class EdgeappError(Exception):
    """Base class: the message is shown to the user as is (CLI prints it, GUI shows it)."""

    action: Action | None = None

    def __init__(self, *args: Any, action: Action | None = None) -> None:
        super().__init__(*args)
        if action is not None:
            self.action = action


class ConfigError(EdgeappError):
    pass


class ModelError(EdgeappError):
    """The local model file is missing, corrupt or cannot be loaded."""

    action = Action("Choose a model file", setting="local.model_path")


class PromptError(EdgeappError):
    """The prompt is empty or does not fit the model's context."""


class CloudError(EdgeappError):
    """The cloud endpoint failed for good (after retries)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        action: Action | None = None,
    ):
        super().__init__(message, action=action)
        self.status = status
        self.retryable = retryable


class GatekeeperError(EdgeappError):
    """Scrubbing failed; the turn must stay local (fail closed)."""


class PolicyBlocked(GatekeeperError):
    """The privacy policy forbids sending this message to the cloud."""


class KeyStoreError(EdgeappError):
    pass


def context_action(n_ctx: int) -> Action:
    return Action("Raise the context", setting="local.n_ctx", value=max(8192, n_ctx * 2))
