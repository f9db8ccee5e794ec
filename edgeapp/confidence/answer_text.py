"""Numbers in a text, and the final answer a model's text states.

Shared by the eval grader (is the stated answer the gold one?) and the confidence features (does the
answer use the numbers the question gives? is its final answer the result of a calculation it shows?).
"""

from __future__ import annotations

import re

ANSWER_IS = re.compile(r"answer\s*(?:is|:)\s*[:\-]?\s*\**\s*(?P<a>[^\n]*)", re.IGNORECASE)
BOXED = re.compile(r"\\boxed\{([^{}]*)\}")
NUMBER = re.compile(r"-?\$?\d[\d,]*(?:\.\d+)?")


def _normal(raw: str) -> float | None:
    value = raw.replace("$", "").replace(",", "").rstrip(".")
    try:
        return float(value)
    except ValueError:
        return None


def numbers(text: str) -> list[float]:
    """Every number written in `text` ("1,250", "$3.50", "-4"), in order."""
    return [v for v in (_normal(m) for m in NUMBER.findall(text)) if v is not None]


def canonical(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def last_number(text: str) -> str | None:
    found = numbers(text)
    return canonical(found[-1]) if found else None


def answer_tail(text: str) -> str | None:
    """What follows the last "The answer is" (or "Answer:"), if the text says it."""
    matches = list(ANSWER_IS.finditer(text))
    return matches[-1].group("a") if matches else None


def final_number(text: str) -> str | None:
    """The number a text gives as its final answer: a LaTeX \\boxed{N}, else the number after the
    last "The answer is", else the last number in the text (the usual GSM8K rule)."""
    boxed = [b for b in BOXED.findall(text) if last_number(b) is not None]
    if boxed:
        return last_number(boxed[-1])
    tail = answer_tail(text)
    if tail and last_number(tail) is not None:
        return last_number(tail)
    return last_number(text)
