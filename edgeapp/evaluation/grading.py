"""Pull the final answer out of a model's text and compare it with the gold answer."""

from __future__ import annotations

import re

from ..confidence.answer_text import answer_tail, final_number
from .datasets import Item


def extract(item: Item, text: str) -> str | None:
    if item.kind == "numeric":
        return final_number(text)
    tail = answer_tail(text)
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
