"""Issue 17's hidden-state probe, judged the way the report judges today's calibrated confidence.

    .venv/bin/python benchmarks/eval/probe.py            # writes benchmarks/eval/probe.md (+ probe.json)
    .venv/bin/python benchmarks/eval/probe.py --memo /tmp/probe-memo.npz   # reuse rows already fitted

Reads the cached answers (benchmarks/eval/cache.jsonl, no model call) and the hidden states
extracted from them (benchmarks/eval/hidden-states.npz, made by probe_extract.py). The probe
(`hidden_state.fit_probe`, beside this script): the last layer of the local model pooled over the chat (mean, or the
last token), standardised, PCA fitted on the training rows only, the first k components appended to
the 21 calibration features, L2 logistic regression; k and the L2 strength chosen by 5-fold log loss
inside the training rows. Cross-fitted exactly as the report's "calibrated (cross-fitted +
calibration set)" row (edgeapp/evaluation/cli.py `_cross_fitted`): 5 stratified folds (seed 0) over
the 300 dev rows, the 300 calibration rows joining every fold's training rows; the routing threshold
for "at most 2 points below always-cloud" picked from out-of-fold scores on the other folds, applied
to the fold. The calibration set's figures: 5 folds over its rows, the dev rows joining every fold's
training rows (`_calibration_set_figures`). Today's rows are recomputed here by the report's own
functions, so both sides come from the same cache.
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

from edgeapp.cli import evaluation as ev  # noqa: E402
from edgeapp.cloud.client import CloudClient  # noqa: E402
from edgeapp.confidence import calibration  # noqa: E402
from edgeapp.evaluation import datasets as ds  # noqa: E402
from edgeapp.evaluation import metrics, runner  # noqa: E402

HERE = ROOT / "benchmarks" / "eval"
sys.path.insert(0, str(HERE))
import hidden_state as hp  # noqa: E402  (benchmarks/eval/hidden_state.py)

LOCAL = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
CLOUD = "qwen2.5-coder-1.5b-instruct"
MAX_TOKENS = 512
DROP = 2.0


def load_rows(datasets: Path):
    """Graded dev rows (local + cloud) and calibration rows (local only), as the eval loads them."""
    cache = runner.ResponseCache(HERE / "cache.jsonl")
    client = CloudClient("http://127.0.0.1:1/v1", CLOUD, temperature=0.0)
    dev_items = ds.load(datasets / "gsm8k_dev.jsonl", 300)
    calib_items = ds.load(datasets / "gsm8k_calib.jsonl", 300)
    dev = runner.run_local(dev_items, None, LOCAL, cache, max_tokens=MAX_TOKENS)
    cloud = runner.run_cloud(dev_items, client, None, cache, max_tokens=MAX_TOKENS, offline=True)
    calib = runner.run_local(calib_items, None, LOCAL, cache, max_tokens=MAX_TOKENS)
    return dev, cloud, calib


def load_hidden(path: Path) -> tuple[dict[str, dict[str, np.ndarray]], dict]:
    z = np.load(path, allow_pickle=False)
    if str(z["model"]) != LOCAL:
        raise SystemExit(f"{path} holds {z['model']}'s hidden states, not {LOCAL}'s")
    vectors = {pool: {i: z[pool][n].astype(np.float64) for n, i in enumerate(z["ids"])} for pool in hp.POOLINGS}
    timing = {"sets": [str(s) for s in z["set"]], "tokens": z["tokens"].tolist(), "seconds": z["seconds"].tolist()}
    return vectors, timing


# -- one cross-fitting routine for every scorer --------------------------------------------------------
class Scorer:
    """fit(rows, labels, cloud_correct) -> model; model(rows) -> scores. Rows are the eval's local rows."""

    def __init__(self, name, fit):
        self.name, self.fit = name, fit

    def __repr__(self) -> str:
        return self.name


def base_scorer(objective: str) -> Scorer:
    def fit(rows, labels, cloud_correct, params=None):
        model = calibration.fit([r["components"] for r in rows], labels, objective=objective,
                                cloud_correct=cloud_correct)
        predict = lambda rs: np.asarray([model.predict(r["components"]) for r in rs])  # noqa: E731
        predict.params = None
        return predict

    return Scorer(f"calibration ({objective})", fit)


