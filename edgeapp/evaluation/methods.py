"""The collaboration methods (edgeapp/collab.py) as the escalation leg of an eval run, one
question at a time: `edgeapp eval --method NAME` measures each against its absence (the plain
escalation: the scrubbed question goes to the cloud, the cloud's answer is final).

* `compress`: the question shortened by the local model before sending (adaptive to the local
  confidence when the run has it);
* `exclude`: multiple choice, with a hint naming the options the local model found least likely;
* `align`: the cloud's reasoning sketch, the local model's answer, embeddings check the alignment;
* `shepherd`: the cloud's first steps (at most 30% of its budget), the local model finishes.

Every cloud call goes through `Gatekeeper.scrub`, like any escalation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..assistant import CLOUD_SYSTEM
from ..cloud import CloudClient
from ..collab import (  # noqa: F401  (re-exported for callers of the eval API)
    ALIGN_MIN,
    HINT_INTRO,
    HINT_PROMPT,
    HINT_SHARE,
    MAX_DROP,
    PLAN_INTRO,
    SKETCH_PROMPT,
    SURPRISAL_FLOOR,
    alignment,
    compress,
    compression_budget,
    cosine,
    embed,
    exclusion_hint,
    option_probabilities,
    word_surprisals,
)
from ..gatekeeper import Gatekeeper, PlaceholderVault
from ..local_model import LocalModel
from .datasets import Item

METHODS = ("compress", "exclude", "align", "shepherd")


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


# -- running a method on one question -----------------------------------------------------------
def _cloud(client: CloudClient, gatekeeper: Gatekeeper, user: str, max_tokens: int,
           system: str = CLOUD_SYSTEM) -> Outcome:
    vault = PlaceholderVault()
    payload = gatekeeper.scrub([("system", system), ("user", user)], vault)
    reply = client.complete(payload, stream=False, max_tokens=max_tokens)
    return Outcome(vault.restore(reply.text), reply.input_tokens or 0, reply.output_tokens or 0)


def _local(model: LocalModel, system: str, user: str, max_tokens: int) -> str:
    from ..confidence import parse_verbal

    gen = model.generate([{"role": "system", "content": system}, {"role": "user", "content": user}],
                         max_tokens=max_tokens)
    return parse_verbal(gen.text).answer


def run_one(method: str, item: Item, *, model: LocalModel, system: str, client: CloudClient,
            gatekeeper: Gatekeeper, max_tokens: int, embedder: LocalModel | None = None,
            confidence: float | None = None, threshold: float = 0.5) -> Outcome:
    if method == "compress":
        short, kept = compress(model, item.question, max_drop=compression_budget(confidence, threshold))
        out = _cloud(client, gatekeeper, Item(item.id, item.dataset, short, item.gold, item.kind,
                                              item.choices).prompt(), max_tokens)
        out.info = {"kept_words": kept, "sent": short}
        return out
    if method == "exclude":
        messages = [{"role": "system", "content": system}, {"role": "user", "content": item.prompt()}]
        hint = exclusion_hint(option_probabilities(model, messages, item.choices)) if item.kind == "choice" else None
        out = _cloud(client, gatekeeper, item.prompt() + (f"\n{hint}" if hint else ""), max_tokens)
        out.info = {"hint": hint}
        return out
    if method == "align":
        sketch = _cloud(client, gatekeeper, f"{item.question}\n\n{SKETCH_PROMPT}", max_tokens // 2)
        answer = _local(model, system, f"{item.prompt()}\n\n{PLAN_INTRO}\n{sketch.text}", max_tokens)
        score = alignment(embedder or model, sketch.text, answer)
        info = {"sketch": sketch.text, "alignment": score, "fallback": score < ALIGN_MIN}
        if score >= ALIGN_MIN:
            return Outcome(answer, sketch.input_tokens, sketch.output_tokens, info)
        full = _cloud(client, gatekeeper, item.prompt(), max_tokens)
        return Outcome(full.text, sketch.input_tokens + full.input_tokens,
                       sketch.output_tokens + full.output_tokens, info)
    if method == "shepherd":
        hint = _cloud(client, gatekeeper, f"{item.question}\n\n{HINT_PROMPT}", max(16, int(max_tokens * HINT_SHARE)))
        answer = _local(model, system, f"{item.prompt()}\n\n{HINT_INTRO}\n{hint.text}",
                        max_tokens)
        return Outcome(answer, hint.input_tokens, hint.output_tokens, {"hint": hint.text})
    raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
