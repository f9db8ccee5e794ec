"""Make `pii_shapes_dev.jsonl`: a development set in the four shapes of issue 27, to tune on. It has
the shapes of `pii_heldout3.jsonl` but none of its templates, and another seed.

    .venv/bin/python benchmarks/data/make_pii_shapes_dev.py     # Faker 40.63.0

- postal blocks indented by a space under other headers ("Invoice address:", "Recipient:",
  "Return address:"), in a signature, in a form with a "Customer:" line, with the flat after a comma
  or on its own line, the town in capitals, the region code on its own line, the postcode alone or
  after the country; each part its own ADDRESS value (house number, street name, flat, town, region
  code, postcode; the country is not labelled);
- surnames in lists ("Authors: X, Y and Z"), credits ("Starring:", "Screenplay:", "Director:",
  "Story by"), speaker labels in a transcript, a middle initial and a non-English surname in a
  sentence (PERSON);
- JCB numbers of 15 digits (1800..., 2131...) and other card shapes Presidio finds, after card words
  (CREDIT_CARD); phone numbers of 7 to 9 digits in groups after "at", "to", "on my registered"
  (PHONE_NUMBER);
- messages with no personal data; about one message in five in lower case.

Values from Faker's locale providers (`faker_shapes.py`).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from faker_shapes import Values, fixed_hash_seed
from labelled import Builder

HERE = Path(__file__).resolve().parent
SEED = 27_1001
LOWER = 0.2
N_MESSAGES = 420


def block(r: random.Random, v: Values, m: Builder, name: bool = False) -> None:
    a = v.address()
    if name:
        m.add(" ")
        m.add(v.full(), "PERSON")
        m.add("\n")
    m.add(" ")
    m.add(a["number"], "ADDRESS")
    m.add(" ")
    m.add(a["street"], "ADDRESS")
    where = r.choice(["same", "comma", "own", "own", "none"])
    if where != "none":
        m.add({"same": " ", "comma": ", ", "own": "\n "}[where])
        m.add(a["flat"], "ADDRESS")
    m.add("\n ")
    m.add(a["town"].upper() if r.random() < 0.8 else a["town"], "ADDRESS")
    if a["region"] and r.random() < 0.85:
        m.add("\n ")
        m.add(a["region"], "ADDRESS")
    m.add("\n " if r.random() < 0.45 else f"\n {a['country']} ")
    m.add(a["postcode"], "ADDRESS")


def t_invoice(r, v, m):
    m.add(r.choice(["Invoice address:\n", "Recipient:\n", "Return address:\n", "Address on file:\n"]))
    block(r, v, m, name=r.random() < 0.5)
    m.add(r.choice(["\n\nDoes this look right to you?", "\n\nRewrite this in one line.", ""]))


def t_signature(r, v, m):
    m.add(r.choice(["Make this e-mail shorter:\n\nThe samples arrived damaged, please send new ones.\n\nRegards,\n",
                    "Translate into French:\n\nThank you for the quick delivery.\n\nBest wishes,\n"]))
    block(r, v, m, name=True)


def t_customer_form(r, v, m):
    m.add("Customer:\n")
    block(r, v, m, name=True)
    m.add(f"\nAccount: {r.randint(1000, 9999)}\n\nWhat is missing from this record?")


def t_block_question(r, v, m):
    m.add(r.choice(["Will a parcel reach this address?\n", "My aunt asked me to post this to her:\n"]))
    block(r, v, m)


def t_authors(r, v, m):
    names = [v.last() for _ in range(r.randint(2, 4))]
    m.add(r.choice(["Authors: ", "Team leads: ", "Co-signed by ", "The firm was named after its partners "]))
    for i, name in enumerate(names):
        if i:
            m.add(" and " if i == len(names) - 1 else ", ")
        m.add(name, "PERSON")
    m.add(r.choice([". Cite this in APA style.", ".", " - who should I e-mail first?"]))


def t_film(r, v, m):
    m.add(r.choice(["Poster text:\n", "Programme note:\n", ""]))
    for label in r.sample(["Starring: ", "Screenplay: ", "Director: ", "Story by ", "Edited by "], r.randint(2, 3)):
        m.add(label)
        for i in range(r.randint(1, 3) if label == "Starring: " else 1):
            if i:
                m.add(", ")
            m.add(v.full(), "PERSON")
        m.add("\n")
    m.add(r.choice(["Proofread this.", "Make it fit on one line."]))


def t_transcript(r, v, m):
    m.add("Transcript of the call:\n")
    a, b = v.first(), v.first()
    for i in range(r.randint(2, 4)):
        m.add(a if i % 2 == 0 else b, "PERSON")
        m.add(": " + r.choice(["Hello, can you hear me?", "Yes, loud and clear.", "Let's start with the budget.",
                               "I'll send the slides after.", "We are ten minutes over."]) + "\n")
    m.add("Summarise the call in one sentence.")


def t_initial(r, v, m):
    before, after = r.choice([
        ("The paper was reviewed by ", " before it went to print, so the errors surprised me."),
        ("In the minutes it says ", " objected to the new parking rules; how do I phrase a reply?"),
        ("My thesis supervisor, ", ", wants the draft by Friday."),
    ])
    m.add(before)
    m.add(v.with_initial(), "PERSON")
    m.add(after)


def t_card(r, v, m):
    value = v.jcb15(grouped=0.4) if r.random() < 0.6 else v.other_card()
    before, after = r.choice([("Card no. ", " was declined at checkout."), ("my JCB card ", " is blocked, why?"),
                              ("charge card ", " please"), ("Refund to card ", " within 5 days.")])
    m.add(before)
    m.add(value, "CREDIT_CARD")
    m.add(after)


def t_phone(r, v, m):
    shapes = [(3, 4), (2, 2, 3), (2, 3, 3), (4, 4), (2, 2, 2, 2), (3, 3, 3), (2, 3, 2, 2), (3, 2, 2, 2), (3, 3, 2)]
    value = v.phone(r.choice(shapes), " " if r.random() < 0.8 else "-")
    before, after = r.choice([("Ring me at ", " tomorrow."), ("He sent the photos to ", " by mistake."),
                              ("Alerts go to my registered phone ", ", can I change that?"),
                              ("nobody answers at ", " today"), ("I was told to text to ", " for a refund.")])
    m.add(before)
    m.add(value, "PHONE_NUMBER")
    m.add(after)


CLEAN = [
    "Starring: a cat and a dog. Suggest a title for my short story.",
    "Recipient: all staff. How do I word a memo about the new holidays?",
    "Authors often use a pen name; why?",
    "Interviewer: Tell me about yourself.\nWhat is a good answer to this question?",
    "Population: 12 304 in 2020. What is 15% of that?",
    "The flight departs at 6 55; check-in closes 45 minutes before. When must I arrive?",
    "How do I dispute a card payment?",
    "Explain what a postcode is used for.",
    "Invoice address: see contract. Is that acceptable on an invoice?",
    "A box holds 144 pencils. How many boxes for 2 592 pencils?",
]


def t_clean(r, v, m):
    m.add(r.choice(CLEAN))


TEMPLATES = [
    (t_invoice, 8), (t_signature, 4), (t_customer_form, 5), (t_block_question, 5),
    (t_authors, 8), (t_film, 8), (t_transcript, 8), (t_initial, 10),
    (t_card, 12), (t_phone, 14), (t_clean, 10),
]


def build() -> list[dict]:
    r = random.Random(SEED)
    v = Values(SEED)
    funcs = [t for t, w in TEMPLATES for _ in range(w)]
    rows = []
    for _ in range(N_MESSAGES):
        m = Builder()
        r.choice(funcs)(r, v, m)
        row = m.row(lower=r.random() < LOWER)
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["value"], s
        rows.append(row)
    return rows


def main() -> None:
    fixed_hash_seed()
    rows = build()
    path = HERE / "pii_shapes_dev.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(path, len(rows), "messages", sum(len(row["spans"]) for row in rows), "values")


if __name__ == "__main__":
    main()
