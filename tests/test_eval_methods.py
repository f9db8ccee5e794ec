"""Collaboration methods (eval settings): compression, option exclusion, reasoning alignment,
shepherding, with the real SmolLM2 and the loopback llama.cpp server as the cloud."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from edgeapp.assistant import local_system_prompt
from edgeapp.cli.main import main
from edgeapp.cloud.client import CloudClient
from edgeapp.evaluation import datasets as ds
from edgeapp.evaluation import methods
from edgeapp.turn import collab

DATA = Path(__file__).parent / "data"
QUESTION = ("Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
            "How many clips did Natalia sell altogether in April and May?")


@pytest.fixture(scope="module")
def embedder(default_model):
    from edgeapp.models.local_model import LocalModel

    model = LocalModel(default_model, n_ctx=512, embedding=True)
    yield model
    model.close()


def test_compression_drops_only_predictable_words_and_keeps_numbers(local_model):
    words = collab.word_surprisals(local_model, QUESTION)
    assert "".join(w for w, _ in words) == QUESTION and all(s >= 0 for _, s in words)
    short, kept = collab.compress(local_model, QUESTION)
    assert len(short) < len(QUESTION) and 1 - collab.MAX_DROP <= kept < 1
    assert "48" in short and short.endswith("?")
    # generation still works after the scoring pass reset the context
    assert local_model.generate([{"role": "user", "content": "Say hi."}], max_tokens=4).text


def test_compression_never_touches_the_question_or_a_closing_instruction():
    """What is asked (a sentence ending in "?") and a last paragraph (an answer format, an instruction)
    are protected wherever they stand; only the other sentences' lower-case words may go."""
    import re

    text = ("Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning. "
            "How much in dollars does she make every day at the market?\n\n"
            "Solve it step by step, briefly. End with: The answer is N.")
    words = [(w, 0.0) for w in re.findall(r"\s*\S+", text)]  # all perfectly predictable
    keep = collab._protected(words)
    dropped = "".join(w for i, (w, _) in enumerate(words) if i not in keep)
    assert dropped.split() == ["ducks", "lay", "eggs", "per", "day.", "eats", "three", "for", "breakfast",
                               "every", "morning."]
    kept = "".join(w for i, (w, _) in enumerate(words) if i in keep)
    assert "How much in dollars does she make every day at the market?" in kept
    assert kept.endswith("Solve it step by step, briefly. End with: The answer is N.")


def test_option_probabilities_and_when_an_exclusion_hint_is_given(local_model):
    item = ds.load(DATA / "eval_csqa.jsonl")[0]
    messages = [{"role": "system", "content": local_system_prompt()}, {"role": "user", "content": item.prompt()}]
    probs = collab.option_probabilities(local_model, messages, item.choices)
    assert set(probs) == set(item.choices) and sum(probs.values()) == pytest.approx(1.0)
    assert collab.exclusion_hint({"A": 0.2, "B": 0.2, "C": 0.2, "D": 0.2, "E": 0.2}) is None  # uninformative
    hint = collab.exclusion_hint({"A": 0.5, "B": 0.3, "C": 0.05, "D": 0.1, "E": 0.05})
    assert hint == "Hint: a smaller model judged options (C), (E) least likely."
    # never more than k - 2 options excluded, and two options are never narrowed
    assert collab.exclusion_hint({"A": 0.98, "B": 0.01, "C": 0.01}).count("(") == 1
    assert collab.exclusion_hint({"A": 0.99, "B": 0.01}) is None


def test_embeddings_from_the_local_model(embedder):
    a = collab.embed(embedder, "The cat sat on the mat.")
    assert collab.cosine(a, a) == pytest.approx(1.0)
    similar = collab.cosine(a, collab.embed(embedder, "A cat was sitting on a mat."))
    unrelated = collab.cosine(a, collab.embed(embedder, "Quarterly tax filing deadlines for corporations."))
    assert similar > unrelated


@pytest.mark.parametrize("method", methods.METHODS)
def test_each_method_answers_through_the_gatekeeper(method, recording_cloud, local_model, gatekeeper, embedder):
    proxy, url = recording_cloud
    client = CloudClient(url, "stand-in", read_timeout=120)
    item = ds.load(DATA / "eval_csqa.jsonl")[0] if method == "exclude" else ds.load(DATA / "eval_gsm8k.jsonl")[0]
    out = methods.run_one(method, item, model=local_model, system=local_system_prompt(), client=client,
                          gatekeeper=gatekeeper, max_tokens=24, embedder=embedder)
    assert out.text and proxy.bodies, "the cloud was asked"
    assert out.output_tokens > 0
    if method == "shepherd":  # the cloud writes a capped hint, the local model finishes
        assert proxy.bodies[-1]["max_tokens"] <= max(16, int(24 * collab.HINT_SHARE))
    if method == "align":
        assert -1 <= out.info["alignment"] <= 1
    if method == "compress":
        assert out.info["kept_words"] <= 1


