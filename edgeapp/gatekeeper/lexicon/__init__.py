"""The gatekeeper's word lists, read once per process and kept in a start-up cache.

- `packages`: first names, surnames, places, street types and English words from installed packages;
- `place_list`: the bundled GeoNames list of real places (`resources/gatekeeper/places.txt.gz`);
- `name_words`: hand-kept tables about names (stop words, number words, products, chat words);
- `folding`: looking a word up with or without its accents.

Data only: nothing here imports a recognizer, so every recognizer and the resolution stage can import
the lists.
"""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Callable

from . import packages, place_list
from .folding import Folding, fold
from .name_words import MONTHS_AND_DAYS

__all__ = [
    "MONTHS_AND_DAYS",
    "Folding",
    "all_lists",
    "english_lower",
    "first_names",
    "fold",
    "last_names",
    "load_all",
    "place_names",
    "place_regions",
    "places",
    "street_words",
]

_SCHEMA = 6  # raise it when a list is built differently: the cached copy is then read afresh


def _versions() -> str:
    from importlib.metadata import version

    places = place_list.bundled_file().stat().st_size  # the bundled list changes with its size
    return f"{_SCHEMA}-faker{version('faker')}-ew{version('english-words')}-places{places}"


_BUILDERS: dict[str, Callable[[], frozenset[str]]] = {
    "english_lower": packages.english_lower,
    "first_names": lambda: packages.person_names(packages.FIRST_NAME_LISTS),
    "last_names": lambda: packages.person_names(packages.LAST_NAME_LISTS),
    "places": packages.place_words,
    "street_words": packages.street_type_words,
    "place_names": lambda: place_list.read_bundled()["names"],
    "place_regions": lambda: place_list.read_bundled()["regions"],
}


@functools.cache
def all_lists() -> dict[str, frozenset[str]]:
    """Every list, read from the packages once and kept in the cache dir (reading the packages takes
    about a second; the cached copy a tenth of that). A broken cache is rebuilt."""
    from ...paths import cache_dir

    path = None
    try:
        path = cache_dir() / f"gatekeeper-lexicon-{_versions()}.pickle"
        with open(path, "rb") as fh:
            cached = pickle.load(fh)
        if isinstance(cached, dict) and set(cached) == set(_BUILDERS):
            return cached
    except Exception:  # noqa: BLE001 - no cache yet, or an unreadable one: build it
        pass
    lists = {name: build() for name, build in _BUILDERS.items()}
    if path is not None:
        try:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(lists, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
    return lists


def english_lower() -> frozenset[str]:
    """English words that a dictionary writes in lower case."""
    return all_lists()["english_lower"]


@functools.cache
def first_names() -> Folding:
    """Lower-cased first names of many countries, with and without their accents."""
    return Folding(all_lists()["first_names"])


@functools.cache
def last_names() -> Folding:
    """Lower-cased surnames of many countries, with and without their accents."""
    return Folding(all_lists()["last_names"])


def places() -> frozenset[str]:
    """Lower-cased place names (the first word of multi-word ones)."""
    return all_lists()["places"]


def street_words() -> frozenset[str]:
    """Lower-cased street-type words of many countries ("straße", "ulica", "rua", "vej")."""
    return all_lists()["street_words"]


def place_names() -> frozenset[str]:
    """Every name of the bundled place list, lower-cased, abbreviations as `place_list.norm` writes them."""
    return all_lists()["place_names"]


def place_regions() -> frozenset[str]:
    """The countries, states, provinces and continents of the bundled place list."""
    return all_lists()["place_regions"]


def load_all() -> None:
    """Read every list now (at start-up) rather than on the first message."""
    all_lists()