def probe_scorer(vectors: dict[str, dict[str, np.ndarray]], pooling: str, objective: str) -> Scorer:
    def hidden(rows):
        if pooling == "both":
            return np.hstack([np.asarray([vectors[p][r["item"]] for r in rows]) for p in hp.POOLINGS])
        return np.asarray([vectors[pooling][r["item"]] for r in rows])

    def feats(rows):
        return np.asarray([calibration.feature_vector(r["components"]) for r in rows])

    def fit(rows, labels, cloud_correct, params=None):
        model = hp.fit_probe(feats(rows), hidden(rows), labels, pooling=pooling,
                             cloud_correct=cloud_correct if objective == "gain" else None, params=params)
        if objective == "gain" and model.cloud is None:
            raise ValueError("no cloud head")
        predict = lambda rs: model.predict(feats(rs), hidden(rs))  # noqa: E731
        predict.params = model.params()
        return predict

    return Scorer(f"probe {pooling} ({objective})", fit)


def out_of_fold(scorer: Scorer, rows, labels, cloud_correct, folds: int = 5, seed: int = 0,
                params=None) -> np.ndarray:
    """calibration.out_of_fold for any scorer (same folds). `params`: the probe's number of components
    and L2 strengths as chosen on all of `rows` (the inner folds reuse them instead of choosing again:
    these scores only pick a threshold on the same rows, and choosing costs 60 fits)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=bool)
    out = np.zeros(len(y))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        model = scorer.fit([rows[i] for i in train], y[train].tolist(), [cloud_correct[i] for i in train],
                           params=params)
        out[test] = model([rows[i] for i in test])
    return out


def cross_fit(scorer: Scorer, dev, cloud_ok, calib, *, seed: int = 0):
    """ev._cross_fitted for any scorer: per fold, fit on the other folds + the calibration rows, pick
    the drop=2 threshold from out-of-fold scores on the other folds' dev rows, apply both to the fold.
    Returns (scores, kept, thresholds per row, figures)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray([bool(r["correct"]) for r in dev])
    cl = np.asarray(cloud_ok, dtype=bool)
    cal_labels = [bool(r["correct"]) for r in calib]
    scores = np.zeros(len(dev))
    kept = np.zeros(len(dev), dtype=bool)
    thresholds = np.zeros(len(dev))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        part = [dev[i] for i in train] + list(calib)
        labels = y[train].tolist() + cal_labels
        judged = cl[train].tolist() + [None] * len(calib)
        model = scorer.fit(part, labels, judged)
        inner = out_of_fold(scorer, part, labels, judged, params=model.params)[: len(train)]
        threshold, _ = ev.pick_threshold(inner.tolist(), {"drop": DROP}, local_ok=y[train].tolist(),
                                         cloud_ok=cl[train].tolist())
        scores[test] = model([dev[i] for i in test])
        thresholds[test] = threshold
        kept[test] = scores[test] >= threshold
    return scores, kept, thresholds, {"kept_local": float(kept.mean()), "accuracy": float(np.where(kept, y, cl).mean())}


def calib_figures(scorer: Scorer, calib, dev) -> dict:
    """ev._calibration_set_figures' fitted row for any scorer: AUROC/ECE on the calibration rows, 5
    folds over them, the dev rows joining every fold's training rows."""
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray([bool(r["correct"]) for r in calib])
    dev_labels = [bool(r["correct"]) for r in dev]
    scores = np.zeros(len(y))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        model = scorer.fit([calib[i] for i in train] + list(dev), y[train].tolist() + dev_labels,
                           [None] * (len(train) + len(dev)))
        scores[test] = model([calib[i] for i in test])
    return {"auroc": metrics.auroc(scores.tolist(), y.tolist()), "ece": metrics.ece(scores.tolist(), y.tolist())}


def figures(scores, local_ok, cloud_ok, probability: bool = True) -> dict:
    cas = metrics.cascade(scores, local_ok, cloud_ok)
    return {"auroc": metrics.auroc(scores, local_ok), "ece": metrics.ece(scores, local_ok) if probability else None,
            "apgr": cas.apgr(), "kept_local_2pts": cas.kept_local_within(DROP / 100)}


def gated(base: tuple, probe: tuple, band: float, y, cl) -> dict:
    """The product's turn: the probe runs only where the calibrated confidence without it is within
    `band` of its threshold; there its decision replaces the base one."""
    b_scores, _, b_thr, _ = base
    p_scores, _, p_thr, _ = probe
    near = np.abs(b_scores - b_thr) <= band
    kept = np.where(near, p_scores >= p_thr, b_scores >= b_thr)
    return {"band": band, "probed": float(near.mean()), "kept_local": float(kept.mean()),
            "accuracy": float(np.where(kept, y, cl).mean())}


