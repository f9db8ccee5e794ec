"""The bundled list of real places: GeoNames' (CC BY 4.0) cities of 15,000 people or more, countries,
US states and continents, with Faker's states and provinces, written by `scripts/make_places.py` into
`resources/gatekeeper/places.txt.gz`. Each line is `city<TAB>name` or `region<TAB>name`, lower-cased.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from ...paths import resource

# one spelling for the abbreviations place names take ("Saint Louis" = "St. Louis")
SAME_ABBREVIATION = {
    "saint": "st",
    "st.": "st",
    "mount": "mt",
    "mt.": "mt",
    "fort": "ft",
    "ft.": "ft",
    "sainte": "ste",
    "ste.": "ste",
}


def bundled_file() -> Path:
    return resource("gatekeeper", "places.txt.gz")


def norm(name: str) -> str:
    """One spelling for the abbreviations place names take ("Saint Louis" = "St. Louis")."""
    return " ".join(SAME_ABBREVIATION.get(w, w) for w in name.replace(",", " ").split())


@functools.cache
def read_bundled() -> dict[str, frozenset[str]]:
    """The bundled list as two sets: every place name, and the regions among them. The lexicon keeps
    them in its start-up cache with the other word lists (read once for both of its entries)."""
    cities, regions = set(), set()
    with gzip.open(bundled_file(), "rt", encoding="utf-8") as fh:
        for line in fh:
            kind, _, name = line.rstrip("\n").partition("\t")
            (regions if kind == "region" else cities).add(norm(name))
    return {"names": frozenset(cities | regions), "regions": frozenset(regions)}
