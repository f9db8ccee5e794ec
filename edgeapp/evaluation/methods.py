"""Ways the local model and the cloud can work together on an escalated question.

Each is a setting of `edgeapp eval --method NAME`, measured against its absence (the plain
escalation: the scrubbed question goes to the cloud, the cloud's answer is final):

* `compress` (Coco, adaptive prompt compression): the local model scores every word of the
  question by its surprisal; the most predictable words are dropped before sending. Adaptive:
  only words below a surprisal floor go, so dense questions keep nearly everything. Numbers and
  the answer-format line are never dropped.
* `exclude` (option exclusion hints, multiple choice): the local model's probability of each
  option letter; when its distribution is informative (clearly below uniform for some options),
  the cloud is told which options the small model found least likely.
* `align` (reasoning alignment): the cloud writes a short reasoning sketch without the answer;
  the local model writes the final answer following it. The local model's own embeddings
  (llama.cpp, mean-pooled) measure how well its answer follows the sketch (cosine); below
  `ALIGN_MIN` the sketch was not followed and the cloud is asked for the full answer.
* `shepherd` (LLM Shepherding): the cloud writes at most 30% of a solution (a hint, capped in
  tokens), and the local model finishes it.

Every cloud call goes through `Gatekeeper.scrub`, like any escalation.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..assistant import CLOUD_SYSTEM
from ..cloud import CloudClient
from ..gatekeeper import Gatekeeper, PlaceholderVault
from ..local_model import LocalModel
from .datasets import Item

METHODS = ("compress", "exclude", "align", "shepherd")
SURPRISAL_FLOOR = 1.0  # nats: words the local model predicts with p > ~0.37 may be dropped
MAX_DROP = 0.4  # never drop more than this share of the question's words
# cosine below which the local answer did not follow the cloud's sketch. Mean-pooled decoder
# embeddings are anisotropic (unrelated sentences score ~0.7 with SmolLM2), hence a high floor.
ALIGN_MIN = 0.8
HINT_SHARE = 0.3  # shepherding: the cloud writes at most this share of the token budget
SKETCH_PROMPT = ("Write a short plan for solving this: the key steps in a few lines. "
                 "Do not compute or state the final answer.")
HINT_PROMPT = ("Write only the first steps of a solution (at most two or three short sentences). "
               "Do not finish it and do not state the final answer.")


@dataclass
class Outcome:
    """What a method produced for one question: the final text and what the cloud cost."""

    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    info: dict[str, Any] = field(default_factory=dict)


# -- the local model: one batched pass over a text -------------------------------------------
def _logits_rows(model: LocalModel, tokens: list[int], rows: list[int]) -> np.ndarray:
    """Log-softmax rows of the logits at the given positions, from one batched decode."""
    import llama_cpp
    from llama_cpp._internals import LlamaBatch

    def job(llm) -> np.ndarray:
        n = min(len(tokens), llm.n_batch)
        toks = tokens[:n]
        llm._ctx.kv_cache_clear()
        llm.n_tokens = 0  # the next generate() re-evaluates its prompt from scratch
        batch = LlamaBatch(n_tokens=n, embd=0, n_seq_max=1)
        batch.set_batch(toks, n_past=0, logits_all=True)
        llm._ctx.decode(batch)
        n_vocab = llm.n_vocab()
        array = ctypes.POINTER(ctypes.c_float * n_vocab)
        out = []
        for r in rows:
            r = min(r, n - 1)
            ptr = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, r)
            logits = np.frombuffer(ctypes.cast(ptr, array).contents, dtype=np.float32).astype(np.float64)
            peak = logits.max()
            out.append(logits - peak - np.log(np.exp(logits - peak).sum()))
        llm._ctx.kv_cache_clear()
        return np.array(out)

    return model.call(job)


def word_surprisals(model: LocalModel, text: str) -> list[tuple[str, float]]:
    """(word with its leading space, surprisal in nats) for each word of `text`."""
    pieces = re.findall(r"\s*\S+", text)
    tokens: list[int] = []
    owner: list[int] = []
    bos = model.call(lambda llm: llm.token_bos())
    for w, piece in enumerate(pieces):
        ids = model.tokenize(piece)
        tokens += ids
        owner += [w] * len(ids)
    full = ([bos] if bos >= 0 else []) + tokens
    shift = len(full) - len(tokens)
    rows = _logits_rows(model, full, [shift + i - 1 for i in range(len(tokens))]) if tokens else np.zeros((0, 0))
    surprisal = [0.0] * len(pieces)
    for i, tok in enumerate(tokens):
        if shift + i - 1 < 0:  # no BOS: the first token has no context; count it as surprising
            surprisal[owner[i]] += 10.0
            continue
        surprisal[owner[i]] -= float(rows[i][tok])
    return list(zip(pieces, surprisal, strict=True))


def compress(model: LocalModel, question: str, *, floor: float = SURPRISAL_FLOOR, max_drop: float = MAX_DROP
             ) -> tuple[str, float]:
    """The question with its most predictable words dropped; and the share of words kept."""
    words = word_surprisals(model, question)
    droppable = [i for i, (w, s) in enumerate(words) if s < floor and not re.search(r"[\d?$%=]", w)]
    droppable.sort(key=lambda i: words[i][1])
    drop = set(droppable[: int(len(words) * max_drop)])
    kept = "".join(w for i, (w, _) in enumerate(words) if i not in drop).strip()
    return kept, 1 - len(drop) / max(1, len(words))


def option_probabilities(model: LocalModel, system: str, item: Item) -> dict[str, float]:
    """The local model's probability of each option letter as the first token of its answer."""
    letters = list(item.choices)

    def prompt_tokens(llm):
        toks, _ = model._prompt_tokens(llm, [{"role": "system", "content": system},
                                              {"role": "user", "content": item.prompt()}])
        return toks + llm.tokenize(b"The answer is (", add_bos=False, special=False)

    tokens = model.call(prompt_tokens)
    row = _logits_rows(model, tokens, [len(tokens) - 1])[0]
    ids = [model.tokenize(letter)[0] for letter in letters]
    lp = np.array([row[i] for i in ids])
    p = np.exp(lp - lp.max())
    p /= p.sum()
    return dict(zip(letters, p.tolist(), strict=True))


