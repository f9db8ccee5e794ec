"""Issue 17: does the local model agree with itself? Self-consistency as a routing signal.

    .venv/bin/python benchmarks/eval/consistency.py sample [--k 3] [--minutes 60] [--threads 2]
    .venv/bin/python benchmarks/eval/consistency.py          # writes benchmarks/eval/consistency.md (+ .json)

`sample` draws k more answers to each GSM8K dev question from the local model (temperature 0.7,
top-p 0.95, seeds 1..k, the same prompt, weights and token limit as the cached greedy answer) through
the product's engine (`LocalModel.generate(sampling=...)`), nearest the routing threshold first: the
questions are ordered by how far today's cross-fitted calibrated confidence lies from its
cross-fitted threshold (logit distance), because a second opinion can only change a decision near it.
Resumable: the draws are cached in benchmarks/eval/samples.jsonl.

The analysis: agreement = the share of the k draws whose final answer equals the greedy answer's.
Where the draws exist (the sampled band), a second stage, cross-fitted on the dev rows of the band (5
stratified folds), turns [logit(today's confidence), agreement] into P(local right); elsewhere today's
confidence stands. Routing is judged exactly as the report judges it: AUROC, ECE, APGR, kept local at
<= 2 points below always-cloud, and the cross-fitted threshold's kept-local and accuracy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "eval"))

import probe as pb  # noqa: E402  (benchmarks/eval/probe.py: the same rows, folds and figures)

from edgeapp.assistant import local_system_prompt  # noqa: E402
from edgeapp.cli import evaluation as ev  # noqa: E402
from edgeapp.evaluation import datasets as ds  # noqa: E402
from edgeapp.evaluation import runner  # noqa: E402
from edgeapp.evaluation.grading import extract, is_correct  # noqa: E402

HERE = ROOT / "benchmarks" / "eval"
SAMPLES = HERE / "samples.jsonl"
TEMPERATURE, TOP_P = 0.7, 0.95


def _logit(p):
    p = np.clip(np.asarray(p, dtype=float), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def base(datasets: Path):
    dev, cloud, calib = pb.load_rows(datasets)
    cloud_by = {r["item"]: r for r in cloud}
    dev = [r for r in dev if r["item"] in cloud_by]
    cloud_ok = [bool(cloud_by[r["item"]]["correct"]) for r in dev]
    fitted = pb.cross_fit(pb.base_scorer("local"), dev, cloud_ok, calib)
    return dev, cloud_ok, fitted


def sample_key(item_id: str, seed: int) -> str:
    return runner.ResponseCache.key("sample", pb.LOCAL, item_id, str(pb.MAX_TOKENS), str(TEMPERATURE),
                                    str(TOP_P), str(seed))


def sample(args) -> None:
    from edgeapp.models.local_model import LocalModel, Sampling

    dev, _, (scores, _, thresholds, _) = base(args.datasets)
    items = {it.id: it for it in ds.load(args.datasets / "gsm8k_dev.jsonl", 300)}
    order = np.argsort(np.abs(_logit(scores) - _logit(thresholds)), kind="stable")
    cache = runner.ResponseCache(SAMPLES)
    model = LocalModel(ROOT / "models" / pb.LOCAL, n_ctx=2048, n_threads=args.threads)
    system = local_system_prompt()
    stop_at = time.time() + args.minutes * 60
    made = 0
    try:
        for rank, i in enumerate(order):
            item = items[dev[i]["item"]]
            for seed in range(1, args.k + 1):
                key = sample_key(item.id, seed)
                if cache.get(key) is not None:
                    continue
                if time.time() > stop_at:
                    print(f"stopped at the time limit after {made} new draws (rank {rank})", flush=True)
                    return
                started = time.perf_counter()
                gen = model.generate([{"role": "system", "content": system}, {"role": "user", "content": item.prompt()}],
                                     max_tokens=pb.MAX_TOKENS,
                                     sampling=Sampling(temperature=TEMPERATURE, top_p=TOP_P, seed=seed))
                cache.put(key, {"role": "sample", "item": item.id, "seed": seed, "rank": rank, "text": gen.text,
                                "tokens": gen.completion_tokens, "finish_reason": gen.finish_reason,
                                "seconds": time.perf_counter() - started})
                made += 1
            if rank % 10 == 9:
                print(f"{rank + 1} questions sampled, {made} new draws, {time.strftime('%H:%M:%S')}", flush=True)
    finally:
        model.close()


def agreement(dev, items, cache, k: int) -> dict[str, dict]:
    out = {}
    for r in dev:
        draws = [cache.get(sample_key(r["item"], s)) for s in range(1, k + 1)]
        if any(d is None for d in draws):
            continue
        item = items[r["item"]]
        answers = [extract(item, d["text"]) for d in draws]
        same = [a is not None and r["extracted"] is not None and _same(a, r["extracted"]) for a in answers]
        out[r["item"]] = {"agree": sum(same) / k, "any_right": any(is_correct(item, d["text"]) for d in draws),
                          "seconds": sum(d["seconds"] for d in draws), "tokens": sum(d["tokens"] for d in draws)}
    return out


def _same(a: str, b: str) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-6
    except ValueError:
        return a.strip().lower() == b.strip().lower()


def second_stage(x: np.ndarray, y: np.ndarray, seed: int = 0) -> np.ndarray:
    """Out-of-fold P(local right) from [logit(confidence), agreement] (L2 logistic regression)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros(len(y))
    folds = min(5, int(y.sum()), int((~y).sum()))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        model = LogisticRegression(C=1.0).fit(x[train], y[train])
        out[test] = model.predict_proba(x[test])[:, 1]
    return out


