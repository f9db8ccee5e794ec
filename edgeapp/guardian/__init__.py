"""The guardian: the small model's side checks what comes back from the cloud before the user
sees it or acts on it (the way the gatekeeper checks what goes out).

- `findings`: the kinds (`placeholder_dropped`, `placeholder_invented`, `asks_for_withheld`,
  `injection`, `local_disagrees`), the policies (show | hide | off) and the `Finding` record
- `placeholders`: placeholder integrity (dropped, invented, merged); the vault restores the tolerant
  spellings, also while streaming (edgeapp/gatekeeper/vault.py)
- `rules`: the two text classifiers as rule tables

`check` runs them on one reply; edgeapp/turn/guardian.py is the turn's stage around it. No model
runs here: the rule checks cost well under a millisecond per reply (benchmarks/bench_guardian.py).
`local_disagrees` (the local model's second opinion) is not produced: measured on the routing
benchmark it does not predict cloud errors (AUROC 0.63, benchmarks/eval/second-opinion.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from . import rules
from .findings import (
    ASKS_FOR_WITHHELD,
    HIDE,
    INJECTION,
    KINDS,
    LOCAL_DISAGREES,
    OFF,
    PLACEHOLDER_DROPPED,
    PLACEHOLDER_INVENTED,
    POLICIES,
    SHOW,
    Finding,
)
from .placeholders import check_placeholders

__all__ = [
    "ASKS_FOR_WITHHELD",
    "HIDE",
    "INJECTION",
    "KINDS",
    "LOCAL_DISAGREES",
    "OFF",
    "PLACEHOLDER_DROPPED",
    "PLACEHOLDER_INVENTED",
    "POLICIES",
    "SHOW",
    "Finding",
    "check",
]


def check(
    reply: str,
    *,
    known: Iterable[str],
    expected: Iterable[str],
    policies: Mapping[str, str] | None = None,
) -> list[Finding]:
    """The findings on `reply` as the cloud wrote it (placeholders not yet restored). `known`: the
    conversation's placeholders; `expected`: those of the message it answers; `policies`: kind ->
    show | hide | off (missing: show). Each finding carries the action its policy asks for."""
    policies = policies or {}

    def wanted(kind: str) -> bool:
        return policies.get(kind, SHOW) != OFF

    found: list[Finding] = []
    if wanted(PLACEHOLDER_DROPPED) or wanted(PLACEHOLDER_INVENTED):
        found += [f for f in check_placeholders(reply, known, expected) if wanted(f.kind)]
    for kind, classify in ((ASKS_FOR_WITHHELD, rules.asks_for_withheld), (INJECTION, rules.injection)):
        if wanted(kind):
            finding = classify(reply)
            if finding is not None:
                found.append(finding)
    return [replace(f, action=HIDE if policies.get(f.kind) == HIDE else SHOW) for f in found]
