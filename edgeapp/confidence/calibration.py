"""A fitted confidence: the probability that the local answer is right, from its signals.

`edgeapp calibrate` fits it (on an eval run's calibration records, or on the user's own
thumbs-up/down turns) and saves it as plain JSON (no pickle) in the data dir; the Assistant
applies it from the next turn. Two kinds:

* `logistic` (default): logistic regression (scikit-learn) over several token and verbal
  features: calibrated probabilities from correlated features at once, cheap to apply by hand;
* `isotonic`: a monotone map of the single best signal (fewest assumptions, needs more rows).

Two objectives (what the score means):

* `local`: the probability that the local answer is right;
* `gain` (what the routing decision needs): a second logistic head, fitted on answers whose cloud
  answer was judged, gives the probability that the cloud's answer to the same question is right;
  the score is (1 + P(local right) - P(cloud right)) / 2, the expected accuracy kept by answering
  locally, rescaled to [0, 1]. Escalating pays most where the local answer is likely wrong *and* the
  cloud likely right; where both are likely wrong (hard questions) keeping it local costs nothing.
  On the published GSM8K run it keeps more questions local at the same accuracy (see the README).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .. import paths
from ..errors import EdgeappError

FEATURES = (
    "mean_prob",
    "min_prob",
    "mean_entropy",
    "log_tokens",
    "verbal",
    "verbal_missing",
    "unfinished",
    "low_share",
    "final_min_prob",
    "final_mean_prob",
    "arith_wrong",
    "arith_checked",
    "sum_logprob",
    "max_entropy",
    "high_entropy_share",
    "digit_min_prob",
    "digit_mean_logprob",
    "log_question_words",
    "log_question_numbers",
    "numbers_used",
    "answer_from_calculation",
)
REGULARIZATION = (0.03, 0.1, 0.3, 1.0, 3.0)  # inverse L2 strengths the logistic fit chooses from
# single signals isotonic regression may use (higher = more confident, except entropy)
SINGLE_SIGNALS = ("mean_prob", "min_prob", "token_score", "mean_entropy")
OBJECTIVES = ("local", "gain")


def _num(components: dict[str, Any], key: str, default: float) -> float:
    value = components.get(key)
    return default if value is None else float(value)


def feature_vector(components: dict[str, Any]) -> list[float]:
    verbal = components.get("verbal")
    return [
        _num(components, "mean_prob", 0.0),
        _num(components, "min_prob", 0.0),
        _num(components, "mean_entropy", 0.0),
        math.log1p(_num(components, "answer_tokens", 0.0)),
        float(verbal) if verbal is not None else 0.0,
        1.0 if verbal is None else 0.0,
        0.0 if components.get("finished", True) else 1.0,
        _num(components, "low_share", 0.0),
        _num(components, "final_min_prob", _num(components, "min_prob", 0.0)),
        _num(components, "final_mean_prob", _num(components, "mean_prob", 0.0)),
        1.0 if components.get("arith_wrong") else 0.0,
        math.log1p(_num(components, "arith_checked", 0.0)),
        _num(components, "sum_logprob", 0.0),
        _num(components, "max_entropy", 0.0),
        _num(components, "high_entropy_share", 0.0),
        _num(components, "digit_min_prob", 1.0),  # no digits written: nothing weak among them
        _num(components, "digit_mean_logprob", 0.0),
        math.log1p(_num(components, "question_words", 0.0)),
        math.log1p(_num(components, "question_numbers", 0.0)),
        _num(components, "numbers_used", 1.0),  # a question without numbers leaves none out
        1.0 if components.get("answer_from_calculation") else 0.0,
    ]


def signal(components: dict[str, Any], name: str) -> float:
    return float(components.get(name) or 0.0)


@dataclass
class Calibration:
    mean: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)
    coef: list[float] = field(default_factory=list)
    intercept: float = 0.0
    features: tuple[str, ...] = FEATURES
    kind: str = "logistic"  # logistic | isotonic
    iso_signal: str = ""  # isotonic: the signal mapped, and the map's knots
    iso_x: list[float] = field(default_factory=list)
    iso_y: list[float] = field(default_factory=list)
    threshold: float | None = None
    objective: str = "local"  # local | gain (see the module's docstring)
    cloud_mean: list[float] = field(default_factory=list)  # gain: the cloud head, P(cloud answer right)
    cloud_scale: list[float] = field(default_factory=list)
    cloud_coef: list[float] = field(default_factory=list)
    cloud_intercept: float = 0.0
    target: str = ""
    fitted_on: str = ""
    n: int = 0
    report: dict[str, Any] = field(default_factory=dict)

    def predict_local(self, components: dict[str, Any]) -> float:
        """The probability that the local answer is right."""
        if self.kind == "isotonic":
            return float(np.interp(signal(components, self.iso_signal), self.iso_x, self.iso_y))
        return _logistic(feature_vector(components), self.mean, self.scale, self.coef, self.intercept)

    def predict_cloud(self, components: dict[str, Any]) -> float | None:
        """The probability that the cloud answers the same question right (gain objective only)."""
        if self.objective != "gain":
            return None
        return _logistic(
            feature_vector(components),
            self.cloud_mean,
            self.cloud_scale,
            self.cloud_coef,
            self.cloud_intercept,
        )

    def predict(self, components: dict[str, Any]) -> float:
        """The score the router compares with its threshold (higher: keep it local)."""
        local = self.predict_local(components)
        if self.objective != "gain":
            return local
        return min(1.0, max(0.0, (1.0 + local - self.predict_cloud(components)) / 2.0))

    def apply(self, confidence):
        """A `Confidence` whose score is the calibrated probability of being correct."""
        return replace(confidence, score=self.predict(confidence.components()), method="calibrated")

    def save(self, path: Path | None = None) -> Path:
        path = path or calibration_file()
        data = asdict(self)
        data["features"] = list(self.features)
        # atomically: a running assistant re-reads the file when it changes, never half-written
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        os.replace(tmp, path)
        return path


def _logistic(x: list[float], mean, scale, coef, intercept: float) -> float:
    z = intercept + sum(c * (v - m) / s for c, v, m, s in zip(coef, x, mean, scale, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def calibration_file() -> Path:
    return paths.data_dir() / "calibration.json"


def load(path: Path | None = None) -> Calibration | None:
    path = path or calibration_file()
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["features"] = tuple(data.get("features", FEATURES))
        if data.get("kind", "logistic") not in ("logistic", "isotonic"):
            raise ValueError(f"unknown kind {data['kind']!r}")
        if data.get("objective", "local") not in OBJECTIVES:
            raise ValueError(f"unknown objective {data['objective']!r}")
        if data.get("objective") == "gain" and len(data.get("cloud_coef", [])) != len(FEATURES):
            raise ValueError("its cloud head is missing")
        if data["features"] != FEATURES:
            raise ValueError("it was fitted on other features")
        return Calibration(**data)
    except (ValueError, TypeError, KeyError) as exc:
        raise EdgeappError(
            f"The saved calibration {path} cannot be used ({exc}). "
            "Run `edgeapp calibrate` again or delete it."
        ) from exc


def _check(components: list[dict[str, Any]], correct: list[bool]) -> None:
    if len(components) < 20:
        raise EdgeappError(f"Calibration needs at least 20 labelled answers; there are {len(components)}.")
    if all(correct) or not any(correct):
        raise EdgeappError("Calibration needs both right and wrong answers among the labelled ones.")


def fit(
    components: list[dict[str, Any]],
    correct: list[bool],
    *,
    kind: str = "logistic",
    fitted_on: str = "",
    iso_signal: str | None = None,
    objective: str = "local",
    cloud_correct: list[bool | None] | None = None,
    cloud_only: tuple[list[dict[str, Any]], list[bool]] | None = None,
) -> Calibration:
    """Fit on labelled local answers. objective="gain" also fits the cloud head on the rows whose
    `cloud_correct` is known (True/False; None: no judged cloud answer for that row), plus
    `cloud_only` rows (local signals of answers whose cloud answer, not the local one, was judged:
    escalated turns marked good or bad)."""
    _check(components, correct)
    if objective not in OBJECTIVES:
        raise EdgeappError(f"Unknown objective {objective!r}: use local or gain.")
    if kind == "isotonic":
        if objective != "local":
            raise EdgeappError("The gain objective needs the logistic kind.")
        return _fit_isotonic(components, correct, fitted_on, iso_signal)
    if kind != "logistic":
        raise EdgeappError(f"Unknown calibration kind {kind!r}: use logistic or isotonic.")
    mean, scale, coef, intercept = _fit_logistic(components, correct)
    out = Calibration(
        mean=mean, scale=scale, coef=coef, intercept=intercept, fitted_on=fitted_on, n=len(components)
    )
    if objective == "gain":
        judged = [
            (c, bool(ok))
            for c, ok in zip(components, cloud_correct or [None] * len(components), strict=True)
            if ok is not None
        ]
        judged += [(c, bool(ok)) for c, ok in zip(*(cloud_only or ((), ())), strict=True)]
        try:
            _check([c for c, _ in judged], [ok for _, ok in judged])
        except EdgeappError as exc:
            raise EdgeappError(f"The gain objective needs judged cloud answers: {exc}") from None
        out.cloud_mean, out.cloud_scale, out.cloud_coef, out.cloud_intercept = _fit_logistic(
            [c for c, _ in judged], [ok for _, ok in judged]
        )
        out.objective = "gain"
    return out


def _fit_logistic(components: list[dict[str, Any]], labels: list[bool]):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = [feature_vector(c) for c in components]
    y = [bool(c) for c in labels]
    scaler = StandardScaler().fit(x)
    scale = [s if s > 0 else 1.0 for s in scaler.scale_]
    z = np.asarray([[(v - m) / s for v, m, s in zip(row, scaler.mean_, scale, strict=True)] for row in x])
    model = LogisticRegression(C=_regularization(z, np.asarray(y)), max_iter=5000).fit(z, y)
    return (
        [float(v) for v in scaler.mean_],
        [float(v) for v in scale],
        [float(v) for v in model.coef_[0]],
        float(model.intercept_[0]),
    )


def _regularization(z: np.ndarray, y: np.ndarray) -> float:
    """The inverse L2 strength with the lowest cross-validated log loss: many correlated features and
    few rows call for strong regularization, and log loss rewards calibrated probabilities, not only
    ranking."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    folds = min(5, int(y.sum()), int((~y).sum()))
    if folds < 2:
        return 0.3
    loss = dict.fromkeys(REGULARIZATION, 0.0)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(z, y):
        for c in REGULARIZATION:
            p = LogisticRegression(C=c, max_iter=5000).fit(z[train], y[train]).predict_proba(z[test])[:, 1]
            p = np.clip(p, 1e-6, 1 - 1e-6)
            loss[c] -= float(np.sum(np.where(y[test], np.log(p), np.log(1 - p))))
    return min(loss, key=loss.get)


