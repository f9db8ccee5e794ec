"""Decide where a turn is answered: locally, or escalated to the cloud.

The threshold in force comes from `router.threshold` (or the turn's option), lowered by budget
pacing when spending runs ahead of the month (`pace`); `route` then compares the local model's
confidence with it. Modes force either side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import wording

if TYPE_CHECKING:
    from ..ledger import Ledger

MODES = ("auto", "local", "cloud")


@dataclass(frozen=True)
class Decision:
    escalate: bool
    reason: str
    threshold: float
    code: str = ""  # machine-readable (edgeapp/wording.py): confident, low-confidence, mode-local, ...
    note: str = ""  # budget pacing in force: why the threshold is lower

    @property
    def explained(self) -> str:
        """The reason with the pacing note, as the turn records it."""
        return f"{self.reason}; {self.note}" if self.note else self.reason


@dataclass(frozen=True)
class Pacing:
    """The threshold a turn is routed with: `base` (the setting or the turn's option), lowered to
    `threshold` by budget pacing; `note` says why, and is empty while pacing is not in force."""

    threshold: float
    base: float
    note: str = ""


def decide(
    mode: str, confidence: float | None, threshold: float, *, cloud_configured: bool = True
) -> Decision:
    """Local when confidence >= threshold; otherwise escalate. Modes force either side."""
    if mode == "local":
        return Decision(False, "routing mode is 'local'", threshold, "mode-local")
    if not cloud_configured:
        return Decision(
            False,
            "no cloud endpoint is configured (edgeapp config set cloud.base_url URL)",
            threshold,
            "no-cloud",
        )
    if mode == "cloud":
        return Decision(True, "routing mode is 'cloud'", threshold, "mode-cloud")
    if confidence is None:
        return Decision(True, "the local model gave no usable confidence", threshold, "low-confidence")
    if confidence >= threshold:
        return Decision(
            False, f"confidence {confidence:.2f} >= threshold {threshold:.2f}", threshold, "confident"
        )
    return Decision(
        True, f"confidence {confidence:.2f} < threshold {threshold:.2f}", threshold, "low-confidence"
    )


def pace(ledger: Ledger | None, mode: str, base: float) -> Pacing:
    """The threshold after budget pacing (only in auto mode, and only with a ledger to read the
    month's spending from)."""
    if ledger is None or mode != "auto":
        return Pacing(base, base)
    paced, note = ledger.effective_threshold(base)
    if paced == base:
        return Pacing(base, base)
    return Pacing(paced, base, note)


def route(mode: str, confidence: float | None, pacing: Pacing, *, cloud_configured: bool) -> Decision:
    """`decide` with the pacing note; a turn that stays local only because pacing lowered the
    threshold is coded `budget` (it would have escalated otherwise)."""
    decision = decide(mode, confidence, pacing.threshold, cloud_configured=cloud_configured)
    if not pacing.note:
        return decision
    code = decision.code
    if code == wording.CONFIDENT and confidence is not None and confidence < pacing.base:
        code = wording.BUDGET
    return Decision(decision.escalate, decision.reason, decision.threshold, code, pacing.note)
