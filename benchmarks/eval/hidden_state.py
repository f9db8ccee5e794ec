"""The local model's hidden state for a question and its answer (issue 17's hidden-state probe;
measured by benchmarks/eval/probe.py, not used by the product's turns: see
docs/routing-and-evaluation.md).

The features come from the same weights loaded in llama.cpp's embedding mode (the Assistant's
`embedder`, as `collab.align` uses): the chat the model saw when it answered (system prompt and
question through the chat template, with the generation prompt) followed by the answer's tokens, in
one forward pass. llama.cpp gives the last layer's output (after the final norm) for every token
(the model has no pooling of its own); we pool it two ways:

* `mean`: the mean over every token of the chat (what `collab.embed` does for a text);
* `last`: the last token's state (the answer's final token, the state that would predict what follows).

Pooling is ours, not llama.cpp's, so one pass gives both and the chat's special tokens are tokenized
as special tokens (`Llama.embed` tokenizes plain text only).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

POOLINGS = ("mean", "last")


@dataclass
class HiddenState:
    vectors: dict[str, np.ndarray]  # pooling -> (n_embd,) float32
    tokens: int
    seconds: float


def token_states(llm, tokens: Sequence[int]) -> np.ndarray:
    """Every token's last-layer state, (len(tokens), n_embd), for a llama_cpp.Llama made with
    embedding=True. Runs in chunks of the context's batch size (causal attention: later chunks attend
    to the earlier ones through the KV cache), so a long answer needs no larger batch."""
    import llama_cpp

    n_embd = llm.n_embd()
    n_batch = llm.n_batch
    out = np.empty((len(tokens), n_embd), dtype=np.float32)
    llm._ctx.kv_cache_clear()
    try:
        for start in range(0, len(tokens), n_batch):
            chunk = list(tokens[start : start + n_batch])
            llm._batch.reset()
            llm._batch.set_batch(chunk, n_past=start, logits_all=True)
            llm._ctx.decode(llm._batch)
            ptr = llama_cpp.llama_get_embeddings(llm._ctx.ctx)
            out[start : start + len(chunk)] = np.ctypeslib.as_array(
                ptr, shape=(len(chunk) * n_embd,)
            ).reshape(len(chunk), n_embd)
    finally:
        llm._batch.reset()
        llm._ctx.kv_cache_clear()
    return out


def pool(states: np.ndarray) -> dict[str, np.ndarray]:
    return {"mean": states.mean(axis=0), "last": states[-1].copy()}


def chat_tokens(model, llm, messages: Sequence[dict[str, str]], answer: str) -> list[int]:
    """The tokens the model saw: the chat through its template (with the generation prompt) and the
    answer's text after it. Called on the owner thread of `model` (a LocalModel)."""
    prompt, _ = model._prompt_tokens(llm, messages)
    reply = llm.tokenize(answer.encode("utf-8"), add_bos=False, special=False)
    room = max(1, model.n_ctx - 1)
    return (list(prompt) + list(reply))[-room:]  # keep the answer's end when the chat is too long


def hidden_state(embedder, messages: Sequence[dict[str, str]], answer: str) -> HiddenState:
    """The pooled hidden states of `messages` + `answer` from `embedder` (a LocalModel made with
    embedding=True), computed on its owner thread."""

    def job(llm):
        started = time.perf_counter()
        tokens = chat_tokens(embedder, llm, messages, answer)
        vectors = pool(token_states(llm, tokens))
        return HiddenState(vectors=vectors, tokens=len(tokens), seconds=time.perf_counter() - started)

    return embedder.call(job)


# -- the probe: a regularised linear model on the hidden state plus the calibration features --------
PCA_SIZES = (4, 8, 16, 32)  # principal components of the hidden state the fit may keep
PROBE_REGULARIZATION = (0.003, 0.01, 0.03, 0.1, 0.3)  # inverse L2 strengths it chooses from


@dataclass
class LinearHead:
    """sigmoid(intercept + coef · (x - mean) / scale), x = calibration features + PCA scores."""

    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = self.intercept + (
            (np.atleast_2d(x) - np.asarray(self.mean)) / np.asarray(self.scale)
        ) @ np.asarray(self.coef)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))


