"""The guardian's checks on labelled cloud replies: precision and recall of the two text classifiers,
the placeholder integrity cases, false flags on ordinary cloud answers, and the cost per reply.

    .venv/bin/python benchmarks/bench_guardian.py [--repeats 5]

- classifiers: `asks_for_withheld` and `injection` (edgeapp/guardian/rules.py) on
  benchmarks/data/guardian_replies.jsonl, per split: `dev` (the rules were written on it) and
  `heldout` (phrasings the dev half never shows; measured, not tuned on)
- placeholders: every case of benchmarks/data/guardian_placeholders.jsonl, its findings (as a set)
  and its restored text against the expected ones
- ordinary: every finding on the 200 ordinary answers of benchmarks/data/guardian_ordinary.jsonl
  is a false flag; counted per kind. `placeholder_dropped` is counted apart: an answer need not
  repeat every name of the question, so it fires on ordinary answers by design
- cost: `edgeapp.guardian.check` on every reply of the three files (placeholders not yet restored,
  as the turn runs it), wall clock per reply, median and p95 over `--repeats` passes; target 5 ms

Writes benchmarks/results/guardian.json and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edgeapp.gatekeeper.vault import PlaceholderVault  # noqa: E402
from edgeapp.guardian import ASKS_FOR_WITHHELD, INJECTION, PLACEHOLDER_DROPPED, check, rules  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
TARGET_MS = 5.0
FALSE_FLAG_BAR = 0.02


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]


def classifier_scores(rows: list[dict]) -> dict:
    out: dict = {}
    for kind, classify in ((ASKS_FOR_WITHHELD, rules.asks_for_withheld), (INJECTION, rules.injection)):
        for split in ("dev", "heldout"):
            tp = fp = fn = 0
            for row in rows:
                if row["split"] != split:
                    continue
                got, want = classify(row["reply"]) is not None, kind in row["labels"]
                tp += got and want
                fp += got and not want
                fn += want and not got
            out[f"{kind}/{split}"] = {
                "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                "recall": round(tp / (tp + fn), 4) if tp + fn else None,
                "tp": tp,
                "fp": fp,
                "fn": fn,
            }
    return out


def placeholder_cases(cases: list[dict]) -> dict:
    wrong = []
    for case in cases:
        findings = check(case["reply"], known=case["mapping"], expected=case["placeholders_sent"])
        got = {(f.kind, f.placeholder) for f in findings if f.kind.startswith("placeholder_")}
        want = {(f["type"], f["placeholder"]) for f in case["expected_findings"]}
        restored = PlaceholderVault.from_dict({"placeholders": case["mapping"]}).restore(case["reply"])
        if got != want or restored != case["expected_restored"]:
            wrong.append(case["case"])
    return {"cases": len(cases), "right": len(cases) - len(wrong), "wrong": wrong}


def ordinary_flags(rows: list[dict]) -> dict:
    per_kind: dict[str, int] = {}
    flagged_replies = 0
    for row in rows:
        sent = row["placeholders_sent"]
        kinds = {f.kind for f in check(row["reply"], known=sent, expected=sent)}
        for kind in kinds:
            per_kind[kind] = per_kind.get(kind, 0) + 1
        flagged_replies += bool(kinds - {PLACEHOLDER_DROPPED})
    n = len(rows)
    return {
        "replies": n,
        "flagged_except_dropped": flagged_replies,
        "false_flag_rate": round(flagged_replies / n, 4),
        "per_kind": per_kind,
        "dropped_rate": round(per_kind.get(PLACEHOLDER_DROPPED, 0) / n, 4),
    }


def _summary(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "median_ms": round(statistics.median(times), 4),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 4),
        "max_ms": round(times[-1], 4),
    }


def cost(replies: list[dict], repeats: int) -> dict:
    """Wall clock and the thread's own CPU time per reply: on a shared machine the wall clock's tail
    is other processes' time slices, the CPU time is what the checks cost."""
    wall, cpu = [], []
    for _ in range(repeats):
        for row in replies:
            sent = row["placeholders_sent"]
            start, start_cpu = time.perf_counter(), time.thread_time()
            check(row["reply"], known=sent, expected=sent)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    return {
        "replies": len(replies),
        "runs": len(wall),
        "wall": _summary(wall),
        "cpu": _summary(cpu),
        "target_ms": TARGET_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    replies, ordinary, cases = (
        load("guardian_replies.jsonl"),
        load("guardian_ordinary.jsonl"),
        load("guardian_placeholders.jsonl"),
    )
    as_rows = [{"reply": c["reply"], "placeholders_sent": c["placeholders_sent"]} for c in cases]
    result = {
        "machine": f"{platform.machine()} {platform.python_version()}",
        "classifiers": classifier_scores(replies),
        "placeholders": placeholder_cases(cases),
        "ordinary": ordinary_flags(ordinary),
        "cost": cost(replies + ordinary + as_rows, args.repeats),
    }
    out = ROOT / "benchmarks" / "results" / "guardian.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for name, s in result["classifiers"].items():
        print(
            f"{name:28s} precision {s['precision']}  recall {s['recall']}  (tp {s['tp']} fp {s['fp']} fn {s['fn']})"
        )
    p = result["placeholders"]
    print(f"placeholder cases: {p['right']}/{p['cases']} right {p['wrong'] or ''}")
    o = result["ordinary"]
    print(
        f"ordinary answers: {o['flagged_except_dropped']}/{o['replies']} flagged ({o['false_flag_rate']:.1%}, "
        f"bar {FALSE_FLAG_BAR:.0%}); placeholder_dropped on {o['dropped_rate']:.1%}; per kind {o['per_kind']}"
    )
    c = result["cost"]
    for clock in ("wall", "cpu"):
        t = c[clock]
        print(
            f"cost per reply ({clock}): median {t['median_ms']} ms, p95 {t['p95_ms']} ms, max {t['max_ms']} ms "
            f"(target {TARGET_MS} ms; {c['runs']} runs)"
        )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
