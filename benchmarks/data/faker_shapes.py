"""Values for the issue-27 shape sets (`make_pii_heldout3.py`, `make_pii_shapes_dev.py`): names,
postal-block parts, card numbers and grouped phone numbers, all drawn from Faker's locale providers.

Only the values live here; each set has its own templates and its own seed. Names of the Cyrillic
locales (uk_UA, ru_RU, bg_BG) are transliterated to Latin letters, the way such names are written in
English text ("Oksana P. Hryhorenko"); the gatekeeper's name lists hold Faker's Latin-script entries
only, so these transliterated names are ones it does not know. Deterministic for a given Faker
version and seed (the sets were made with Faker 40.63.0).
"""

from __future__ import annotations

import os
import random
import re
import sys

from faker import Faker

# Latin-script locales for names; `en_*` are left out where a non-English name is asked for
NAME_LOCALES = [
    "hu_HU", "pl_PL", "cs_CZ", "sk_SK", "fi_FI", "sv_SE", "no_NO", "da_DK", "nl_NL", "de_DE", "fr_FR", "it_IT",
    "es_ES", "pt_BR", "pt_PT", "ro_RO", "hr_HR", "sl_SI", "tr_TR", "lv_LV", "lt_LT", "et_EE", "is_IS", "ga_IE",
    "id_ID", "az_AZ", "es_MX", "es_CO", "en_IE", "en_GB", "en_US", "en_IN",
]
CYRILLIC_LOCALES = ["uk_UA", "ru_RU", "bg_BG"]

# postal blocks: locales whose addresses are written "number street", with the country's name for
# "Latvia 10432"; several of them (lv_LV, lt_LT, et_EE, is_IS...) fall back to Faker's US-shaped
# address provider with the locale's own names in the street and town
ADDRESS_LOCALES = {
    "en_US": "USA", "lv_LV": "Latvia", "lt_LT": "Lithuania", "et_EE": "Estonia", "is_IS": "Iceland",
    "ga_IE": "Ireland", "de_LI": "Liechtenstein", "de_LU": "Luxembourg", "tr_TR": "Turkey", "sq_AL": "Albania",
    "bs_BA": "Bosnia and Herzegovina", "mt_MT": "Malta", "en_CA": "Canada", "en_AU": "Australia",
    "en_GB": "United Kingdom", "en_NZ": "New Zealand", "de_DE": "Germany", "de_AT": "Austria",
    "de_CH": "Switzerland", "fr_FR": "France", "es_ES": "Spain", "it_IT": "Italy", "nl_NL": "Netherlands",
    "pl_PL": "Poland", "pt_BR": "Brazil", "pt_PT": "Portugal", "fi_FI": "Finland", "sv_SE": "Sweden",
    "no_NO": "Norway", "da_DK": "Denmark", "cs_CZ": "Czech Republic", "sk_SK": "Slovakia", "hu_HU": "Hungary",
    "ro_RO": "Romania", "hr_HR": "Croatia", "sl_SI": "Slovenia", "id_ID": "Indonesia", "es_CL": "Chile",
    "es_CO": "Colombia", "es_AR": "Argentina",
}

_UK = {"г": "h", "ґ": "g", "е": "e", "є": "ye", "и": "y", "і": "i", "ї": "yi", "й": "i", "х": "kh", "щ": "shch"}
_RU = {"г": "g", "е": "e", "ё": "yo", "и": "i", "й": "y", "х": "kh", "щ": "shch", "ы": "y", "э": "e", "ъ": ""}
_BG = {"г": "g", "е": "e", "и": "i", "й": "y", "х": "h", "щ": "sht", "ъ": "a"}
_COMMON = {"а": "a", "б": "b", "в": "v", "д": "d", "ж": "zh", "з": "z", "к": "k", "л": "l", "м": "m", "н": "n",
           "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "ц": "ts", "ч": "ch", "ш": "sh",
           "ь": "", "ю": "yu", "я": "ya", "'": "", "’": ""}
_TABLES = {"uk_UA": _UK, "ru_RU": _RU, "bg_BG": _BG}

# Presidio 2.2.366's CreditCardRecognizer pattern (a number it can find, before its Luhn check)
PRESIDIO_CARD = re.compile(
    r"\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2})|(6\d{3})|(1\d{3})|(3\d{3}))[- ]?(\d{3,4})[- ]?(\d{3,4})[- ]?(\d{3,5})\b"
)


