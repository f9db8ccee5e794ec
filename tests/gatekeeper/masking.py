"""What the shape tests ask of the gatekeeper: is a value masked, what was masked."""

from __future__ import annotations

from edgeapp.gatekeeper import Gatekeeper


def masked_values(gatekeeper: Gatekeeper, text: str) -> list[str]:
    return [f.text for f in gatekeeper.find(text)]


def is_masked(gatekeeper: Gatekeeper, text: str, value: str) -> bool:
    """Every character of `value` (its first occurrence) is inside a finding."""
    start = text.index(value)
    mask = [False] * len(text)
    for f in gatekeeper.find(text):
        mask[f.start : f.end] = [True] * (f.end - f.start)
    return all(mask[start : start + len(value)])
