"""Turn graded records into figures: per-signal AUROC/ECE, the cascade curve, APGR, CPT, the
random baseline and the ceilings, the gatekeeper's accuracy cost, and each collaboration method
against plain escalation. report.py writes them as Markdown and plots."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from typing import Any

from ..confidence.calibration import Calibration
from . import metrics

Row = dict[str, Any]  # a graded answer (runner.py): item, correct, components, tokens, seconds...
Pair = tuple[Row, Row]  # the local answer and the cloud's, to the same question
Signal = Callable[[dict[str, Any]], float]  # confidence components -> a score

SIGNALS: dict[str, Signal] = {
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


def _tokens(rows: Iterable[Row]) -> dict[str, float]:
    rows = list(rows)
    return {
        "input": sum(r.get("input_tokens") or 0 for r in rows) / max(1, len(rows)),
        "output": sum(r.get("output_tokens") or 0 for r in rows) / max(1, len(rows)),
    }


def _median(values: Iterable[float | None]) -> float | None:
    values = [v for v in values if v]
    return statistics.median(values) if values else None


def _at_shares(scores: list[float], local_ok: list[bool], leg_ok: list[bool]) -> dict[str, Any]:
    """Cascade accuracy when the least confident 20/30/50% of questions take this escalation leg."""
    cas = metrics.cascade(scores, local_ok, leg_ok)
    n = len(scores)
    return {
        "at_share": {f"{s:.0%}": float(cas.accuracy[round(s * n)]) for s in SHARES},
        "escalated_accuracy": float(cas.cloud_acc),
    }


def _figures(cas: metrics.Cascade) -> dict[str, float | None]:
    return {
        "apgr": cas.apgr(),
        "cpt50": cas.cpt(0.5),
        "cpt80": cas.cpt(0.8),
        "kept_local_2pts": cas.kept_local_within(0.02),
        "best_accuracy": cas.best_accuracy(),
    }


def _gatekeeper_cost(raw: list[Row], pairs: list[Pair]) -> dict[str, Any]:
    """Cloud accuracy on scrubbed against unscrubbed prompts, on the questions both legs answered."""
    raw_ok = {r["item"]: r["correct"] for r in raw if not r.get("error")}
    common = [cl for _, cl in pairs if cl["item"] in raw_ok]
    if not common:
        return {}
    masked = {r["item"] for r in raw if not r.get("error") and not r.get("same_as_scrubbed")}
    return {
        "cloud_accuracy_scrubbed": sum(c["correct"] for c in common) / len(common),
        "cloud_accuracy_raw": sum(raw_ok[c["item"]] for c in common) / len(common),
        "gatekeeper_n": len(common),
        "gatekeeper_masked_n": sum(1 for c in common if c["item"] in masked),
    }


def _timing(pairs: list[Pair]) -> dict[str, Any]:
    local_s = [lo["seconds"] for lo, _ in pairs if lo.get("seconds")]
    cloud_s = [cl["seconds"] for _, cl in pairs if cl.get("seconds")]
    return {
        "local_median_s": statistics.median(local_s) if local_s else None,
        "cloud_median_s": statistics.median(cloud_s) if cloud_s else None,
        "local_tokens_median": statistics.median([lo.get("tokens") or 0 for lo, _ in pairs]),
        "local_cut_at_limit": sum(1 for lo, _ in pairs if lo.get("finish_reason") == "length"),
    }


def _signal_figures(name: str, scores: list[float], local_ok: list[bool], cloud_ok: list[bool]) -> Row:
    cas = metrics.cascade(scores, local_ok, cloud_ok)
    probability = name in PROBABILITY_SIGNALS
    return {
        "auroc": metrics.auroc(scores, local_ok),
        "ece": metrics.ece(scores, local_ok) if probability else None,
        "apgr": cas.apgr(),
        "cpt50": cas.cpt(0.5),
        "cpt80": cas.cpt(0.8),
        "kept_local_2pts": cas.kept_local_within(0.02),
        "best_accuracy": cas.best_accuracy(),
        "curve": {"share": cas.call_share.tolist(), "accuracy": cas.accuracy.tolist()},
        "reliability": metrics.reliability(scores, local_ok) if probability else None,
    }


def _held_out_routing(
    pairs: list[Pair],
    calibration: Calibration,
    routed: tuple[float, float],
    local_ok: list[bool],
    cloud_ok: list[bool],
) -> dict[str, float]:
    """A threshold chosen on other rows (the calibration set), judged on these."""
    threshold, drop = routed
    local_here = [calibration.predict(lo["components"]) >= threshold for lo, _ in pairs]
    acc = sum(
        (lo_ok if keep else cl_ok) for keep, lo_ok, cl_ok in zip(local_here, local_ok, cloud_ok, strict=True)
    )
    return {
        "target_drop_points": drop,
        "threshold": threshold,
        "kept_local": sum(local_here) / len(pairs),
        "accuracy": acc / len(pairs),
    }


def _method_figures(
    name: str, rows: list[Row], pairs: list[Pair], by_id: dict[str, Row], main: str, signal: Signal
) -> Row | None:
    """A collaboration method as the escalation leg, against plain escalation on the same questions
    (None when it answered none of them)."""
    got = {r["item"]: r for r in rows if not r.get("error")}
    both = [(lo, got[lo["item"]]) for lo, _ in pairs if lo["item"] in got]
    if not both:
        return None
    leg = [m["correct"] for _, m in both]
    out: Row = {
        "n": len(both),
        "signal": main,
        "accuracy": sum(leg) / len(both),
        "plain_cloud_accuracy": sum(by_id[lo["item"]]["correct"] for lo, _ in both) / len(both),
        "local_accuracy": sum(lo["correct"] for lo, _ in both) / len(both),
        "tokens": _tokens(m for _, m in both),
        "plain_tokens": _tokens(by_id[lo["item"]] for lo, _ in both),
        "median_s": _median(m.get("seconds") for _, m in both),
        "plain_median_s": _median(by_id[lo["item"]].get("seconds") for lo, _ in both),
        **_at_shares([signal(lo["components"]) for lo, _ in both], [lo["correct"] for lo, _ in both], leg),
    }
    if name == "exclude":  # no hint where the local distribution over the options says nothing
        hinted = [(lo, m) for lo, m in both if (m.get("info") or {}).get("hint")]
        plain = sum(by_id[lo["item"]]["correct"] for lo, _ in hinted)
        out["hinted"] = {
            "n": len(hinted),
            "accuracy": sum(m["correct"] for _, m in hinted) / len(hinted) if hinted else None,
            "plain_cloud_accuracy": plain / len(hinted) if hinted else None,
        }
    if len(both) < len(pairs):  # measured on the least confident questions only: no cascade over all
        out["at_share"] = dict.fromkeys(out["at_share"])
    return out


def _ceilings(local_ok: list[bool], cloud_ok: list[bool]) -> dict[str, Any]:
    """What a router could reach if it knew whether the local answer is right (the most a
    confidence can give), and if it also knew whether the cloud's is (no router can do better)."""
    both = [float(lo) - float(cl) for lo, cl in zip(local_ok, cloud_ok, strict=True)]
    right_where_cloud_wrong = sum(lo and not cl for lo, cl in zip(local_ok, cloud_ok, strict=True))
    return {
        "local": _figures(metrics.cascade([float(ok) for ok in local_ok], local_ok, cloud_ok)),
        "both": _figures(metrics.cascade(both, local_ok, cloud_ok)),
        "local_right_cloud_wrong": right_where_cloud_wrong / len(local_ok),
    }


