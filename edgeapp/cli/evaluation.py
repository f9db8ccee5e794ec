"""`edgeapp eval`, `edgeapp calibrate`, `edgeapp feedback`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import numpy as np

from .. import config
from ..confidence import calibration
from ..errors import EdgeappError


def _local_model(path: str | None, settings):
    from ..models.catalog import default_model_path
    from ..models.local_model import LocalModel

    model_path = Path(path or settings["local.model_path"] or default_model_path())
    return LocalModel(
        model_path,
        n_ctx=max(2048, settings["local.n_ctx"]),
        n_threads=settings["local.n_threads"],
        n_gpu_layers=settings["local.n_gpu_layers"],
    )


@click.command("eval")
@click.argument(
    "datasets", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("-n", "--limit", type=int, default=None, help="Questions per dataset (default: all).")
@click.option("--offset", type=int, default=0, help="Skip this many questions first.")
@click.option(
    "--local-model", "local_path", type=click.Path(dir_okay=False), help="GGUF (default: local.model_path)."
)
@click.option("--cloud-url", help="OpenAI-compatible base URL (default: cloud.base_url).")
@click.option("--cloud-model", help="Cloud model name (default: cloud.model).")
@click.option(
    "--raw/--no-raw", default=False, help="Also ask the cloud unscrubbed, to measure what scrubbing costs."
)
@click.option(
    "--raw-n", type=int, default=None, help="With --raw: only the first N questions (default: all)."
)
@click.option(
    "--max-tokens",
    type=int,
    default=512,
    show_default=True,
    help="Token limit for every answer; an answer cut at the limit is usually wrong, so keep it roomy.",
)
@click.option(
    "--temperature",
    type=float,
    default=0.0,
    show_default=True,
    help="Cloud sampling temperature (0: deterministic, so reruns and the cache agree; -1: provider default).",
)
@click.option(
    "--calibration-set",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled set to fit the calibrated confidence on (never the rows reported).",
)
@click.option("--calibration-n", type=int, default=200, show_default=True)
@click.option(
    "--calibration-cloud/--no-calibration-cloud",
    default=True,
    show_default=True,
    help="Also ask the cloud on the calibration set (needed for a threshold picked there by drop=; "
    "without it the calibration set costs local answers only).",
)
@click.option(
    "--method",
    "methods",
    multiple=True,
    type=click.Choice(["compress", "exclude", "align", "shepherd"]),
    help="Also measure a collaboration method as the escalation leg (repeatable).",
)
@click.option(
    "--method-n",
    type=int,
    default=None,
    help="Measure the methods on the N least confident questions only (those a router escalates).",
)
@click.option(
    "--from-cache",
    "offline",
    is_flag=True,
    help="Call no model: rebuild the report from the questions already in the cache.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Response cache (default: OUT/cache.jsonl); several reports may share one.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("eval-report"),
    show_default=True,
    help="Report folder; its cache.jsonl makes reruns free.",
)
def eval_command(
    datasets,
    limit,
    offset,
    local_path,
    cloud_url,
    cloud_model,
    raw,
    raw_n,
    max_tokens,
    temperature,
    calibration_set,
    calibration_n,
    calibration_cloud,
    methods,
    method_n,
    offline,
    cache_path,
    out_dir,
) -> None:
    """Run the local model and a cloud endpoint over labelled sets and write a report."""
    from ..cloud.api_key import get_api_key
    from ..cloud.client import CloudClient
    from ..evaluation import datasets as ds
    from ..evaluation import report, runner
    from ..models.local_model import LocalModel

    settings = config.load()
    if offline and not local_path and not settings["local.model_path"]:
        from ..models.catalog import default_model_path

        local_path = str(default_model_path(check=False))
    url = cloud_url or settings["cloud.base_url"]
    if not url:
        raise EdgeappError("eval needs a cloud endpoint: pass --cloud-url or set cloud.base_url.")
    client = CloudClient(
        url,
        cloud_model or settings["cloud.model"],
        api_key=get_api_key(settings["cloud.api_key_env"]),
        read_timeout=max(120.0, settings["cloud.read_timeout"]),
        max_retries=settings["cloud.max_retries"],
        temperature=None if temperature < 0 else temperature,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = runner.ResponseCache(cache_path or out_dir / "cache.jsonl")
    started, cached_before = time.perf_counter(), len(cache)
    model = None if offline else _local_model(local_path, settings)
    from ..gatekeeper import Gatekeeper

    gatekeeper = None if offline else Gatekeeper.from_settings(settings)
    embedder = None  # a second instance of the local model, in embedding mode, for --method align
    try:
        model_id = Path(local_path or settings["local.model_path"]).name if offline else Path(model.path).name
        fitted = None
        routed = None  # (threshold for "≤ 2 points below always-cloud" picked on calibration rows, why)
        extra: dict = {}
        recorded: list[dict] = []  # every local answer, for `calibrate --from-eval`
        calib_rows = None  # (components, labels) of the calibration set
        sets = {path: ds.load(path, limit, offset) for path in datasets}
        calib_items = ds.load(calibration_set, calibration_n) if calibration_set else []
        evaluated_items = [item for items in sets.values() for item in items]
        # every answer first, both legs at once (the evaluated questions before the calibration set);
        # what follows reads them back from the cache
        _, prefetched = runner.run_legs(
            evaluated_items + calib_items,
            evaluated_items + (calib_items if calibration_cloud else []),
            model,
            model_id,
            client,
            gatekeeper,
            cache,
            max_tokens=max_tokens,
            offline=offline,
            raw_items=[it for items in sets.values() for it in items[:raw_n]] if raw else [],
        )
        cloud_errors = {r["item"]: r for r in prefetched if r.get("error")}
        if calibration_set:
            items = calib_items
            local = runner.run_local(items, model, model_id, cache, max_tokens=max_tokens)
            cloud = (
                runner.run_cloud(items, client, gatekeeper, cache, max_tokens=max_tokens, offline=True)
                if calibration_cloud
                else []
            )
            recorded += _records(local, cloud, "calibration")
            comps, labels = [r["components"] for r in local], [r["correct"] for r in local]
            calib_rows = (comps, labels)
            try:
                fitted = calibration.fit(
                    comps, labels, fitted_on=f"{calibration_set.name} ({len(local)} rows)"
                )
                extra["calibrated isotonic"] = calibration.fit(comps, labels, kind="isotonic").predict
            except EdgeappError as exc:  # e.g. --from-cache before the calibration set was run
                click.echo(f"calibration set not used: {exc}", err=True)
            routed = _threshold_for_drop(local, cloud, 2.0) if fitted else None
        results = {}
        for path, items in sets.items():
            local = runner.run_local(items, model, model_id, cache, max_tokens=max_tokens)
            cloud = runner.run_cloud(
                items, client, gatekeeper, cache, max_tokens=max_tokens, offline=True, errors=cloud_errors
            )
            raw_rows = (
                runner.run_cloud(
                    items[:raw_n], client, None, cache, scrubbed=False, max_tokens=max_tokens, offline=True
                )
                if raw
                else None
            )
            if "align" in methods and embedder is None and not offline:
                embedder = LocalModel(model.path, n_ctx=2048, n_threads=model.n_threads, embedding=True)
            confidences = {r["item"]: r["components"]["score"] for r in local}
            escalated = items
            if method_n is not None:  # the questions a router would escalate first
                order = sorted(range(len(local)), key=lambda i: local[i]["components"]["score"])[:method_n]
                wanted = {local[i]["item"] for i in order}
                escalated = [it for it in items if it.id in wanted]
            method_rows = runner.run_methods(
                escalated,
                methods,
                model,
                model_id,
                client,
                gatekeeper,
                cache,
                max_tokens=max_tokens,
                embedder=embedder,
                confidences=confidences,
                threshold=settings["router.threshold"],
            )
            recorded += _records(local, cloud, "evaluated")
            local, crossed = _cross_fitted(local, cloud, 2.0, extra=calib_rows)
            try:
                local, gained = _cross_fitted(local, cloud, 2.0, extra=calib_rows, objective="gain")
            except EdgeappError as exc:  # e.g. a fold whose cloud answers are all right
                click.echo(f"escalation-gain score not fitted on {path.stem}: {exc}", err=True)
                gained = None
            signals = dict(extra)
            if crossed:
                crossed["with_calibration_set"] = calib_rows is not None
                name = report.CROSS_FITTED_PLUS if calib_rows else report.CROSS_FITTED
                signals[name] = lambda c: c.get("cv_calibrated", 0.0)
            if gained:
                gained["with_calibration_set"] = calib_rows is not None
                name = report.CROSS_FITTED_GAIN if calib_rows else report.CROSS_FITTED_GAIN_ONLY
                signals[name] = lambda c: c.get("cv_gain", 0.0)
            results[path.stem] = report.analyse(local, cloud, raw_rows, fitted, signals, method_rows, routed)
            if crossed:
                results[path.stem]["cross_fitted_routing"] = crossed
            if gained:
                results[path.stem]["cross_fitted_routing_gain"] = gained
            if calib_rows:
                results[path.stem]["calibration_set"] = _calibration_set_figures(calib_rows, local)
        # `calibrate --from-eval` fits on every local answer the run recorded
        with open(out_dir / "calibration-records.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in recorded)
    finally:
        if model is not None:
            model.close()
        if embedder is not None:
            embedder.close()
    meta = {
        "local model": model_id,
        "cloud": f"{client.model} at {client.base_url}",
        "max tokens": max_tokens,
        "cloud temperature": "provider default" if temperature < 0 else temperature,
        "calibration": fitted.fitted_on if fitted else "none (pass --calibration-set)",
        "command": "edgeapp eval " + " ".join(str(p) for p in datasets),
        "this run": f"{len(cache) - cached_before} new answers in {(time.perf_counter() - started) / 60:.1f} min "
        f"(the cache held {cached_before})",
    }
    path = report.write(out_dir, results, meta)
    fmt = report.fmt
    for name, r in results.items():
        click.echo(
            f"{name}: n={r['n']} local {fmt(r['local_accuracy'])} cloud {fmt(r['cloud_accuracy'])}"
            + (f" ({r['cloud_errors']} cloud errors, not counted)" if r.get("cloud_errors") else "")
        )
        for sig, s in r["signals"].items():
            click.echo(f"  {sig:24} AUROC {fmt(s['auroc'])}  ECE {fmt(s['ece'])}  APGR {fmt(s['apgr'])}")
    click.echo(f"report: {path}")
    failed = [name for name, r in results.items() if r["n"] == 0 and r.get("cloud_errors")]
    if failed:
        raise EdgeappError(
            f"The cloud answered none of the questions of {', '.join(failed)}: "
            f"{results[failed[0]]['first_cloud_error']} The local answers are cached: fix the endpoint "
            "(--cloud-url, --cloud-model, the key) and run the same command again."
        )


def _threshold_for_drop(local: list[dict], cloud: list[dict], drop: float) -> tuple[float, float] | None:
    """The calibrated threshold for `drop` points below always-cloud, picked on the calibration rows
    (out-of-fold scores), to be judged on the evaluated rows."""
    by_id = {c["item"]: c["correct"] for c in cloud if not c.get("error")}
    rows = [r for r in local if r["item"] in by_id]
    labels = [r["correct"] for r in rows]
    try:
        scores = calibration.out_of_fold([r["components"] for r in rows], labels)
    except EdgeappError:
        return None
    return pick_threshold(scores, {"drop": drop}, local_ok=labels, cloud_ok=[by_id[r["item"]] for r in rows])[
        0
    ], drop


def _cross_fitted(
    local: list[dict],
    cloud: list[dict],
    drop: float,
    folds: int = 5,
    extra: tuple[list[dict], list[bool]] | None = None,
    objective: str = "local",
):
    """Calibration judged on the evaluated rows without ever fitting on the row judged: k-fold
    cross-fitting. Each row's calibrated confidence comes from a model fitted on the other folds
    (plus `extra` rows, e.g. a calibration set, when given); the routing threshold for `drop` points
    is picked on those other folds (fit, then pick, as a user would) and applied to the held-out
    fold. objective="gain" fits the escalation-gain score (calibration.py; its cloud head learns from
    the evaluated rows of the other folds only: `extra` rows have no cloud answer). Returns the rows
    with `cv_calibrated` (or `cv_gain`) in their components and the routing figures, or (rows, None)
    when there are too few rows or labels."""
    from sklearn.model_selection import StratifiedKFold

    by_id = {c["item"]: c["correct"] for c in cloud if not c.get("error")}
    rows = [r for r in local if r["item"] in by_id]
    y = np.asarray([bool(r["correct"]) for r in rows])
    if len(rows) < 40 or y.sum() < folds or (~y).sum() < folds:
        return local, None
    comps = [r["components"] for r in rows]
    extra_comps, extra_labels = extra or ([], [])
    cloud_ok = np.asarray([bool(by_id[r["item"]]) for r in rows])
    scores = np.zeros(len(rows))
    kept = np.zeros(len(rows), dtype=bool)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
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
    accuracy = float(np.where(kept, y, cloud_ok).mean())
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
        "accuracy": accuracy,
        "cloud_accuracy": float(cloud_ok.mean()),
        "n": len(rows),
    }


def _calibration_set_figures(calib_rows: tuple[list[dict], list[bool]], evaluated: list[dict]) -> dict:
    """How the signals rank and calibrate the calibration set's own answers: each raw signal as is, and
    the fitted P(local right) out of fold (5-fold over the calibration rows, the evaluated rows joining
    every fold's training rows). The set has no cloud answers in the published run (--no-calibration-cloud),
    so routing figures (APGR, kept local) are measured on the evaluated rows only."""
    from ..evaluation import report
    from ..evaluation.metrics import auroc, ece

    comps, labels = calib_rows
    out: dict = {"n": len(comps), "local_accuracy": sum(labels) / max(1, len(labels)), "signals": {}}
    for name, fn in report.SIGNALS.items():
        scores = [fn(c) for c in comps]
        out["signals"][name] = {
            "auroc": auroc(scores, labels),
            "ece": ece(scores, labels) if name in report.PROBABILITY_SIGNALS else None,
        }
    ev_comps, ev_labels = [r["components"] for r in evaluated], [bool(r["correct"]) for r in evaluated]
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=bool)
    if len(y) >= 40 and 5 <= y.sum() <= len(y) - 5:
        scores = np.zeros(len(y))
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
            model = calibration.fit([comps[i] for i in train] + ev_comps, y[train].tolist() + ev_labels)
            scores[test] = [model.predict(comps[i]) for i in test]
        out["signals"]["calibrated P(local right) (cross-fitted)"] = {
            "auroc": auroc(scores.tolist(), labels),
            "ece": ece(scores.tolist(), labels),
        }
    return out


def _records(local: list[dict], cloud: list[dict], part: str) -> list[dict]:
    by_id = {c["item"]: c["correct"] for c in cloud if not c.get("error")}
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


def _parse_target(target: str) -> dict[str, float]:
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
    local_ok=None,
    cloud_ok=None,
    cost_per_call: float | None = None,
) -> tuple[float, str]:
    from ..evaluation.metrics import cascade

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


@click.command("calibrate")
@click.option(
    "--from-eval",
    "eval_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="An eval report folder: fits on every local answer it recorded (calibration set and evaluated rows).",
)
@click.option("--from-history", is_flag=True, help="Fit on your own turns marked with `edgeapp feedback`.")
@click.option(
    "--target",
    default="cloud-share=0.3",
    show_default=True,
    help="drop=N | cloud-share=X | budget=B,volume=V",
)
@click.option(
    "--kind",
    type=click.Choice(["logistic", "isotonic"]),
    default="logistic",
    show_default=True,
    help="logistic: several signals combined; isotonic: a monotone map of the best single signal.",
)
@click.option(
    "--objective",
    type=click.Choice(["auto", "local", "gain"]),
    default="auto",
    show_default=True,
    help="local: the score is P(local answer right); gain: (1 + P(local right) - P(cloud right)) / 2, "
    "what escalating gains (needs judged cloud answers); auto: gain when there are at least 20 "
    "judged cloud answers, right and wrong, else local.",
)
@click.option("--dry-run", is_flag=True, help="Show the result without saving it.")
def calibrate_command(eval_dir, from_history, target, kind, objective, dry_run) -> None:
    """Fit how the confidence signals combine, and pick the threshold for a target."""
    goal = _parse_target(target)
    local_ok = cloud_ok = None
    with_cloud: list[int] = []
    cloud_labels: list[bool | None] = []
    cloud_only: tuple[list, list] = ([], [])
    if eval_dir:
        records = eval_dir / "calibration-records.jsonl"
        try:
            rows = [
                json.loads(line) for line in records.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
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
        comps = [r["components"] for r in rows]
        labels = [r["local_correct"] for r in rows]
        with_cloud = [i for i, r in enumerate(rows) if r["cloud_correct"] is not None]
        cloud_labels = [r["cloud_correct"] for r in rows]
        if with_cloud:  # a drop= target is picked on the rows that have a cloud answer to compare with
            local_ok, cloud_ok = (
                [labels[i] for i in with_cloud],
                [rows[i]["cloud_correct"] for i in with_cloud],
            )
        source = f"eval {eval_dir} ({len(rows)} local answers)"
    elif from_history:
        from ..ledger import Ledger

        def parsed(r):
            return (
                json.loads(r["components"]) if isinstance(r["components"], str) else (r["components"] or {})
            )

        marked = [r for r in Ledger().rows("turns") if r.get("feedback") in ("good", "bad")]
        rows = [r for r in marked if r["route"] in ("local", "local-fallback", "blocked")]
        comps = [parsed(r) for r in rows]
        labels = [r["feedback"] == "good" for r in rows]
        # escalated turns keep the local answer's signals: their marks judge the cloud's answer
        escalated = [r for r in marked if r["route"] == "cloud" and parsed(r).get("min_prob") is not None]
        cloud_only = ([parsed(r) for r in escalated], [r["feedback"] == "good" for r in escalated])
        cloud_labels = [None] * len(rows)
        source = f"your {len(rows)} marked local answers" + (
            f" and {len(escalated)} marked escalated ones" if escalated else ""
        )
    else:
        raise EdgeappError("Say what to fit on: --from-eval DIR or --from-history.")
    judged = [ok for ok in cloud_labels if ok is not None] + list(cloud_only[1])
    if objective == "auto":
        objective = (
            "gain" if kind == "logistic" and len(judged) >= 20 and 0 < sum(judged) < len(judged) else "local"
        )
    fitted = calibration.fit(
        comps,
        labels,
        kind=kind,
        fitted_on=source,
        objective=objective,
        cloud_correct=cloud_labels,
        cloud_only=cloud_only,
    )
    # figures and the threshold come from out-of-fold predictions: never judged on the rows it saw
    scores = calibration.out_of_fold(
        comps, labels, kind=kind, objective=objective, cloud_correct=cloud_labels, cloud_only=cloud_only
    )
    cost = None
    if "budget" in goal:
        cost = _cost_per_call()
    picked_on = [scores[i] for i in with_cloud] if "drop" in goal and eval_dir else scores
    threshold, why = pick_threshold(picked_on, goal, local_ok=local_ok, cloud_ok=cloud_ok, cost_per_call=cost)
    fitted.threshold, fitted.target = threshold, target
    from ..evaluation.metrics import auroc, ece

    fitted.report = {"auroc": auroc(scores, labels), "ece": ece(scores, labels), "objective": objective}
    what = "escalation-gain score" if objective == "gain" else "P(local right)"
    click.echo(
        f"fitted ({kind}, {what}) on {source}: AUROC {fitted.report['auroc']:.3f}, ECE "
        f"{fitted.report['ece']:.3f} (5-fold, out of fold; ECE is against the local answer's correctness)"
    )
    click.echo(f"threshold {threshold:.3f}: {why}")
    if dry_run:
        return
    path = fitted.save()
    settings = config.load()
    settings.set("router.threshold", round(threshold, 4))
    settings.save()
    click.echo(f"saved {path}; router.threshold = {threshold:.4f}. The next turn uses it.")


def _cost_per_call() -> float:
    from ..ledger import Ledger

    ledger = Ledger()
    costs = [r["cost"] for r in ledger.rows("cloud_calls") if r.get("status") == "ok" and r.get("cost")]
    if costs:
        return sum(costs) / len(costs)
    settings = config.load()
    price = ledger.prices.price_for(settings["cloud.model"], settings["cloud.base_url"], settings)
    return price.cost(600, min(400, settings["cloud.max_tokens"]))  # a typical chat question


@click.command("feedback")
@click.argument("turn", type=int)
@click.argument("verdict", type=click.Choice(["good", "bad", "clear"]))
def feedback_command(turn: int, verdict: str) -> None:
    """Mark a turn's answer good or bad (see `edgeapp log` for turn numbers)."""
    from ..ledger import Ledger

    ledger = Ledger()
    try:
        ledger.get_turn(turn)
    except Exception:  # noqa: BLE001 - sqlite-utils NotFoundError
        raise EdgeappError(f"There is no turn #{turn}; `edgeapp log` lists them.") from None
    ledger.set_feedback(turn, None if verdict == "clear" else verdict)
    click.echo(f"turn #{turn} marked {verdict}.")


COMMANDS = [eval_command, calibrate_command, feedback_command]
