"""Words known with or without their accents: "Siobhán" is found where a list has "siobhan"."""

from __future__ import annotations

import unicodedata


def fold(word: str) -> str:
    """Without accents: "siobhán" -> "siobhan", "zsófia" -> "zsofia" (ASCII words come back as they are)."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


class Folding(frozenset):
    """A word list that also knows a word by its letters without accents, either way round:
    "Siobhán" when the list has "siobhan", "Zsofia" when it has "zsófia"."""

    def __contains__(self, word: object) -> bool:
        return frozenset.__contains__(self, word) or (
            isinstance(word, str) and not word.isascii() and frozenset.__contains__(self, fold(word))
        )
