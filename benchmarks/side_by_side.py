"""Two checkouts, the same benchmarks, interleaved: did a change move the figures?

Runs each chosen benchmark script of BASELINE (another checkout of this repository, e.g. a git
worktree of the commit before a change) and of this checkout in turn (A B, B A, A B, ...), each in
a fresh process with its own tree on PYTHONPATH and the same virtualenv, so machine noise (these
machines are shared and noisy) hits both alike. Prints, per figure, the median over the rounds for
each side and the ratio current/baseline.

    .venv/bin/python benchmarks/side_by_side.py --baseline ../baseline [--rounds 3] \
        [--bench confidence gui api gatekeeper] [--out benchmarks/results/side-by-side.txt]

Made for issue 25 (the redesign must leave the benchmarks within noise). The gatekeeper's recall is
not compared here: scripts/gatekeeper_fingerprint.py proves its output byte-identical instead; its
latency and start-up are.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# benchmark -> (arguments, [(figure, regex with one group: the number)])
BENCHES: dict[str, tuple[list[str], list[tuple[str, str]]]] = {
    "confidence": (
        ["--rounds", "3", "--tokens", "96", "--naive-rounds", "1"],
        [
            ("plain llama.cpp tokens/s", r"plain create_chat_completion \(stream\)\s+([\d.]+)"),
            ("scored stream tokens/s", r"edgeapp confidence-scored stream\s+([\d.]+)"),
            ("ratio scored/plain", r"median of pairwise ratios ([\d.]+)"),
        ],
    ),
    "gui": (
        ["--launches", "3", "--max-tokens", "200"],
        [
            ("launch to window shown, median (s)", r"launch to window shown.*?median ([\d.]+) s"),
            ("timer lateness while streaming, p95 (ms)", r"streamed .*?ticks: median [\d.]+ ms, p95 ([\d.]+) ms"),
            ("timer lateness while streaming, max (ms)", r"streamed .*?ticks: .*?max ([\d.]+) ms"),
            ("re-render GUI time, median (ms)", r"re-render .*?: median ([\d.]+) ms"),
        ],
    ),
    "api": (
        ["--rounds", "2", "--clients", "8", "--seconds", "20"],
        [
            ("edgeapp p50 TTFT (ms)", r"\nedgeapp\s+p50 TTFT\s+([\d.]+) ms"),
            ("edgeapp p50 total (ms)", r"\nedgeapp\s+p50 TTFT\s+[\d.]+ ms\s+p50 total\s+([\d.]+) ms"),
            ("overhead vs llama_cpp.server, total (%)", r"edgeapp overhead: TTFT [+-][\d.]+%\s+total ([+-][\d.]+)%"),
        ],
    ),
    "gatekeeper": (
        ["--subset", "150", "--only", "gatekeeper", "--repeat", "1"],
        [
            ("median latency per message (ms)", r"median latency per message \(ms\)\s+([\d.]+)"),
            ("p95 latency per message (ms)", r"p95 latency per message \(ms\)\s+([\d.]+)"),
            ("start-up, imports done (s)", r"start-up \(s\), imports done\s+([\d.]+)"),
            ("cold start, fresh process (s)", r"cold start, fresh process \(s\)\s+([\d.]+)"),
        ],
    ),
}


def run_one(tree: Path, bench: str, home: Path) -> str:
    args, _ = BENCHES[bench]
    env = dict(os.environ, PYTHONPATH=str(tree), EDGEAPP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    cmd = [sys.executable, str(tree / "benchmarks" / f"bench_{bench}.py"), *args]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"{tree.name} bench_{bench} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def figures(bench: str, out: str) -> dict[str, float]:
    found = {}
    for name, pattern in BENCHES[bench][1]:
        m = re.search(pattern, out, flags=re.DOTALL)
        if m:
            found[name] = float(m.group(1))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", type=Path, required=True, help="a checkout of the commit to compare with")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--bench", nargs="+", choices=sorted(BENCHES), default=sorted(BENCHES))
    ap.add_argument("--out", type=Path, default=None, help="also write the table here")
    ap.add_argument("--home", type=Path, default=Path("/tmp/edgeapp-side-by-side"))
    args = ap.parse_args()
    sides = {"baseline": args.baseline.resolve(), "current": ROOT}
    lines = [
        f"side by side: baseline {sides['baseline']} ({_commit(sides['baseline'])}) vs current "
        f"{_commit(ROOT)}, {args.rounds} interleaved rounds, load average at start "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "",
        f"{'benchmark':11} {'figure':44} {'baseline':>10} {'current':>10} {'ratio':>7}",
    ]
    for bench in args.bench:
        got: dict[str, dict[str, list[float]]] = {"baseline": {}, "current": {}}
        for r in range(args.rounds):
            order = ["baseline", "current"] if r % 2 == 0 else ["current", "baseline"]
            for side in order:
                started = time.perf_counter()
                out = run_one(sides[side], bench, args.home / side)
                for name, value in figures(bench, out).items():
                    got[side].setdefault(name, []).append(value)
                print(f"{bench} round {r + 1} {side}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for name, _ in BENCHES[bench][1]:
            b, c = got["baseline"].get(name), got["current"].get(name)
            if not b or not c:
                lines.append(f"{bench:11} {name:44} {'-':>10} {'-':>10} {'-':>7}")
                continue
            mb, mc = statistics.median(b), statistics.median(c)
            ratio = f"{mc / mb:.2f}" if mb else "-"
            lines.append(f"{bench:11} {name:44} {mb:10.2f} {mc:10.2f} {ratio:>7}")
    lines.append(f"load average at the end {os.getloadavg()[0]:.1f}")
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


def _commit(tree: Path) -> str:
    proc = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() or "?"


if __name__ == "__main__":
    raise SystemExit(main())
