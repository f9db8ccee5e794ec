"""Fitted confidence models: logistic and isotonic fits, honest (out-of-fold) figures, JSON save/load,
and the Assistant picking a saved calibration up from the next turn."""

from __future__ import annotations

import json
import random

import pytest

from edgeapp import config
from edgeapp.confidence import calibration
from edgeapp.errors import EdgeappError
from edgeapp.evaluation.metrics import auroc


def synthetic(n: int = 200, seed: int = 7) -> tuple[list[dict], list[bool]]:
    """Answers whose correctness depends on min_prob (strongly) and mean_prob (weakly)."""
    rng = random.Random(seed)
    comps, labels = [], []
    for _ in range(n):
        min_p = rng.random()
        mean_p = min(1.0, 0.6 + 0.4 * rng.random())
        p_ok = 0.05 + 0.9 * min_p
        labels.append(rng.random() < p_ok)
        comps.append({"mean_prob": mean_p, "min_prob": min_p, "mean_entropy": 1 - min_p, "token_score": (mean_p * min_p) ** 0.5,
                      "verbal": None, "answer_tokens": rng.randint(5, 200), "score": 0.5})
    return comps, labels


def test_logistic_fit_ranks_and_round_trips_through_json(tmp_path):
    comps, labels = synthetic()
    fitted = calibration.fit(comps, labels, fitted_on="synthetic")
    scores = [fitted.predict(c) for c in comps]
    assert all(0 <= s <= 1 for s in scores)
    assert auroc(scores, labels) > 0.75
    path = fitted.save(tmp_path / "cal.json")
    data = json.loads(path.read_text())  # plain JSON, no pickle
    assert data["kind"] == "logistic" and data["n"] == 200
    again = calibration.load(path)
    assert [again.predict(c) for c in comps[:10]] == pytest.approx(scores[:10])


def test_isotonic_picks_the_best_single_signal():
    comps, labels = synthetic()
    fitted = calibration.fit(comps, labels, kind="isotonic")
    assert fitted.kind == "isotonic" and fitted.iso_signal in ("min_prob", "mean_entropy", "token_score")
    low = fitted.predict({**comps[0], fitted.iso_signal: 0.0})
    high = fitted.predict({**comps[0], fitted.iso_signal: 1.0})
    assert 0 <= min(low, high) <= max(low, high) <= 1 and low != high


@pytest.mark.parametrize("kind", ["logistic", "isotonic"])
def test_out_of_fold_predictions_are_honest(kind):
    comps, labels = synthetic()
    oof = calibration.out_of_fold(comps, labels, kind=kind)
    assert len(oof) == len(comps)
    in_sample = calibration.fit(comps, labels, kind=kind)
    # held-out ranking is good, but not better than ranking the rows the model was fitted on
    assert 0.7 < auroc(oof, labels) <= auroc([in_sample.predict(c) for c in comps], labels) + 0.02


def test_fit_refuses_too_few_or_one_sided_labels():
    comps, labels = synthetic(30)
    with pytest.raises(EdgeappError, match="at least 20"):
        calibration.fit(comps[:5], labels[:5])
    with pytest.raises(EdgeappError, match="both right and wrong"):
        calibration.fit(comps, [True] * 30)
    with pytest.raises(EdgeappError, match="Unknown calibration kind"):
        calibration.fit(comps, labels, kind="magic")


def test_a_damaged_calibration_file_says_what_to_do(tmp_path):
    path = tmp_path / "cal.json"
    path.write_text('{"kind": "logistic", "features": ["something", "else"]}')
    with pytest.raises(EdgeappError, match="edgeapp calibrate"):
        calibration.load(path)
    assert calibration.load(tmp_path / "missing.json") is None


def test_the_next_turn_uses_a_saved_calibration_and_drops_a_removed_one(local_model):
    from edgeapp.assistant import Assistant

    settings = config.load().copy(**{"router.mode": "local"})
    assistant = Assistant(settings, local_model=local_model, use_ledger=False)
    conv = assistant.new_conversation()
    before = assistant.ask_sync(conv, "What is 2 + 2?")
    assert before.components["method"] == "default"
    comps, labels = synthetic()
    fitted = calibration.fit(comps, labels)
    fitted.save()
    after = assistant.ask_sync(assistant.new_conversation(), "What is 2 + 2?")
    assert after.components["method"] == "calibrated"
    assert after.confidence == pytest.approx(fitted.predict(after.components))
    calibration.calibration_file().unlink()
    again = assistant.ask_sync(assistant.new_conversation(), "What is 2 + 2?")
    assert again.components["method"] == "default" and again.confidence == pytest.approx(before.confidence)


