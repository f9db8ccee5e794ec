"""Make `pii_phones_dev.jsonl` and `pii_phones_heldout.jsonl`: phone numbers of every country in
the shapes people write them, for the gatekeeper's phone rules (issue 16's phone target).

    python benchmarks/data/make_pii_phones.py

The numbers come from `phonenumbers`' metadata (Google's libphonenumber), not from any labelled
corpus: for each region an example fixed-line or mobile number has its last digits redrawn until the
number is still valid there, then it is written in one of the shapes seen in the wild: the country's
own national format, the international format, E.164, the national digits regrouped (pairs, 3-3-4,
4-4, 2-3-3...) with spaces, dots or dashes, the area code in brackets, a trunk "(0)", a word glued on
after a dash ("-Office").

The regions are split in two by sorted order (alternate regions): the dev file uses one half and the
held-out file the other, with templates of their own, so the held-out file measures countries and
sentences the rules were never tuned on. Deterministic (fixed seeds; no hash-order dependence).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import phonenumbers
from labelled import Builder
from phonenumbers import PhoneNumberFormat, PhoneNumberType

HERE = Path(__file__).resolve().parent
N = 300
N_DEV = 500
REGIONS = sorted(r for r in phonenumbers.SUPPORTED_REGIONS if r != "001")
SPLIT = {"dev": REGIONS[0::2], "heldout": REGIONS[1::2]}
SEEDS = {"dev": 1_16_2026, "heldout": 2_16_2026}

# (before, after): phone words in several languages, or none at all
DEV_TEMPLATES = [
    ("Call me on ", " after six."), ("My mobile is ", ", text first."), ("Tel: ", ""), ("Phone: ", "\n"),
    ("You can reach the office at ", " during the week."), ("New number: ", " (old one is gone)."),
    ("Please ring ", " to confirm the booking."), ("WhatsApp ", " if you're running late."),
    ("Kontakt: Tel. ", ", Mo–Fr."), ("Mi número es ", ", escríbeme."), ("Appelez-moi au ", " ce soir."),
    ("Office ", "\nFax none"), ("", " is the landlord's number."), ("Emergency contact: ", ""),
    ("Best,\nThe front desk\n", ""), ("Reach the school on ", "."), ("cell ", " — after 5pm"),
    ("fix this csv row: Ahmed,", ",active"), ("| support line | ", " |"), ("SMS ", " with the code."),
    ("id,name,tel\n7,Mina,", "\n"), ("Phone number\n", "\n"), ("Dial ", " from the lobby phone."),
    ("Numer telefonu: ", ""), ("Puhelin ", ""), ("Telefonnummer: ", ""), ("Nummer ", " (privat)"),
    ("Reception desk — ", ""), ("the plumber (", ") said Tuesday"), ("Fax: ", "\nEmail: none"),
    ("Mobile\t", ""), ("Give Leila a ring on ", "."), ("Helpline ", ", open 24 hours."),
    ("You can also phone us: ", "."), ("Ph. ", ""), ("T ", " | W example.org"), ("Móvil: ", ""),
    ("", " (home)"), ("", " - mobile"), ("Direct line: ", "."),
]
HELDOUT_TEMPLATES = [
    ("Text me at ", " when you land."), ("Landline: ", ""), ("Contact number ", " (ask for reception)."),
    ("Telefone: ", "\n"), ("Numero di telefono: ", "."), ("Ring the site manager, ", ", before 9."),
    ("My cell number changed to ", "."), ("Handy: ", ""), ("Direct line ", " / ext. none"),
    ("For deliveries phone ", " and leave it at the gate."), ("Cheers,\nOla\n", ""), ("mob: ", ""),
    ("Le numéro du cabinet : ", "."), ("hotline ", " (24/7)"), ("Could you format this contact: tel ", "?"),
    ("", " — that's my work phone."), ("Call ", " for the keys."), ("Nummer: ", ""),
    ("name,phone\nSara,", ""), ("Dial ", " and press 2."),
]
TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)


def number_for(rng: random.Random, region: str):
    for kind in rng.sample(TYPES, 2):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        national = str(example.national_number)
        for _ in range(50):
            k = min(4, len(national) - 2)
            digits = national[:-k] + "".join(rng.choice("0123456789") for _ in range(k))
            candidate = phonenumbers.PhoneNumber(country_code=example.country_code, national_number=int(digits),
                                                 italian_leading_zero=example.italian_leading_zero)
            if phonenumbers.is_valid_number(candidate):
                return candidate
    return None


def regroup(rng: random.Random, digits: str) -> str:
    sizes = rng.choice([(2,), (3, 3, 4), (4, 4), (2, 3, 3), (3, 4), (3, 3), (4, 3, 3), (3, 2, 2)])
    groups, i, j = [], 0, 0
    while i < len(digits):
        size = sizes[min(j, len(sizes) - 1)]
        if len(digits) - i - size == 1:  # no one-digit tail
            size += 1
        groups.append(digits[i : i + size])
        i, j = i + size, j + 1
    return rng.choice([" ", "-", "."]).join(groups)


def written(rng: random.Random, num) -> str:
    national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
    shape = rng.choices(["national", "international", "e164", "regrouped", "bracketed", "trunk0"],
                        weights=[30, 25, 8, 22, 8, 7])[0]
    if shape == "national":
        return national
    if shape == "international":
        return phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
    if shape == "e164":
        return phonenumbers.format_number(num, PhoneNumberFormat.E164)
    digits = "".join(c for c in national if c.isdigit())
    if shape == "regrouped":
        return regroup(rng, digits)
    nsn = phonenumbers.national_significant_number(num)
    if shape == "bracketed":  # area code in brackets: "(37) 788-063"
        cut = rng.choice([2, 3]) if len(digits) > 7 else 2
        return f"({digits[:cut]}) {regroup(rng, digits[cut:])}"
    return f"+{num.country_code} (0){nsn[:2]} {regroup(rng, nsn[2:])}"  # "+44 (0)20 ..."


def make(split: str) -> list[dict]:
    rng = random.Random(SEEDS[split])
    templates = DEV_TEMPLATES if split == "dev" else HELDOUT_TEMPLATES
    rows = []
    while len(rows) < (N_DEV if split == "dev" else N):
        num = number_for(rng, rng.choice(SPLIT[split]))
        if num is None:
            continue
        phone = written(rng, num)
        before, after = rng.choice(templates)
        if rng.random() < 0.08:
            after = rng.choice(["-Office", "-Fax", " -Home"]) + after  # "516 466 638-Office"
        rows.append(Builder().add(before).add(phone, "PHONE_NUMBER").add(after).row())
    return rows


def main() -> None:
    for split in SPLIT:
        path = HERE / f"pii_phones_{split}.jsonl"
        rows = make(split)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(path, len(rows))


if __name__ == "__main__":
    main()
