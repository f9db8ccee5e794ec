"""Routing judged honestly: the threshold for a target (points below always-cloud, a share of
questions to the cloud, a budget), and calibration judged on evaluated rows without ever fitting
on the row judged (k-fold cross-fitting). Used by `edgeapp eval` and `edgeapp calibrate`."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..confidence import calibration
from ..errors import EdgeappError
from .analysis import PROBABILITY_SIGNALS, SIGNALS
from .metrics import auroc, cascade, ece

Components = dict[str, Any]
LabelledRows = tuple[list[Components], list[bool]]  # confidence components and local correctness


def parse_target(target: str) -> dict[str, float]:
    """`drop=2`, `cloud-share=0.3` or `budget=20,volume=600` as a dict of numbers."""
    try:
        parts = dict(p.split("=", 1) for p in target.replace(" ", "").split(","))
        return {k: float(v) for k, v in parts.items()}
    except ValueError:
        raise EdgeappError(
            f"Cannot read the target '{target}'. Use drop=2 (points below always-cloud), "
            "cloud-share=0.3, or budget=20,volume=600 (questions a month)."
        ) from None


def pick_threshold(
    scores: list[float],
    target: dict[str, float],
    *,
    local_ok: list[bool] | None = None,
    cloud_ok: list[bool] | None = None,
    cost_per_call: float | None = None,
) -> tuple[float, str]:
    """The threshold that meets `target` on these scores, and a sentence saying what it means."""
    s = np.asarray(scores, dtype=float)
    if "drop" in target:
        if local_ok is None or cloud_ok is None:
            raise EdgeappError("A drop= target needs cloud answers on the calibration set; use --from-eval.")
        cas = cascade(scores, local_ok, cloud_ok)
        ok = np.nonzero(cas.accuracy >= cas.cloud_acc - target["drop"] / 100 - 1e-12)[0]
        k = int(ok[0]) if len(ok) else len(s)
        return float(cas.thresholds[k]), (
            f"at most {target['drop']:g} points below always-cloud: "
            f"{k / len(s):.0%} of calibration questions go to the cloud"
        )
    if "budget" in target:
        volume = target.get("volume")
        if not volume or not cost_per_call:
            raise EdgeappError("A budget= target needs volume= (questions a month) and a priced cloud model.")
        share = min(1.0, target["budget"] / (volume * cost_per_call))
        target = {"cloud-share": share}
    if "cloud-share" in target:
        share = min(1.0, max(0.0, target["cloud-share"]))
        threshold = float(np.quantile(s, share)) if 0 < share < 1 else (0.0 if share == 0 else 1.0 + 1e-9)
        return min(threshold, 1.0), f"about {share:.0%} of questions go to the cloud"
    raise EdgeappError("Name a target: drop=N, cloud-share=X or budget=B,volume=V.")


def _cloud_correct(cloud: list[dict[str, Any]]) -> dict[str, bool]:
    """Whether the cloud's answer was right, per item, for the answers that came."""
    return {c["item"]: c["correct"] for c in cloud if not c.get("error")}


def threshold_for_drop(
    local: list[dict[str, Any]], cloud: list[dict[str, Any]], drop: float
) -> tuple[float, float] | None:
    """The calibrated threshold for `drop` points below always-cloud, picked on the calibration rows
    (out-of-fold scores), to be judged on the evaluated rows."""
    by_id = _cloud_correct(cloud)
    rows = [r for r in local if r["item"] in by_id]
    labels = [r["correct"] for r in rows]
    try:
        scores = calibration.out_of_fold([r["components"] for r in rows], labels)
    except EdgeappError:
        return None
    cloud_ok = [by_id[r["item"]] for r in rows]
    return pick_threshold(scores, {"drop": drop}, local_ok=labels, cloud_ok=cloud_ok)[0], drop