@dataclass
class ProbeFit:
    """The hidden state standardised per dimension, projected on `axes` (PCA on the training rows),
    appended to the 21 calibration features; a logistic head for P(local right) and, for the gain
    objective, one for P(cloud right). Plain lists only: saved as JSON with the calibration."""

    pooling: str
    h_mean: list[float]
    h_scale: list[float]
    axes: list[list[float]]  # k x n_embd
    local: LinearHead
    cloud: LinearHead | None = None
    C: float = 0.0
    cloud_C: float = 0.0

    def params(self) -> tuple[int, float, float]:
        """(components, L2 strength of the local head, of the cloud head): to refit without choosing."""
        return len(self.axes), self.C, self.cloud_C

    def inputs(self, features: np.ndarray, hidden: np.ndarray) -> np.ndarray:
        h = (np.atleast_2d(hidden) - np.asarray(self.h_mean)) / np.asarray(self.h_scale)
        return np.hstack([np.atleast_2d(features), h @ np.asarray(self.axes).T])

    def predict_local(self, features, hidden) -> np.ndarray:
        return self.local(self.inputs(features, hidden))

    def predict_cloud(self, features, hidden) -> np.ndarray:
        return self.cloud(self.inputs(features, hidden))

    def predict(self, features, hidden) -> np.ndarray:
        """The router's score: P(local right), or the gain score (1 + P(local) - P(cloud)) / 2."""
        local = self.predict_local(features, hidden)
        if self.cloud is None:
            return local
        return np.clip((1.0 + local - self.predict_cloud(features, hidden)) / 2.0, 0.0, 1.0)

    def to_json(self) -> dict:
        from dataclasses import asdict

        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ProbeFit:
        data = dict(data)
        data["local"] = LinearHead(**data["local"])
        data["cloud"] = LinearHead(**data["cloud"]) if data.get("cloud") else None
        return cls(**data)


def _head(x: np.ndarray, y: np.ndarray, C: float) -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale <= 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, y)
    return LinearHead(
        [float(v) for v in mean],
        [float(v) for v in scale],
        [float(v) for v in model.coef_[0]],
        float(model.intercept_[0]),
    )


def _choose(x_feat: np.ndarray, scores: np.ndarray, y: np.ndarray, sizes, cs) -> tuple[int, float]:
    """The number of components and the L2 strength with the lowest cross-validated log loss."""
    from sklearn.model_selection import StratifiedKFold

    folds = min(5, int(y.sum()), int((~y).sum()))
    if folds < 2:
        return min(sizes), 0.1
    loss = {(k, c): 0.0 for k in sizes for c in cs}
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(x_feat, y):
        for k in sizes:
            x = np.hstack([x_feat, scores[:, :k]])
            for c in cs:
                p = np.clip(_head(x[train], y[train], c)(x[test]), 1e-6, 1 - 1e-6)
                loss[(k, c)] -= float(np.sum(np.where(y[test], np.log(p), np.log(1 - p))))
    return min(loss, key=loss.get)


def fit_probe(
    features,
    hidden,
    correct,
    *,
    pooling: str = "mean",
    cloud_correct=None,
    sizes=PCA_SIZES,
    cs=PROBE_REGULARIZATION,
    params: tuple[int, float, float] | None = None,
) -> ProbeFit:
    """Fit on the training rows only: per-dimension standardisation and PCA of `hidden` (n x n_embd),
    then the number of components and the L2 strength by 5-fold log loss, then the head(s).
    `cloud_correct` (True/False/None per row) adds the cloud head (gain objective), fitted on the
    rows where it is known, with the same components and its own strength chosen the same way.
    `params` (from `ProbeFit.params`) fixes the components and strengths instead of choosing them."""
    x_feat = np.asarray(features, dtype=float)
    h = np.asarray(hidden, dtype=float)
    y = np.asarray(correct, dtype=bool)
    h_mean = h.mean(axis=0)
    h_scale = h.std(axis=0)
    h_scale[h_scale <= 1e-6] = 1.0
    hz = (h - h_mean) / h_scale
    sizes = [k for k in sizes if k <= min(hz.shape) - 1] or [1]
    _, _, vt = np.linalg.svd(hz, full_matrices=False)
    axes = vt[: max(sizes)]
    scores = hz @ axes.T
    k, c = (params[0], params[1]) if params else _choose(x_feat, scores, y, sizes, cs)
    x = np.hstack([x_feat, scores[:, :k]])
    out = ProbeFit(
        pooling,
        [float(v) for v in h_mean],
        [float(v) for v in h_scale],
        [[float(v) for v in row] for row in axes[:k]],
        _head(x, y, c),
        C=c,
    )
    if cloud_correct is not None:
        known = np.asarray([v is not None for v in cloud_correct])
        yc = np.asarray([bool(v) for v in cloud_correct])
        if known.sum() >= 20 and 0 < yc[known].sum() < known.sum():
            # one projection for both heads (the local head's components); the strength is its own
            cc = (
                params[2]
                if params and params[2]
                else _choose(x_feat[known], scores[known], yc[known], [k], cs)[1]
            )
            out.cloud, out.cloud_C = _head(x[known], yc[known], cc), cc
    return out
