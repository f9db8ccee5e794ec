"""Make `pii_cards_dev.jsonl`: payment card numbers and IBANs in the groupings people and generators
use (issue 16: "card numbers and IBANs in less common groupings").

    python benchmarks/data/make_pii_cards.py

Card numbers come from Faker's card providers (eight card types, Luhn-valid), regrouped in fours, in
the Amex 4-6-5 shape, in twos, threes, fives and sixes with the digit left over at the end, or not
at all, joined by spaces, dashes or dots. IBANs come from Faker's locale providers (30 countries),
written plain, in fours with spaces or dashes, in lower case, or in threes from the start
("GB8 2WE ..."). Eleven templates, with and without a card or bank word. The rules were tuned on this
set (development only). Deterministic for a given Faker version (fixed seeds).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from faker import Faker
from labelled import Builder

HERE = Path(__file__).resolve().parent
N = 400
LOCALES = ["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_PT", "en_GB", "fi_FI", "sv_SE", "no_NO", "da_DK",
           "cs_CZ", "hu_HU", "ro_RO", "tr_TR", "el_GR", "sk_SK", "bg_BG", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "et_EE",
           "de_AT", "de_CH", "fr_BE", "ar_SA", "en_IE", "uk_UA"]
CARD_TYPES = ["visa16", "mastercard", "amex", "discover", "jcb16", "diners", "maestro", "visa19"]
CARD_TEMPLATES = ["My card is {}.", "card number: {}", "Pay with {} please", "{}", "cc {} exp 04/27", "Visa {}",
                  "charge it to {} thanks"]
IBAN_TEMPLATES = ["IBAN {}", "send to {}", "account: {}", "Überweisung an {} bitte", "My IBAN is {}", "{}"]


def regroup(value: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i, j = [], 0, 0
    while i < len(value):
        size = sizes[min(j, len(sizes) - 1)]
        out.append(value[i : i + size])
        i, j = i + size, j + 1
    return sep.join(out)


def main() -> None:
    rng = random.Random(5)
    cards = Faker()
    cards.seed_instance(5)
    banks = {loc: Faker(loc) for loc in LOCALES}
    for loc in LOCALES:
        banks[loc].seed_instance(7)
    rows = []
    for k in range(N):
        if k % 2 == 0:
            digits = re.sub(r"\D", "", cards.credit_card_number(card_type=rng.choice(CARD_TYPES)))
            sizes = rng.choice([(4,), (4, 6, 5), (2, 6, 8), (6, 4, 6), (3,), (5,), (2,), (len(digits),)])
            value = regroup(digits, sizes, rng.choice([" ", "-", ".", " "]))
            before, _, after = rng.choice(CARD_TEMPLATES).partition("{}")
            kind = "CREDIT_CARD"
        else:
            iban = banks[rng.choice(LOCALES)].iban()
            shape = rng.choice(["plain", "fours", "dashes", "lower", "threes"])
            value = {"plain": iban, "fours": regroup(iban, (4,), " "), "dashes": regroup(iban, (4,), "-"),
                     "lower": regroup(iban, (4,), " ").lower(), "threes": regroup(iban, (3,), " ")}[shape]
            before, _, after = rng.choice(IBAN_TEMPLATES).partition("{}")
            kind = "IBAN_CODE"
        rows.append(Builder().add(before).add(value, kind).add(after).row())
    path = HERE / "pii_cards_dev.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(path, len(rows))


if __name__ == "__main__":
    main()
