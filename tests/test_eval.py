"""Eval harness, calibration and feedback: real SmolLM2, the real loopback server, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from edgeapp import config
from edgeapp.cli.main import main
from edgeapp.confidence import calibration
from edgeapp.evaluation import datasets as ds
from edgeapp.evaluation import metrics
from edgeapp.evaluation.grading import extract, is_correct
from edgeapp.evaluation.routing import pick_threshold

DATA = Path(__file__).parent / "data"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_loaders_read_every_format():
    gsm = ds.load(DATA / "eval_gsm8k.jsonl")
    assert len(gsm) == 4 and all(i.kind == "numeric" and i.gold.lstrip("-").isdigit() for i in gsm)
    csqa = ds.load(DATA / "eval_csqa.jsonl")
    assert csqa[0].kind == "choice" and csqa[0].gold in csqa[0].choices and "(E)" in csqa[0].question
    bbh = ds.load(DATA / "eval_bbh.jsonl")
    assert {i.kind for i in bbh} >= {"choice"}
    assert len({i.id for i in gsm + csqa + bbh}) == 4 + 3 + len(bbh)


def test_truthfulqa_options_are_shuffled_with_a_fixed_seed():
    first = ds.load(DATA / "eval_truthfulqa.jsonl")
    again = ds.load(DATA / "eval_truthfulqa.jsonl")
    assert [i.question for i in first] == [i.question for i in again]
    assert {i.gold for i in first} != {"A"}  # the true option is not always listed first any more


def test_custom_question_answer_jsonl(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"question": "2+2?", "answer": "4"}\n{"question": "Capital of France?", "answer": "Paris"}\n')
    items = ds.load(path)
    assert [i.kind for i in items] == ["numeric", "text"]
    assert is_correct(items[1], "It is Paris. The answer is Paris.")


@pytest.mark.parametrize(("text", "expected"), [
    ("5 + 3 = 8. The answer is 8.", "8"),
    ("She pays $1,250.00 in total. The answer is: $1,250", "1250"),
    ("12 apples, then 7 more: 19", "19"),
    ("no number here", None),
    ("So it takes Joy \\boxed{48} hours to read 120 pages.", "48"),
    ("Thus, the answer is \\(\\boxed{1,200}\\).", "1200"),
])
def test_numeric_extraction(text, expected):
    item = ds.load(DATA / "eval_gsm8k.jsonl")[0]
    assert extract(item, text) == expected


def test_choice_extraction():
    item = ds.load(DATA / "eval_csqa.jsonl")[0]
    assert extract(item, "I think (B) compile fits. The answer is E.") == "E"
    assert extract(item, "Option C seems right") == "C"


def test_metrics_on_a_hand_worked_example():
    assert metrics.auroc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == pytest.approx(0.75)
    assert metrics.auroc([0.5, 0.5], [True, False]) == pytest.approx(0.5)
    assert metrics.ece([0.9, 0.9, 0.1, 0.1], [True, True, False, False]) == pytest.approx(0.1)
    cas = metrics.cascade([0.9, 0.2, 0.5, 0.1], [True, False, True, False], [True, True, False, True])
    assert cas.accuracy.tolist() == [0.5, 0.75, 1.0, 0.75, 0.75]
    assert (cas.local_acc, cas.cloud_acc) == (0.5, 0.75)
    assert cas.cpt(0.5) == 0.25 and cas.cpt(1.0) == 0.25
    assert cas.kept_local_within(0.0) == 0.75
    assert cas.apgr() == pytest.approx(1.125)  # above 1: the cascade beats always-cloud
    assert metrics.random_cascade(0.5, 0.75, 4).apgr() == pytest.approx(0.5)


def test_pick_threshold_targets():
    scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    t, _ = pick_threshold(scores, {"cloud-share": 0.3})
    assert sum(s < t for s in scores) == pytest.approx(3, abs=1)
    local_ok = [False, False, False, True, True, True, True, True, True, True]
    cloud_ok = [True] * 10
    t, why = pick_threshold(scores, {"drop": 0}, local_ok=local_ok, cloud_ok=cloud_ok)
    assert [s < t for s in scores] == [True] * 3 + [False] * 7 and "30%" in why
    t, _ = pick_threshold(scores, {"budget": 3.0, "volume": 100}, cost_per_call=0.1)  # 30 calls of 100
    assert sum(s < t for s in scores) == pytest.approx(3, abs=1)


def test_eval_calibrate_and_the_next_turn_uses_it(tmp_path, recording_cloud, local_model, gatekeeper):
    proxy, url = recording_cloud
    out = tmp_path / "report"
    args = ["eval", DATA / "eval_gsm8k.jsonl", "-n", "3", "--cloud-url", url, "--cloud-model", "stand-in",
            "--max-tokens", "32", "--raw", "--calibration-set", DATA / "eval_easy_calib.jsonl",
            "--calibration-n", "20", "--out", out]
    first = run(*args)
    assert first.exit_code == 0, first.output
    report = (out / "report.md").read_text()
    assert "AUROC" in report and "Gatekeeper cost" in report and "calibrated" in report
    assert (out / "eval_gsm8k-accuracy-vs-cost.png").stat().st_size > 5000
    assert (out / "eval_gsm8k-reliability.png").stat().st_size > 5000
    results = json.loads((out / "results.json").read_text())["results"]["eval_gsm8k"]
    assert results["n"] == 3 and 0 <= results["local_accuracy"] <= 1
    assert set(results["signals"]) >= {"mean_prob", "min_prob", "verbal", "combined (default)", "calibrated"}
    calls = len(proxy.bodies)
    assert calls == 20 + 3 + 3  # calibration rows, scrubbed and raw dev rows
    cached = (out / "cache.jsonl").read_text().count("\n")
    # a rerun is served from the cache: no model call, same report
    second = run(*args)
    assert second.exit_code == 0
    assert len(proxy.bodies) == calls and (out / "cache.jsonl").read_text().count("\n") == cached
    assert json.loads((out / "results.json").read_text())["results"]["eval_gsm8k"] == results
    # --from-cache loads no model at all; the cache key ignores a loopback server's port
    offline = run(*args[:5], "http://127.0.0.1:1/v1", *args[6:], "--from-cache")
    assert offline.exit_code == 0, offline.output
    assert len(proxy.bodies) == calls
    assert json.loads((out / "results.json").read_text())["results"]["eval_gsm8k"] == results
    # calibrate from it; the threshold lands in the settings and the next turn is calibrated
    fit = run("calibrate", "--from-eval", out, "--target", "cloud-share=0.5")
    assert fit.exit_code == 0, fit.output
    saved = calibration.load()
    # fitted on every local answer the run recorded: the calibration set and the evaluated questions
    assert saved is not None and saved.n == 20 + 3 and saved.threshold is not None
    parts = [json.loads(line)["part"] for line in (out / "calibration-records.jsonl").read_text().splitlines()]
    assert parts == ["calibration"] * 20 + ["evaluated"] * 3
    assert config.load()["router.threshold"] == pytest.approx(round(saved.threshold, 4))
    from edgeapp.assistant import Assistant

    result = Assistant(config.load(), local_model=local_model, gatekeeper=gatekeeper).ask_sync(
        Assistant(config.load(), local_model=local_model).new_conversation(), "What is 2 + 3?")
    assert result.components["method"] == "calibrated"
    assert result.confidence == pytest.approx(saved.predict(result.components))


def test_feedback_marks_turns_and_history_needs_enough_labels(default_model):
    assert run("ask", "--mode", "local", "What is 1 + 1?").exit_code == 0
    good = run("feedback", "1", "good")
    assert good.exit_code == 0
    from edgeapp.ledger import Ledger

    assert Ledger().get_turn(1)["feedback"] == "good"
    missing = run("feedback", "99", "bad")
    assert missing.exit_code == 1 and "no turn #99" in missing.stderr
    few = run("calibrate", "--from-history")
    assert few.exit_code == 1 and "at least 20" in few.stderr


def test_cached_local_rows_keep_per_token_data_for_later_features(local_model, tmp_path):
    from edgeapp.evaluation import datasets as ds
    from edgeapp.evaluation import runner

    cache = runner.ResponseCache(tmp_path / "cache.jsonl")
    item = ds.load(Path(__file__).parent / "data" / "eval_gsm8k.jsonl")[0]
    first = runner.run_local([item], local_model, "m", cache, max_tokens=12)[0]
    row = runner.ResponseCache(tmp_path / "cache.jsonl").get(first["key"])  # as read back from disk
    assert len(row["logprobs"]) == len(row["entropies"]) == len(row["text_ends"]) == row["tokens"]
    assert row["finish_reason"] == "length"
    again = runner.components_of(row)
    assert again["score"] == pytest.approx(row["components"]["score"], abs=1e-4)
    assert again["finished"] is False
    assert runner.components_of({"components": {"score": 0.5}}) == {"score": 0.5}  # older rows: as stored


def test_unscrubbed_prompts_cost_a_call_only_where_something_was_masked(tmp_path, recording_cloud):
    proxy, url = recording_cloud
    data = tmp_path / "mine.jsonl"
    data.write_text(json.dumps({"question": "What is 7 + 5?", "answer": "12"}) + "\n"
                    + json.dumps({"question": "Dana Whitfield has 3 apples and buys 4 more. How many now?",
                                  "answer": "7"}) + "\n")
    out = tmp_path / "report"
    result = run("eval", data, "--cloud-url", url, "--cloud-model", "stand-in", "--max-tokens", "16", "--raw",
                 "--out", out)
    assert result.exit_code == 0, result.output
    sent = [body["messages"][-1]["content"] for body in proxy.bodies]
    # two scrubbed calls, then one raw call: only the question with a name was changed by scrubbing
    assert len(sent) == 3 and "Dana Whitfield" not in sent[1] and "Dana Whitfield" in sent[2]
    results = json.loads((out / "results.json").read_text())["results"]["mine"]
    assert results["gatekeeper_n"] == 2 and results["gatekeeper_masked_n"] == 1
    assert "something was masked in 1 of them" in (out / "report.md").read_text()


def test_calibrate_from_a_folder_without_an_eval_run_says_what_to_do(tmp_path):
    missing = run("calibrate", "--from-eval", tmp_path)
    assert missing.exit_code == 1 and "holds no eval run" in missing.stderr and "edgeapp eval" in missing.stderr
    (tmp_path / "calibration-records.jsonl").write_text('{"item": "cut off')
    damaged = run("calibrate", "--from-eval", tmp_path)
    assert damaged.exit_code == 1 and "is damaged" in damaged.stderr


def test_an_unreachable_cloud_fails_the_run_clearly_and_keeps_the_local_answers(tmp_path):
    assert run("config", "set", "cloud.max_retries", "0").exit_code == 0
    out = tmp_path / "report"
    args = ["eval", DATA / "eval_gsm8k.jsonl", "-n", "2", "--cloud-url", "http://127.0.0.1:9/v1",
            "--cloud-model", "x", "--max-tokens", "8", "--out", out]
    result = run(*args)
    assert result.exit_code == 1
    assert "The cloud answered none of the questions of eval_gsm8k" in result.stderr
    assert "cannot connect" in result.stderr and "run the same command again" in result.stderr
    assert result.stderr.count("cloud error on") == 2  # each question tried once in the run, not twice
    rows = [json.loads(line) for line in (out / "cache.jsonl").read_text().splitlines()]
    assert [r["role"] for r in rows] == ["local", "local"]  # failures are not cached; the local answers are
