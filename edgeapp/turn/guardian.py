"""The guardian stage: the cloud's reply checked (edgeapp/guardian/) before the turn takes it, with
each finding's policy applied (guardian.<kind>: show | hide | off).

Findings on a reply that is shown go on the sheet and into the answer's reasons; a finding whose
policy is `hide` ends the escalation like a fallback: the turn keeps the local answer and says why.
Streaming: the vault restores the tolerant placeholder spellings as the text streams; the findings
need the whole reply and come with the final event. When any policy is `hide`, the reply is checked
whole before any of it is shown (`holds_back`), so a hidden reply never reaches the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import config, wording
from ..gatekeeper.payload import ScrubbedPayload
from ..gatekeeper.vault import PLACEHOLDER_RE, PlaceholderVault
from ..guardian import HIDE, KINDS, Finding, check
from .events import Notice
from .outcomes import Fallback


@dataclass(frozen=True)
class Guarded:
    """The guardian's findings on one cloud reply; `hidden`: a policy hid the reply."""

    findings: tuple[Finding, ...]

    @property
    def hidden(self) -> bool:
        return any(f.action == HIDE for f in self.findings)


def policies(settings: config.Settings) -> dict[str, str]:
    """kind -> show | hide | off, from the settings."""
    return {kind: settings[f"guardian.{kind}"] for kind in KINDS}


def holds_back(settings: config.Settings) -> bool:
    """Whether a reply must be checked whole before it is shown (a policy may hide it)."""
    return HIDE in policies(settings).values()


def question_placeholders(payload: ScrubbedPayload) -> list[str]:
    """The placeholders of the message the reply answers (the payload's last user message)."""
    for role, content in reversed(payload.messages):
        if role == "user":
            return [m.group(0) for m in PLACEHOLDER_RE.finditer(content)]
    return []


def guard(
    settings: config.Settings, vault: PlaceholderVault, payload: ScrubbedPayload, reply: str
) -> Guarded:
    """Check `reply` as the cloud wrote it (placeholders not yet restored)."""
    findings = check(
        reply,
        known=vault.placeholders(),
        expected=question_placeholders(payload),
        policies=policies(settings),
    )
    return Guarded(tuple(findings))


def hidden(guarded: Guarded) -> Fallback:
    """The fallback of a reply a policy hid: the local answer stays, with the reason."""
    kinds = [f.kind for f in guarded.findings if f.action == HIDE]
    reason = wording.hidden_reason(kinds)
    return Fallback(
        "local-fallback",
        wording.GUARDIAN_HID,
        reason,
        Notice(reason[0].upper() + reason[1:] + ".", kind="fallback"),
    )
