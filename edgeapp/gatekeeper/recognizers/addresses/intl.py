"""Street addresses beyond the US/UK shapes: house number after the street ("Hauptstraße 12",
"ul. Marszałkowska 104/122", "Rua Augusta 1450"), the lines of a postal block (a unit line such as
"Apt. 3" or "Suite 400", a postcode-and-town line in the shapes of many countries), a town or
country named right after an address, a postcode said with a cue ("my zip code is 90210-170"),
and street corners ("the corner of Bathurst and Queen").

Street types come from Faker's street suffixes and prefixes of about 40 locales (see `lexicon`);
a line counts as part of a postal block only next to another address line or after an address cue,
so a sentence that starts with a number and a capitalised word is left alone.

The rules are in intl_streets.py (one shape each), intl_blocks.py (chains and postal blocks),
postal_lines.py (a postal block's parts, line by line) and intl_tails.py (what follows an address),
their patterns in intl_patterns.py; `STAGES` runs them in a fixed order, each seeing what the ones
before it found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import regex

from . import intl_blocks, intl_streets, intl_tails, postal_lines
from .intl_streets import Scan
from .street_words import Found, StreetWords

Stage = Callable[[StreetWords, Scan, list[Found]], None]

STAGES: tuple[Stage, ...] = (
    intl_streets.streets_then_numbers,
    intl_streets.numbers_then_streets,
    intl_streets.anchored_streets,
    intl_streets.corners,
    intl_streets.cued_postcodes,
    intl_streets.lived_at,
    intl_streets.seeded,
    intl_streets.non_latin,
    intl_streets.numbered_grids,
    intl_streets.po_boxes,
    intl_blocks.chains,
    intl_blocks.secondary_parts,
    intl_blocks.postal_blocks,
    postal_lines.postal_lines,
    intl_tails.tails,
    intl_tails.places_after,
)


class IntlAddresses(StreetWords):
    """The international address shapes, called by `AddressRecognizer` with spaCy's places and the
    addresses its own shapes found."""

    def spans(
        self, text: str, places: list[tuple[int, int]], seeds: Iterable[tuple[int, int]] = ()
    ) -> list[Found]:
        """Every address and address part the stages find, untrimmed."""
        scan = Scan(text, places, list(seeds), lower=not regex.search(r"\p{Lu}", text[1:]))
        found: list[Found] = []
        for stage in STAGES:
            stage(self, scan, found)
        return found

    def __call__(
        self, text: str, places: list[tuple[int, int]], seeds: Iterable[tuple[int, int]] = ()
    ) -> Iterable[Found]:
        """The addresses, without the spaces and punctuation around them."""
        for start, end, score in self.spans(text, places, seeds):
            while end > start and text[end - 1] in " \t\n,;:.":
                end -= 1
            while start < end and text[start] in " \t\n,;:":
                start += 1
            if end > start:
                yield start, end, score
