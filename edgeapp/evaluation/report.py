"""The evaluation report: results.json (every figure but the curves), report.md (tables and
paragraphs per dataset) and two PNG plots per dataset. The figures come from analysis.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .analysis import CROSS_FITTED, CROSS_FITTED_PLUS

Result = dict[str, Any]  # analysis.analyse() of one dataset
SIGNAL_HEADER = (
    "| signal | AUROC | ECE | APGR | CPT(50%) | CPT(80%) | kept local at ≤2 pts below cloud "
    "| best cascade accuracy |"
)
METHOD_HEADER = (
    "| method | n | accuracy | plain escalation | local answer | cloud tokens in / out (plain) | "
    "median s per question (plain) |"
)


def fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _secs(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


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


def _summary(r: Result) -> list[str]:
    """Accuracy of both legs, cloud errors, time per question, what the gatekeeper cost."""
    lines = [f"Local accuracy **{fmt(r['local_accuracy'])}**, cloud accuracy **{fmt(r['cloud_accuracy'])}**."]
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
            f"{_secs(t['cloud_median_s'])} s; {t['local_cut_at_limit']} local answers reached the "
            "token limit."
        )
    if "cloud_accuracy_raw" in r:
        lines.append(
            f"Gatekeeper cost: cloud accuracy on scrubbed prompts {fmt(r['cloud_accuracy_scrubbed'])} "
            f"vs raw {fmt(r['cloud_accuracy_raw'])} (n = {r['gatekeeper_n']}; something was masked in "
            f"{r.get('gatekeeper_masked_n', r['gatekeeper_n'])} of them, the others were sent as typed)."
        )
    return lines


def _figure_cells(f: dict[str, Any]) -> str:
    return (
        f"{fmt(f['apgr'])} | {fmt(f['cpt50'])} | {fmt(f['cpt80'])} | {fmt(f['kept_local_2pts'])} | "
        f"{fmt(f['best_accuracy'])} |"
    )


def _signal_table(r: Result) -> list[str]:
    """One row per signal, the random baseline and the two ceilings."""
    lines = ["", SIGNAL_HEADER, "|---|---|---|---|---|---|---|---|"]
    for sig, s in r["signals"].items():
        lines.append(f"| {sig} | {fmt(s['auroc'])} | {fmt(s['ece'])} | {_figure_cells(s)}")
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
            lines.append(f"| *{label}* | – | – | {_figure_cells(r['oracle'][key])}")
        lines += [
            "",
            f"The ceilings bound every router on these questions: a confidence, however good, "
            f"cannot beat the first; no router can beat the second. The local model is right where the "
            f"cloud is wrong on {r['oracle']['local_right_cloud_wrong']:.1%} of them, which is what lets "
            "a cascade beat always-cloud.",
        ]
    return lines


def _routing(r: Result) -> list[str]:
    """Thresholds picked on other rows and judged here: held-out, cross-fitted, escalation gain."""
    lines: list[str] = []
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
            f"Cross-fitted routing ({h['folds']} folds): on each fold, the calibration is fitted{plus} "
            f'and the threshold for "at most {h["target_drop_points"]:g} points below always-cloud" '
            "picked on the other folds only, then applied to the fold: "
            f"**{h['kept_local']:.0%}** of questions kept local, "
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
    return lines


def _calibration_set(r: Result) -> list[str]:
    if not r.get("calibration_set"):
        return []
    c = r["calibration_set"]
    lines = [
        "",
        f"Calibration set (n = {c['n']}, local accuracy {fmt(c['local_accuracy'])}; no cloud answers "
        "in this run, so ranking and calibration of the local answers only):",
        "",
        "| signal | AUROC | ECE |",
        "|---|---|---|",
    ]
    return lines + [f"| {sig} | {fmt(v['auroc'])} | {fmt(v['ece'])} |" for sig, v in c["signals"].items()]


def _hint_note(name: str, m: dict[str, Any]) -> list[str]:
    """How often `exclude` had a hint to give, and what it did where it had one."""
    h = m["hinted"]
    compared = (
        f"; on those, accuracy {fmt(h['accuracy'])} against {fmt(h['plain_cloud_accuracy'])} "
        "for plain escalation."
        if h["n"]
        else "."
    )
    return [
        "",
        f"{name}: a hint was given on {h['n']} of {m['n']} questions (on the others the "
        "local model's distribution over the options was too flat to rule any out)" + compared,
    ]


def _shares_note(r: Result) -> list[str]:
    """Cascade accuracy at fixed shares escalated, for the methods measured on every question."""
    pc = r["plain_cloud"]
    full = {k: m for k, m in r["methods"].items() if all(v is not None for v in m["at_share"].values())}
    if not full:
        return []
    shares = ", ".join(pc["at_share"])
    each = "; ".join(f"{k} " + " / ".join(fmt(v) for v in m["at_share"].values()) for k, m in full.items())
    plain = " / ".join(fmt(v) for v in pc["at_share"].values())
    return [
        "",
        f"Cascade accuracy with the least confident {shares} of questions escalated: plain "
        + plain
        + "; "
        + each
        + ".",
    ]


def _methods(r: Result) -> list[str]:
    """Each collaboration method against plain escalation on the same questions."""
    if not r.get("methods"):
        return []
    lines = [
        "",
        "Collaboration methods as the escalation leg, each against plain escalation (the scrubbed "
        "question to the cloud, whose answer is final) on the same questions:",
        "",
        METHOD_HEADER,
        "|---|---|---|---|---|---|---|",
    ]
    for name, m in r["methods"].items():
        t, pt = m["tokens"], m["plain_tokens"]
        lines.append(
            f"| {name} | {m['n']} | {fmt(m['accuracy'])} | {fmt(m['plain_cloud_accuracy'])} | "
            f"{fmt(m['local_accuracy'])} | {t['input']:.0f} / {t['output']:.0f} "
            f"({pt['input']:.0f} / {pt['output']:.0f}) | {_secs(m['median_s'])} "
            f"({_secs(m['plain_median_s'])}) |"
        )
    for name, m in r["methods"].items():
        if "hinted" in m:
            lines += _hint_note(name, m)
    return lines + _shares_note(r)


def markdown(results: dict[str, Result], meta: dict[str, Any], images: dict[str, list[Path]]) -> str:
    lines = ["# edgeapp evaluation report", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    for name, r in results.items():
        lines += ["", f"## {name} (n = {r['n']})", ""]
        lines += _summary(r)
        lines += _signal_table(r)
        lines += _routing(r)
        lines += _calibration_set(r)
        lines += _methods(r)
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
