"""Issue 17: does a non-linear learner on the same signals route better than the logistic fit?

    .venv/bin/python benchmarks/eval/learners.py     # writes benchmarks/eval/learners.md (~10 min here)

Reads the committed records of the published GSM8K run (benchmarks/eval/calibration-records.jsonl:
300 dev answers with the cloud's answer judged, 300 calibration answers; no model call) and fits
P(local right) from the 21 calibration features (`edgeapp.confidence.calibration.feature_vector`) with several
learners, cross-fitted exactly as the report's "calibrated (cross-fitted + calibration set)" row:
5 stratified folds over the dev rows, the calibration rows joining every fold's training rows, the
threshold for "at most 2 points below always-cloud" picked on out-of-fold scores of the training rows
and applied unchanged to the held-out fold. Three fold seeds per learner, to show the noise.
"""

from __future__ import annotations

import json
import statistics
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from edgeapp.confidence import calibration  # noqa: E402
from edgeapp.evaluation import metrics  # noqa: E402
from edgeapp.evaluation.routing import pick_threshold  # noqa: E402

HERE = Path(__file__).resolve().parent
SEEDS = (0, 1, 2)
LEARNERS = {
    "logistic, L2 C=0.3 (the product's kind)":
        lambda: make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=2000)),
    "logistic on pairwise products, C=0.03":
        lambda: make_pipeline(StandardScaler(), PolynomialFeatures(2), StandardScaler(),
                              LogisticRegression(C=0.03, max_iter=5000)),
    "gradient boosting, depth 2, 100 trees":
        lambda: HistGradientBoostingClassifier(max_depth=2, learning_rate=0.05, max_iter=100, min_samples_leaf=20),
    "gradient boosting, depth 3, 200 trees, L2":
        lambda: HistGradientBoostingClassifier(max_depth=3, learning_rate=0.03, max_iter=200, min_samples_leaf=30,
                                               l2_regularization=1.0),
    "random forest, 500 trees, leaf ≥ 10":
        lambda: RandomForestClassifier(500, min_samples_leaf=10, max_features=0.33, random_state=0),
    "extra trees, 500 trees, leaf ≥ 10":
        lambda: ExtraTreesClassifier(500, min_samples_leaf=10, max_features=0.5, random_state=0),
}


def _oof(make, x: np.ndarray, y: np.ndarray, seed: int = 1) -> np.ndarray:
    scores = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
        scores[test] = make().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    return scores


def cross_fit(make, x, y, cloud, x_cal, y_cal, seed: int) -> dict[str, float]:
    scores = np.zeros(len(y))
    kept = np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
        xa, ya = np.vstack([x[train], x_cal]), np.concatenate([y[train], y_cal])
        scores[test] = make().fit(xa, ya).predict_proba(x[test])[:, 1]
        inner = _oof(make, xa, ya)[: len(train)]
        threshold, _ = pick_threshold(inner.tolist(), {"drop": 2}, local_ok=y[train].tolist(),
                                      cloud_ok=cloud[train].tolist())
        kept[test] = scores[test] >= threshold
    cas = metrics.cascade(scores, y, cloud)
    return {"auroc": metrics.auroc(scores, y), "ece": metrics.ece(scores, y), "apgr": cas.apgr(),
            "best_kept": cas.kept_local_within(0.02), "kept": float(kept.mean()),
            "accuracy": float(np.where(kept, y, cloud).mean())}


def main() -> None:
    warnings.filterwarnings("ignore")
    rows = [json.loads(line) for line in (HERE / "calibration-records.jsonl").open(encoding="utf-8")]
    dev = [r for r in rows if r["part"] == "evaluated"]
    cal = [r for r in rows if r["part"] == "calibration"]
    x = np.array([calibration.feature_vector(r["components"]) for r in dev])
    y = np.array([bool(r["local_correct"]) for r in dev])
    cloud = np.array([bool(r["cloud_correct"]) for r in dev])
    x_cal = np.array([calibration.feature_vector(r["components"]) for r in cal])
    y_cal = np.array([bool(r["local_correct"]) for r in cal])
    out = {}
    for name, make in LEARNERS.items():
        out[name] = [cross_fit(make, x, y, cloud, x_cal, y_cal, seed) for seed in SEEDS]
        print(name, out[name], flush=True)
    oracle = metrics.cascade(y.astype(float), y, cloud)
    lines = [
        f"# Non-linear learners on the 21 calibration features ({len(dev)} dev answers, always-cloud "
        f"{cloud.mean():.3f}, local {y.mean():.3f})",
        "",
        "Cross-fitted as the report's calibrated row; mean over fold seeds "
        f"{', '.join(map(str, SEEDS))} (range in brackets). Made by `benchmarks/eval/learners.py`.",
        "",
        "| learner | AUROC | ECE | APGR | kept local (best threshold) | kept local, accuracy (threshold picked on other folds) |",
        "|---|---|---|---|---|---|",
    ]

    def cell(runs, key, fmt):
        values = [r[key] for r in runs]
        return f"{fmt.format(statistics.mean(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"

    for name, runs in out.items():
        lines.append(f"| {name} | {cell(runs, 'auroc', '{:.3f}')} | {cell(runs, 'ece', '{:.3f}')} | "
                     f"{cell(runs, 'apgr', '{:.3f}')} | {cell(runs, 'best_kept', '{:.0%}')} | "
                     f"{cell(runs, 'kept', '{:.0%}')}, {cell(runs, 'accuracy', '{:.3f}')} |")
    lines.append(f"| *ceiling: knows if the local answer is right* | – | – | {oracle.apgr():.3f} | "
                 f"{oracle.kept_local_within(0.02):.0%} | – |")
    (HERE / "learners.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (HERE / "learners.json").write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
