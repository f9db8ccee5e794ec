"""One `edgeapp eval` run, step by step: ask every question of both legs at once (prefetch), fit
on the calibration set, then analyse each dataset (signals, cross-fitted routing, collaboration
methods) from the cache, record every local answer for `edgeapp calibrate --from-eval`, and write
the report. The CLI only turns its options into an `EvalPlan` and prints the summary."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config
from ..cloud.api_key import get_api_key
from ..cloud.client import CloudClient
from ..confidence import calibration
from ..confidence.calibration import Calibration
from ..errors import EdgeappError
from ..gatekeeper import Gatekeeper
from ..models.catalog import default_model_path
from ..models.local_model import LocalModel
from . import analysis, report, runner
from . import datasets as ds
from .datasets import Item
from .routing import (
    LabelledRows,
    calibration_records,
    calibration_set_figures,
    cross_fitted,
    threshold_for_drop,
)

Row = dict[str, Any]
DROP_POINTS = 2.0  # the routing target judged in the report: at most 2 points below always-cloud


@dataclass
class EvalPlan:
    """What to run: the options of `edgeapp eval`."""

    datasets: list[Path]
    out_dir: Path = Path("eval-report")
    limit: int | None = None
    offset: int = 0
    local_path: str | None = None
    cloud_url: str | None = None
    cloud_model: str | None = None
    raw: bool = False
    raw_n: int | None = None
    max_tokens: int = 512
    temperature: float = 0.0  # -1: the provider's default
    calibration_set: Path | None = None
    calibration_n: int = 200
    calibration_cloud: bool = True
    methods: tuple[str, ...] = ()
    method_n: int | None = None
    offline: bool = False  # --from-cache: call no model
    cache_path: Path | None = None


@dataclass
class EvalOutcome:
    results: dict[str, Row]
    meta: dict[str, Any]
    report: Path


def cloud_client(plan: EvalPlan, settings: config.Settings) -> CloudClient:
    url = plan.cloud_url or settings["cloud.base_url"]
    if not url:
        raise EdgeappError("eval needs a cloud endpoint: pass --cloud-url or set cloud.base_url.")
    return CloudClient(
        url,
        plan.cloud_model or settings["cloud.model"],
        api_key=get_api_key(settings["cloud.api_key_env"]),
        read_timeout=max(120.0, settings["cloud.read_timeout"]),
        max_retries=settings["cloud.max_retries"],
        temperature=None if plan.temperature < 0 else plan.temperature,
    )


def local_model(path: str | None, settings: config.Settings) -> LocalModel:
    model_path = Path(path or settings["local.model_path"] or default_model_path())
    return LocalModel(
        model_path,
        n_ctx=max(2048, settings["local.n_ctx"]),
        n_threads=settings["local.n_threads"],
        n_gpu_layers=settings["local.n_gpu_layers"],
    )


@dataclass
class Calibrated:
    """What the calibration set gave: the fit, the threshold picked on it, more signals, its rows."""

    fitted: Calibration | None = None
    routed: tuple[float, float] | None = None
    extra: dict[str, analysis.Signal] = field(default_factory=dict)
    rows: LabelledRows | None = None


class Evaluation:
    """The models, the cache and what the run has learnt so far. Close it when done."""

    def __init__(self, plan: EvalPlan, settings: config.Settings, warn: Callable[[str], None]) -> None:
        self.plan, self.settings, self.warn = plan, settings, warn
        if plan.offline and not plan.local_path and not settings["local.model_path"]:
            plan.local_path = str(default_model_path(check=False))
        self.client = cloud_client(plan, settings)
        plan.out_dir.mkdir(parents=True, exist_ok=True)
        self.cache = runner.ResponseCache(plan.cache_path or plan.out_dir / "cache.jsonl")
        self.started, self.cached_before = time.perf_counter(), len(self.cache)
        self.model = None if plan.offline else local_model(plan.local_path, settings)
        self.gatekeeper = None if plan.offline else Gatekeeper.from_settings(settings)
        self.embedder: LocalModel | None = None  # the local model in embedding mode, for `align`
        if self.model is None:
            self.model_id = Path(plan.local_path or settings["local.model_path"]).name
        else:
            self.model_id = Path(self.model.path).name
        self.recorded: list[Row] = []  # every local answer, for `calibrate --from-eval`
        self.cloud_errors: dict[str, Row] = {}

    def close(self) -> None:
        if self.model is not None:
            self.model.close()
        if self.embedder is not None:
            self.embedder.close()

    def local(self, items: list[Item]) -> list[Row]:
        return runner.run_local(items, self.model, self.model_id, self.cache, max_tokens=self.plan.max_tokens)

    def cloud(self, items: list[Item], errors: dict[str, Row] | None = None) -> list[Row]:
        return runner.run_cloud(
            items,
            self.client,
            self.gatekeeper,
            self.cache,
            max_tokens=self.plan.max_tokens,
            offline=True,
            errors=errors,
        )

    def prefetch(self, evaluated: list[Item], calib: list[Item], raw: list[Item]) -> None:
        """Every answer first, both legs at once (the evaluated questions before the calibration
        set); the steps that follow read them back from the cache."""
        _, prefetched = runner.run_legs(
            evaluated + calib,
            evaluated + (calib if self.plan.calibration_cloud else []),
            self.model,
            self.model_id,
            self.client,
            self.gatekeeper,
            self.cache,
            max_tokens=self.plan.max_tokens,
            offline=self.plan.offline,
            raw_items=raw,
        )
        self.cloud_errors = {r["item"]: r for r in prefetched if r.get("error")}

    def calibrate(self, items: list[Item]) -> Calibrated:
        """Fit the calibrated confidence (logistic and isotonic) on the calibration set, and pick
        the routing threshold there, to be judged on the evaluated rows."""
        plan = self.plan
        local = self.local(items)
        cloud = self.cloud(items) if plan.calibration_cloud else []
        self.recorded += calibration_records(local, cloud, "calibration")
        comps, labels = [r["components"] for r in local], [r["correct"] for r in local]
        got = Calibrated(rows=(comps, labels))
        try:
            where = f"{plan.calibration_set.name} ({len(local)} rows)" if plan.calibration_set else ""
            got.fitted = calibration.fit(comps, labels, fitted_on=where)
            got.extra["calibrated isotonic"] = calibration.fit(comps, labels, kind="isotonic").predict
        except EdgeappError as exc:  # e.g. --from-cache before the calibration set was run
            self.warn(f"calibration set not used: {exc}")
        got.routed = threshold_for_drop(local, cloud, DROP_POINTS) if got.fitted else None
        return got

    def methods(self, items: list[Item], local: list[Row]) -> dict[str, list[Row]]:
        """The collaboration methods as the escalation leg (on the least confident questions only,
        with --method-n)."""
        plan = self.plan
        if "align" in plan.methods and self.embedder is None and not plan.offline:
            model = self.model
            self.embedder = LocalModel(model.path, n_ctx=2048, n_threads=model.n_threads, embedding=True)
        confidences = {r["item"]: r["components"]["score"] for r in local}
        escalated = items
        if plan.method_n is not None:  # the questions a router would escalate first
            order = sorted(range(len(local)), key=lambda i: local[i]["components"]["score"])[: plan.method_n]
            wanted = {local[i]["item"] for i in order}
            escalated = [it for it in items if it.id in wanted]
        return runner.run_methods(
            escalated,
            plan.methods,
            self.model,
            self.model_id,
            self.client,
            self.gatekeeper,
            self.cache,
            max_tokens=plan.max_tokens,
            embedder=self.embedder,
            confidences=confidences,
            threshold=self.settings["router.threshold"],
        )

    def analyse(self, name: str, items: list[Item], calibrated: Calibrated) -> Row:
        """One dataset's figures, with cross-fitted routing on its own rows."""
        plan = self.plan
        local = self.local(items)
        cloud = self.cloud(items, errors=self.cloud_errors)
        raw_rows = None
        if plan.raw:
            raw_rows = runner.run_cloud(
                items[: plan.raw_n],
                self.client,
                None,
                self.cache,
                scrubbed=False,
                max_tokens=plan.max_tokens,
                offline=True,
            )
        method_rows = self.methods(items, local)
        self.recorded += calibration_records(local, cloud, "evaluated")
        extra = calibrated.rows
        local, crossed = cross_fitted(local, cloud, DROP_POINTS, extra=extra)
        try:
            local, gained = cross_fitted(local, cloud, DROP_POINTS, extra=extra, objective="gain")
        except EdgeappError as exc:  # e.g. a fold whose cloud answers are all right
            self.warn(f"escalation-gain score not fitted on {name}: {exc}")
            gained = None
        signals = dict(calibrated.extra)
        if crossed:
            crossed["with_calibration_set"] = extra is not None
            signals[analysis.CROSS_FITTED_PLUS if extra else analysis.CROSS_FITTED] = _read("cv_calibrated")
        if gained:
            gained["with_calibration_set"] = extra is not None
            gain_name = analysis.CROSS_FITTED_GAIN if extra else analysis.CROSS_FITTED_GAIN_ONLY
            signals[gain_name] = _read("cv_gain")
        result = analysis.analyse(
            local, cloud, raw_rows, calibrated.fitted, signals, method_rows, calibrated.routed
        )
        if crossed:
            result["cross_fitted_routing"] = crossed
        if gained:
            result["cross_fitted_routing_gain"] = gained
        if extra:
            result["calibration_set"] = calibration_set_figures(extra, local)
        return result

    def write_records(self) -> None:
        """`calibrate --from-eval` fits on every local answer the run recorded."""
        path = self.plan.out_dir / "calibration-records.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in self.recorded)

    def meta(self, fitted: Calibration | None) -> dict[str, Any]:
        """The report's header: what ran, and what this run cost in new answers and time."""
        plan, client = self.plan, self.client
        minutes = (time.perf_counter() - self.started) / 60
        return {
            "local model": self.model_id,
            "cloud": f"{client.model} at {client.base_url}",
            "max tokens": plan.max_tokens,
            "cloud temperature": "provider default" if plan.temperature < 0 else plan.temperature,
            "calibration": fitted.fitted_on if fitted else "none (pass --calibration-set)",
            "command": "edgeapp eval " + " ".join(str(p) for p in plan.datasets),
            "this run": f"{len(self.cache) - self.cached_before} new answers in {minutes:.1f} min "
            f"(the cache held {self.cached_before})",
        }


def _read(name: str) -> analysis.Signal:
    """A signal that reads a cross-fitted score from the components."""
    return lambda c: c.get(name, 0.0)


def run(plan: EvalPlan, settings: config.Settings, warn: Callable[[str], None]) -> EvalOutcome:
    """The whole run: answers, calibration, analysis, records and the report."""
    evaluation = Evaluation(plan, settings, warn)
    try:
        sets = {path: ds.load(path, plan.limit, plan.offset) for path in plan.datasets}
        calib = ds.load(plan.calibration_set, plan.calibration_n) if plan.calibration_set else []
        evaluated = [item for items in sets.values() for item in items]
        raw = [it for items in sets.values() for it in items[: plan.raw_n]] if plan.raw else []
        evaluation.prefetch(evaluated, calib, raw)
        calibrated = evaluation.calibrate(calib) if plan.calibration_set else Calibrated()
        results = {
            path.stem: evaluation.analyse(path.stem, items, calibrated) for path, items in sets.items()
        }
        evaluation.write_records()
    finally:
        evaluation.close()
    meta = evaluation.meta(calibrated.fitted)
    return EvalOutcome(results, meta, report.write(plan.out_dir, results, meta))
