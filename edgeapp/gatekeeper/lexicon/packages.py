"""Word lists read from well-kept installed packages (nothing is downloaded):

- first names and surnames: Faker's person providers, about 80 locales (Latin-script entries only);
- place names (countries, cities, states, provinces): Faker's address providers, to keep a first
  name that is also a place ("Jordan", "Florence") from being taken for a person on its own;
- street-type words ("straße", "ulica", "Rua", "Marg"...): Faker's street suffixes and prefixes;
- English words as a dictionary writes them in lower case ("will", "grace", "mark"): the words of
  `english-words`' web2 list written in lower case that its GCIDE list has too. A first name that is
  also such a word needs more evidence than the list to be taken for a name.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata

from .folding import fold
from .name_words import MONTHS_AND_DAYS

CONTINENTS = frozenset("africa america americas antarctica asia europe oceania australia eurasia".split())
FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
LAST_NAME_LISTS = ("last_names", "last_names_male", "last_names_female")
PLACE_LISTS = (
    "countries",
    "cities",
    "states",
    "provinces",
    "regions",
    "counties",
    "real_city_names",
    "city_names",
    "metro_manila_lgus",
)
STREET_LISTS = (
    "street_suffixes",
    "street_suffixes_long",
    "street_suffixes_short",
    "street_prefixes",
    "street_prefixes_long",
    "street_prefixes_short",
)
# lists that hold street or place names rather than street types
NOT_STREET_TYPES = {
    ("fi_FI", "street_prefixes"),
    ("sv_SE", "street_prefixes"),
    ("en_MS", "street_suffixes"),
    ("es_AR", "street_suffixes"),
    ("es_CL", "street_suffixes"),
    ("es_CO", "street_suffixes"),
}
_LATIN = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def latin(word: str) -> bool:
    """A word in Latin letters (with apostrophes and hyphens inside): "Zsófia", "O'Brien"."""
    if not _LATIN.match(word):
        return False
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in word if ch.isalpha())


def provider_lists(package: str, attrs: tuple[str, ...]) -> set[str]:
    """Every string in the lists `attrs` of the Faker provider `package` and of each of its locales."""
    pkg = importlib.import_module(package)
    out: set[str] = set()
    for info in [None, *pkgutil.iter_modules(pkg.__path__)]:  # the package's own provider, then each locale's
        name = info.name if info else ""
        wanted = [attr for attr in attrs if (name, attr) not in NOT_STREET_TYPES]
        try:
            module = importlib.import_module(f"{package}.{name}" if name else package)
        except Exception:  # noqa: BLE001 - a locale that does not import is skipped
            continue
        provider = vars(module).get("Provider")
        for attr in wanted:
            values = vars(provider).get(attr) if provider is not None else None
            if isinstance(values, dict):
                values = list(values)
            if isinstance(values, (list, tuple, set)):
                out.update(v for v in values if isinstance(v, str))
    return out


def english_lower() -> frozenset[str]:
    """In both dictionaries: Webster's web2 as written in lower case (so "John" is not there but "will"
    is) and GCIDE; either alone holds many rare words that are names too ("sten", "lina", "paula")."""
    from english_words import get_english_words_set

    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    gcide = get_english_words_set(["gcide"], lower=True, alpha=True)
    return frozenset(w for w in web2 if w.islower() and w in gcide) | MONTHS_AND_DAYS


def person_names(attrs: tuple[str, ...]) -> frozenset[str]:
    """The lower-cased names of Faker's person lists `attrs`, with and without their accents."""
    names = {n.lower() for n in provider_lists("faker.providers.person", attrs) if len(n) > 1 and latin(n)}
    return frozenset(names | {fold(n) for n in names})


def place_words() -> frozenset[str]:
    """The first word of each place Faker's address lists name, and the continents."""
    values = provider_lists("faker.providers.address", PLACE_LISTS)
    out = set(CONTINENTS)
    for value in values:
        first = value.split()[0] if value.split() else ""
        if latin(first):
            out.add(first.lower())
    return frozenset(out)


def street_type_words() -> frozenset[str]:
    """Each word of Faker's street suffixes and prefixes, lower-cased ("straße", "ulica", "rua")."""
    values = provider_lists("faker.providers.address", STREET_LISTS)
    out = set()
    for value in values:
        for word in value.split():
            word = word.strip().lower()
            if len(word.rstrip(".")) > 1 and latin(word.rstrip(".")) and word != "of":
                out.add(word)
    return frozenset(out)
