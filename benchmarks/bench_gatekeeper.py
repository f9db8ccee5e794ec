"""Gatekeeper benchmark: recall per type, precision on clean prompts, numbers kept, latency,
beside raw Presidio (default recognizers, full spaCy pipeline) on the same messages in the same run.

    .venv/bin/python benchmarks/bench_gatekeeper.py [--datasets ../shared/datasets] [--repeat 3]

Only the e-mail recognizer of raw Presidio is swapped for the offline one (the original fetches the
public suffix list from the internet); everything else is Presidio as installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from edgeapp.evaluation.datasets import load  # noqa: E402
from edgeapp.gatekeeper import Gatekeeper  # noqa: E402
from edgeapp.gatekeeper import evaluation as ev  # noqa: E402
from edgeapp.gatekeeper.engine import _offline_email_recognizer  # noqa: E402
from edgeapp.gatekeeper.spacy_engine import spacy_model_path  # noqa: E402

TYPES = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS",
         "API_KEY", "ADDRESS"]


def raw_presidio():
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": str(spacy_model_path())}],
    }).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(_offline_email_recognizer())
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])

    def detect(text: str) -> ev.Spans:
        return [(r.start, r.end, r.entity_type) for r in analyzer.analyze(text=text, language="en")]

    return detect


def ours():
    gatekeeper = Gatekeeper()

    def detect(text: str) -> ev.Spans:
        return [(f.start, f.end, f.entity_type) for f in gatekeeper.find(text)]

    return detect


def timed_build(make: Callable[[], Callable[[str], ev.Spans]]) -> tuple[Callable[[str], ev.Spans], float]:
    start = time.perf_counter()
    detect = make()
    detect("warm up: Ann Lee, ann@example.org")
    return detect, time.perf_counter() - start


def latencies(detect: Callable[[str], ev.Spans], messages: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for text in messages:
            start = time.perf_counter()
            detect(text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--repeat", type=int, default=2, help="latency passes over the messages")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many missed values")
    args = parser.parse_args(argv)

    labelled = ev.load_labelled(args.datasets / "pii_dev.jsonl")
    # the clean prompts as `edgeapp eval` sends them, with the answer-format line ("... The answer is X.")
    clean = [item.prompt() for name in ("gsm8k_dev", "csqa_dev") for item in load(args.datasets / f"{name}.jsonl")]
    chat = [row.text for row in labelled] + clean[:200]

    systems = {}
    for name, make in (("gatekeeper", ours), ("raw Presidio", raw_presidio)):
        detect, build_s = timed_build(make)
        systems[name] = (detect, build_s)

    results = {}
    for name, (detect, build_s) in systems.items():
        times = latencies(detect, chat, args.repeat)
        results[name] = {
            "recall": ev.recall(detect, labelled),
            "clean": ev.clean_prompts(detect, clean),
            "median_ms": statistics.median(times),
            "p95_ms": statistics.quantiles(times, n=20)[18],
            "build_s": build_s,
        }

    names = list(results)
    print(f"pii_dev.jsonl: {len(labelled)} sentences; clean prompts: {len(clean)} (GSM8K + CSQA dev, as eval sends them); "
          f"latency over {len(chat)} chat-sized messages x {args.repeat}\n")
    print(f"{'recall (>= 90% of a value masked)':<36}" + "".join(f"{n:>16}" for n in names))
    for kind in TYPES:
        total = results[names[0]]["recall"].total[kind]
        row = f"{kind + f' (n={total})':<36}"
        for n in names:
            row += f"{results[n]['recall'].recall(kind):>16.3f}"
        print(row)
    print(f"{'all values':<36}" + "".join(f"{results[n]['recall'].overall:>16.3f}" for n in names))
    print(f"{'masked chars inside labels':<36}" + "".join(f"{results[n]['recall'].char_precision:>16.3f}" for n in names))
    print()
    rows = [
        ("clean prompts: all numbers kept", lambda r: f"{r['clean'].number_survival:.3f}"),
        ("clean prompts: only names masked", lambda r: f"{r['clean'].clean_precision:.3f}"),
        ("clean prompts: answer line intact", lambda r: f"{r['clean'].last_line_survival:.3f}"),
        ("clean prompts: nothing masked", lambda r: f"{r['clean'].untouched / r['clean'].prompts:.3f}"),
        ("median latency per message (ms)", lambda r: f"{r['median_ms']:.1f}"),
        ("p95 latency per message (ms)", lambda r: f"{r['p95_ms']:.1f}"),
        ("start-up (s)", lambda r: f"{r['build_s']:.2f}"),
    ]
    for label, fmt in rows:
        print(f"{label:<36}" + "".join(f"{fmt(results[n]):>16}" for n in names))
    print()
    for n in names:
        top = ", ".join(f"{k} {v}" for k, v in results[n]["clean"].masked_types.most_common(6))
        print(f"{n}: types masked in clean prompts: {top or 'none'}")
    if args.show_misses:
        for n in names:
            print(f"\n{n}: missed values")
            for kind, value, text in results[n]["recall"].missed[: args.show_misses]:
                print(f"  {kind:<14} {value!r}  in: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
