"""A fitted confidence: logistic regression over the local answer's signals.

`edgeapp calibrate` fits it (on an eval run's calibration records, or on the user's own
thumbs-up/down turns) and saves it as plain JSON (no pickle) in the data dir; the Assistant
applies it from the next turn. Logistic regression (scikit-learn) because it gives calibrated
probabilities from several correlated features at once and is cheap to apply by hand.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from . import paths
from .errors import EdgeappError

FEATURES = ("mean_prob", "min_prob", "mean_entropy", "log_tokens", "verbal", "verbal_missing")


def feature_vector(components: dict[str, Any]) -> list[float]:
    verbal = components.get("verbal")
    return [
        float(components.get("mean_prob") or 0.0),
        float(components.get("min_prob") or 0.0),
        float(components.get("mean_entropy") or 0.0),
        math.log1p(float(components.get("answer_tokens") or 0)),
        float(verbal) if verbal is not None else 0.0,
        1.0 if verbal is None else 0.0,
    ]


@dataclass
class Calibration:
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    features: tuple[str, ...] = FEATURES
    threshold: float | None = None
    target: str = ""
    fitted_on: str = ""
    n: int = 0
    report: dict[str, Any] = field(default_factory=dict)

    def predict(self, components: dict[str, Any]) -> float:
        x = feature_vector(components)
        z = self.intercept + sum(c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def apply(self, confidence):
        """A `Confidence` whose score is the calibrated probability of being correct."""
        return replace(confidence, score=self.predict(confidence.components()), method="calibrated")

    def save(self, path: Path | None = None) -> Path:
        path = path or calibration_file()
        data = asdict(self)
        data["features"] = list(self.features)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return path


def calibration_file() -> Path:
    return paths.data_dir() / "calibration.json"


def load(path: Path | None = None) -> Calibration | None:
    path = path or calibration_file()
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["features"] = tuple(data.get("features", FEATURES))
        if data["features"] != FEATURES:
            raise ValueError("it was fitted on other features")
        return Calibration(**data)
    except (ValueError, TypeError, KeyError) as exc:
        raise EdgeappError(
            f"The saved calibration {path} cannot be used ({exc}). Run `edgeapp calibrate` again or delete it."
        ) from exc


def fit(components: list[dict[str, Any]], correct: list[bool], *, fitted_on: str = "") -> Calibration:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    if len(components) < 20:
        raise EdgeappError(f"Calibration needs at least 20 labelled answers; there are {len(components)}.")
    if all(correct) or not any(correct):
        raise EdgeappError("Calibration needs both right and wrong answers among the labelled ones.")
    x = [feature_vector(c) for c in components]
    scaler = StandardScaler().fit(x)
    scale = [s if s > 0 else 1.0 for s in scaler.scale_]
    z = [[(v - m) / s for v, m, s in zip(row, scaler.mean_, scale, strict=True)] for row in x]
    model = LogisticRegression(C=1.0, max_iter=1000).fit(z, [bool(c) for c in correct])
    return Calibration(
        mean=[float(v) for v in scaler.mean_], scale=[float(v) for v in scale],
        coef=[float(v) for v in model.coef_[0]], intercept=float(model.intercept_[0]),
        fitted_on=fitted_on, n=len(components),
    )
