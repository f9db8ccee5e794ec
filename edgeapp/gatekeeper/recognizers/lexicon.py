"""Word lists from well-kept packages, read once per process (nothing is downloaded).

- first names and surnames: Faker's person providers, about 80 locales (Latin-script entries only);
- place names (countries, cities, states, provinces): Faker's address providers, to keep a first
  name that is also a place ("Jordan", "Florence") from being taken for a person on its own;
- street-type words ("straße", "ulica", "Rua", "Marg"...): Faker's street suffixes and prefixes;
- English words as a dictionary writes them in lower case ("will", "grace", "mark"): the words of
  `english-words`' web2 list written in lower case that its GCIDE list has too. A first name that is also such a word needs more evidence than the
  list to be taken for a name.
"""

from __future__ import annotations

import functools
import importlib
import os
import pickle
import pkgutil
import re
import unicodedata

CONTINENTS = {
    "africa",
    "america",
    "americas",
    "antarctica",
    "asia",
    "europe",
    "oceania",
    "australia",
    "eurasia",
}
_LATIN = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
MONTHS_AND_DAYS = set(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday""".split()
)


def _latin(word: str) -> bool:
    if not _LATIN.match(word):
        return False
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in word if ch.isalpha())


# lists that hold street or place names rather than street types
_NOT_TYPES = {
    ("fi_FI", "street_prefixes"),
    ("sv_SE", "street_prefixes"),
    ("en_MS", "street_suffixes"),
    ("es_AR", "street_suffixes"),
    ("es_CL", "street_suffixes"),
    ("es_CO", "street_suffixes"),
}


def _provider_lists(package: str, attrs: tuple[str, ...]) -> set[str]:
    pkg = importlib.import_module(package)
    out: set[str] = set()
    for info in [None, *pkgutil.iter_modules(pkg.__path__)]:  # the package's own provider, then each locale's
        name = info.name if info else ""
        wanted = [attr for attr in attrs if (name, attr) not in _NOT_TYPES]
        try:
            module = importlib.import_module(f"{package}.{name}" if name else package)
        except Exception:  # noqa: BLE001 - a locale that does not import is skipped
            continue
        provider = getattr(module, "Provider", None)
        for attr in wanted:
            values = vars(provider).get(attr) if provider is not None else None
            if isinstance(values, dict):
                values = list(values)
            if isinstance(values, (list, tuple, set)):
                out.update(v for v in values if isinstance(v, str))
    return out


def _english_lower() -> frozenset[str]:
    from english_words import get_english_words_set

    # in both dictionaries: Webster's web2 as written in lower case (so "John" is not there but "will" is) and
    # GCIDE; either alone holds many rare words that are names too ("sten", "lina", "paula")
    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    gcide = get_english_words_set(["gcide"], lower=True, alpha=True)
    return frozenset(w for w in web2 if w.islower() and w in gcide) | MONTHS_AND_DAYS


def fold(word: str) -> str:
    """Without accents: "siobhán" -> "siobhan", "zsófia" -> "zsofia" (ASCII words come back as they are)."""
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


class Folding(frozenset):
    """A word list that also knows a word by its letters without accents, either way round:
    "Siobhán" when the list has "siobhan", "Zsofia" when it has "zsófia"."""

    def __contains__(self, word) -> bool:
        return frozenset.__contains__(self, word) or (
            isinstance(word, str) and not word.isascii() and frozenset.__contains__(self, fold(word))
        )


def _names(attrs: tuple[str, ...]) -> frozenset[str]:
    names = {n.lower() for n in _provider_lists("faker.providers.person", attrs) if len(n) > 1 and _latin(n)}
    return frozenset(names | {fold(n) for n in names})


def _places() -> frozenset[str]:
    values = _provider_lists(
        "faker.providers.address",
        (
            "countries",
            "cities",
            "states",
            "provinces",
            "regions",
            "counties",
            "real_city_names",
            "city_names",
            "metro_manila_lgus",
        ),
    )
    out = set(CONTINENTS)
    for value in values:
        first = value.split()[0] if value.split() else ""
        if _latin(first):
            out.add(first.lower())
    return frozenset(out)


def _street_words() -> frozenset[str]:
    values = _provider_lists(
        "faker.providers.address",
        (
            "street_suffixes",
            "street_suffixes_long",
            "street_suffixes_short",
            "street_prefixes",
            "street_prefixes_long",
            "street_prefixes_short",
        ),
    )
    out = set()
    for value in values:
        for word in value.split():
            word = word.strip().lower()
            if len(word.rstrip(".")) > 1 and _latin(word.rstrip(".")) and word != "of":
                out.add(word)
    return frozenset(out)


def _versions() -> str:
    from importlib.metadata import version

    from ...paths import resource

    places = resource("gatekeeper", "places.txt.gz").stat().st_size  # the bundled list changes with its size
    return f"{_SCHEMA}-faker{version('faker')}-ew{version('english-words')}-places{places}"


def _place_lists(kind: str) -> frozenset[str]:
    from .places import read_bundled

    return read_bundled()[kind]


_SCHEMA = 6


@functools.cache
def lexicon() -> dict[str, frozenset[str]]:
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


_BUILDERS = {
    "english_lower": _english_lower,
    "first_names": lambda: _names(
        ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
    ),
    "last_names": lambda: _names(("last_names", "last_names_male", "last_names_female")),
    "places": _places,
    "street_words": _street_words,
    "place_names": lambda: _place_lists("names"),
    "place_regions": lambda: _place_lists("regions"),
}


def english_lower() -> frozenset[str]:
    """English words that a dictionary writes in lower case."""
    return lexicon()["english_lower"]


@functools.cache
def first_names() -> Folding:
    """Lower-cased first names of many countries, with and without their accents."""
    return Folding(lexicon()["first_names"])


@functools.cache
def last_names() -> Folding:
    return Folding(lexicon()["last_names"])


def places() -> frozenset[str]:
    """Lower-cased place names (the first word of multi-word ones)."""
    return lexicon()["places"]


def street_words() -> frozenset[str]:
    """Lower-cased street-type words of many countries ("straße", "ulica", "rua", "vej")."""
    return lexicon()["street_words"]


def load_all() -> None:
    """Read every list now (at start-up) rather than on the first message."""
    lexicon()
