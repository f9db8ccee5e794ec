"""The hidden-state probe of the routing benchmark (benchmarks/eval/hidden_state.py): the local model's
last-layer states for a chat and its answer, and the regularised linear probe fitted on them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from edgeapp.evaluation.metrics import auroc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks" / "eval"))
import hidden_state as probe  # noqa: E402  (benchmark code: the product does not use it)


@pytest.fixture(scope="module")
def embedder(default_model):
    from edgeapp.models.local_model import LocalModel

    model = LocalModel(default_model, n_ctx=512, embedding=True)
    yield model
    model.close()


MESSAGES = [{"role": "system", "content": "Answer briefly."},
            {"role": "user", "content": "Natalia sold 48 clips in April and half as many in May. How many in all?"}]


def test_hidden_state_is_the_chat_then_the_answer_pooled_two_ways(embedder):
    got = probe.hidden_state(embedder, MESSAGES, "48 + 24 = 72. The answer is 72.")
    prompt = embedder.count_tokens(MESSAGES)
    answer = len(embedder.tokenize("48 + 24 = 72. The answer is 72."))
    assert got.tokens == prompt + answer and got.seconds > 0
    assert set(got.vectors) == set(probe.POOLINGS)
    n_embd = embedder.call(lambda llm: llm.n_embd())
    assert all(v.shape == (n_embd,) and np.isfinite(v).all() for v in got.vectors.values())
    # the answer matters: another answer to the same chat gives another state
    other = probe.hidden_state(embedder, MESSAGES, "The answer is 12.")
    assert not np.allclose(got.vectors["last"], other.vectors["last"])
    # the same input gives the same state (the context is cleared between calls)
    again = probe.hidden_state(embedder, MESSAGES, "48 + 24 = 72. The answer is 72.")
    assert np.allclose(got.vectors["mean"], again.vectors["mean"], atol=1e-4)


def test_token_states_in_chunks_equal_one_batch(embedder):
    def both(llm):
        tokens = probe.chat_tokens(embedder, llm, MESSAGES, "Half of 48 is 24, and 48 + 24 = 72. The answer is 72.")
        whole = probe.token_states(llm, tokens)
        n_batch = llm.n_batch
        llm.n_batch = 7  # several chunks, the later ones attending to the earlier through the KV cache
        try:
            chunked = probe.token_states(llm, tokens)
        finally:
            llm.n_batch = n_batch
        return whole, chunked

    whole, chunked = embedder.call(both)
    assert whole.shape == chunked.shape and len(whole) > 7
    assert np.allclose(whole, chunked, atol=1e-3)


def synthetic(n: int = 400, dim: int = 64, seed: int = 3):
    """States driven by a few latent factors (as a model's are: a handful of directions carry most of the
    variance), correctness read from one of them, which the token features do not see."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 4))
    hidden = latent @ rng.normal(size=(4, dim)) + 0.5 * rng.normal(size=(n, dim))
    features = rng.normal(size=(n, 21))
    logit = 2.0 * latent[:, 0] + 0.3 * features[:, 1] - 1.0
    correct = rng.random(n) < 1 / (1 + np.exp(-logit))
    cloud = rng.random(n) < np.where(latent[:, 1] > 0, 0.85, 0.25)
    return features, hidden, correct, cloud


def test_probe_reads_the_hidden_state_and_round_trips_through_json():
    features, hidden, correct, cloud = synthetic()
    train, test = slice(0, 300), slice(300, None)
    fitted = probe.fit_probe(features[train], hidden[train], correct[train])
    k, c, _ = fitted.params()
    assert k in probe.PCA_SIZES and c in probe.PROBE_REGULARIZATION
    p = fitted.predict(features[test], hidden[test])
    assert ((p > 0) & (p < 1)).all()
    assert auroc(p.tolist(), correct[test].tolist()) > 0.7  # the features alone: about 0.5
    again = probe.ProbeFit.from_json(json.loads(json.dumps(fitted.to_json())))
    assert np.allclose(again.predict(features[test], hidden[test]), p)
    # fixed parameters refit without choosing them
    fixed = probe.fit_probe(features[train], hidden[train], correct[train], params=fitted.params())
    assert fixed.params() == fitted.params()
    assert np.allclose(fixed.predict(features[test], hidden[test]), p)


def test_gain_objective_adds_a_cloud_head_on_the_judged_rows_only():
    features, hidden, correct, cloud = synthetic()
    judged = [bool(v) if i % 3 else None for i, v in enumerate(cloud)]
    fitted = probe.fit_probe(features, hidden, correct, cloud_correct=judged)
    assert fitted.cloud is not None and fitted.cloud_C in probe.PROBE_REGULARIZATION
    local = fitted.predict_local(features, hidden)
    p_cloud = fitted.predict_cloud(features, hidden)
    assert np.allclose(fitted.predict(features, hidden), np.clip((1 + local - p_cloud) / 2, 0, 1))
    assert auroc(p_cloud.tolist(), cloud.tolist()) > 0.7
    # too few judged cloud answers: no cloud head, the score is P(local right)
    few = probe.fit_probe(features, hidden, correct, cloud_correct=[None] * len(correct))
    assert few.cloud is None and np.allclose(few.predict(features, hidden), few.predict_local(features, hidden))