def test_calibrate_from_history_refits_on_marked_turns(local_model):
    from click.testing import CliRunner

    from edgeapp.assistant import Assistant
    from edgeapp.cli.main import main
    from edgeapp.ledger import Ledger

    settings = config.load().copy(**{"router.mode": "local", "local.max_tokens": 12})
    assistant = Assistant(settings, local_model=local_model)
    questions = [f"What is {a} + {b}?" for a in range(2, 8) for b in range(3, 7)][:24]
    turns = [assistant.ask_sync(assistant.new_conversation(), q) for q in questions]
    runner = CliRunner()
    # mark the answers: right when they contain the sum (the small model is often wrong)
    for turn, q in zip(turns, questions, strict=True):
        a, b = (int(x) for x in q[8:-1].split(" + "))
        verdict = "good" if str(a + b) in turn.answer else "bad"
        assert runner.invoke(main, ["feedback", str(turn.turn_id), verdict]).exit_code == 0
    marks = [r["feedback"] for r in Ledger().rows("turns")]
    if len(set(marks)) < 2:  # both kinds are needed; make sure of it without depending on the model
        Ledger().set_feedback(turns[0].turn_id, "bad" if marks[0] == "good" else "good")
    result = runner.invoke(main, ["calibrate", "--from-history", "--target", "cloud-share=0.25"])
    assert result.exit_code == 0, result.output
    assert "your 24 marked local answers" in result.output and "out of fold" in result.output
    saved = calibration.load()
    assert saved is not None and saved.n == 24
    assert config.load()["router.threshold"] == pytest.approx(round(saved.threshold, 4))


def test_cross_fitted_routing_never_judges_a_row_with_a_model_fitted_on_it():
    import random

    from edgeapp.evaluation.routing import cross_fitted as _cross_fitted

    rng = random.Random(0)
    local, cloud = [], []
    for i in range(120):
        p = rng.random()
        right = rng.random() < p  # the local answer is right with probability min_prob
        comps = {"score": p, "mean_prob": 0.9, "min_prob": p, "mean_entropy": 0.2, "answer_tokens": 100,
                 "verbal": None, "finished": True}
        local.append({"item": str(i), "components": comps, "correct": right})
        cloud.append({"item": str(i), "correct": rng.random() < 0.7})
    rows, routing = _cross_fitted(local, cloud, 2.0)
    assert routing["n"] == 120 and routing["folds"] == 5
    assert 0.0 <= routing["kept_local"] <= 1.0 and 0.0 <= routing["accuracy"] <= 1.0
    scores = [r["components"]["cv_calibrated"] for r in rows]
    assert len(set(round(s, 6) for s in scores)) > 10 and all(0 < s < 1 for s in scores)
    # the cross-fitted confidence ranks like the signal it learnt
    from edgeapp.evaluation.metrics import auroc

    assert auroc(scores, [r["correct"] for r in rows]) > 0.7
    few, none = _cross_fitted(local[:20], cloud[:20], 2.0)
    assert none is None and few == local[:20]
    # rows from a calibration set join every fold's training rows (here many, and with the signal
    # reversed: the fit follows them, so the evaluated rows now rank backwards)
    extra = [{**r["components"], "min_prob": 1 - r["components"]["min_prob"]} for r in local for _ in range(4)]
    labels = [r["correct"] for r in local for _ in range(4)]
    swayed, routing = _cross_fitted(local, cloud, 2.0, extra=(extra, labels))
    assert routing["n"] == 120
    assert auroc([r["components"]["cv_calibrated"] for r in swayed], [r["correct"] for r in swayed]) < 0.5


def test_every_feature_has_a_slot_and_noise_is_regularized_away():
    assert len(calibration.feature_vector({})) == len(calibration.FEATURES)
    rng = random.Random(3)
    keys = ("mean_prob", "min_prob", "mean_entropy", "low_share", "final_min_prob", "final_mean_prob", "max_entropy",
            "high_entropy_share", "digit_min_prob", "numbers_used")
    comps = [{k: rng.random() for k in keys} | {"answer_tokens": rng.randint(5, 300), "sum_logprob": -rng.random() * 40,
                                                  "question_words": rng.randint(10, 80)} for _ in range(60)]
    noise = [rng.random() < 0.4 for _ in comps]  # labels unrelated to any signal
    fitted = calibration.fit(comps, noise)
    flat = [fitted.predict(c) for c in comps]
    # the regularization chosen by inner cross-validation keeps predictions near the base rate,
    # where a weakly regularized fit would chase the noise
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = StandardScaler().fit_transform([calibration.feature_vector(c) for c in comps])
    loose = LogisticRegression(C=3.0, max_iter=5000).fit(x, noise).predict_proba(x)[:, 1]
    assert max(flat) - min(flat) < 0.5 * (max(loose) - min(loose))
    assert abs(sum(flat) / len(flat) - sum(noise) / len(noise)) < 0.05