def _fit_isotonic(components, correct, fitted_on: str, name: str | None) -> Calibration:
    from sklearn.isotonic import IsotonicRegression
    from sklearn.metrics import roc_auc_score

    y = np.asarray(correct, dtype=float)
    if name is None:  # the single signal that ranks best (entropy counts reversed)

        def rank(sig: str) -> float:
            a = roc_auc_score(y, [signal(c, sig) for c in components])
            return max(a, 1 - a)

        name = max(SINGLE_SIGNALS, key=rank)
    x = np.asarray([signal(c, name) for c in components])
    iso = IsotonicRegression(
        increasing=name != "mean_entropy", y_min=0.0, y_max=1.0, out_of_bounds="clip"
    ).fit(x, y)
    return Calibration(
        kind="isotonic",
        iso_signal=name,
        iso_x=[float(v) for v in iso.X_thresholds_],
        iso_y=[float(v) for v in iso.y_thresholds_],
        fitted_on=fitted_on,
        n=len(components),
    )


def out_of_fold(
    components: list[dict[str, Any]],
    correct: list[bool],
    *,
    kind: str = "logistic",
    folds: int = 5,
    seed: int = 0,
    objective: str = "local",
    cloud_correct: list[bool | None] | None = None,
    cloud_only: tuple[list[dict[str, Any]], list[bool]] | None = None,
) -> list[float]:
    """Each row's calibrated score from a model fitted without it (k-fold), for honest figures."""
    _check(components, correct)
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(correct, dtype=bool)
    cloud = list(cloud_correct) if cloud_correct is not None else [None] * len(y)
    folds = max(2, min(folds, int(y.sum()), int((~y).sum())))
    out = np.zeros(len(y))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        part = [components[i] for i in train]
        labels = [bool(y[i]) for i in train]
        if all(labels) or not any(labels) or len(part) < 20:
            out[test] = float(y[train].mean())
            continue
        model = fit(
            part,
            labels,
            kind=kind,
            objective=objective,
            cloud_correct=[cloud[i] for i in train],
            cloud_only=cloud_only,
        )
        out[test] = [model.predict(components[i]) for i in test]
    return out.tolist()
