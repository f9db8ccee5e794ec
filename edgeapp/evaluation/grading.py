"""Pull the final answer out of a model's text and compare it with the gold answer."""

from __future__ import annotations

import re

from .datasets import Item

_ANSWER_IS = re.compile(r"answer\s*(?:is|:)\s*[:\-]?\s*\**\s*(?P<a>[^\n]*)", re.IGNORECASE)
_BOXED = re.compile(r"\\boxed\{([^{}]*)\}")
_NUMBER = re.compile(r"-?\$?\d[\d,]*(?:\.\d+)?")


def _number(text: str) -> str | None:
    found = _NUMBER.findall(text)
    if not found:
        return None
    value = found[-1].replace("$", "").replace(",", "").rstrip(".")
    try:
        f = float(value)
    except ValueError:
        return None
    return str(int(f)) if f.is_integer() else str(f)


def extract(item: Item, text: str) -> str | None:
    tail = None
    matches = list(_ANSWER_IS.finditer(text))
    if matches:
        tail = matches[-1].group("a")
    boxed = _BOXED.findall(text)  # LaTeX-style final answers (\boxed{42}) win over a later number
    if boxed and _number(boxed[-1]) is not None and item.kind == "numeric":
        return _number(boxed[-1])
    if item.kind == "numeric":
        return _number(tail) if tail and _number(tail) is not None else _number(text)
    if item.kind == "choice":
        letters = "".join(item.choices) or "ABCDE"
        pattern = re.compile(rf"\(?\b([{letters}])\b\)?")
        for source in ([tail] if tail else []) + [text]:
            found = pattern.findall(source)
            if found:
                return found[0] if source is tail else found[-1]
        return None
    return (tail or text).strip().strip(".*").strip() or None


def is_correct(item: Item, text: str) -> bool:
    got = extract(item, text)
    if got is None:
        return False
    if item.kind == "numeric":
        try:
            return abs(float(got) - float(item.gold)) < 1e-6
        except ValueError:
            return False
    if item.kind == "choice":
        return got == item.gold
    return got.lower().rstrip(".") == item.gold.lower().rstrip(".")
