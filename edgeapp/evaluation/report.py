"""Turn graded records into figures: per-signal AUROC/ECE, the cascade curve, APGR, CPT, the
random baseline, the gatekeeper's accuracy cost; a Markdown report and two PNG plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..confidence.calibration import Calibration
from . import metrics

SIGNALS = {
    "mean_prob": lambda c: c.get("mean_prob") or 0.0,
    "min_prob": lambda c: c.get("min_prob") or 0.0,
    "neg_entropy": lambda c: -(c.get("mean_entropy") or 0.0),
    "token (sqrt mean×min)": lambda c: c.get("token_score") or 0.0,
    "verbal": lambda c: c["verbal"] if c.get("verbal") is not None else 0.5,
    "combined (default)": lambda c: c.get("score") or 0.0,
}
CROSS_FITTED = "calibrated (5-fold cross-fitted)"
CROSS_FITTED_PLUS = "calibrated (cross-fitted + calibration set)"
# the escalation-gain score (calibration.py, objective "gain"): not a probability of the local answer
# being right, so no ECE; its local head is the fit of the row above, whose ECE it keeps
CROSS_FITTED_GAIN = "escalation gain (cross-fitted + calibration set)"
CROSS_FITTED_GAIN_ONLY = "escalation gain (5-fold cross-fitted)"
PROBABILITY_SIGNALS = {
    "mean_prob",
    "min_prob",
    "token (sqrt mean×min)",
    "verbal",
    "combined (default)",
    "calibrated",
    "calibrated isotonic",
    CROSS_FITTED,
    CROSS_FITTED_PLUS,
}


SHARES = (0.2, 0.3, 0.5)


def _tokens(rows) -> dict[str, float]:
    rows = list(rows)
    return {
        "input": sum(r.get("input_tokens") or 0 for r in rows) / max(1, len(rows)),
        "output": sum(r.get("output_tokens") or 0 for r in rows) / max(1, len(rows)),
    }


def _median(values) -> float | None:
    import statistics

    values = [v for v in values if v]
    return statistics.median(values) if values else None


def _secs(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _at_shares(scores, local_ok, leg_ok) -> dict[str, Any]:
    """Cascade accuracy when the least confident 20/30/50% of questions take this escalation leg."""
    cas = metrics.cascade(scores, local_ok, leg_ok)
    n = len(scores)
    return {
        "at_share": {f"{s:.0%}": float(cas.accuracy[round(s * n)]) for s in SHARES},
        "escalated_accuracy": float(cas.cloud_acc),
    }


def analyse(
    local: list[dict],
    cloud: list[dict],
    raw: list[dict] | None = None,
    calibration: Calibration | None = None,
    extra_signals: dict | None = None,
    methods: dict[str, list[dict]] | None = None,
    routed: tuple[float, float] | None = None,
) -> dict[str, Any]:
    by_id = {r["item"]: r for r in cloud if not r.get("error")}
    pairs = [(lo, by_id[lo["item"]]) for lo in local if lo["item"] in by_id]
    local_ok = [lo["correct"] for lo, _ in pairs]
    cloud_ok = [cl["correct"] for _, cl in pairs]
    signals = dict(SIGNALS)
    if calibration is not None:
        signals["calibrated"] = calibration.predict
    signals.update(extra_signals or {})
    out: dict[str, Any] = {
        "n": len(pairs),
        "cloud_errors": sum(1 for r in cloud if r.get("error")),
        "first_cloud_error": next((r["error"] for r in cloud if r.get("error")), None),
        "local_accuracy": sum(local_ok) / len(pairs) if pairs else None,
        "cloud_accuracy": sum(cloud_ok) / len(pairs) if pairs else None,
        "signals": {},
    }
    if raw:
        raw_ok = {r["item"]: r["correct"] for r in raw if not r.get("error")}
        common = [cl for _, cl in pairs if cl["item"] in raw_ok]
        if common:
            out["cloud_accuracy_scrubbed"] = sum(c["correct"] for c in common) / len(common)
            out["cloud_accuracy_raw"] = sum(raw_ok[c["item"]] for c in common) / len(common)
            out["gatekeeper_n"] = len(common)
            masked = {r["item"] for r in raw if not r.get("error") and not r.get("same_as_scrubbed")}
            out["gatekeeper_masked_n"] = sum(1 for c in common if c["item"] in masked)
    if not pairs:
        return out
    import statistics

    local_s = [lo["seconds"] for lo, _ in pairs if lo.get("seconds")]
    cloud_s = [cl["seconds"] for _, cl in pairs if cl.get("seconds")]
    out["timing"] = {
        "local_median_s": statistics.median(local_s) if local_s else None,
        "cloud_median_s": statistics.median(cloud_s) if cloud_s else None,
        "local_tokens_median": statistics.median([lo.get("tokens") or 0 for lo, _ in pairs]),
        "local_cut_at_limit": sum(1 for lo, _ in pairs if lo.get("finish_reason") == "length"),
    }
    for name, fn in signals.items():
        scores = [fn(lo["components"]) for lo, _ in pairs]
        cas = metrics.cascade(scores, local_ok, cloud_ok)
        out["signals"][name] = {
            "auroc": metrics.auroc(scores, local_ok),
            "ece": metrics.ece(scores, local_ok) if name in PROBABILITY_SIGNALS else None,
            "apgr": cas.apgr(),
            "cpt50": cas.cpt(0.5),
            "cpt80": cas.cpt(0.8),
            "kept_local_2pts": cas.kept_local_within(0.02),
            "best_accuracy": cas.best_accuracy(),
            "curve": {"share": cas.call_share.tolist(), "accuracy": cas.accuracy.tolist()},
            "reliability": metrics.reliability(scores, local_ok) if name in PROBABILITY_SIGNALS else None,
        }
    if routed is not None and calibration is not None:  # a threshold chosen on other rows, judged here
        threshold, drop = routed
        local_here = [calibration.predict(lo["components"]) >= threshold for lo, _ in pairs]
        acc = sum(
            (lo_ok if keep else cl_ok)
            for keep, lo_ok, cl_ok in zip(local_here, local_ok, cloud_ok, strict=True)
        )
        out["held_out_routing"] = {
            "target_drop_points": drop,
            "threshold": threshold,
            "kept_local": sum(local_here) / len(pairs),
            "accuracy": acc / len(pairs),
        }
    out["methods"] = {}
    main = "calibrated" if "calibrated" in out["signals"] else "combined (default)"
    plain_tokens = _tokens(cl for _, cl in pairs)
    out["plain_cloud"] = {
        "tokens": plain_tokens,
        **_at_shares([signals[main](lo["components"]) for lo, _ in pairs], local_ok, cloud_ok),
    }
    for name, rows in (methods or {}).items():
        got = {r["item"]: r for r in rows if not r.get("error")}
        both = [(lo, got[lo["item"]]) for lo, _ in pairs if lo["item"] in got]
        if not both:
            continue
        leg = [m["correct"] for _, m in both]
        out["methods"][name] = {
            "n": len(both),
            "signal": main,
            "accuracy": sum(leg) / len(both),
            "plain_cloud_accuracy": sum(by_id[lo["item"]]["correct"] for lo, _ in both) / len(both),
            "local_accuracy": sum(lo["correct"] for lo, _ in both) / len(both),
            "tokens": _tokens(m for _, m in both),
            "plain_tokens": _tokens(by_id[lo["item"]] for lo, _ in both),
            "median_s": _median(m.get("seconds") for _, m in both),
            "plain_median_s": _median(by_id[lo["item"]].get("seconds") for lo, _ in both),
            **_at_shares(
                [signals[main](lo["components"]) for lo, _ in both], [lo["correct"] for lo, _ in both], leg
            ),
        }
        if name == "exclude":  # no hint where the local distribution over the options says nothing
            hinted = [(lo, m) for lo, m in both if (m.get("info") or {}).get("hint")]
            out["methods"][name]["hinted"] = {
                "n": len(hinted),
                "accuracy": sum(m["correct"] for _, m in hinted) / len(hinted) if hinted else None,
                "plain_cloud_accuracy": (
                    sum(by_id[lo["item"]]["correct"] for lo, _ in hinted) / len(hinted) if hinted else None
                ),
            }
        if len(both) < len(pairs):  # measured on the least confident questions only: no cascade over all
            out["methods"][name]["at_share"] = dict.fromkeys(out["methods"][name]["at_share"])
    rnd = metrics.random_cascade(out["local_accuracy"], out["cloud_accuracy"], len(pairs))
    out["random"] = _figures(rnd)
    # ceilings: what a router could reach if it knew whether the local answer is right (the most a
    # confidence can give), and if it also knew whether the cloud's is (no router can do better)
    out["oracle"] = {
        "local": _figures(metrics.cascade([float(ok) for ok in local_ok], local_ok, cloud_ok)),
        "both": _figures(
            metrics.cascade(
                [float(lo) - float(cl) for lo, cl in zip(local_ok, cloud_ok, strict=True)], local_ok, cloud_ok
            )
        ),
        "local_right_cloud_wrong": sum(lo and not cl for lo, cl in zip(local_ok, cloud_ok, strict=True))
        / len(pairs),
    }
    return out


def _figures(cas: metrics.Cascade) -> dict[str, float | None]:
    return {
        "apgr": cas.apgr(),
        "cpt50": cas.cpt(0.5),
        "cpt80": cas.cpt(0.8),
        "kept_local_2pts": cas.kept_local_within(0.02),
        "best_accuracy": cas.best_accuracy(),
    }


def fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def plots(name: str, result: dict[str, Any], out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for sig, fig_data in result["signals"].items():
        ax.plot(fig_data["curve"]["share"], fig_data["curve"]["accuracy"], label=sig, lw=1.4)
    ax.plot([0, 1], [result["local_accuracy"], result["cloud_accuracy"]], "k--", lw=1, label="random routing")
    ax.set_xlabel("share of questions sent to the cloud")
    ax.set_ylabel("cascade accuracy")
    ax.set_title(f"{name}: accuracy against cloud calls (n={result['n']})")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    path = out_dir / f"{name}-accuracy-vs-cost.png"
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    made.append(path)
    fig, ax = plt.subplots(figsize=(4.8, 4.6))
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    for sig in (
        "mean_prob",
        "min_prob",
        "combined (default)",
        "calibrated",
        "calibrated isotonic",
        CROSS_FITTED,
        CROSS_FITTED_PLUS,
    ):
        rel = result["signals"].get(sig, {}).get("reliability")
        if rel:
            ax.plot([r[0] for r in rel], [r[1] for r in rel], "o-", label=sig, ms=4)
    ax.set_xlabel("confidence")
    ax.set_ylabel("observed accuracy")
    ax.set_title(f"{name}: reliability")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    path = out_dir / f"{name}-reliability.png"
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    made.append(path)
    return made


def markdown(results: dict[str, dict[str, Any]], meta: dict[str, Any], images: dict[str, list[Path]]) -> str:
    lines = ["# edgeapp evaluation report", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    for name, r in results.items():
        lines += ["", f"## {name} (n = {r['n']})", ""]
        lines.append(
            f"Local accuracy **{fmt(r['local_accuracy'])}**, cloud accuracy **{fmt(r['cloud_accuracy'])}**."
        )
        if r.get("cloud_errors"):
            lines.append(
                f"{r['cloud_errors']} questions got no cloud answer (errors); they are left out and "
                "retried by the next run."
            )
        if r.get("timing") and r["timing"]["local_median_s"]:
            t = r["timing"]
            lines.append(
                f"Median time per question: local {t['local_median_s']:.1f} s "
                f"({t['local_tokens_median']:.0f} tokens, with its confidence), cloud "
                f"{_secs(t['cloud_median_s'])} s; {t['local_cut_at_limit']} local answers reached the token limit."
            )
        if "cloud_accuracy_raw" in r:
            lines.append(
                f"Gatekeeper cost: cloud accuracy on scrubbed prompts {fmt(r['cloud_accuracy_scrubbed'])} "
                f"vs raw {fmt(r['cloud_accuracy_raw'])} (n = {r['gatekeeper_n']}; something was masked in "
                f"{r.get('gatekeeper_masked_n', r['gatekeeper_n'])} of them, the others were sent as typed)."
            )
        lines += [
            "",
            "| signal | AUROC | ECE | APGR | CPT(50%) | CPT(80%) | kept local at ≤2 pts below cloud | best cascade accuracy |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for sig, s in r["signals"].items():
            lines.append(
                f"| {sig} | {fmt(s['auroc'])} | {fmt(s['ece'])} | {fmt(s['apgr'])} | {fmt(s['cpt50'])} | "
                f"{fmt(s['cpt80'])} | {fmt(s['kept_local_2pts'])} | {fmt(s['best_accuracy'])} |"
            )
        if "random" in r:
            rnd = r["random"]
            lines.append(
                f"| random routing (expected) | – | – | {fmt(rnd['apgr'])} | {fmt(rnd['cpt50'])} | "
                f"{fmt(rnd['cpt80'])} | {fmt(rnd['kept_local_2pts'])} | – |"
            )
        if "oracle" in r:
            for key, label in (
                ("local", "ceiling: knows if the local answer is right"),
                ("both", "ceiling: knows both answers"),
            ):
                o = r["oracle"][key]
                lines.append(
                    f"| *{label}* | – | – | {fmt(o['apgr'])} | {fmt(o['cpt50'])} | {fmt(o['cpt80'])} | "
                    f"{fmt(o['kept_local_2pts'])} | {fmt(o['best_accuracy'])} |"
                )
            lines += [
                "",
                f"The ceilings bound every router on these questions: a confidence, however good, "
                f"cannot beat the first; no router can beat the second. The local model is right where the "
                f"cloud is wrong on {r['oracle']['local_right_cloud_wrong']:.1%} of them, which is what lets "
                "a cascade beat always-cloud.",
            ]
        if r.get("held_out_routing"):
            h = r["held_out_routing"]
            lines += [
                "",
                f'Held-out routing: the calibrated threshold for "at most {h["target_drop_points"]:g} points '
                f'below always-cloud", picked on the calibration rows ({fmt(h["threshold"])}), applied here: '
                f"**{h['kept_local']:.0%}** of questions kept local, accuracy **{fmt(h['accuracy'])}** "
                f"(always-cloud {fmt(r['cloud_accuracy'])}).",
            ]
        if r.get("cross_fitted_routing"):
            h = r["cross_fitted_routing"]
            plus = " (with the calibration set)" if h.get("with_calibration_set") else ""
            lines += [
                "",
                f"Cross-fitted routing ({h['folds']} folds): on each fold, the calibration is fitted{plus} and the "
                f'threshold for "at most {h["target_drop_points"]:g} points below always-cloud" picked on the '
                f"other folds only, then applied to the fold: **{h['kept_local']:.0%}** of questions kept local, "
                f"accuracy **{fmt(h['accuracy'])}** (always-cloud {fmt(h['cloud_accuracy'])}).",
            ]
        if r.get("cross_fitted_routing_gain"):
            h = r["cross_fitted_routing_gain"]
            lines += [
                "",
                f"The same with the escalation-gain score ((1 + P(local right) − P(cloud right)) / 2, its "
                "cloud head fitted on the other folds' cloud answers): "
                f"**{h['kept_local']:.0%}** of questions kept local, accuracy **{fmt(h['accuracy'])}** "
                f"(always-cloud {fmt(h['cloud_accuracy'])}).",
            ]
        if r.get("calibration_set"):
            c = r["calibration_set"]
            lines += [
                "",
                f"Calibration set (n = {c['n']}, local accuracy {fmt(c['local_accuracy'])}; no cloud answers "
                "in this run, so ranking and calibration of the local answers only):",
                "",
                "| signal | AUROC | ECE |",
                "|---|---|---|",
            ]
            lines += [f"| {sig} | {fmt(v['auroc'])} | {fmt(v['ece'])} |" for sig, v in c["signals"].items()]
        if r.get("methods"):
            pc = r["plain_cloud"]
            lines += [
                "",
                "Collaboration methods as the escalation leg, each against plain escalation (the scrubbed "
                "question to the cloud, whose answer is final) on the same questions:",
                "",
                "| method | n | accuracy | plain escalation | local answer | cloud tokens in / out (plain) | "
                "median s per question (plain) |",
                "|---|---|---|---|---|---|---|",
            ]
            for mname, m in r["methods"].items():
                t, pt = m["tokens"], m["plain_tokens"]
                lines.append(
                    f"| {mname} | {m['n']} | {fmt(m['accuracy'])} | {fmt(m['plain_cloud_accuracy'])} | "
                    f"{fmt(m['local_accuracy'])} | {t['input']:.0f} / {t['output']:.0f} "
                    f"({pt['input']:.0f} / {pt['output']:.0f}) | {_secs(m['median_s'])} ({_secs(m['plain_median_s'])}) |"
                )
            for mname, m in r["methods"].items():
                if "hinted" in m:
                    h = m["hinted"]
                    lines += [
                        "",
                        f"{mname}: a hint was given on {h['n']} of {m['n']} questions (on the others the "
                        "local model's distribution over the options was too flat to rule any out)"
                        + (
                            f"; on those, accuracy {fmt(h['accuracy'])} against {fmt(h['plain_cloud_accuracy'])} "
                            "for plain escalation."
                            if h["n"]
                            else "."
                        ),
                    ]
            full = {
                k: m for k, m in r["methods"].items() if all(v is not None for v in m["at_share"].values())
            }
            if full:
                shares = ", ".join(pc["at_share"])
                lines += [
                    "",
                    f"Cascade accuracy with the least confident {shares} of questions escalated: plain "
                    + " / ".join(fmt(v) for v in pc["at_share"].values())
                    + "; "
                    + "; ".join(
                        f"{k} " + " / ".join(fmt(v) for v in m["at_share"].values()) for k, m in full.items()
                    )
                    + ".",
                ]
        for img in images.get(name, []):
            lines += ["", f"![{img.stem}]({img.name})"]
    return "\n".join(lines) + "\n"


def write(out_dir: Path, results: dict[str, dict[str, Any]], meta: dict[str, Any]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    images = {name: plots(name, r, out_dir) for name, r in results.items() if r.get("signals")}
    slim = {
        n: {k: v for k, v in r.items() if k != "signals"}
        | {
            "signals": {
                s: {k: v for k, v in d.items() if k not in ("curve", "reliability")}
                for s, d in r.get("signals", {}).items()
            }
        }
        for n, r in results.items()
    }
    (out_dir / "results.json").write_text(json.dumps({"meta": meta, "results": slim}, indent=2))
    path = out_dir / "report.md"
    path.write_text(markdown(results, meta, images), encoding="utf-8")
    return path
