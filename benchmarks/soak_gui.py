"""Soak the GUI tests: run the panel test files N times, each in a fresh process, and count failures,
crashes (a process killed by a signal) and hangs.

The rare GUI crash (SIGSEGV in Qt's event processing, 1 run in 71 before its fix) only shows over
many runs. Each run is a new `python -m pytest` process at `nice -n 19` (so it runs beside other
work), with Qt's offscreen platform and Python's faulthandler on: a crash leaves every thread's Python
stack in the run's output, which is kept. The thread guard (tests/qtguard.py) is active in every run,
so a QObject destroyed off its thread fails the run even when it does not crash it.

    .venv/bin/python benchmarks/soak_gui.py                      # 200 runs of the panel tests
    .venv/bin/python benchmarks/soak_gui.py --runs 50 --until 06:15 --files tests/gui
    .venv/bin/python benchmarks/soak_gui.py --append          # go on where the last soak stopped

Writes benchmarks/results/soak_gui.json after every run (a stopped soak keeps what it measured) and
benchmarks/results/soak_gui.txt (the summary) at the end; the output of each failed run goes to
benchmarks/results/soak_gui-failures/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PANEL_TESTS = [
    "tests/gui/test_budget_panel.py",
    "tests/gui/test_review.py",
    "tests/gui/test_models_panel.py",
    "tests/gui/controllers/test_panels.py",
    "tests/gui/test_worker_threads.py",
]
GUARD = "Qt's thread rule broken"
COUNTS = re.compile(r"(\d+) (passed|failed|errors?|skipped)")


def run_once(files: list[str], timeout: float) -> dict:
    """One pytest process over `files`; its outcome as a record."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="1", PYTHONPATH=str(ROOT))
    cmd = ["nice", "-n", "19", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        rc, output = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        rc = None
        output = _text(exc.stdout) + _text(exc.stderr)
    seconds = time.monotonic() - start
    tail = output.strip().splitlines()[-1:] or [""]
    counts = {kind.rstrip("s"): int(n) for n, kind in COUNTS.findall(tail[0])}
    record = {
        "rc": rc,
        "seconds": round(seconds, 1),
        "outcome": _outcome(rc),
        "passed": counts.get("passed", 0),
        "failed": counts.get("failed", 0),
        "errors": counts.get("error", 0),
        "guard": output.count(GUARD),
    }
    if rc is not None and rc < 0:
        record["signal"] = signal.Signals(-rc).name
    return record | {"output": output} if record["outcome"] != "passed" else record


def _text(data: bytes | str | None) -> str:
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""


def _outcome(rc: int | None) -> str:
    if rc is None:
        return "hang"
    if rc < 0:
        return "crash"
    return "passed" if rc == 0 else "failed"


def summarize(runs: list[dict]) -> dict:
    seconds = [r["seconds"] for r in runs]
    crashes: dict[str, int] = {}
    for r in runs:
        if r["outcome"] == "crash":
            crashes[r["signal"]] = crashes.get(r["signal"], 0) + 1
    return {
        "runs": len(runs),
        "passed": sum(r["outcome"] == "passed" for r in runs),
        "failed": sum(r["outcome"] == "failed" for r in runs),
        "crashed": sum(crashes.values()),
        "crashes_by_signal": crashes,
        "hangs": sum(r["outcome"] == "hang" for r in runs),
        "runs_with_guard_failures": sum(r["guard"] > 0 for r in runs),
        "seconds_per_run": {
            "median": round(statistics.median(seconds), 1) if seconds else None,
            "min": min(seconds, default=None),
            "max": max(seconds, default=None),
        },
        "total_minutes": round(sum(seconds) / 60, 1),
    }


def report_text(meta: dict, summary: dict) -> str:
    s = summary
    lines = [
        f"GUI soak: {s['runs']} runs of {' '.join(meta['files'])}",
        f"  each a fresh process at nice 19, Qt offscreen, thread guard on; {meta['started']} to {meta['ended']}",
        f"  machine: {meta['machine']}; load average at the start {meta['load_at_start']}; commit {meta['commit']}",
        f"  passed {s['passed']}, failed {s['failed']}, crashed {s['crashed']}{_signals(s)},"
        f" hung {s['hangs']}; runs failed by the thread guard: {s['runs_with_guard_failures']}",
        f"  seconds per run: median {s['seconds_per_run']['median']}, min {s['seconds_per_run']['min']},"
        f" max {s['seconds_per_run']['max']}; {s['total_minutes']} minutes in all",
    ]
    return "\n".join(lines) + "\n"


def _signals(summary: dict) -> str:
    by_signal = summary["crashes_by_signal"]
    return f" ({', '.join(f'{n} {name}' for name, n in by_signal.items())})" if by_signal else ""


def _commit() -> str:
    try:
        run = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return run.stdout.strip()
    except OSError:
        return ""


def _deadline(until: str | None) -> dt.datetime | None:
    """`HH:MM` (UTC, today or tomorrow): start no run after it."""
    if not until:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    hour, minute = (int(x) for x in until.split(":"))
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--files", nargs="+", default=PANEL_TESTS)
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a run counts as hung")
    parser.add_argument("--until", help="HH:MM UTC: start no run after this time")
    parser.add_argument("--name", default="soak_gui", help="results file name (without extension)")
    parser.add_argument("--append", action="store_true", help="continue the runs already in the results")
    parser.add_argument("--commit", help="the code's commit, where this is not a git checkout")
    args = parser.parse_args(argv)

    RESULTS.mkdir(parents=True, exist_ok=True)
    failures = RESULTS / f"{args.name}-failures"
    deadline = _deadline(args.until)
    meta = {
        "files": args.files,
        "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_at_start": [round(x, 1) for x in os.getloadavg()],  # the soak shares the machine
        "commit": args.commit or _commit(),
        "planned_runs": args.runs,
    }
    runs: list[dict] = []
    saved = RESULTS / f"{args.name}.json"
    if args.append and saved.exists():
        earlier = json.loads(saved.read_text())
        meta["started"], runs = earlier["meta"]["started"], earlier["runs"]
    for index in range(len(runs) + 1, args.runs + 1):
        if deadline and dt.datetime.now(dt.timezone.utc) >= deadline:
            break
        record = {"run": index} | run_once(args.files, args.timeout)
        output = record.pop("output", None)
        if output is not None:
            failures.mkdir(exist_ok=True)
            (failures / f"run{index:03d}-{record['outcome']}.txt").write_text(output)
        runs.append(record)
        print(json.dumps(record), flush=True)
        meta["ended"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        payload = {"meta": meta, "summary": summarize(runs), "runs": runs}
        saved.write_text(json.dumps(payload, indent=1) + "\n")
    summary = summarize(runs)
    meta.setdefault("ended", meta["started"])
    text = report_text(meta, summary)
    (RESULTS / f"{args.name}.txt").write_text(text)
    print(text, end="")
    return 0 if summary["passed"] == summary["runs"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
