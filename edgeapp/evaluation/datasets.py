"""Labelled sets in the formats of ../shared/datasets, plus a plain question/answer JSONL.

Every item becomes an `Item` with one prompt and a grader. Multiple-choice options are shuffled
with a fixed seed per question (TruthfulQA lists the true option first).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EdgeappError

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NUMERIC_HINT = "Solve it step by step, briefly. End with: The answer is N."
CHOICE_HINT = "Answer with the letter of the best option, then end with: The answer is X."


@dataclass(frozen=True)
class Item:
    id: str
    dataset: str
    question: str  # the text shown to the model (options included)
    gold: str
    kind: str  # numeric | choice | text
    choices: tuple[str, ...] = field(default_factory=tuple)  # letters, for choice items

    def prompt(self) -> str:
        hint = {"numeric": NUMERIC_HINT, "choice": CHOICE_HINT}.get(self.kind, "End with: The answer is X.")
        return f"{self.question}\n\n{hint}"


def _read(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise EdgeappError(f"Cannot read the dataset {path} ({exc}). It must be JSON lines.") from exc


def _id(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def _options(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"({label}) {text}" for label, text in pairs)


def gsm8k(row: dict) -> Item:
    gold = row["answer"].split("####")[-1].strip().replace(",", "")
    return Item(_id("gsm8k", row["question"]), "gsm8k", row["question"], gold, "numeric")


def csqa(row: dict) -> Item:
    q = row["question"]
    pairs = [(c["label"], c["text"]) for c in q["choices"]]
    return Item(
        row.get("id") or _id("csqa", q["stem"]),
        "csqa",
        f"{q['stem']}\n{_options(pairs)}",
        row["answerKey"],
        "choice",
        tuple(label for label, _ in pairs),
    )


def truthfulqa(row: dict) -> Item:
    options = list(row["mc1_targets"].items())
    rng = random.Random(_id("tqa", row["question"]))
    rng.shuffle(options)
    pairs = [(LETTERS[i], text) for i, (text, _) in enumerate(options)]
    gold = next(LETTERS[i] for i, (_, ok) in enumerate(options) if ok)
    return Item(
        _id("tqa", row["question"]),
        "truthfulqa",
        f"{row['question']}\n{_options(pairs)}",
        gold,
        "choice",
        tuple(label for label, _ in pairs),
    )


def bbh(row: dict) -> Item:
    target = row["target"].strip()
    m = re.fullmatch(r"\(([A-Z])\)", target)
    if m:
        letters = tuple(re.findall(r"^\(([A-Z])\)", row["input"], flags=re.M))
        return Item(_id("bbh", row["input"]), "bbh", row["input"], m.group(1), "choice", letters)
    kind = "numeric" if re.fullmatch(r"-?\d+(\.\d+)?", target) else "text"
    return Item(_id("bbh", row["input"]), "bbh", row["input"], target, kind)


def plain(row: dict) -> Item:
    if "question" not in row or "answer" not in row:
        raise EdgeappError('Each line of a custom set needs "question" and "answer" fields.')
    answer = str(row["answer"]).strip()
    kind = "numeric" if re.fullmatch(r"-?[\d,]+(\.\d+)?", answer) else "text"
    return Item(
        str(row.get("id") or _id("qa", row["question"])),
        "custom",
        row["question"],
        answer.replace(",", "") if kind == "numeric" else answer,
        kind,
    )


def detect(row: dict):
    if "mc1_targets" in row:
        return truthfulqa
    if "answerKey" in row and isinstance(row.get("question"), dict):
        return csqa
    if "input" in row and "target" in row:
        return bbh
    if "answer" in row and "####" in str(row["answer"]):
        return gsm8k
    return plain


def load(path: Path, limit: int | None = None, offset: int = 0) -> list[Item]:
    rows = _read(Path(path))
    if not rows:
        raise EdgeappError(f"The dataset {path} is empty.")
    convert = detect(rows[0])
    items = [convert(r) for r in rows[offset:]]
    return items[:limit] if limit else items