def analyse(args) -> dict:
    dev, cloud_ok, fitted = base(args.datasets)
    items = {it.id: it for it in ds.load(args.datasets / "gsm8k_dev.jsonl", 300)}
    cache = runner.ResponseCache(SAMPLES)
    out = {k: analyse_k(dev, cloud_ok, fitted, items, cache, k) for k in range(1, args.k + 1)}
    return out


def analyse_k(dev, cloud_ok, fitted, items, cache, k: int) -> dict:
    scores, kept, thresholds, today = fitted
    agree = agreement(dev, items, cache, k)
    y = np.asarray([bool(r["correct"]) for r in dev])
    cl = np.asarray(cloud_ok)
    band = np.asarray([r["item"] in agree for r in dev])
    a = np.asarray([agree.get(r["item"], {}).get("agree", np.nan) for r in dev])
    x = np.column_stack([_logit(scores[band]), a[band]])
    stage = scores.copy()
    stage[band] = second_stage(x, y[band])
    base_kept = kept
    # the cross-fitted threshold, picked on the other folds' out-of-fold scores, as the report does
    from sklearn.model_selection import StratifiedKFold

    kept_new = np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        thr, _ = ev.pick_threshold(stage[train].tolist(), {"drop": pb.DROP}, local_ok=y[train].tolist(),
                                   cloud_ok=cl[train].tolist())
        kept_new[test] = stage[test] >= thr
    by_agree = {}
    for v in sorted(set(a[band].tolist())):
        sel = band & (a == v)
        by_agree[f"{v:.2f}"] = {"n": int(sel.sum()), "local_right": float(y[sel].mean()),
                                "cloud_right": float(cl[sel].mean())}
    seconds = [v["seconds"] for v in agree.values()]
    out = {
        "k": k, "temperature": TEMPERATURE, "top_p": TOP_P, "n": len(y), "sampled": int(band.sum()),
        "sampled_local_right": int(y[band].sum()), "all_local_right": int(y.sum()),
        "today": {**pb.figures(scores.tolist(), y.tolist(), cl.tolist()), "cross_fitted": today},
        "consistency": {**pb.figures(stage.tolist(), y.tolist(), cl.tolist()),
                        "cross_fitted": {"kept_local": float(kept_new.mean()),
                                         "accuracy": float(np.where(kept_new, y, cl).mean())}},
        "agreement_alone_in_band": pb.figures(a[band].tolist(), y[band].tolist(), cl[band].tolist(), probability=False),
        "today_in_band": pb.figures(scores[band].tolist(), y[band].tolist(), cl[band].tolist()),
        "by_agreement": by_agree,
        "decisions_changed": int((kept_new != base_kept).sum()),
        "seconds_per_question": {"median": statistics.median(seconds) if seconds else None,
                                 "p95": float(np.percentile(seconds, 95)) if seconds else None},
        "always_cloud": float(cl.mean()),
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", nargs="?", default="analyse", choices=("sample", "analyse"))
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    args = ap.parse_args()
    if args.mode == "sample":
        sample(args)
        return
    out = analyse(args)
    (HERE / "consistency.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    (HERE / "consistency.md").write_text(render(out), encoding="utf-8")
    print(render(out))


def _f(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def render(out: dict) -> str:
    first = out[min(out)]
    lines = [
        "# Self-consistency as a routing signal (issue 17)", "",
        "Made by `benchmarks/eval/consistency.py` from the cached answers and draws (see its docstring). The local",
        f"model drew k more answers (temperature {TEMPERATURE}, top-p {TOP_P}) to {first['sampled']} of the {first['n']}",
        "GSM8K dev questions, those whose cross-fitted confidence lay nearest its cross-fitted threshold;",
        "agreement = the share of draws whose final answer equals the greedy answer's. Elsewhere today's",
        "confidence stands. Same folds, same threshold rule as the report.", "",
        "| signal | k | AUROC | ECE | APGR | kept local at ≤2 pts (in-sample) | kept local, cross-fitted threshold | accuracy | decisions changed |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| today: calibrated P(local right) | – | {_f(first['today']['auroc'])} | {_f(first['today']['ece'])} | "
        f"{_f(first['today']['apgr'])} | {_f(first['today']['kept_local_2pts'])} | "
        f"{_f(first['today']['cross_fitted']['kept_local'])} | {_f(first['today']['cross_fitted']['accuracy'])} | – |",
    ]
    for k, r in sorted(out.items()):
        c = r["consistency"]
        lines.append(f"| + agreement of the draws | {k} | {_f(c['auroc'])} | {_f(c['ece'])} | {_f(c['apgr'])} | "
                     f"{_f(c['kept_local_2pts'])} | {_f(c['cross_fitted']['kept_local'])} | "
                     f"{_f(c['cross_fitted']['accuracy'])} | {r['decisions_changed']} |")
    lines += ["", f"Always-cloud accuracy {first['always_cloud']:.3f}.", "",
              "Inside the sampled band only (where the second opinion is asked):", "",
              "| k | questions | local right | AUROC today | AUROC agreement alone | draws' seconds per question, median (p95) |",
              "|---|---|---|---|---|---|"]
    for k, r in sorted(out.items()):
        sp = r["seconds_per_question"]
        lines.append(f"| {k} | {r['sampled']} | {r['sampled_local_right']} | {_f(r['today_in_band']['auroc'])} | "
                     f"{_f(r['agreement_alone_in_band']['auroc'])} | {sp['median']:.1f} ({sp['p95']:.1f}) |")
    k = max(out)
    lines += ["", f"Local and cloud accuracy by agreement (k = {k}):", "",
              "| agreement | questions | local right | cloud right |", "|---|---|---|---|"]
    for a, row in out[k]["by_agreement"].items():
        lines.append(f"| {a} | {row['n']} | {row['local_right']:.2f} | {row['cloud_right']:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
