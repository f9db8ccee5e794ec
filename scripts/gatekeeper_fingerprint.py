"""The gatekeeper's findings on every committed set, as one JSONL file and one digest.

A refactor of the gatekeeper must not change what it finds. Run this before and after and compare:

    .venv/bin/python scripts/gatekeeper_fingerprint.py --out /tmp/before.jsonl
    ... change the code ...
    .venv/bin/python scripts/gatekeeper_fingerprint.py --out /tmp/after.jsonl --compare /tmp/before.jsonl

Each line is one message of one set: the findings (start, end, type, score) and the scrubbed text.
The sets: every labelled corpus in benchmarks/data but the current held-out one, the shared pii_dev
set, the place and people sets, the tests' slices, and the clean prompts (GSM8K and CSQA dev as
`edgeapp eval` sends them), as written and lower-cased.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _texts(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [row if isinstance(row, str) else row.get("text") or row.get("question") or "" for row in rows]


# the held-out set of the current round of gatekeeper rules (benchmarks/data/README.md)
HELD_OUT = frozenset({"pii_heldout4"})


def sets(datasets: Path) -> Iterator[tuple[str, list[str]]]:
    from edgeapp.evaluation.datasets import load

    for path in sorted((ROOT / "benchmarks" / "data").glob("*.jsonl")):
        if path.stem in HELD_OUT:
            continue  # its findings are never read, not even as a difference
        yield path.stem, _texts(path)
    yield "shared/pii_dev", _texts(datasets / "pii_dev.jsonl")
    for path in sorted((ROOT / "tests" / "data").glob("*.jsonl")):
        if path.stem.startswith(("pii", "gk")):
            yield "tests/" + path.stem, _texts(path)
    clean = [item.prompt() for name in ("gsm8k_dev", "csqa_dev") for item in load(datasets / f"{name}.jsonl")]
    yield "clean", clean
    yield "clean_lowered", [text.lower() for text in clean]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier output: print the lines that differ")
    args = parser.parse_args()

    from edgeapp.gatekeeper import Gatekeeper, PlaceholderVault

    gatekeeper = Gatekeeper()
    digest = hashlib.sha256()
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for name, texts in sets(args.datasets):
            for index, text in enumerate(texts):
                findings = [(f.start, f.end, f.entity_type, round(f.score, 4)) for f in gatekeeper.find(text)]
                scrubbed, _ = gatekeeper.scrub_text(text, PlaceholderVault())
                line = json.dumps({"set": name, "i": index, "findings": findings, "scrubbed": scrubbed},
                                  ensure_ascii=False)
                out.write(line + "\n")
                digest.update(line.encode())
                count += 1
    print(f"{count} messages, sha256 {digest.hexdigest()}")
    if args.compare:
        # keyed by (set, index): sets added since the earlier run are listed, not counted as changes
        def keyed(path: Path) -> dict[tuple[str, int], str]:
            rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
            return {(r["set"], r["i"]): json.dumps(r, ensure_ascii=False) for r in rows}

        before, after = keyed(args.compare), keyed(args.out)
        common = [k for k in before if k in after]
        differ = [(before[k], after[k]) for k in common if before[k] != after[k]]
        gone = sorted({k[0] for k in before if k not in after})
        new = sorted({k[0] for k in after if k not in before})
        if new:
            print(f"sets only in this run (not compared): {', '.join(new)}")
        if gone:
            print(f"sets missing from this run: {', '.join(gone)}")
        for a, b in differ[:20]:
            print(f"- {a}\n+ {b}")
        print(f"{len(common)} messages compared, {len(differ)} differ")
        return 1 if differ or gone else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
