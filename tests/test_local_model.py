"""The real embedded model, through the owner thread."""

from __future__ import annotations

import math
import shutil
import threading

import numpy as np
import pytest

from edgeapp.confidence.signals import score
from edgeapp.errors import ModelError, PromptError
from edgeapp.models.local_model import Generation, LocalModel, TokenStep


def ask(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def test_answers_with_token_signals(local_model):
    gen = local_model.generate(ask("What is the capital of France? Answer in one word."), max_tokens=24)
    assert gen.text.strip()
    assert gen.completion_tokens == len(gen.logprobs) == len(gen.entropies) > 0
    assert all(lp <= 1e-6 for lp in gen.logprobs)
    assert all(h >= -1e-6 for h in gen.entropies)
    assert gen.text_ends[-1] <= len(gen.text) + 16
    assert gen.prompt_tokens > 5


def test_logprobs_match_a_full_logits_pass(default_model, local_model):
    """Our cheap per-step logprob equals log_softmax from llama.cpp's own logits_all pass."""
    import llama_cpp

    messages = ask("Name three colors.")
    gen = local_model.generate(messages, max_tokens=12)
    prompt = local_model.call(lambda llm: local_model._prompt_tokens(llm, messages)[0])
    ref = llama_cpp.Llama(model_path=str(default_model), n_ctx=512, logits_all=True, verbose=False, n_threads=2)
    try:
        ref.eval(prompt + gen.tokens)
        scores = np.array(ref.scores[: ref.n_tokens], dtype=np.float64)
    finally:
        ref.close()
    for i, (token, ours) in enumerate(zip(gen.tokens, gen.logprobs, strict=True)):
        row = scores[len(prompt) - 1 + i]
        expected = row[token] - (row.max() + math.log(np.exp(row - row.max()).sum()))
        # batched and one-at-a-time evaluation differ slightly in quantized kernels
        assert math.exp(ours) == pytest.approx(math.exp(expected), abs=0.03), f"token {i}"
    # greedy: each sampled token is the argmax of its row
    assert all(scores[len(prompt) - 1 + i].argmax() == t for i, t in enumerate(gen.tokens))


def test_confidence_differs_between_easy_and_hard(local_model):
    easy = score(local_model.generate(ask("What is 2 + 2? Reply with just the number."), max_tokens=16))
    hard = score(local_model.generate(ask(
        "A train leaves at 3:47 pm going 83 km/h; another leaves 29 minutes later at 117 km/h on the same track. "
        "At what exact time, to the second, does the second train catch the first?"), max_tokens=120))
    for c in (easy, hard):
        assert 0.0 <= c.score <= 1.0
    assert easy.score != pytest.approx(hard.score, abs=0.02)
    assert easy.score > hard.score


def test_stream_yields_tokens_then_result_and_can_stop_early(local_model):
    steps = []
    for item in local_model.stream(ask("Count from one to fifty in words."), max_tokens=200):
        if isinstance(item, TokenStep):
            steps.append(item)
            if len(steps) == 3:
                break
    assert len(steps) == 3
    # the owner thread is free again right away
    gen = local_model.generate(ask("Say hello."), max_tokens=8)
    assert isinstance(gen, Generation) and gen.completion_tokens > 0


def test_concurrent_callers_are_serialized(local_model):
    results: list[Generation] = []
    errors: list[BaseException] = []

    def run(q):
        try:
            results.append(local_model.generate(ask(q), max_tokens=16))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"What is {i} plus {i}?",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert len(results) == 4 and all(r.completion_tokens > 0 for r in results)


def test_greedy_is_deterministic(local_model):
    a = local_model.generate(ask("Give me a fruit."), max_tokens=16)
    b = local_model.generate(ask("Give me a fruit."), max_tokens=16)
    assert a.tokens == b.tokens


def test_prompt_longer_than_context(default_model):
    with LocalModel(default_model, n_ctx=256) as small:
        with pytest.raises(PromptError, match="context holds 256"):
            small.generate(ask("word " * 400), max_tokens=8)
        # and the model still works afterwards
        assert small.generate(ask("Hi"), max_tokens=4).completion_tokens > 0


def test_missing_model_file(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        LocalModel(tmp_path / "nope.gguf")


def test_not_a_gguf_file(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"<html>404 not found</html>" * 100)
    with pytest.raises(ModelError, match="not a GGUF model file"):
        LocalModel(bad)


def test_truncated_gguf(default_model, tmp_path):
    cut = tmp_path / "cut.gguf"
    with open(default_model, "rb") as src, open(cut, "wb") as dst:
        dst.write(src.read(5_000_000))
    with pytest.raises(ModelError, match="truncated or damaged"):
        LocalModel(cut)


def test_default_model_is_checked_by_sha256(tmp_path, monkeypatch, default_model):
    from edgeapp.models import catalog

    fake = tmp_path / "pkg"
    fake.mkdir()
    shutil.copy(default_model, fake / default_model.name)
    with open(fake / default_model.name, "r+b") as fh:
        fh.seek(10_000_000)
        fh.write(b"\0" * 16)
    monkeypatch.setattr(catalog, "_package_dir", lambda package: fake)
    with pytest.raises(ModelError, match="damaged"):
        catalog.default_model_path()


def test_sampling_is_reproducible_per_seed_and_leaves_greedy_alone(local_model):
    """A drawn answer (the self-consistency check's second opinion) is the same for one seed, differs
    between seeds, and drawing does not change the greedy answer asked after it."""
    from edgeapp.models.local_model import Sampling

    messages = [{"role": "user", "content": "Write one short sentence about the sea."}]
    greedy = local_model.generate(messages, max_tokens=24).text
    draws = {seed: local_model.generate(messages, max_tokens=24, sampling=Sampling(temperature=1.0, seed=seed)).text
             for seed in (1, 2, 3)}
    again = local_model.generate(messages, max_tokens=24, sampling=Sampling(temperature=1.0, seed=1)).text
    assert again == draws[1]
    assert len(set(draws.values())) > 1, draws
    assert local_model.generate(messages, max_tokens=24).text == greedy
