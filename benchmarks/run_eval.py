"""Reproduce the routing benchmark: Qwen2.5-Coder-0.5B (local) vs Qwen2.5-Coder-1.5B served by
llama_cpp.server on 127.0.0.1 (stand-in cloud), on GSM8K dev rows with the collaboration methods
(OUT/report.md; the calibrated confidence fitted on gsm8k_calib rows, and cross-fitted on the dev rows),
then on CommonsenseQA, TruthfulQA-MC and BIG-Bench-Hard with the exclusion hints (OUT/choice/report.md).

    make eval-report                       # or:
    .venv/bin/python benchmarks/run_eval.py [--n 300] [--calib-n 300] [--raw-n 100] [--method shepherd --method-n 50]
    .venv/bin/python benchmarks/run_eval.py --from-cache    # re-render the report from the cache only

Needs the benchmark model packages (`make bench-models`). Responses are cached in
benchmarks/eval/cache.jsonl, so an interrupted run resumes and a finished one re-renders in seconds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edgeapp.models.catalog import assemble_parts  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="GSM8K dev questions")
    ap.add_argument("--calib-n", type=int, default=300,
                    help="fit the calibrated confidence on this many gsm8k_calib rows (local answers only), never "
                         "the reported ones (0: only the cross-fitted figures on the dev rows)")
    ap.add_argument("--max-tokens", type=int, default=512)
    ap.add_argument("--step", type=int, default=0,
                    help="grow the run this many questions at a time, so each step writes a report (0: one "
                         "pass; an interrupted run resumes from the cache, and --from-cache reports what it holds)")
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "eval")
    ap.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / "eval" / "cache.jsonl",
                    help="response cache, shared by every report made from these models")
    ap.add_argument("--raw-n", type=int, default=100,
                    help="measure the cloud on this many unscrubbed prompts too (only those where something was masked cost a call)")
    ap.add_argument("--method", action="append", default=None,
                    help="collaboration method(s) measured on GSM8K (default: compress, align, shepherd)")
    ap.add_argument("--method-n", type=int, default=50, help="measure methods on the N least confident questions")
    ap.add_argument("--choice-n", type=int, default=50,
                    help="questions of each of CommonsenseQA, TruthfulQA-MC and BIG-Bench-Hard, reported in OUT/choice "
                         "with the exclusion hints (0: GSM8K only)")
    ap.add_argument("--threads", type=int, default=max(1, (os.cpu_count() or 2) // 2),
                    help="threads for each model (default: half the cores; llama.cpp slows down badly when "
                         "its threads compete with other work for the cores)")
    ap.add_argument("--from-cache", action="store_true",
                    help="call no model: rebuild the report from the answers already in the cache (seconds)")
    args = ap.parse_args()
    home = args.cache.parent / "home"
    env = dict(os.environ, EDGEAPP_HOME=str(home))
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.toml").write_text(f"[local]\nn_threads = {args.threads}\n")
    small_name = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"

    methods = args.method if args.method is not None else ["compress", "align", "shepherd"]

    def eval_cmd(local: Path, url: str, n: int | None = None) -> list[str]:
        """`edgeapp eval` on the GSM8K dev rows: the first n (a step on the way), or all of them with the
        calibration set, the raw prompts and the methods."""
        cmd = [*common(local, url), str(args.datasets / "gsm8k_dev.jsonl"), "-n", str(n or args.n),
               "--out", str(args.out)]
        if n:
            return cmd
        if args.calib_n:
            cmd += ["--calibration-set", str(args.datasets / "gsm8k_calib.jsonl"), "--calibration-n", str(args.calib_n),
                    "--no-calibration-cloud"]
        cmd += ["--raw", "--raw-n", str(args.raw_n)] if args.raw_n else []
        cmd += ["--method-n", str(args.method_n)] if args.method_n and methods else []
        return cmd + [f"--method={m}" for m in methods]

    def choice_cmd(local: Path, url: str) -> list[str]:
        sets = [str(args.datasets / f"{name}.jsonl") for name in ("csqa_dev", "truthfulqa_mc_dev", "bbh_dev")]
        return [*common(local, url), *sets, "-n", str(args.choice_n), "--method=exclude", "--out", str(args.out / "choice")]

    def common(local: Path, url: str) -> list[str]:
        return [sys.executable, "-m", "edgeapp.cli", "eval", "--local-model", str(local), "--cloud-url", url,
                "--cloud-model", "qwen2.5-coder-1.5b-instruct", "--max-tokens", str(args.max_tokens),
                "--temperature", "0", "--cache", str(args.cache), *(["--from-cache"] if args.from_cache else [])]

    def run_all(local: Path, url: str) -> int:
        steps = [eval_cmd(local, url, n) for n in range(args.step, args.n, args.step)] if args.step and not args.from_cache else []
        steps.append(eval_cmd(local, url))
        if args.choice_n:
            steps.append(choice_cmd(local, url))
        for cmd in steps:
            code = subprocess.call(cmd, env=env)
            if code:
                return code
        return 0

    if args.from_cache:  # the cache key knows the models by name and the loopback server by model alone
        sys.exit(run_all(Path(small_name), "http://127.0.0.1:1/v1"))
    models = ROOT / "models"  # assembled GGUFs, in the checkout's models folder (ignored by git)
    models.mkdir(parents=True, exist_ok=True)
    small = assemble_parts("qwen2.5-coder-0.5b-instruct", models / small_name)
    big = assemble_parts("qwen2.5-coder-1.5b-instruct", models / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(big), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "2048", "--n_threads", str(args.threads), "--model_alias", "qwen2.5-coder-1.5b-instruct"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/v1"
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/models", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        sys.exit(run_all(small, url))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