def analyse(
    local: list[Row],
    cloud: list[Row],
    raw: list[Row] | None = None,
    calibration: Calibration | None = None,
    extra_signals: dict[str, Signal] | None = None,
    methods: dict[str, list[Row]] | None = None,
    routed: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Every figure of one dataset, from its graded local and cloud answers (and, when given, the
    unscrubbed cloud answers, a calibration, more signals, the methods' answers and a threshold
    picked elsewhere)."""
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
        out.update(_gatekeeper_cost(raw, pairs))
    if not pairs:
        return out
    out["timing"] = _timing(pairs)
    for name, fn in signals.items():
        out["signals"][name] = _signal_figures(
            name, [fn(lo["components"]) for lo, _ in pairs], local_ok, cloud_ok
        )
    if routed is not None and calibration is not None:
        out["held_out_routing"] = _held_out_routing(pairs, calibration, routed, local_ok, cloud_ok)
    main = "calibrated" if "calibrated" in out["signals"] else "combined (default)"
    out["methods"] = {}
    out["plain_cloud"] = {
        "tokens": _tokens(cl for _, cl in pairs),
        **_at_shares([signals[main](lo["components"]) for lo, _ in pairs], local_ok, cloud_ok),
    }
    for name, rows in (methods or {}).items():
        figures = _method_figures(name, rows, pairs, by_id, main, signals[main])
        if figures is not None:
            out["methods"][name] = figures
    out["random"] = _figures(metrics.random_cascade(out["local_accuracy"], out["cloud_accuracy"], len(pairs)))
    out["oracle"] = _ceilings(local_ok, cloud_ok)
    return out