def _fold_scores(
    comps: list[Components],
    y: np.ndarray,
    cloud_ok: np.ndarray,
    drop: float,
    folds: int,
    extra: LabelledRows,
    objective: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's score from a model fitted on the other folds (plus `extra`), and whether the
    threshold picked on those other folds keeps it local."""
    extra_comps, extra_labels = extra
    scores = np.zeros(len(comps))
    kept = np.zeros(len(comps), dtype=bool)
    for train, test in _stratified(folds, y):
        part, labels = [comps[i] for i in train] + list(extra_comps), y[train].tolist() + list(extra_labels)
        judged = cloud_ok[train].tolist() + [None] * len(extra_comps)
        model = calibration.fit(part, labels, objective=objective, cloud_correct=judged)
        inner = calibration.out_of_fold(part, labels, objective=objective, cloud_correct=judged)[
            : len(train)
        ]  # the evaluated rows among them
        threshold, _ = pick_threshold(
            inner, {"drop": drop}, local_ok=y[train].tolist(), cloud_ok=cloud_ok[train].tolist()
        )
        for i in test:
            scores[i] = model.predict(comps[i])
            kept[i] = scores[i] >= threshold
    return scores, kept


def _stratified(folds: int, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(y)), y))


def cross_fitted(
    local: list[dict[str, Any]],
    cloud: list[dict[str, Any]],
    drop: float,
    folds: int = 5,
    extra: LabelledRows | None = None,
    objective: str = "local",
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Calibration judged on the evaluated rows without ever fitting on the row judged: k-fold
    cross-fitting. Each row's calibrated confidence comes from a model fitted on the other folds
    (plus `extra` rows, e.g. a calibration set, when given); the routing threshold for `drop` points
    is picked on those other folds (fit, then pick, as a user would) and applied to the held-out
    fold. objective="gain" fits the escalation-gain score (calibration.py; its cloud head learns from
    the evaluated rows of the other folds only: `extra` rows have no cloud answer). Returns the rows
    with `cv_calibrated` (or `cv_gain`) in their components and the routing figures, or (rows, None)
    when there are too few rows or labels."""
    by_id = _cloud_correct(cloud)
    rows = [r for r in local if r["item"] in by_id]
    y = np.asarray([bool(r["correct"]) for r in rows])
    if len(rows) < 40 or y.sum() < folds or (~y).sum() < folds:
        return local, None
    cloud_ok = np.asarray([bool(by_id[r["item"]]) for r in rows])
    comps = [r["components"] for r in rows]
    scores, kept = _fold_scores(comps, y, cloud_ok, drop, folds, extra or ([], []), objective)
    got = {r["item"]: float(v) for r, v in zip(rows, scores, strict=True)}
    name = "cv_gain" if objective == "gain" else "cv_calibrated"
    out = [
        {**r, "components": {**r["components"], name: got[r["item"]]}} if r["item"] in got else r
        for r in local
    ]
    return out, {
        "folds": folds,
        "target_drop_points": drop,
        "kept_local": float(kept.mean()),
        "objective": objective,
        "accuracy": float(np.where(kept, y, cloud_ok).mean()),
        "cloud_accuracy": float(cloud_ok.mean()),
        "n": len(rows),
    }


def calibration_set_figures(calib_rows: LabelledRows, evaluated: list[dict[str, Any]]) -> dict[str, Any]:
    """How the signals rank and calibrate the calibration set's own answers: each raw signal as is,
    and the fitted P(local right) out of fold (5-fold over the calibration rows, the evaluated rows
    joining every fold's training rows). The set has no cloud answers in the published run
    (--no-calibration-cloud), so routing figures (APGR, kept local) are measured on the evaluated
    rows only."""
    comps, labels = calib_rows
    out: dict[str, Any] = {
        "n": len(comps),
        "local_accuracy": sum(labels) / max(1, len(labels)),
        "signals": {},
    }
    for name, fn in SIGNALS.items():
        scores = [fn(c) for c in comps]
        out["signals"][name] = {
            "auroc": auroc(scores, labels),
            "ece": ece(scores, labels) if name in PROBABILITY_SIGNALS else None,
        }
    ev_comps, ev_labels = [r["components"] for r in evaluated], [bool(r["correct"]) for r in evaluated]
    y = np.asarray(labels, dtype=bool)
    if len(y) >= 40 and 5 <= y.sum() <= len(y) - 5:
        scores = np.zeros(len(y))
        for train, test in _stratified(5, y):
            model = calibration.fit([comps[i] for i in train] + ev_comps, y[train].tolist() + ev_labels)
            scores[test] = [model.predict(comps[i]) for i in test]
        out["signals"]["calibrated P(local right) (cross-fitted)"] = {
            "auroc": auroc(scores.tolist(), labels),
            "ece": ece(scores.tolist(), labels),
        }
    return out


def calibration_records(
    local: list[dict[str, Any]], cloud: list[dict[str, Any]], part: str
) -> list[dict[str, Any]]:
    """Every local answer with its components and both legs' correctness: what `edgeapp calibrate
    --from-eval` fits on (`part`: calibration | evaluated)."""
    by_id = _cloud_correct(cloud)
    return [
        {
            "item": r["item"],
            "part": part,
            "components": r["components"],
            "local_correct": r["correct"],
            "cloud_correct": by_id.get(r["item"]),
        }
        for r in local
    ]
