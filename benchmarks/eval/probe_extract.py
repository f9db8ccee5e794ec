"""Extract the local model's hidden states for every cached GSM8K local answer (dev and calibration
sets) into benchmarks/eval/hidden-states.npz, for the hidden-state probe (benchmarks/eval/probe.py).

    .venv/bin/python benchmarks/eval/probe_extract.py [--threads 1]

The same weights as the answers (the GGUF in the checkout's models/ folder), loaded in llama.cpp's
embedding mode exactly as the product's `Assistant.embedder` loads them (n_ctx 2048), and the same
code the product runs (`hidden_state.hidden_state`, beside this script): system prompt + question through the chat
template, the answer's tokens after it, one forward pass, last layer pooled by mean and last token.
Resumable: answers already in the file are skipped; the file is rewritten every 10 answers.
Each answer's extraction time and token count are stored: that is the probe's latency in the product.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from edgeapp.assistant import local_system_prompt  # noqa: E402
from edgeapp.evaluation import datasets as ds  # noqa: E402
from edgeapp.evaluation import runner  # noqa: E402

HERE = ROOT / "benchmarks" / "eval"
sys.path.insert(0, str(HERE))
import hidden_state as probe  # noqa: E402  (benchmarks/eval/hidden_state.py)

LOCAL = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
SETS = (("gsm8k_dev", 300), ("gsm8k_calib", 300))
OUT = HERE / "hidden-states.npz"
MAX_TOKENS = 512


def load(path: Path = OUT) -> dict:
    """{"model", "ids", "set", "tokens", "seconds", "mean", "last"} (vectors float16)."""
    if not path.exists():
        return {"model": LOCAL, "ids": [], "set": [], "tokens": [], "seconds": [], "mean": [], "last": []}
    z = np.load(path, allow_pickle=False)
    return {"model": str(z["model"]), "ids": list(z["ids"]), "set": list(z["set"]), "tokens": list(z["tokens"]),
            "seconds": list(z["seconds"]), "mean": list(z["mean"]), "last": list(z["last"])}


def save(data: dict, path: Path = OUT) -> None:
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, model=np.array(data["model"]), ids=np.array(data["ids"]), set=np.array(data["set"]),
                        tokens=np.array(data["tokens"], dtype=np.int32),
                        seconds=np.array(data["seconds"], dtype=np.float32),
                        mean=np.array(data["mean"], dtype=np.float16), last=np.array(data["last"], dtype=np.float16))
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    args = ap.parse_args()
    from edgeapp.models.local_model import LocalModel

    cache = runner.ResponseCache(HERE / "cache.jsonl")
    data = load()
    assert data["model"] == LOCAL, data["model"]
    done = set(data["ids"])
    embedder = LocalModel(ROOT / "models" / LOCAL, n_ctx=2048, n_threads=args.threads, embedding=True)
    system = local_system_prompt()
    try:
        for name, n in SETS:
            items = ds.load(args.datasets / f"{name}.jsonl", n)
            rows = {r["item"]: r for r in runner.run_local(items, None, LOCAL, cache, max_tokens=MAX_TOKENS)}
            todo = [it for it in items if it.id in rows and it.id not in done]
            print(f"{name}: {len(rows)} cached answers, {len(todo)} to extract", flush=True)
            for i, item in enumerate(todo, 1):
                messages = [{"role": "system", "content": system}, {"role": "user", "content": item.prompt()}]
                h = probe.hidden_state(embedder, messages, rows[item.id]["text"])
                for key, value in (("ids", item.id), ("set", name), ("tokens", h.tokens), ("seconds", h.seconds),
                                   ("mean", h.vectors["mean"]), ("last", h.vectors["last"])):
                    data[key].append(value)
                if i % 10 == 0 or i == len(todo):
                    save(data)
                    print(f"{name} {i}/{len(todo)} {time.strftime('%H:%M:%S')} last {h.tokens} tokens "
                          f"{h.seconds:.1f} s", flush=True)
    finally:
        embedder.close()


if __name__ == "__main__":
    main()
