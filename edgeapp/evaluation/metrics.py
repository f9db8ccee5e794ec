"""How well a confidence signal predicts correctness, and what routing by it buys.

Definitions (RouteLLM, Ong et al. 2024): with weak = always-local accuracy and strong =
always-cloud accuracy, PGR(c) = (acc(c) - weak) / (strong - weak) at cloud-call share c;
APGR = the area under PGR over c in [0, 1]; CPT(x) = the smallest call share with PGR >= x.
Routing escalates the questions with the lowest confidence first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Probability that a correct answer scores higher than a wrong one (ties count half)."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    pos, neg = s[y], s[~y]
    if len(pos) == 0 or len(neg) == 0:
        return None
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(values):  # average ranks over ties
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def ece(scores: Sequence[float], labels: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error with equal-width bins."""
    s = np.clip(np.asarray(scores, dtype=float), 0, 1)
    y = np.asarray(labels, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(s, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() / len(s) * abs(s[mask].mean() - y[mask].mean())
    return float(total)


def reliability(
    scores: Sequence[float], labels: Sequence[bool], bins: int = 10
) -> list[tuple[float, float, int]]:
    s = np.clip(np.asarray(scores, dtype=float), 0, 1)
    y = np.asarray(labels, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(s, edges[1:-1]), 0, bins - 1)
    return [
        (float(s[idx == b].mean()), float(y[idx == b].mean()), int((idx == b).sum()))
        for b in range(bins)
        if (idx == b).any()
    ]


@dataclass
class Cascade:
    call_share: np.ndarray  # k/n for k = 0..n
    accuracy: np.ndarray
    thresholds: np.ndarray  # confidence below which a question is escalated, per k
    local_acc: float
    cloud_acc: float

    @property
    def gap(self) -> float:
        return self.cloud_acc - self.local_acc

    def pgr(self) -> np.ndarray | None:
        if abs(self.gap) < 1e-12:
            return None
        return (self.accuracy - self.local_acc) / self.gap

    def apgr(self) -> float | None:
        p = self.pgr()
        return None if p is None else float(np.trapezoid(p, self.call_share))

    def cpt(self, target: float) -> float | None:
        p = self.pgr()
        if p is None:
            return None
        hit = np.nonzero(p >= target - 1e-12)[0]
        return float(self.call_share[hit[0]]) if len(hit) else None

    def kept_local_within(self, points: float) -> float:
        """Largest share kept local with accuracy >= always-cloud minus `points` (0.02 = 2 points)."""
        ok = np.nonzero(self.accuracy >= self.cloud_acc - points - 1e-12)[0]
        return float(1 - self.call_share[ok[0]]) if len(ok) else 0.0

    def best_accuracy(self) -> float:
        return float(self.accuracy.max())


def cascade(scores: Sequence[float], local_ok: Sequence[bool], cloud_ok: Sequence[bool]) -> Cascade:
    s = np.asarray(scores, dtype=float)
    lo = np.asarray(local_ok, dtype=float)
    cl = np.asarray(cloud_ok, dtype=float)
    n = len(s)
    order = np.argsort(s, kind="mergesort")  # least confident first
    gain = np.concatenate([[0.0], np.cumsum((cl - lo)[order])])
    acc = (lo.sum() + gain) / n
    share = np.arange(n + 1) / n
    sorted_scores = s[order]
    thresholds = np.concatenate([[0.0], sorted_scores + 1e-9])
    return Cascade(share, acc, thresholds, float(lo.mean()), float(cl.mean()))


def random_cascade(local_acc: float, cloud_acc: float, n: int) -> Cascade:
    """Random routing, in expectation: accuracy is linear in the call share (APGR 0.5)."""
    share = np.arange(n + 1) / n
    return Cascade(share, (1 - share) * local_acc + share * cloud_acc, share, local_acc, cloud_acc)