def test_eval_measures_a_method_against_its_absence(tmp_path, recording_cloud):
    proxy, url = recording_cloud
    out = tmp_path / "report"
    args = ["eval", str(DATA / "eval_gsm8k.jsonl"), "-n", "2", "--cloud-url", url, "--cloud-model", "stand-in",
            "--max-tokens", "24", "--method", "shepherd", "--method", "compress", "--out", str(out),
            "--cache", str(tmp_path / "shared" / "cache.jsonl")]  # a cache outside the report folder
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    assert "Collaboration methods" in report and "| shepherd | 2 |" in report and "| compress | 2 |" in report
    # every method measured on every question: the cascade figures are given beside plain escalation
    assert "Cascade accuracy with the least confident 20%, 30%, 50% of questions escalated: plain" in report
    methods_result = json.loads((out / "results.json").read_text())["results"]["eval_gsm8k"]["methods"]
    assert set(methods_result) == {"shepherd", "compress"} and methods_result["shepherd"]["n"] == 2
    # no calibration set: `calibrate --from-eval` fits on the evaluated rows
    records = [json.loads(line) for line in (out / "calibration-records.jsonl").read_text().splitlines()]
    assert len(records) == 2 and all(r["cloud_correct"] is not None for r in records)
    calls = len(proxy.bodies)
    again = CliRunner().invoke(main, args, catch_exceptions=False)  # all from the cache
    assert again.exit_code == 0 and len(proxy.bodies) == calls
    # --method-n: only the least confident questions take the method (here: from the cache)
    least = CliRunner().invoke(main, [*args, "--method-n", "1"], catch_exceptions=False)
    assert least.exit_code == 0 and len(proxy.bodies) == calls
    subset = json.loads((out / "results.json").read_text())["results"]["eval_gsm8k"]["methods"]["shepherd"]
    assert subset["n"] == 1 and set(subset["at_share"].values()) == {None}
    assert "Cascade accuracy with the least confident" not in (out / "report.md").read_text()


def test_eval_reports_how_often_an_exclusion_hint_was_given(tmp_path, recording_cloud):
    proxy, url = recording_cloud
    out, cache = tmp_path / "report", tmp_path / "cache.jsonl"
    args = ["eval", str(DATA / "eval_csqa.jsonl"), "--cloud-url", url, "--cloud-model", "stand-in",
            "--max-tokens", "24", "--method", "exclude", "--out", str(out), "--cache", str(cache)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in cache.read_text().splitlines()]
    hints = [r["info"]["hint"] for r in rows if r.get("method") == "exclude"]
    assert len(hints) == 3
    hinted = json.loads((out / "results.json").read_text())["results"]["eval_csqa"]["methods"]["exclude"]["hinted"]
    assert hinted["n"] == sum(bool(h) for h in hints) >= 1  # SmolLM2 is sure of "A": it rules others out
    assert f"exclude: a hint was given on {hinted['n']} of 3 questions" in (out / "report.md").read_text()
    # what the cloud read carries the hint exactly when one was given
    sent = [json.dumps(body) for body in proxy.bodies]
    assert sum("least likely" in body for body in sent) == hinted["n"]


def test_a_method_that_sends_the_plain_request_reuses_the_plain_answer(tmp_path, recording_cloud):
    """With a greedy cloud (temperature 0), an exclusion hint not given means the method's request is
    the plain escalation's, byte for byte: its answer is the plain one, taken from the cache, not asked."""
    proxy, url = recording_cloud
    out, cache = tmp_path / "report", tmp_path / "cache.jsonl"
    args = ["eval", str(DATA / "eval_csqa.jsonl"), "--cloud-url", url, "--cloud-model", "stand-in",
            "--max-tokens", "24", "--temperature", "0", "--method", "exclude", "--out", str(out),
            "--cache", str(cache)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in cache.read_text().splitlines()]
    plain = {r["item"]: r for r in rows if r.get("role") == "cloud" and r.get("mode") == "scrubbed"}
    method = [r for r in rows if r.get("method") == "exclude"]
    assert len(plain) == len(method) == 3
    hinted = [r for r in method if r["info"]["hint"]]
    reused = [r for r in method if r["info"].get("same_as_plain")]
    assert hinted and len(hinted) + len(reused) == 3  # SmolLM2 rules options out on some, not all
    assert all(r["text"] == plain[r["item"]]["text"] for r in reused)
    assert not any(r["info"].get("same_as_plain") for r in hinted)
    # the cloud was asked once per question plainly, and again only where a hint was given
    assert len(proxy.bodies) == 3 + len(hinted)
    assert sum("least likely" in json.dumps(body) for body in proxy.bodies) == len(hinted)
