"""Decide where a turn is answered: locally, or escalated to the cloud."""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("auto", "local", "cloud")


@dataclass(frozen=True)
class Decision:
    escalate: bool
    reason: str
    threshold: float
    code: str = ""  # machine-readable (edgeapp/wording.py): confident, low-confidence, mode-local, ...


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
