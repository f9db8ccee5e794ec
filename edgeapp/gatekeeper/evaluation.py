"""Measuring the gatekeeper: recall per type on labelled sentences, numbers kept in clean prompts.

Shared by `benchmarks/bench_gatekeeper.py` and the tests. A labelled value counts as found when
at least 90% of its characters are inside masked spans, whatever type the detector gave it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

FOUND_FRACTION = 0.9
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

Spans = list[tuple[int, int, str]]  # (start, end, type) masked by a detector


@dataclass(frozen=True)
class LabelledText:
    text: str
    spans: tuple[tuple[int, int, str], ...]


@dataclass
class RecallReport:
    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (type, value, text)
    masked_chars: int = 0
    masked_chars_on_labels: int = 0

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else float("nan")

    @property
    def overall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.total.values()))

    @property
    def char_precision(self) -> float:
        """Share of masked characters that belong to a labelled value."""
        return self.masked_chars_on_labels / self.masked_chars if self.masked_chars else 1.0


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_labelled(path: Path) -> list[LabelledText]:
    return [
        LabelledText(row["text"], tuple((s["start"], s["end"], s["type"]) for s in row["spans"]))
        for row in read_jsonl(path)
    ]


def recall(detect: Callable[[str], Spans], rows: Iterable[LabelledText]) -> RecallReport:
    report = RecallReport()
    for row in rows:
        masked = [False] * len(row.text)
        for start, end, _ in detect(row.text):
            for i in range(start, end):
                masked[i] = True
        labelled = [False] * len(row.text)
        for start, end, kind in row.spans:
            report.total[kind] += 1
            covered = sum(masked[start:end])
            if covered >= FOUND_FRACTION * (end - start):
                report.found[kind] += 1
            else:
                report.missed.append((kind, row.text[start:end], row.text))
            for i in range(start, end):
                labelled[i] = True
        report.masked_chars += sum(masked)
        report.masked_chars_on_labels += sum(m and lab for m, lab in zip(masked, labelled, strict=True))
    return report


@dataclass
class CleanReport:
    prompts: int = 0
    numbers_kept: int = 0  # prompts whose every number survived
    untouched: int = 0  # prompts with nothing masked
    only_people: int = 0  # prompts where nothing but person names was masked
    last_line_kept: int = 0  # prompts whose last line (an answer format: "... The answer is X.") is untouched
    masked_types: Counter[str] = field(default_factory=Counter)
    lost: list[tuple[str, str]] = field(default_factory=list)  # (original, scrubbed)
    non_person: list[tuple[str, str]] = field(default_factory=list)  # (type, value)
    masked: list[str] = field(default_factory=list)  # every masked word
    non_names: list[str] = field(default_factory=list)  # masked words that are not (taken for) names

    @property
    def masked_words(self) -> int:
        return len(self.masked)

    @property
    def masked_non_names(self) -> int:
        return len(self.non_names)

    @property
    def number_survival(self) -> float:
        return self.numbers_kept / max(1, self.prompts)

    @property
    def clean_precision(self) -> float:
        """Share of clean prompts where only personal data (person names) was masked."""
        return self.only_people / max(1, self.prompts)

    @property
    def last_line_survival(self) -> float:
        """Share of clean prompts whose last line reached the cloud as written."""
        return self.last_line_kept / max(1, self.prompts)


WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def clean_prompts(detect: Callable[[str], Spans], prompts: Iterable[str]) -> CleanReport:
    """What a detector masks in prompts that hold no personal data but the characters' names of a
    word problem. A masked word counts as a name when it is a PERSON, capitalised, and the same
    word never occurs in lower case in these prompts ("Natalia" yes; "Will", "Apple", "May" no when
    "will", "apple", "may" occur); everything else masked is counted in `non_names`."""
    prompts = list(prompts)
    common = {w for text in prompts for w in WORD.findall(text) if w.islower()}
    report = CleanReport()
    for text in prompts:
        spans = sorted(detect(text))
        kept, last = [], 0
        for start, end, _ in spans:
            kept.append(text[last:start])
            kept.append(" <MASK> ")
            last = max(last, end)
        kept.append(text[last:])
        scrubbed = "".join(kept)
        report.prompts += 1
        if Counter(NUMBER.findall(text)) - Counter(NUMBER.findall(scrubbed)):
            report.lost.append((text, scrubbed))
        else:
            report.numbers_kept += 1
        report.untouched += not spans
        report.only_people += all(kind == "PERSON" for _, _, kind in spans)
        report.last_line_kept += not any(end > text.rfind("\n") + 1 for _, end, _ in spans)
        for start, end, kind in spans:
            report.masked_types[kind] += 1
            if kind != "PERSON":
                report.non_person.append((kind, text[start:end]))
            for word in WORD.findall(text[start:end]):
                report.masked.append(word)
                if kind != "PERSON" or not word[0].isupper() or word.lower() in common:
                    report.non_names.append(word)
    return report
