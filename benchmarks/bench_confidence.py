"""Tokens/s: plain llama.cpp chat completion vs edgeapp's confidence-scored generation.

Side by side in one process, same model, prompt, thread count and token budget, rounds
interleaved (A, B, A, B, ...) so machine noise hits both alike. Also runs the naive way to
get token log-probabilities (`logits_all=True` + `logprobs`) for reference.

    .venv/bin/python benchmarks/bench_confidence.py [--model FILE.gguf] [--rounds 5] [--tokens 128]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import llama_cpp  # noqa: E402

from edgeapp.confidence.signals import score  # noqa: E402
from edgeapp.models.catalog import default_model_path  # noqa: E402
from edgeapp.models.local_model import Generation, LocalModel, available_cores  # noqa: E402

PROMPTS = [
    "Write a detailed story about a lighthouse keeper who finds a message in a bottle.",
    "Explain step by step how photosynthesis works, with examples.",
    "List twenty animals and one fact about each.",
]


def plain(llm: llama_cpp.Llama, prompt: str, tokens: int) -> tuple[int, float]:
    started = time.perf_counter()
    n = 0
    for chunk in llm.create_chat_completion([{"role": "user", "content": prompt}], max_tokens=tokens,
                                            temperature=0.0, stream=True):
        if chunk["choices"][0]["delta"].get("content"):
            n += 1
    return n, time.perf_counter() - started


def naive_logprobs(llm: llama_cpp.Llama, prompt: str, tokens: int) -> tuple[int, float]:
    started = time.perf_counter()
    out = llm.create_chat_completion([{"role": "user", "content": prompt}], max_tokens=tokens,
                                     temperature=0.0, logprobs=True, top_logprobs=1)
    return out["usage"]["completion_tokens"], time.perf_counter() - started


def scored(model: LocalModel, prompt: str, tokens: int) -> tuple[int, float, float]:
    started = time.perf_counter()
    gen: Generation | None = None
    for item in model.stream([{"role": "user", "content": prompt}], max_tokens=tokens):
        if isinstance(item, Generation):
            gen = item
    conf = score(gen, question=prompt)  # every feature, the checks against the question included
    return gen.completion_tokens, time.perf_counter() - started, conf.score


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--naive-rounds", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    path = args.model or default_model_path()
    threads = available_cores()
    ours = LocalModel(path, n_ctx=2048, n_threads=threads)
    base = llama_cpp.Llama(model_path=str(path), n_ctx=2048, n_threads=threads, n_threads_batch=threads,
                           verbose=False)
    plain(base, "warm up", 8)
    scored(ours, "warm up", 8)
    rows = {"plain": [], "scored": []}
    counts = {"plain": [], "scored": []}
    for r in range(args.rounds):
        for prompt in PROMPTS:
            order = ("plain", "scored") if r % 2 == 0 else ("scored", "plain")
            for which in order:
                if which == "plain":
                    n, dt = plain(base, prompt, args.tokens)
                else:
                    n, dt, _ = scored(ours, prompt, args.tokens)
                rows[which].append(n / dt)
                counts[which].append(n)
    base.close()
    naive = llama_cpp.Llama(model_path=str(path), n_ctx=2048, n_threads=threads, n_threads_batch=threads,
                            logits_all=True, verbose=False)
    naive_rates = []
    for _ in range(args.naive_rounds):
        for prompt in PROMPTS:
            n, dt = naive_logprobs(naive, prompt, args.tokens)
            naive_rates.append(n / dt)
    naive.close()
    ours.close()
    p, s = statistics.median(rows["plain"]), statistics.median(rows["scored"])
    ratios = [b / a for a, b in zip(rows["plain"], rows["scored"], strict=True)]
    figures = {
        "model": path.name, "threads": threads, "max_tokens": args.tokens, "runs_each": len(rows["plain"]),
        "plain_tokens_per_s": round(p, 1), "scored_tokens_per_s": round(s, 1),
        "ratio_of_medians": round(s / p, 3), "median_pairwise_ratio": round(statistics.median(ratios), 3),
        "naive_logits_all_tokens_per_s": round(statistics.median(naive_rates), 1),
        "mean_tokens_plain": round(statistics.mean(counts["plain"]), 1),
        "mean_tokens_scored": round(statistics.mean(counts["scored"]), 1),
    }
    print(f"model {path.name}, {threads} threads, up to {args.tokens} tokens, {len(ratios)} interleaved runs each")
    print(f"{'path':44} {'tokens/s (median)':>18}")
    print(f"{'plain create_chat_completion (stream)':44} {p:18.1f}")
    print(f"{'edgeapp confidence-scored stream':44} {s:18.1f}")
    print(f"{'naive logits_all=True + logprobs':44} {figures['naive_logits_all_tokens_per_s']:18.1f}")
    print(f"ratio scored/plain: {s / p:.3f} (median of pairwise ratios {statistics.median(ratios):.3f}); "
          f"target >= 0.90")
    print(f"tokens per run: plain {figures['mean_tokens_plain']}, scored {figures['mean_tokens_scored']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
