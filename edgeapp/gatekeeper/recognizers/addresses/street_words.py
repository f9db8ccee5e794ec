"""The word tests the address rules share (`StreetWords`): street types from the lexicon (Faker's street
suffixes and prefixes of about 40 locales, and `EXTRA_TYPES`), glued to a name or not, places, English
words, and where an address ends after its flat and floor parts (`secondary_end`)."""

from __future__ import annotations

import regex

from ... import lexicon
from .intl_patterns import (
    EXTRA_TYPES,
    HYPHEN_TYPE,
    LOWER_FIRST,
    LOWER_PART,
    NOT_GLUED,
    PARTICLES,
    SECONDARY,
    SECONDARY_LOWER,
    STAIR,
)

Found = tuple[int, int, float]  # start, end, score: an address or a part of one


def out_near(found: list[Found], start: int, end: int) -> bool:
    """A found address within a line of this span."""
    return any(fs - 60 <= end and start <= fe + 60 for fs, fe, _ in found)


def secondary_end(text: str, end: int) -> int:
    """The end of an address after its flat, floor and building parts ("Calle de Toledo 87, 3º izq.",
    "Via Po 18, scala B, int. 7", "Blegdamsvej 9, 3. tv.", "Mannerheimintie 5 B 21")."""
    stair = STAIR.match(text, end) if end and text[end - 1].isdigit() else None
    if stair:
        end = stair.end()
    while (more := SECONDARY.match(text, end)) and "\n" not in more.group(0):
        end = more.end()
    return end


class StreetWords:
    """Street types, places and English words, and the tests over them."""

    def __init__(self) -> None:
        lexicon.load_all()
        self.streets = lexicon.street_words() | EXTRA_TYPES
        self.places = lexicon.places()
        self.english = lexicon.english_lower()
        # street types written glued to the name ("Kastanienallee", "Skolvägen", "Dosentinkuja"), by length
        glued: dict[int, set[str]] = {}
        for w in self.streets:
            if len(w) >= 3 and not w.endswith(".") and w not in NOT_GLUED:
                glued.setdefault(len(w), set()).add(w)
        self._glued = {n: frozenset(ws) for n, ws in sorted(glued.items(), reverse=True)}

    def glued(self, low: str) -> bool:
        """A street type glued to a name of at least three letters ("kastanienallee", "skolvägen"), or
        a Korean or Japanese one after a hyphen ("teheran-ro", "dosan-daero")."""
        return any(len(low) >= n + 3 and low[-n:] in ws for n, ws in self._glued.items()) or bool(
            HYPHEN_TYPE.match(low)
        )

    def type_word(self, word: str) -> bool:
        """A street type, on its own or glued to a name that is no English word."""
        low = word.lower()
        if low in self.streets or low.rstrip(".") + "." in self.streets:
            return True
        bare = low.rstrip(".,")
        return self.glued(bare) and bare not in self.english and bare.rstrip("s") not in self.english

    def street_start(self, words: list[str]) -> int | None:
        """Index of the first word of a street name that ends just before a house number, or None.
        The name needs a street type (capitalised, or one of `LOWER_FIRST` opening it) and a name
        word (a capitalised word that is no street type, or a type glued to a name)."""
        start, has_type, has_name, k = None, False, False, len(words) - 1
        while k >= 0:
            word = words[k].rstrip(",")
            if words[k].endswith(",") and k != len(words) - 1:
                break
            low = word.lower()
            if word[:1].isupper():
                if self.type_word(word):
                    has_type = True
                    has_name = has_name or self.glued(low.rstrip("."))
                else:
                    has_name = True
                start = k
            elif low in LOWER_FIRST and start is not None:
                has_type, start = True, k
                break  # "aleja Okrężna", "rue de la Paix": the type opens the name
            elif low in PARTICLES and start is not None:
                start = k
            else:
                break
            k -= 1
        if start is None or not (has_type and has_name):
            return None
        while start < len(words) - 1 and words[start].lower() in PARTICLES:
            start += 1
        return start

    def streetish(self, line: str) -> bool:
        """A short line with a house number and a capitalised word: "Vlaška 0a/6", "2144 Moore Terrace"."""
        bare = line.strip(" \t>")
        words = bare.split()
        if not 2 <= len(words) <= 9 or "@" in bare or regex.search(r"[?!:;]", bare):
            return False
        if sum(ch.isdigit() for ch in bare) > 8 or not regex.search(
            r"(?<![\p{L}\d])\d{1,5}[A-Za-z]?(?![\p{L}\d])", bare
        ):
            return False
        return any(w[:1].isupper() and any(ch.islower() for ch in w) for w in words)

    def named_number(self, value: str, lower: bool) -> bool:
        """A house number with a street's name next to it: a capitalised word, or in a lower-case message a
        word no English list knows or a street word ("12 Nguyen Hue", "shevchenka st 5", "5-2-1 ginza"; not
        "3 different offices")."""
        words = value.replace(",", " ").split()
        for i, w in enumerate(words):
            if not regex.fullmatch(r"\d{1,5}(?:[-/]\d{1,4}){0,3}[A-Za-z]?", w):
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(words):
                    nb = words[j].strip(".'")
                    if (
                        nb[:1].isupper()
                        if not lower
                        else (nb.isalpha() and (not self.english_tail(nb.lower()) or self.type_word(nb)))
                    ):
                        return True
        return False

    def lower_parts(self, text: str, end: int) -> int:
        """The end of a lower-case address after the parts that follow it with commas, each a place, a
        street, a postcode or words no English list knows ("..., chuo-ku, tokyo 104-0061", "..., lekki,
        lagos")."""
        while (part := LOWER_PART.match(text, end)) and "\n" not in part.group(0):
            words = regex.findall(r"[\p{L}\p{M}'-]+", part.group("v"))
            if not words and not regex.search(r"\d", part.group("v")):
                break
            if any(
                w in self.english and w not in self.streets and w not in self.places and len(w) > 3
                for w in words
            ):
                break
            end = part.end("v")
        return end

    def english_tail(self, value: str) -> bool:
        """A lower-case 'town' that is only English words ("1500 grams", "3 people"): no town."""
        words = [w for w in regex.findall(r"\p{L}[\p{L}\p{M}'-]*", value)]
        return not words or all(w in self.english or w.rstrip("s") in self.english for w in words)

    def place(self, value: str) -> bool:
        """A value whose first word, or one of its first two, is a place the lists know."""
        words = [w.lower() for w in regex.findall(r"\p{L}[\p{L}\p{M}'’-]*", value)]
        return bool(words) and (words[0] in self.places or any(w in self.places for w in words[:2]))

    def address_part(self, part: str) -> bool:
        """A piece with a house, flat or plot number: "17 Yeouido-ro", "Flat 12", "5th Main", "#08-221",
        "Kirchgasse 14" (a number and a street or unit word)."""
        if not regex.search(r"\d", part) or regex.fullmatch(r"(?:19|20)\d\d", part.strip()):
            return False
        words = part.split()
        if regex.match(r"\d|#", words[0]):
            return len(words) >= 2 or words[0].startswith("#")
        return any(self.type_word(w) or w.rstrip(".").lower() in SECONDARY_LOWER for w in words)
