"""200 ordinary cloud answers from the routing benchmark's cache: the guardian's false-flag set.

Picks cloud answers (role `cloud`) of every dataset in `benchmarks/eval/cache.jsonl`, deterministically
(sha1 of the cache key, lowest first, per dataset in proportion: 110 GSM8K, 30 each of CommonsenseQA,
TruthfulQA-MC and BIG-Bench-Hard), and writes `guardian_ordinary.jsonl` with
`{"reply", "placeholders_sent", "labels": [], "dataset", "key", "remasked"}`. Nothing in these answers
asks for withheld data or carries an instruction to the app: every finding on them is a false flag.

The cache keeps the answers as the user saw them (placeholders restored). For a scrubbed answer where
the gatekeeper masked something, the reply is put back as the app received it: the question is
scrubbed again with `edgeapp.gatekeeper.Gatekeeper` (its default policy) into a fresh vault, and each
value of that vault is replaced by its placeholder in the answer (`remasked: true`;
`placeholders_sent` lists what the scrubbed question carried). When the gatekeeper of today masks
other types than the recorded run did (`entities` in the cache), the answer is kept as stored with
`remasked: false`. Without `--remask` (or when the gatekeeper cannot load) nothing is re-masked.

    .venv/bin/python benchmarks/data/make_guardian_ordinary.py            # with re-masking (spaCy, ~1 min)
    .venv/bin/python benchmarks/data/make_guardian_ordinary.py --no-remask
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent

QUOTA = {"gsm8k": 110, "csqa": 30, "truthfulqa": 30, "bbh": 30}
FILES = {"gsm8k": ["gsm8k_dev", "gsm8k_calib"], "csqa": ["csqa_dev"], "truthfulqa": ["truthfulqa_mc_dev"],
         "bbh": ["bbh_dev"]}


def rank(key: str) -> str:
    return hashlib.sha1(f"guardian-ordinary:{key}".encode()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / "eval" / "cache.jsonl")
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--out", type=Path, default=HERE / "guardian_ordinary.jsonl")
    ap.add_argument("--no-remask", dest="remask", action="store_false")
    args = ap.parse_args()

    rows = [json.loads(line) for line in args.cache.read_text(encoding="utf-8").splitlines() if line.strip()]
    cloud = [r for r in rows if r.get("role") == "cloud" and r.get("text", "").strip()]
    seen_text: set[str] = set()
    picked = []
    for dataset, n in QUOTA.items():
        pool = sorted((r for r in cloud if r["dataset"] == dataset), key=lambda r: rank(r["key"]))
        got = 0
        for r in pool:  # one answer per question, and no two identical texts
            if r["text"] in seen_text or any(p["item"] == r["item"] for p in picked):
                continue
            seen_text.add(r["text"])
            picked.append(r)
            got += 1
            if got == n:
                break

    gatekeeper = prompts = None
    if args.remask:
        try:
            from edgeapp.evaluation import datasets
            from edgeapp.gatekeeper import Gatekeeper

            gatekeeper = Gatekeeper()
            prompts = {}
            for files in FILES.values():
                for f in files:
                    for it in datasets.load(args.datasets / f"{f}.jsonl"):
                        prompts[it.id] = it.prompt()
        except Exception as exc:  # noqa: BLE001 - the set is still useful restored
            print(f"no re-masking ({exc})", file=sys.stderr)
            gatekeeper = None

    out = []
    for r in picked:
        reply, sent, remasked = r["text"], [], False
        if gatekeeper is not None and r.get("mode") == "scrubbed" and r.get("entities"):
            from edgeapp.gatekeeper.vault import PlaceholderVault

            vault = PlaceholderVault()
            _, findings = gatekeeper.scrub_text(prompts[r["item"]], vault)
            mapping = vault.to_dict()["placeholders"]
            types = Counter(re.match(r"<([A-Z_]+?)_\d+>", p).group(1) for p in mapping)
            if dict(types) == r["entities"] or set(types) == set(r["entities"]):
                for placeholder, value in sorted(mapping.items(), key=lambda kv: -len(kv[1])):
                    reply = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", placeholder, reply)
                sent = sorted(mapping)
                remasked = True
        out.append({"reply": reply, "placeholders_sent": sent, "labels": [], "dataset": r["dataset"],
                    "key": r["key"], "remasked": remasked})
    args.out.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    print(f"{len(out)} answers -> {args.out} ({Counter(o['dataset'] for o in out)}; re-masked "
          f"{sum(o['remasked'] for o in out)}, with placeholders in the reply "
          f"{sum(1 for o in out if '<' in o['reply'] and o['placeholders_sent'])})")


if __name__ == "__main__":
    main()