def gain_rows(n: int = 240, seed: int = 11) -> tuple[list[dict], list[bool], list[bool]]:
    """Local correctness follows min_prob; the cloud's follows the question's length (short: easy)."""
    rng = random.Random(seed)
    comps, local_ok, cloud_ok = [], [], []
    for _ in range(n):
        min_p, words = rng.random(), rng.randint(10, 120)
        comps.append({"mean_prob": 0.9, "min_prob": min_p, "mean_entropy": 0.2, "answer_tokens": 100, "verbal": None,
                      "question_words": words})
        local_ok.append(rng.random() < 0.05 + 0.9 * min_p)
        cloud_ok.append(rng.random() < (0.95 if words < 60 else 0.15))
    return comps, local_ok, cloud_ok


def test_gain_objective_learns_where_escalating_pays_and_round_trips(tmp_path):
    comps, local_ok, cloud_ok = gain_rows()
    fitted = calibration.fit(comps, local_ok, objective="gain", cloud_correct=cloud_ok)
    assert fitted.objective == "gain" and len(fitted.cloud_coef) == len(calibration.FEATURES)
    # the cloud head learns the cloud's own pattern, the local head the local one
    assert auroc([fitted.predict_cloud(c) for c in comps], cloud_ok) > 0.8
    assert auroc([fitted.predict_local(c) for c in comps], local_ok) > 0.75
    # an unsure local answer to a hard question (the cloud fails too) scores above the same answer to
    # an easy one: escalating the hard one gains nothing
    unsure = {"mean_prob": 0.9, "min_prob": 0.2, "mean_entropy": 0.2, "answer_tokens": 100, "verbal": None}
    assert fitted.predict({**unsure, "question_words": 110}) > fitted.predict({**unsure, "question_words": 20}) + 0.2
    # routing by it beats routing by P(local right) on these rows (out of fold, never judged on its own fit)
    from edgeapp.evaluation.metrics import cascade

    gain = calibration.out_of_fold(comps, local_ok, objective="gain", cloud_correct=cloud_ok)
    plain = calibration.out_of_fold(comps, local_ok)
    assert cascade(gain, local_ok, cloud_ok).apgr() > cascade(plain, local_ok, cloud_ok).apgr() + 0.05
    path = fitted.save(tmp_path / "cal.json")
    again = calibration.load(path)
    assert again.objective == "gain" and again.predict(comps[0]) == pytest.approx(fitted.predict(comps[0]))
    data = json.loads(path.read_text())
    data["cloud_coef"] = []
    path.write_text(json.dumps(data))
    with pytest.raises(EdgeappError, match="cloud head"):
        calibration.load(path)


def test_gain_objective_needs_judged_cloud_answers():
    comps, local_ok, cloud_ok = gain_rows(60)
    with pytest.raises(EdgeappError, match="judged cloud answers"):
        calibration.fit(comps, local_ok, objective="gain", cloud_correct=[None] * 60)
    # escalated turns (only the cloud's answer judged) are enough for the cloud head
    fitted = calibration.fit(comps, local_ok, objective="gain", cloud_correct=[None] * 60,
                             cloud_only=(comps, cloud_ok))
    assert fitted.objective == "gain"
    with pytest.raises(EdgeappError, match="logistic"):
        calibration.fit(comps, local_ok, kind="isotonic", objective="gain", cloud_correct=cloud_ok)


def test_calibrate_from_eval_fits_the_gain_objective_when_cloud_answers_were_judged(tmp_path):
    from click.testing import CliRunner

    from edgeapp.cli.main import main

    comps, local_ok, cloud_ok = gain_rows(120)
    records = [{"item": str(i), "part": "evaluated" if i < 80 else "calibration", "components": c,
                "local_correct": lo, "cloud_correct": cl if i < 80 else None}
               for i, (c, lo, cl) in enumerate(zip(comps, local_ok, cloud_ok, strict=True))]
    (tmp_path / "calibration-records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    runner = CliRunner()
    result = runner.invoke(main, ["calibrate", "--from-eval", str(tmp_path), "--target", "drop=2"])
    assert result.exit_code == 0, result.output
    assert "escalation-gain score" in result.output
    saved = calibration.load()
    assert saved.objective == "gain" and saved.n == 120
    assert config.load()["router.threshold"] == pytest.approx(round(saved.threshold, 4))
    result = runner.invoke(main, ["calibrate", "--from-eval", str(tmp_path), "--objective", "local", "--dry-run"])
    assert result.exit_code == 0 and "P(local right)" in result.output


def test_the_product_routes_on_a_saved_gain_calibration(local_model):
    from edgeapp.assistant import Assistant

    comps, local_ok, cloud_ok = gain_rows()
    fitted = calibration.fit(comps, local_ok, objective="gain", cloud_correct=cloud_ok)
    fitted.save()
    settings = config.load().copy(**{"router.mode": "local"})
    assistant = Assistant(settings, local_model=local_model, use_ledger=False)
    turn = assistant.ask_sync(assistant.new_conversation(), "What is 2 + 2?")
    assert turn.components["method"] == "calibrated"
    # the score the router compares with its threshold is the gain score, not P(local right)
    assert turn.confidence == pytest.approx(fitted.predict(turn.components))
    assert turn.confidence != pytest.approx(fitted.predict_local(turn.components))