def fixed_hash_seed() -> None:
    """Run this script again with PYTHONHASHSEED=0 unless it is set so: a few of Faker's locale lists
    are sets (it_IT's towns), whose order, and so the value a seed picks, depends on the hash seed."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})


def transliterate(word: str, locale: str) -> str:
    table = {**_COMMON, **_TABLES[locale]}
    out = []
    for ch in word:
        low = ch.lower()
        piece = table.get(low, ch)
        out.append(piece.capitalize() if ch != low else piece)
    return "".join(out)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def regroup(digits: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for size in sizes:
        out.append(digits[i : i + size])
        i += size
    assert i == len(digits), (digits, sizes)
    return sep.join(out)


class Values:
    """Faker-drawn values, one Faker instance per locale, each seeded from `seed`."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._fakers: dict[str, Faker] = {}
        self.seed = seed

    def faker(self, locale: str) -> Faker:
        if locale not in self._fakers:
            fk = Faker(locale)
            fk.seed_instance(self.seed * 1000 + len(self._fakers))
            self._fakers[locale] = fk
        return self._fakers[locale]

    # -- people --------------------------------------------------------------------------------------
    def _locale(self, english: bool = True, cyrillic: float = 0.25) -> str:
        if self.rng.random() < cyrillic:
            return self.rng.choice(CYRILLIC_LOCALES)
        pool = NAME_LOCALES if english else [x for x in NAME_LOCALES if not x.startswith("en_")]
        return self.rng.choice(pool)

    def _name(self, kind: str, locale: str, gender: str | None = None) -> str:
        fk = self.faker(locale)
        make = getattr(fk, f"{kind}_{gender}", None) if gender else None
        make = make or getattr(fk, kind)
        for _ in range(20):
            value = make()
            value = transliterate(value, locale) if locale in _TABLES else value
            if " " not in value and len(value) > 2 and not any(ch.isdigit() for ch in value):
                return value
        return value

    def first(self, english: bool = True, cyrillic: float = 0.25) -> str:
        return self._name("first_name", self._locale(english, cyrillic))

    def last(self, english: bool = True, cyrillic: float = 0.25) -> str:
        return self._name("last_name", self._locale(english, cyrillic))

    def full(self, english: bool = True, cyrillic: float = 0.25) -> str:
        """A first name and a surname of one locale and one gender (where the locale has both)."""
        locale, gender = self._locale(english, cyrillic), self.rng.choice(["male", "female"])
        return f"{self._name('first_name', locale, gender)} {self._name('last_name', locale, gender)}"

    def with_initial(self) -> str:
        """A first name, a middle initial and a non-English surname ("Oksana P. Hryhorenko")."""
        locale, gender = self._locale(english=False, cyrillic=0.4), self.rng.choice(["male", "female"])
        first, middle, last = (self._name(k, locale, gender) for k in ("first_name", "first_name", "last_name"))
        return f"{first} {middle[0].upper()}. {last}"

    # -- postal blocks -------------------------------------------------------------------------------
    def address(self) -> dict:
        """The parts of one postal address: number, street, flat, town, region (two letters, or
        None), postcode, country (the country is not labelled)."""
        locale = self.rng.choice(sorted(ADDRESS_LOCALES))
        fk, us = self.faker(locale), self.faker("en_US")
        number = ""
        for _ in range(10):
            number = fk.building_number().rstrip(".")
            if re.fullmatch(r"\d+[A-Za-z]?", number):
                break
        if not re.fullmatch(r"\d+[A-Za-z]?", number):
            number = us.building_number()
        try:
            flat = fk.secondary_address()
        except AttributeError:
            flat = us.secondary_address()
        if not re.search(r"[A-Za-z]", flat) or not re.search(r"\d", flat):
            flat = us.secondary_address()
        region = None
        for attr in ("state_abbr", "province_abbr"):
            try:
                region = getattr(fk, attr)()
                break
            except AttributeError:
                continue
        if region is not None and not re.fullmatch(r"[A-Z]{2}", region):
            region = None
        return {
            "number": number, "street": fk.street_name(), "flat": " ".join(flat.split()), "town": fk.city(),
            "region": region, "postcode": fk.postcode(), "country": ADDRESS_LOCALES[locale], "locale": locale,
        }

    # -- cards ---------------------------------------------------------------------------------------
    def jcb15(self, grouped: float = 0.3) -> str:
        """A 15-digit card number of the old JCB ranges (2131..., 1800...), valid Luhn."""
        digits = re.sub(r"\D", "", self.faker("en_US").credit_card_number(card_type="jcb15"))
        assert len(digits) == 15 and digits[:4] in ("2131", "1800") and luhn_ok(digits), digits
        if self.rng.random() < grouped:
            sizes = self.rng.choice([(4, 4, 4, 3), (4, 6, 5)])
            return regroup(digits, sizes, self.rng.choice([" ", "-"]))
        return digits

    def other_card(self) -> str:
        """A card number in a shape Presidio's CreditCardRecognizer finds (its pattern, Luhn)."""
        kind, sizes = self.rng.choice([
            ("visa16", (4, 4, 4, 4)), ("visa16", (16,)), ("mastercard", (4, 4, 4, 4)), ("mastercard", (16,)),
            ("amex", (4, 6, 5)), ("amex", (15,)), ("discover", (4, 4, 4, 4)), ("diners", (4, 6, 4)),
            ("jcb16", (4, 4, 4, 4)), ("visa13", (13,)),
        ])
        for _ in range(50):
            digits = re.sub(r"\D", "", self.faker("en_US").credit_card_number(card_type=kind))
            if kind == "mastercard" and not digits.startswith("5"):
                continue  # Presidio's pattern knows the 51-55 range, not the 2-series
            value = regroup(digits, sizes, self.rng.choice([" ", " ", "-"]))
            match = PRESIDIO_CARD.search(value)
            if luhn_ok(digits) and match and match.group(0) == value:
                return value
        raise AssertionError(kind)

    # -- phones --------------------------------------------------------------------------------------
    def phone(self, sizes: tuple[int, ...], sep: str = " ") -> str:
        """The last sum(sizes) digits of a Faker phone number (a random locale), in those groups."""
        n = sum(sizes)
        while True:
            raw = self.faker(self.rng.choice(NAME_LOCALES)).phone_number()
            digits = re.sub(r"\D", "", re.split(r"\s*(?:x|ext)", raw)[0])
            if len(digits) >= n and digits[-n] != "0":
                return regroup(digits[-n:], sizes, sep)
