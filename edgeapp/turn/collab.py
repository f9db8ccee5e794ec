"""How the local model and the cloud work together on an escalated question (Coco, LLM Shepherding).

Settings (`edgeapp config set ...`), each measured by `edgeapp eval --method NAME` against its
absence (the plain escalation: the scrubbed question goes to the cloud, whose answer is final):

* `collab.compress` (Coco's adaptive prompt compression): the local model scores every word of the
  message by its surprisal and the most predictable ones are dropped before sending. Adaptive: the
  closer the local confidence was to the threshold (the less help is needed), the more may go, up
  to `MAX_DROP` of the words; only words below a surprisal floor are candidates, so dense messages
  keep nearly everything. Numbers, capitalised words (names of things) and the final question are
  never dropped.
* `collab.exclusion_hints` (Coco's information gain, multiple choice): when the message lists
  options (A), (B), (C)..., the local model's probability of each option letter; if that
  distribution is informative (some options clearly below uniform), the cloud is told which
  options the small model found least likely.
* `collab.mode = align` (reasoning alignment): the cloud writes a short reasoning sketch without
  the answer; the local model writes the final answer following it. Cosine similarity of the local
  model's own embeddings (llama.cpp, mean-pooled) checks that the answer followed the sketch;
  below `ALIGN_MIN` the cloud is asked for the full answer.
* `collab.mode = shepherd` (LLM Shepherding): the cloud writes only the first part of a solution
  (at most `HINT_SHARE` of its token budget) and the local model finishes it.

Every cloud call still goes through `Gatekeeper.scrub`; this module only shapes the text.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Sequence

import numpy as np

from ..models.local_model import LocalModel

MODES = ("answer", "align", "shepherd")
SURPRISAL_FLOOR = 1.0  # nats: words the local model predicts with p > ~0.37 may be dropped
MAX_DROP = 0.4  # never drop more than this share of the words
# cosine below which the local answer did not follow the cloud's sketch. Mean-pooled decoder
# embeddings are anisotropic (unrelated sentences score ~0.7 with SmolLM2), hence a high floor.
ALIGN_MIN = 0.8
HINT_SHARE = 0.3  # shepherding: the cloud writes at most this share of its usual token budget
SKETCH_PROMPT = (
    "Write a short plan for solving this: the key steps in a few lines. "
    "Do not compute or state the final answer."
)
HINT_PROMPT = (
    "Write only the first steps of a solution (at most two or three short sentences). "
    "Do not finish it and do not state the final answer."
)
PLAN_INTRO = "Plan to follow:"
HINT_INTRO = "Start of a solution (finish it):"


def request_for(mode: str, max_tokens: int) -> tuple[str, int, str]:
    """For collab.mode align / shepherd: what the cloud is asked for (appended to the message), its
    token limit, and how the local model is told about the cloud's part."""
    if mode == "shepherd":
        return HINT_PROMPT, max(16, int(max_tokens * HINT_SHARE)), HINT_INTRO
    if mode == "align":
        return SKETCH_PROMPT, max(16, max_tokens // 2), PLAN_INTRO
    raise ValueError(f"collab.mode {mode!r} has no cloud request; choose from {', '.join(MODES)}")


# -- the local model: one batched pass over a text -------------------------------------------
def _clear_memory(llm) -> None:  # llm: a llama_cpp.Llama, on the model's owner thread
    import llama_cpp

    memory = llama_cpp.llama_get_memory(llm.ctx)
    if memory is not None:  # an embedding model with non-causal attention may have none
        llama_cpp.llama_memory_clear(memory, True)


def _logits_rows(model: LocalModel, tokens: list[int], rows: list[int]) -> np.ndarray:
    """Log-softmax rows of the logits at the given positions, from one batched decode (llama.cpp's
    C API: the model keeps only the last position's logits otherwise)."""
    import llama_cpp

    def job(llm) -> np.ndarray:  # llm: a llama_cpp.Llama, on the model's owner thread
        n = min(len(tokens), llm.n_batch)
        _clear_memory(llm)
        llm.n_tokens = 0  # the next generate() re-evaluates its prompt from scratch
        batch = llama_cpp.llama_batch_init(n, 0, 1)
        try:
            batch.n_tokens = n
            for i, token in enumerate(tokens[:n]):
                batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = token, i, 1, True
                batch.seq_id[i][0] = 0
            if llama_cpp.llama_decode(llm.ctx, batch) != 0:
                raise RuntimeError("llama_decode failed on the scoring pass")
            n_vocab = llm.n_vocab()
            array = ctypes.POINTER(ctypes.c_float * n_vocab)
            out = []
            for r in rows:
                ptr = llama_cpp.llama_get_logits_ith(llm.ctx, min(r, n - 1))
                logits = np.frombuffer(ctypes.cast(ptr, array).contents, dtype=np.float32).astype(np.float64)
                peak = logits.max()
                out.append(logits - peak - np.log(np.exp(logits - peak).sum()))
        finally:
            llama_cpp.llama_batch_free(batch)
        _clear_memory(llm)
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
    rows = (
        _logits_rows(model, full, [shift + i - 1 for i in range(len(tokens))]) if tokens else np.zeros((0, 0))
    )
    surprisal = [0.0] * len(pieces)
    for i, tok in enumerate(tokens):
        if shift + i - 1 < 0:  # no BOS: the first token has no context; count it as surprising
            surprisal[owner[i]] += 10.0
            continue
        surprisal[owner[i]] -= float(rows[i][tok])
    return list(zip(pieces, surprisal, strict=True))


_SENTENCE_END = re.compile(r"[.!?:]['\")\]]*$")


def _protected(words: list[tuple[str, float]]) -> set[int]:
    """Words never dropped: numbers and symbols that carry values, capitalised words, option labels,
    the first word of a line (keeps the layout), every question sentence (ending in "?": what is
    asked), the whole final sentence, and the whole last paragraph of a message in several (where an
    instruction such as an answer format usually stands)."""
    keep = {
        i
        for i, (w, _) in enumerate(words)
        if re.search(r"[\d$%=+*/<>@#&]", w)
        or w.strip()[:1].isupper()
        or "\n" in w
        or re.match(r"\s*\(?[A-Ja-j][).:]$", w)
    }
    start = 0  # sentences: runs of words up to one ending in . ! ? or :
    for i, (w, _) in enumerate(words):
        end = bool(_SENTENCE_END.search(w.rstrip())) or i == len(words) - 1
        if end:
            if w.rstrip().rstrip("'\")]").endswith("?") or i == len(words) - 1:
                keep.update(range(start, i + 1))
            start = i + 1
    paragraph = max((i for i, (w, _) in enumerate(words) if "\n\n" in w), default=None)
    if paragraph is not None:
        keep.update(range(paragraph, len(words)))
    return keep


def compression_budget(confidence: float | None, threshold: float) -> float:
    """Share of words that may be dropped: more when the local answer was nearly good enough."""
    if confidence is None or threshold <= 0:
        return MAX_DROP / 2
    return MAX_DROP * max(0.0, min(1.0, confidence / threshold))


def compress(
    model: LocalModel, text: str, *, floor: float = SURPRISAL_FLOOR, max_drop: float = MAX_DROP
) -> tuple[str, float]:
    """`text` with its most predictable words dropped; and the share of words kept."""
    words = word_surprisals(model, text)
    protected = _protected(words)
    droppable = [i for i, (_, s) in enumerate(words) if s < floor and i not in protected]
    droppable.sort(key=lambda i: words[i][1])
    drop = set(droppable[: int(len(words) * max_drop)])
    kept = "".join(w for i, (w, _) in enumerate(words) if i not in drop).strip()
    return kept, 1 - len(drop) / max(1, len(words))


# -- multiple choice ----------------------------------------------------------------------------
_OPTION = re.compile(r"(?:^|\s)\(?([A-J])[).:]\s+\S", re.MULTILINE)


def parse_choices(text: str) -> tuple[str, ...]:
    """The option letters of a multiple-choice message ("(A) ...", "A) ...", "A. ..."), when they
    run A, B, C... with at least three options; else ()."""
    letters: list[str] = []
    for match in _OPTION.finditer(text):
        letter = match.group(1)
        if letter == chr(ord("A") + len(letters)):
            letters.append(letter)
        elif letter == "A":  # a new list starts: the last one wins
            letters = ["A"]
    return tuple(letters) if len(letters) >= 3 else ()


def option_probabilities(
    model: LocalModel, messages: Sequence[dict[str, str]], letters: Sequence[str]
) -> dict[str, float]:
    """The local model's probability of each option letter as the first token of its answer."""

    tokens = model.prompt_tokens(messages) + model.tokenize("The answer is (")
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


# -- embeddings (reasoning alignment) -------------------------------------------------------------
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


def alignment(embedder: LocalModel, sketch: str, answer: str) -> float:
    return cosine(embed(embedder, sketch), embed(embedder, answer))
