"""The collaboration methods (edgeapp/collab.py) as the escalation leg of an eval run, one
question at a time: `edgeapp eval --method NAME` measures each against its absence (the plain
escalation: the scrubbed question goes to the cloud, the cloud's answer is final).

Each method is the product's own escalation (`Assistant.escalate_sync`, the code a turn runs)
with one collaboration setting on, so the evaluation measures the code users get:

* `compress`: `collab.compress` (adaptive to the local confidence when the run has it);
* `exclude`: `collab.exclusion_hints`, multiple choice;
* `align`: `collab.mode = align`;
* `shepherd`: `collab.mode = shepherd`.

Every cloud call goes through `Gatekeeper.scrub`, like any escalation. The evaluation's cloud calls
are not recorded in the ledger and do not count against the budget (the Assistant runs without one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import config, wording
from ..cloud.client import CloudClient
from ..errors import CloudError, GatekeeperError
from ..gatekeeper import Gatekeeper
from ..models.local_model import LocalModel
from .datasets import Item

METHODS = ("compress", "exclude", "align", "shepherd")
# the settings each method turns on (on top of the defaults)
SETTINGS: dict[str, dict[str, Any]] = {
    "compress": {"collab.compress": True},
    "exclude": {"collab.exclusion_hints": True},
    "align": {"collab.mode": "align"},
    "shepherd": {"collab.mode": "shepherd"},
}


@dataclass
class Outcome:
    """What a method produced for one question: the final text and what the cloud cost."""

    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    info: dict[str, Any] = field(default_factory=dict)


def applies(method: str, item: Item) -> bool:
    """Exclusion hints need options to exclude; the other methods apply to every question."""
    return method != "exclude" or item.kind == "choice"


def method_settings(method: str, max_tokens: int, *, confirm: bool = False) -> config.Settings:
    if method not in SETTINGS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    settings = config.Settings()
    for name, value in {
        **SETTINGS[method],
        "cloud.max_tokens": max_tokens,
        "local.max_tokens": max_tokens,
        "cloud.stream": False,
        "cloud.history_tokens": 0,
        "privacy.confirm_before_send": confirm,
    }.items():
        settings.set(name, value)
    return settings


def _info(method: str, collab: dict[str, Any]) -> dict[str, Any]:
    """What the method did, under the names the report reads."""
    if method == "compress":
        done = collab.get("compress") or {}
        return {"kept_words": done.get("kept_words", 1.0), "sent": done.get("sent")}
    if method == "exclude":
        return {"hint": collab.get("exclusion_hint")}
    done = dict(collab.get(method) or {})
    if method == "align":
        return {
            "sketch": done.get("cloud_part"),
            "alignment": done.get("alignment"),
            "fallback": bool(done.get("fallback")),
        }
    return {"hint": done.get("cloud_part")}


def plain_payload(item: Item, gatekeeper: Gatekeeper) -> tuple[tuple[str, str], ...]:
    """The messages plain escalation sends for `item` (the eval's plain cloud leg)."""
    from ..assistant import CLOUD_SYSTEM
    from ..gatekeeper import PlaceholderVault

    return gatekeeper.scrub([("system", CLOUD_SYSTEM), ("user", item.prompt())], PlaceholderVault()).messages


def run_one(
    method: str,
    item: Item,
    *,
    model: LocalModel,
    system: str | None = None,
    client: CloudClient,
    gatekeeper: Gatekeeper,
    max_tokens: int,
    embedder: LocalModel | None = None,
    confidence: float | None = None,
    threshold: float = 0.5,
    reuse_plain: bool = False,
) -> Outcome:
    """`item` escalated by the product's path with the method's setting on. A cloud or gatekeeper
    failure raises (the run counts an error and does not cache it), as the plain leg does.
    `reuse_plain`: when the method would send exactly the plain escalation's request (an exclusion
    hint not given, every word kept), nothing is sent and the Outcome says `same_as_plain`: with a
    greedy cloud the answer is the plain one, which the caller has.
    (`system` is accepted for old callers; the product's local system prompt is used.)"""
    from ..assistant import Assistant

    assistant = Assistant(
        method_settings(method, max_tokens, confirm=reuse_plain),
        local_model=model,
        gatekeeper=gatekeeper,
        cloud=client,
        use_ledger=False,
        embedder=embedder,
    )
    plain = plain_payload(item, gatekeeper) if reuse_plain else None
    first = []

    def confirm(payload) -> bool:  # the method's first request: is it the plain one?
        if not first:
            first.append(payload.messages == plain)
            return not first[0]
        return True

    result = assistant.escalate_sync(
        assistant.new_conversation(),
        item.prompt(),
        confidence=confidence,
        threshold=threshold,
        confirm=confirm if reuse_plain else None,
    )
    if reuse_plain and first and first[0]:
        return Outcome("", info={**_info(method, result.collab), "same_as_plain": True})
    if result.route != "cloud":
        error = (
            GatekeeperError
            if result.reason_code in (wording.GATEKEEPER_ERROR, wording.PRIVACY)
            else CloudError
        )
        raise error(result.reason)
    return Outcome(
        result.answer,
        result.cloud_input_tokens or 0,
        result.cloud_output_tokens or 0,
        _info(method, result.collab),
    )
