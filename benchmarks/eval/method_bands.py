"""Where (if anywhere) a collaboration method pays: each method's accuracy against plain escalation on
the same GSM8K dev questions, split by question length and by the local confidence, from the cached
answers only (no model call), and how often `compress` kept every number and the question sentence.

    .venv/bin/python benchmarks/eval/method_bands.py          # the product's path, 20 least confident
    .venv/bin/python benchmarks/eval/method_bands.py --least 50 --old   # the earlier implementation
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from edgeapp.evaluation import datasets as ds  # noqa: E402
from edgeapp.evaluation import runner  # noqa: E402
from edgeapp.evaluation.grading import is_correct  # noqa: E402

LOCAL = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
CLOUD = "qwen2.5-coder-1.5b-instruct"


def main() -> None:
    items = ds.load(ROOT.parent / "shared" / "datasets" / "gsm8k_dev.jsonl", 300)
    cache_path = ROOT / "benchmarks" / "eval" / "cache.jsonl"
    cache = runner.ResponseCache(cache_path)
    local = {it.id: cache.get(cache.key("local", LOCAL, it.id, "512")) for it in items}
    # the N least confident questions, as `edgeapp eval --method-n N` picks them (today's confidence
    # features recomputed from each cached answer); --least 0: every question with a method answer
    least = int(sys.argv[sys.argv.index("--least") + 1]) if "--least" in sys.argv else 20
    if least:
        scored = {r["item"]: r["components"]["score"] for r in runner.run_local(items, None, LOCAL, cache, max_tokens=512)}
        items = sorted((it for it in items if it.id in scored), key=lambda it: scored[it.id])[:least]
    plain = {it.id: cache.get(cache.key("cloud", "loopback/v1", CLOUD, "scrubbed", it.id, "512", "t0")) for it in items}
    method_rows: dict[tuple[str, str], dict] = {}
    if "--old" in sys.argv:  # the answers of the separate implementation before the product's path
        for line in cache_path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("role") == "method" and row.get("dataset") == "gsm8k":
                method_rows[(row["method"], row["item"])] = row
    else:  # the product's escalation path (Assistant.escalate_sync), as `edgeapp eval --method` runs it
        for name in ("compress", "align", "shepherd"):
            for it in items:
                row = cache.get(runner.method_key(cache, name, LOCAL, "loopback/v1", CLOUD, it.id, 512, ["t0"]))
                if row is not None:
                    method_rows[(name, it.id)] = row
    print("| method | n | accuracy | plain escalation | local answer | cloud tokens in / out (plain) | "
          "median s per question (plain) |\n|---|---|---|---|---|---|---|")
    for name in ("compress", "align", "shepherd"):
        rows = [(it, method_rows[(name, it.id)]) for it in items
                if (name, it.id) in method_rows and local[it.id] and plain[it.id]]
        if not rows:
            continue
        n = len(rows)

        def mean(values) -> float:
            values = list(values)
            return sum(values) / len(values)

        print(f"| {name} | {n} | {mean(is_correct(it, r['text']) for it, r in rows):.2f} | "
              f"{mean(is_correct(it, plain[it.id]['text']) for it, _ in rows):.2f} | "
              f"{mean(is_correct(it, local[it.id]['text']) for it, _ in rows):.2f} | "
              f"{mean(r.get('input_tokens') or 0 for _, r in rows):.0f} / {mean(r.get('output_tokens') or 0 for _, r in rows):.0f} "
              f"({mean(plain[it.id].get('input_tokens') or 0 for it, _ in rows):.0f} / "
              f"{mean(plain[it.id].get('output_tokens') or 0 for it, _ in rows):.0f}) | "
              f"{statistics.median(r['seconds'] for _, r in rows):.0f} "
              f"({statistics.median(plain[it.id]['seconds'] for it, _ in rows):.0f}) |")
    print()
    print("| method | band | n | method accuracy | plain escalation |\n|---|---|---|---|---|")
    notes: list[str] = []  # after the table: a line between its rows would end it
    for name in ("compress", "align", "shepherd"):
        rows = [(it, method_rows[(name, it.id)]) for it in items
                if (name, it.id) in method_rows and local[it.id] and plain[it.id]]
        if not rows:
            continue
        median = statistics.median(local[it.id]["components"]["score"] for it, _ in rows)
        bands = {"all": lambda it: True,
                 "question < 45 words": lambda it: len(it.question.split()) < 45,
                 "question ≥ 45 words": lambda it: len(it.question.split()) >= 45,
                 "local confidence ≥ median": lambda it, m=median: local[it.id]["components"]["score"] >= m,
                 "local confidence < median": lambda it, m=median: local[it.id]["components"]["score"] < m}
        for band, pick in bands.items():
            sub = [(it, r) for it, r in rows if pick(it)]
            if not sub:
                continue
            got = sum(is_correct(it, r["text"]) for it, r in sub) / len(sub)
            base = sum(is_correct(it, plain[it.id]["text"]) for it, _ in sub) / len(sub)
            print(f"| {name} | {band} | {len(sub)} | {got:.2f} | {base:.2f} |")
        if name == "compress":
            whole = numbers_ok = 0
            for it, r in rows:
                sent = (r.get("info") or {}).get("sent") or it.prompt()  # None: every word kept
                nums = re.findall(r"\d+(?:\.\d+)?", it.question)
                question = re.split(r"(?<=[.!?])\s+", it.question.strip())[-1]
                numbers_ok += all(n in sent for n in nums)
                whole += all(n in sent for n in nums) and question in sent
            notes.append(f"compress: {numbers_ok} of {len(rows)} compressed prompts kept every number; "
                         f"{whole} kept every number and the question sentence intact")
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
