"""`edgeapp calibrate`'s work: the labelled rows to fit on (an eval run's records, or the user's
own turns marked with `edgeapp feedback`), the fit, and the threshold for a target, all judged out
of fold (never on the rows a model saw)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config
from ..confidence import calibration
from ..confidence.calibration import Calibration
from ..errors import EdgeappError
from ..ledger import Ledger
from .metrics import auroc, ece
from .routing import Components, LabelledRows, parse_target, pick_threshold

TYPICAL_QUESTION = (600, 400)  # input and output tokens of a chat question, when nothing was sent yet


@dataclass
class FitRows:
    """Local answers' confidence components and whether each was right, with the cloud's answer
    where there is one (`cloud_labels`, None where not asked; `cloud_only`: escalated turns, whose
    marks judge the cloud's answer)."""

    comps: list[Components]
    labels: list[bool]
    source: str  # said in the output and kept as the calibration's `fitted_on`
    cloud_labels: list[bool | None]
    cloud_only: LabelledRows = field(default_factory=lambda: ([], []))
    from_eval: bool = False

    @property
    def with_cloud(self) -> list[int]:
        """The rows that have a cloud answer to compare with (a drop= target is picked on them)."""
        return [i for i, ok in enumerate(self.cloud_labels) if ok is not None]

    def judged(self) -> list[bool]:
        return [ok for ok in self.cloud_labels if ok is not None] + list(self.cloud_only[1])


def rows_from_eval(eval_dir: Path) -> FitRows:
    """Every local answer an eval run recorded (its calibration set and evaluated questions)."""
    records = eval_dir / "calibration-records.jsonl"
    try:
        text = records.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    except FileNotFoundError:
        raise EdgeappError(
            f"{eval_dir} holds no eval run ({records.name} is missing). Run "
            f"`edgeapp eval SET.jsonl --out {eval_dir}` first."
        ) from None
    except ValueError as exc:
        raise EdgeappError(
            f"{records} is damaged ({exc}). Run `edgeapp eval ... --out {eval_dir}` again; "
            "its answers are cached, so it costs no model call."
        ) from None
    return FitRows(
        comps=[r["components"] for r in rows],
        labels=[r["local_correct"] for r in rows],
        source=f"eval {eval_dir} ({len(rows)} local answers)",
        cloud_labels=[r["cloud_correct"] for r in rows],
        from_eval=True,
    )


def _components(row: dict[str, Any]) -> Components:
    value = row["components"]
    return json.loads(value) if isinstance(value, str) else (value or {})


def rows_from_history(ledger: Ledger) -> FitRows:
    """The user's turns marked good or bad: local answers as they are; escalated turns keep the
    local answer's signals, and their marks judge the cloud's answer."""
    marked = [r for r in ledger.rows("turns") if r.get("feedback") in ("good", "bad")]
    rows = [r for r in marked if r["route"] in ("local", "local-fallback", "blocked")]
    escalated = [r for r in marked if r["route"] == "cloud" and _components(r).get("min_prob") is not None]
    source = f"your {len(rows)} marked local answers" + (
        f" and {len(escalated)} marked escalated ones" if escalated else ""
    )
    return FitRows(
        comps=[_components(r) for r in rows],
        labels=[r["feedback"] == "good" for r in rows],
        source=source,
        cloud_labels=[None] * len(rows),
        cloud_only=([_components(r) for r in escalated], [r["feedback"] == "good" for r in escalated]),
    )


def cost_per_call() -> float:
    """What a cloud call costs on average here: the calls so far, else a typical question priced."""
    ledger = Ledger()
    costs = [r["cost"] for r in ledger.rows("cloud_calls") if r.get("status") == "ok" and r.get("cost")]
    if costs:
        return sum(costs) / len(costs)
    settings = config.load()
    price = ledger.prices.price_for(settings["cloud.model"], settings["cloud.base_url"], settings)
    tokens_in, tokens_out = TYPICAL_QUESTION
    return price.cost(tokens_in, min(tokens_out, settings["cloud.max_tokens"]))


def resolve_objective(objective: str, kind: str, rows: FitRows) -> str:
    """auto: the escalation-gain score when there are at least 20 judged cloud answers, right and
    wrong (and a logistic fit), else P(local right)."""
    if objective != "auto":
        return objective
    judged = rows.judged()
    enough = kind == "logistic" and len(judged) >= 20 and 0 < sum(judged) < len(judged)
    return "gain" if enough else "local"


@dataclass
class Fit:
    calibration: Calibration  # with its threshold, target and out-of-fold report set
    why: str  # what the threshold means
    objective: str


def fit_for_target(rows: FitRows, target: str, kind: str, objective: str) -> Fit:
    """Fit the calibration on `rows` and pick the threshold for `target` (drop=N, cloud-share=X or
    budget=B,volume=V) on out-of-fold scores."""
    goal = parse_target(target)
    objective = resolve_objective(objective, kind, rows)
    common = {"objective": objective, "cloud_correct": rows.cloud_labels, "cloud_only": rows.cloud_only}
    fitted = calibration.fit(rows.comps, rows.labels, kind=kind, fitted_on=rows.source, **common)
    # figures and the threshold come from out-of-fold predictions: never judged on the rows it saw
    scores = calibration.out_of_fold(rows.comps, rows.labels, kind=kind, **common)
    cost = cost_per_call() if "budget" in goal else None
    with_cloud = rows.with_cloud
    local_ok = [rows.labels[i] for i in with_cloud] if with_cloud else None
    cloud_ok = [rows.cloud_labels[i] for i in with_cloud] if with_cloud else None
    picked_on = [scores[i] for i in with_cloud] if "drop" in goal and rows.from_eval else scores
    threshold, why = pick_threshold(picked_on, goal, local_ok=local_ok, cloud_ok=cloud_ok, cost_per_call=cost)
    fitted.threshold, fitted.target = threshold, target
    fitted.report = {
        "auroc": auroc(scores, rows.labels),
        "ece": ece(scores, rows.labels),
        "objective": objective,
    }
    return Fit(fitted, why, objective)
