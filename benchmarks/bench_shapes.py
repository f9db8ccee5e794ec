"""Recall per type on the issue-27 shape sets, totals only: `pii_heldout4.jsonl` (held out: no missed
value is ever printed), `pii_heldout3.jsonl` (held out in the first round of rules for these shapes,
a development set since the second) and `pii_shapes_dev.jsonl` (development), for the gatekeeper and for raw
Presidio as `bench_gatekeeper.raw_presidio` builds it, counted by `edgeapp/gatekeeper/evaluation.py`
(a value is found when >= 90% of its characters are masked).

    .venv/bin/python benchmarks/bench_shapes.py [--root TREE]

`--root` names the checkout whose `edgeapp` and `benchmarks/bench_gatekeeper.py` are measured
(default: this one); the data always come from this checkout. Besides recall it prints, per set, how
many of the messages with no personal data had anything masked and the share of masked characters
that fall inside a labelled value.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SETS = {"shapes_dev": DATA / "pii_shapes_dev.jsonl", "heldout3": DATA / "pii_heldout3.jsonl",
        "heldout4": DATA / "pii_heldout4.jsonl"}
TYPES = ["PERSON", "ADDRESS", "PHONE_NUMBER", "CREDIT_CARD"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parent)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    sys.path[:0] = [str(root), str(root / "benchmarks")]

    from bench_gatekeeper import ours, raw_presidio

    from edgeapp.gatekeeper import evaluation as ev

    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = (root / "COMMIT").read_text().strip() if (root / "COMMIT").exists() else "unknown"
    sets = {name: ev.load_labelled(path) for name, path in SETS.items()}
    start = time.perf_counter()
    systems = {"gatekeeper": ours(), "raw Presidio": raw_presidio()}
    build_s = time.perf_counter() - start

    results = {(s, c): ev.recall(detect, rows) for s, detect in systems.items() for c, rows in sets.items()}
    clean_hit = {
        (s, c): sum(bool(detect(row.text)) for row in rows if not row.spans)
        for s, detect in systems.items()
        for c, rows in sets.items()
    }

    print(f"code measured: {root} at {commit}; Python {sys.version.split()[0]}; "
          f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
          f"both detectors built in {build_s:.1f} s")
    print("sets: " + ", ".join(f"{c} {len(rows)} messages / {sum(len(r.spans) for r in rows)} values"
                               for c, rows in sets.items()))
    print("totals only: the held-out set's (heldout4) misses are never printed\n")
    cols = [(s, c) for c in sets for s in systems]
    print(f"{'recall (>= 90% masked)':<30}" + "".join(f"{c + ' ' + s[:10]:>26}" for s, c in cols))
    for kind in TYPES + ["all values"]:
        row = f"{kind:<30}"
        for key in cols:
            rep = results[key]
            if kind == "all values":
                cell = f"{rep.overall:.3f} ({sum(rep.found.values())}/{sum(rep.total.values())})"
            else:
                cell = f"{rep.recall(kind):.3f} ({rep.found[kind]}/{rep.total[kind]})"
            row += f"{cell:>26}"
        print(row)
    row = f"{'masked chars inside labels':<30}" + "".join(f"{results[key].char_precision:>26.3f}" for key in cols)
    print(row)
    row = f"{'no-PD messages with a mask':<30}"
    for s, c in cols:
        clean = sum(not r.spans for r in sets[c])
        row += f"{f'{clean_hit[(s, c)]} of {clean}':>26}"
    print(row)
    try:  # how many person names start with a word the gatekeeper's first-name list knows
        try:
            from edgeapp.gatekeeper.recognizers import lexicon
        except ImportError:
            from edgeapp.gatekeeper import lexicon
        known = lexicon.first_names()
        print()
        for c, rows in sets.items():
            firsts = [row.text[s:e].split()[0].strip(".,").lower() for row in rows for s, e, k in row.spans
                      if k == "PERSON"]
            print(f"{c}: first word of a PERSON value in the gatekeeper's first-name list: "
                  f"{sum(f in known for f in firsts)} of {len(firsts)}")
    except (ImportError, AttributeError):
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
