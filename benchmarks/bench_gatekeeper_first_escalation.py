"""First escalation after launch: from the moment the app starts building the gatekeeper off the main
thread until the first scrubbed message is ready to go to the cloud, in a fresh process each run.

    .venv/bin/python benchmarks/bench_gatekeeper_first_escalation.py [--runs 5] [--root TREE]

As in the window (`gui/controllers/loading.py` warms the assistant on the model pool) and in `edgeapp
serve`, a worker thread imports the gatekeeper (Presidio and spaCy come with it), builds the analyzer
and warms it up; a second worker, the turn, asks for the first message to be scrubbed right away (the
worst case: a user who escalates the moment the window opens) and waits for the build. The main thread
stands for the GUI: it ticks every 5 ms, and the longest it was kept from ticking is reported (the GIL
is shared, so a build off the GUI thread can still stall it).

Printed per run and as medians: the import (Presidio's and spaCy's own import is not ours to cut), the
analyzer's build and warm-up, the first scrub after the build, the total from the start of the build to
the first scrubbed message, and the GUI thread's longest stall.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, sys, threading, time
sys.path.insert(0, sys.argv[1])
MESSAGE = ("Please check my booking: I am Ilse Varga-Holm, card 4111 1111 1111 1111, "
           "reach me at 38 415 207.")
marks = {}
built = threading.Event()
holder = {}

def build():
    marks["start"] = time.perf_counter()
    from edgeapp.gatekeeper import Gatekeeper, PlaceholderVault
    marks["imported"] = time.perf_counter()
    gatekeeper = Gatekeeper()
    holder["gatekeeper"], holder["vault"] = gatekeeper, PlaceholderVault
    built.set()
    gatekeeper.warm_up()
    marks["built"] = time.perf_counter()

def first_turn():
    built.wait()
    payload = holder["gatekeeper"].scrub([("user", MESSAGE)], holder["vault"]())
    marks["scrubbed"] = time.perf_counter()
    marks["masked"] = sum(payload.entities.values())

builder = threading.Thread(target=build)
turn = threading.Thread(target=first_turn)
builder.start()
turn.start()
stall, last = 0.0, time.perf_counter()
while turn.is_alive():
    time.sleep(0.005)
    now = time.perf_counter()
    stall = max(stall, now - last - 0.005)
    last = now
builder.join()
print(json.dumps({
    "import_s": marks["imported"] - marks["start"],
    "build_s": marks["built"] - marks["imported"],
    "first_scrub_ms": (marks["scrubbed"] - marks["built"]) * 1000,
    "total_s": marks["scrubbed"] - marks["start"],
    "gui_stall_ms": stall * 1000,
    "masked": marks["masked"],
}))
"""


def one_run(root: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--root", type=Path, default=HERE.parent, help="the checkout whose edgeapp is measured"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    one_run(root)  # the first run fills the OS file cache and the word-list cache; not counted
    runs = [one_run(root) for _ in range(args.runs)]
    keys = ["import_s", "build_s", "first_scrub_ms", "total_s", "gui_stall_ms"]
    print(
        f"code measured: {root}; Python {sys.version.split()[0]}; {args.runs} fresh processes after one "
        f"uncounted; load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print(f"{'run':<8}" + "".join(f"{k:>16}" for k in keys))
    for i, run in enumerate(runs, 1):
        print(f"{i:<8}" + "".join(f"{run[k]:>16.2f}" for k in keys))
    print(f"{'median':<8}" + "".join(f"{statistics.median(r[k] for r in runs):>16.2f}" for k in keys))
    print(f"values masked in the first message: {runs[0]['masked']} (a name, a card, a phone number)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