def exclusion_hint(probs: dict[str, float], *, ratio: float = 0.5, keep: int = 2) -> str | None:
    """Name the options the local model found least likely, when that is informative: options
    below `ratio` × uniform, leaving at least `keep` options in play. None when uninformative."""
    k = len(probs)
    if k < 3:
        return None
    low = sorted((p, letter) for letter, p in probs.items() if p < ratio / k)
    low = [letter for _, letter in low][: k - keep]
    if not low:
        return None
    names = ", ".join(f"({letter})" for letter in sorted(low))
    return f"Hint: a smaller model judged option{'s' if len(low) > 1 else ''} {names} least likely."


def embed(model: LocalModel, text: str) -> np.ndarray:
    """A mean-pooled embedding of `text` from a LocalModel made with embedding=True."""
    def job(llm):
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)[: llm.n_batch - 8]
        return llm.embed(llm.detokenize(tokens).decode("utf-8", errors="ignore"))

    vec = model.call(job)
    arr = np.asarray(vec, dtype=float)
    return arr.mean(axis=0) if arr.ndim == 2 else arr


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b / (na * nb)) if na and nb else 0.0


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
            gatekeeper: Gatekeeper, max_tokens: int, embedder: LocalModel | None = None) -> Outcome:
    if method == "compress":
        short, kept = compress(model, item.question)
        out = _cloud(client, gatekeeper, Item(item.id, item.dataset, short, item.gold, item.kind,
                                              item.choices).prompt(), max_tokens)
        out.info = {"kept_words": kept, "sent": short}
        return out
    if method == "exclude":
        hint = exclusion_hint(option_probabilities(model, system, item)) if item.kind == "choice" else None
        out = _cloud(client, gatekeeper, item.prompt() + (f"\n{hint}" if hint else ""), max_tokens)
        out.info = {"hint": hint}
        return out
    if method == "align":
        sketch = _cloud(client, gatekeeper, f"{item.question}\n\n{SKETCH_PROMPT}", max_tokens // 2)
        answer = _local(model, system, f"{item.prompt()}\n\nPlan to follow:\n{sketch.text}", max_tokens)
        score = cosine(embed(embedder or model, sketch.text), embed(embedder or model, answer))
        info = {"sketch": sketch.text, "alignment": score, "fallback": score < ALIGN_MIN}
        if score >= ALIGN_MIN:
            return Outcome(answer, sketch.input_tokens, sketch.output_tokens, info)
        full = _cloud(client, gatekeeper, item.prompt(), max_tokens)
        return Outcome(full.text, sketch.input_tokens + full.input_tokens,
                       sketch.output_tokens + full.output_tokens, info)
    if method == "shepherd":
        hint = _cloud(client, gatekeeper, f"{item.question}\n\n{HINT_PROMPT}", max(16, int(max_tokens * HINT_SHARE)))
        answer = _local(model, system, f"{item.prompt()}\n\nStart of a solution (finish it):\n{hint.text}",
                        max_tokens)
        return Outcome(answer, hint.input_tokens, hint.output_tokens, {"hint": hint.text})
    raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