def today(path: str = "benchmarks/eval/results.json") -> dict:
    """The published report's figures (results.json as committed), for the rows beside the probe's."""
    import subprocess

    try:
        text = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        text = (ROOT / path).read_text(encoding="utf-8")
    return json.loads(text)["results"]["gsm8k_dev"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--hidden", type=Path, default=HERE / "hidden-states.npz")
    ap.add_argument("--out", type=Path, default=HERE / "probe.md")
    ap.add_argument("--poolings", default="mean,last")
    ap.add_argument("--objectives", default="local,gain")
    ap.add_argument("--partial", action="store_true", help="judge only the dev rows that have hidden states")
    ap.add_argument("--only", default="", help="comma-separated row names to compute (base, mean, last)")
    ap.add_argument("--memo", type=Path, help="keep each row's cross-fitted scores in this .npz and reuse them "
                    "when the rows judged and trained on are the same (a rerun skips the fits already done)")
    args = ap.parse_args()
    started = time.perf_counter()
    dev, cloud, calib = load_rows(args.datasets)
    vectors, timing = load_hidden(args.hidden)
    have = set(vectors["mean"])
    by_id = {c["item"]: c["correct"] for c in cloud if not c.get("error")}
    dev = [r for r in dev if r["item"] in by_id]
    n_dev_all = len(dev)
    if any(r["item"] not in have for r in dev) and set(filter(None, args.only.split(","))) != {"base"}:
        if not args.partial:
            raise SystemExit(f"hidden states for {sum(r['item'] in have for r in dev)} of {len(dev)} dev answers: "
                             "run probe_extract.py (or --partial)")
        dev = [r for r in dev if r["item"] in have]
    calib_probe = [r for r in calib if r["item"] in have]
    cloud_ok = [by_id[r["item"]] for r in dev]
    y = np.asarray([bool(r["correct"]) for r in dev])
    cl = np.asarray(cloud_ok, dtype=bool)
    objectives = args.objectives.split(",")
    out: dict = {"n_dev": len(dev), "n_dev_all": n_dev_all, "n_calib": len(calib),
                 "n_calib_with_hidden": len(calib_probe), "local_accuracy": float(y.mean()),
                 "cloud_accuracy": float(cl.mean()), "rows": {}, "today": today()}

    def row(name, fitted, probability=True):
        scores, _, _, routing = fitted
        out["rows"][name] = {**figures(scores.tolist(), y.tolist(), cl.tolist(), probability), "routing": routing}
        print(f"{name}: {out['rows'][name]}  ({time.perf_counter() - started:.0f} s)", flush=True)

    import hashlib

    fingerprint = hashlib.sha1("|".join([r["item"] for r in dev] + ["/"] + [r["item"] for r in calib_probe]).encode()
                               ).hexdigest()[:12]
    memo = dict(np.load(args.memo, allow_pickle=False)) if args.memo and args.memo.exists() else {}
    only = set(filter(None, args.only.split(",")))

    def cross(kind: str, objective: str, scorer: Scorer, seed: int = 0):
        key = f"{kind}-{objective}-{fingerprint}" + (f"-seed{seed}" if seed else "")
        if key + "-scores" in memo:
            sc, kp, th = memo[key + "-scores"], memo[key + "-kept"], memo[key + "-thresholds"]
            return sc, kp, th, {"kept_local": float(kp.mean()), "accuracy": float(np.where(kp, y, cl).mean())}
        if only and kind not in only:
            return None
        got = cross_fit(scorer, dev, cloud_ok, calib_probe, seed=seed)
        if args.memo:
            memo.update({key + "-scores": got[0], key + "-kept": got[1], key + "-thresholds": got[2]})
            np.savez(args.memo, **memo)
        return got

    fitted = {}
    # the calibration without the probe, on exactly the probe's training rows (the published rows,
    # trained with all 300 calibration answers, come from results.json)
    for objective in objectives:
        got = cross("base", objective, base_scorer(objective))
        if got is not None:
            fitted[("base", objective)] = got
            row(f"base {objective}", got, objective == "local")
    for pooling in args.poolings.split(","):
        for objective in objectives:
            got = cross(pooling, objective, probe_scorer(vectors, pooling, objective))
            if got is not None:
                fitted[(pooling, objective)] = got
                row(f"probe {pooling} {objective}", got, objective == "local")
    out["oracle"] = {
        "local": figures([float(v) for v in y], y.tolist(), cl.tolist(), False),
        "both": figures([float(a) - float(b) for a, b in zip(y, cl, strict=True)], y.tolist(), cl.tolist(), False),
    }
    out["gated"] = {f"probe {pooling} {objective}": [gated(fitted[("base", objective)], value, band, y, cl)
                                                     for band in (0.05, 0.1, 0.2)]
                    for (pooling, objective), value in fitted.items()
                    if pooling != "base" and ("base", objective) in fitted}
    # how much of a probe's lead over the same fit without it is the fold split's luck: other fold seeds,
    # and a paired bootstrap of the APGR difference over the questions (seed 0)
    out["robustness"] = {}
    for pooling, objective in [k for k in fitted if k[0] != "base"]:
        base_key = ("base", objective)
        if base_key not in fitted:
            continue
        mine, theirs = fitted[(pooling, objective)], fitted[base_key]
        if not (metrics.cascade(mine[0], y, cl).apgr() > metrics.cascade(theirs[0], y, cl).apgr() + 0.01
                and mine[3]["kept_local"] > theirs[3]["kept_local"]
                and mine[3]["accuracy"] >= theirs[3]["accuracy"] - 0.005):  # only a lead is checked
            continue
        runs = []
        for seed in (0, 1, 2, 3):
            pair = [fitted[k] if seed == 0 else cross(k[0], objective, base_scorer(objective) if k[0] == "base"
                                                      else probe_scorer(vectors, pooling, objective), seed)
                    for k in (base_key, (pooling, objective))]
            if any(p is None for p in pair):
                break
            runs.append({"seed": seed, **{name: {"apgr": metrics.cascade(p[0], y, cl).apgr(), **p[3]}
                                          for name, p in zip(("base", "probe"), pair, strict=True)}})
        rng = np.random.default_rng(0)
        diffs = []
        for _ in range(1000):
            i = rng.integers(0, len(y), len(y))
            if abs(cl[i].mean() - y[i].mean()) > 1e-9:
                diffs.append(metrics.cascade(fitted[(pooling, objective)][0][i], y[i], cl[i]).apgr()
                             - metrics.cascade(fitted[base_key][0][i], y[i], cl[i]).apgr())
        out["robustness"][f"probe {pooling} {objective}"] = {
            "seeds": runs, "apgr_diff_ci95": [float(v) for v in np.percentile(diffs, [2.5, 50, 97.5])]}
    # the calibration set's own figures (AUROC / ECE of P(local right)), where its hidden states exist
    out["calibration_set"] = {}
    if len(calib_probe) >= 40 and not only:
        out["calibration_set"]["base"] = calib_figures(base_scorer("local"), calib_probe, dev)
        for pooling in args.poolings.split(","):
            out["calibration_set"][f"probe {pooling}"] = calib_figures(probe_scorer(vectors, pooling, "local"),
                                                                       calib_probe, dev)
    secs = list(timing["seconds"])
    out["extraction"] = {"n": len(secs), "median_s": statistics.median(secs),
                         "median_tokens": statistics.median(timing["tokens"]),
                         "ms_per_token": 1000 * statistics.median(
                             [s / t for s, t in zip(secs, timing["tokens"], strict=True)])}
    out["seconds"] = time.perf_counter() - started
    args.out.with_suffix(".json").write_text(json.dumps(out, indent=1, default=float), encoding="utf-8")
    args.out.write_text(render(out), encoding="utf-8")
    print(f"{args.out} in {out['seconds']:.0f} s")


def _f(v, pct: bool = False) -> str:
    if v is None:
        return "–"
    return f"{v:.0%}" if pct else f"{v:.3f}"


def _routing(r: dict | None) -> str:
    return "–" if not r else f"{r['kept_local']:.0%}, {r['accuracy']:.3f}"


def render(out: dict) -> str:
    t = out["today"]
    sig = t["signals"]
    n_cal = out["n_calib_with_hidden"]
    training = (f"the other folds' dev rows and the {n_cal} calibration answers whose hidden states were extracted"
                if n_cal else "the other folds' dev rows only (no calibration answer's hidden state was extracted)")
    lines = [
        "# Hidden-state probe (issue 17)",
        "",
        "Made by `.venv/bin/python benchmarks/eval/probe.py` from the cached answers and "
        "`hidden-states.npz` (`probe_extract.py`); no model call. See the script's docstring for the method.",
        "",
        f"GSM8K dev, n = {out['n_dev']}" + (f" of {out['n_dev_all']}" if out["n_dev"] < out["n_dev_all"] else "")
        + f": local {out['local_accuracy']:.3f}, always-cloud {out['cloud_accuracy']:.3f}. "
        f"Rows marked *published* are the report's (`results.json`, trained with all 300 calibration answers); "
        f"the others are cross-fitted here on {training}, 5 stratified folds, seed 0.",
        "",
        "| routing score | AUROC | ECE | APGR | kept local at ≤ 2 pts (best threshold) "
        "| kept local, accuracy (threshold picked on other folds) |",
        "|---|---|---|---|---|---|",
    ]
    pub = [("*published*: calibrated P(local right), cross-fitted + calibration set",
            sig.get("calibrated (cross-fitted + calibration set)"), t.get("cross_fitted_routing")),
           ("*published*: escalation gain, cross-fitted + calibration set",
            sig.get("escalation gain (cross-fitted + calibration set)"), t.get("cross_fitted_routing_gain"))]
    for name, s, r in pub:
        if s:
            lines.append(f"| {name} | {_f(s['auroc'])} | {_f(s['ece'])} | {_f(s['apgr'])} "
                         f"| {_f(s['kept_local_2pts'], True)} | {_routing(r)} |")
    names = {"base local": "calibrated P(local right), no probe, same training rows",
             "base gain": "escalation gain, no probe, same training rows"}
    for key, r in out["rows"].items():
        label = names.get(key)
        if label is None:
            _, pooling, objective = key.split()
            label = (f"**probe** ({pooling}-pooled hidden state + 21 features): "
                     + ("P(local right)" if objective == "local" else "escalation gain"))
        lines.append(f"| {label} | {_f(r['auroc'])} | {_f(r['ece'])} | {_f(r['apgr'])} "
                     f"| {_f(r['kept_local_2pts'], True)} | {_routing(r['routing'])} |")
    rnd, o = t["random"], out["oracle"]
    lines += [f"| random routing | – | – | 0.500 | {_f(rnd['kept_local_2pts'], True)} | – |",
              f"| *ceiling: knows if the local answer is right* | – | – | {_f(o['local']['apgr'])} "
              f"| {_f(o['local']['kept_local_2pts'], True)} | – |",
              f"| *ceiling: knows both answers* | – | – | {_f(o['both']['apgr'])} "
              f"| {_f(o['both']['kept_local_2pts'], True)} | – |", ""]
    lines += ["Issue 17's targets: kept local ≥ 25% at ≤ 2 points below always-cloud, APGR ≥ 0.60, ECE ≤ 0.05 "
              "(kept local read both ways: best threshold, and threshold picked on other folds).", ""]
    for key, r in out["rows"].items():
        if key.startswith("probe"):
            met = [f"kept local {'≥' if r['kept_local_2pts'] >= 0.25 else '<'} 25% (best threshold)",
                   f"{'≥' if r['routing']['kept_local'] >= 0.25 else '<'} 25% (picked on other folds)",
                   f"APGR {'≥' if r['apgr'] >= 0.60 else '<'} 0.60"]
            if r["ece"] is not None:
                met.append(f"ECE {'≤' if r['ece'] <= 0.05 else '>'} 0.05")
            base = out["rows"].get(f"base {key.split()[-1]}")
            if base:
                met.append(f"against the same fit without the probe: APGR {r['apgr'] - base['apgr']:+.3f}, kept local "
                           f"{100 * (r['routing']['kept_local'] - base['routing']['kept_local']):+.0f} points "
                           f"(picked on other folds)")
            lines.append(f"- {key}: " + "; ".join(met))
    def beats(key: str) -> bool:  # better APGR, and more kept local at no lower accuracy, than without the probe
        r, b = out["rows"][key], out["rows"].get(f"base {key.split()[-1]}")
        return bool(b) and r["apgr"] > b["apgr"] + 0.01 and r["routing"]["kept_local"] > b["routing"]["kept_local"] \
            and r["routing"]["accuracy"] >= b["routing"]["accuracy"] - 0.005

    wins = [key for key in out["rows"] if key.startswith("probe") and beats(key)]
    partial = out["n_dev"] < out["n_dev_all"]
    if wins and partial:
        verdict = (f"on these {out['n_dev']} answers, {', '.join(wins)} beats the same fit without the probe on APGR "
                   "and on the share kept local at no lower accuracy; the other variants do not. That is a lead, not a "
                   "result: four variants were tried on a subset, each fold holds a few dozen questions, and the probe "
                   "trains on the dev folds only. The product does not use the probe until the full run confirms it.")
    elif wins:
        verdict = (f"{', '.join(wins)} beats the same fit without the probe on APGR and on the share kept local at "
                   "no lower accuracy.")
    else:
        verdict = ("the probe does not beat the same calibration without it on the routing figures (APGR and the "
                   "kept-local share at no lower accuracy, threshold picked on other folds), so the product does not "
                   "use it: a turn never pays for the extra forward pass.")
    lines += ["", "**Verdict**: " + verdict, ""]
    for name, rob in out.get("robustness", {}).items():
        lines += [f"How firm {name}'s lead is: other fold seeds (seed 0 is the protocol's), kept local and accuracy "
                  "with the threshold picked on other folds, and APGR:", "",
                  "| fold seed | without the probe | with the probe |", "|---|---|---|"]
        for run in rob["seeds"]:
            lines.append(f"| {run['seed']} | " + " | ".join(
                f"{run[k]['kept_local']:.0%}, {run[k]['accuracy']:.3f}; APGR {run[k]['apgr']:.3f}"
                for k in ("base", "probe")) + " |")
        lo, mid, hi = rob["apgr_diff_ci95"]
        lines += ["", f"Paired bootstrap over the questions (seed 0, 1000 resamples): APGR difference {mid:+.3f}, "
                  f"95% interval [{lo:+.3f}, {hi:+.3f}].", ""]
    lines += ["## Only near the threshold", "",
              "The product's turn would run the probe only where the calibrated confidence without it lies within a "
              "band around its threshold, and take the probe's decision there (each fold's two thresholds picked on "
              "the other folds, as above). Share of questions probed, kept local, accuracy:", "",
              "| probe | ±0.05 | ±0.10 | ±0.20 |", "|---|---|---|---|"]
    for name, cells in out["gated"].items():
        lines.append(f"| {name} | " + " | ".join(
            f"{c['probed']:.0%} probed: {c['kept_local']:.0%}, {c['accuracy']:.3f}" for c in cells) + " |")
    lines += ["", "## Calibration set", ""]
    cal = t.get("calibration_set", {}).get("signals", {}).get("calibrated P(local right) (cross-fitted)")
    lines += ["| P(local right) | AUROC | ECE |", "|---|---|---|"]
    if cal:
        lines.append(f"| *published*: calibrated, cross-fitted (300 rows, dev rows joining each fold) "
                     f"| {_f(cal['auroc'])} | {_f(cal['ece'])} |")
    for name, r in out["calibration_set"].items():
        lines.append(f"| {name} ({n_cal} rows with hidden states) | {_f(r['auroc'])} | {_f(r['ece'])} |")
    if not out["calibration_set"]:
        lines.append("| probe | not measured: the calibration answers' hidden states are not extracted yet "
                     "(`probe_extract.py` resumes) | |")
    e = out["extraction"]
    lines += ["", "## Cost", "",
              f"Extracting one answer's hidden state (system prompt + question + answer, one forward pass of the 0.5B "
              f"in llama.cpp's embedding mode, 1 or 2 threads, on the two-core machine, part of the time beside an "
              f"evaluation): median **{e['median_s']:.1f} s** for a median {e['median_tokens']:.0f} tokens "
              f"({e['ms_per_token']:.0f} ms a token), over {e['n']} answers: about as long as generating the answer "
              f"(the report's median local leg: {out['today']['timing']['local_median_s']:.1f} s for "
              f"{out['today']['timing']['local_tokens_median']:.0f} tokens), because the 0.5B model reads the whole "
              "chat again in a second llama.cpp context. Gated to answers near the threshold, that cost is paid on the "
              "share probed in the table above. The last token's state alone would be almost free: the context that "
              "generated the answer can be switched to embeddings (`llama_set_embeddings`) and decode the answer's final "
              "token once more, 0.14 s on one thread (measured once; llama-cpp-python 0.3.36, which also generates the "
              "same text with embeddings on). The mean needs every token's state, so a second pass.", ""]
    if out["n_dev"] < out["n_dev_all"] or out["n_calib_with_hidden"] < out["n_calib"]:
        lines += [f"Coverage: hidden states for {out['n_dev']} of {out['n_dev_all']} dev answers and "
                  f"{out['n_calib_with_hidden']} of {out['n_calib']} calibration answers were extracted by the time "
                  "this file was written (the extraction ran at low priority beside a full evaluation on two cores). "
                  "`probe_extract.py` resumes where it stopped; rerun this script then (without `--partial`).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
