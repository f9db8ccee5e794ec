"""A labelled message for the generated PII sets: text pieces joined, with where each labelled value
stands (shared by make_pii_intl.py and make_pii_heldout2.py)."""

from __future__ import annotations


class Builder:
    """Joins text pieces and records where labelled values stand."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.length = 0

    def add(self, piece: str, kind: str | None = None) -> Builder:
        if kind and piece:
            self.spans.append({"start": self.length, "end": self.length + len(piece), "type": kind, "value": piece})
        self.parts.append(piece)
        self.length += len(piece)
        return self

    def row(self, lower: bool = False) -> dict:
        text = "".join(self.parts)
        if lower and len(text.lower()) == len(text):
            text = text.lower()
            for s in self.spans:
                s["value"] = text[s["start"] : s["end"]]
        return {"text": text, "spans": self.spans}
