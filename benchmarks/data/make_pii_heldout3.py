"""Make `pii_heldout3.jsonl`: the third held-out set, in the four shapes issue 27 lists, written and
committed before any rule for those shapes.

    .venv/bin/python benchmarks/data/make_pii_heldout3.py      # Faker 40.63.0 (an edgeapp dev dependency)

Shapes (templates of this file only; `make_pii_shapes_dev.py` has its own for the development set):
- postal blocks over several lines, each line indented by a space, under a header ("Billing
  address:", "Ship to:"), under a name line, or both: "number street flat" on the first line (or the
  flat on a line of its own), the town in capitals on its own line, a two-letter region code on its
  own line where the country has one, the postcode alone on the last line or after the country
  ("Latvia 10432"). Each part is its own ADDRESS value: house number, street name, flat, town,
  region code, postcode (the country is not labelled);
- surnames alone in a list, names after credit labels ("Directed By:", "Cast:", "Written by"),
  speaker labels at the start of dialogue lines, names with a middle initial and a non-English
  surname inside a longer sentence (PERSON);
- 15-digit card numbers of the old JCB ranges (1800..., 2131..., Luhn-valid) after a card word, and
  card numbers in the shapes Presidio's CreditCardRecognizer finds (CREDIT_CARD);
- phone numbers of 7 to 9 digits in groups after "at", "to", "on my registered" (PHONE_NUMBER);
and messages with no personal data at all. About one message in five is written in lower case.

Every value comes from Faker's locale providers (see `faker_shapes.py`). Measured as totals only:
its misses are never printed or read (benchmarks/data/README.md).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from faker_shapes import Values, fixed_hash_seed
from labelled import Builder

HERE = Path(__file__).resolve().parent
SEED = 27_3003
LOWER = 0.2


# -- postal blocks ---------------------------------------------------------------------------------
def block(r: random.Random, v: Values, m: Builder, name: bool = False) -> None:
    """A postal block, each line indented by a space; each part labelled on its own."""
    a = v.address()
    if name:
        m.add(" ")
        m.add(v.full(), "PERSON")
        m.add("\n")
    flat_where = r.choice(["same", "same", "comma", "own", "none"])
    m.add(" ")
    m.add(a["number"], "ADDRESS")
    m.add(" ")
    m.add(a["street"], "ADDRESS")
    if flat_where in ("same", "comma"):
        m.add(" " if flat_where == "same" else ", ")
        m.add(a["flat"], "ADDRESS")
    elif flat_where == "own":
        m.add("\n ")
        m.add(a["flat"], "ADDRESS")
    m.add("\n ")
    m.add(a["town"].upper() if r.random() < 0.85 else a["town"], "ADDRESS")
    if a["region"] and r.random() < 0.8:
        m.add("\n ")
        m.add(a["region"], "ADDRESS")
    if r.random() < 0.5:
        m.add("\n ")
    else:
        m.add(f"\n {a['country']} ")
    m.add(a["postcode"], "ADDRESS")


HEADERS = ["Billing address:", "Ship to:", "Shipping address:", "Mailing address:", "Deliver to:",
           "Billing Address:", "SHIP TO:"]


def t_header_block(r, v, m):
    m.add(r.choice(["Can you check this order form before I send it?\n\n", "Is this address complete?\n\n",
                    "Fix the layout of this for a label:\n\n", ""]))
    m.add(r.choice(HEADERS) + "\n")
    block(r, v, m)
    m.add(r.choice(["", "\n", "\n\nThanks!", "\n\nPlease confirm the delivery date."]))


def t_name_block(r, v, m):
    m.add(r.choice(["Please print a shipping label for\n", "Send the replacement part to:\n",
                    "The customer's details are below.\n", "Here is where the gift should go:\n"]))
    block(r, v, m, name=True)
    m.add(r.choice(["", "\nHow much would express delivery cost?", "\n\nWrite a short note to go with it."]))


def t_header_name_block(r, v, m):
    m.add(r.choice(["Order #", "Invoice no. ", "Ref "]) + f"{r.randint(10000, 99999)}\n")
    m.add(r.choice(HEADERS) + "\n")
    block(r, v, m, name=True)
    m.add(r.choice(["\nItems: 2 x desk lamp", "\nPaid by bank transfer", ""]))
    m.add("\n\nTurn this into a polite confirmation e-mail.")


def t_two_blocks(r, v, m):
    m.add("Billing address:\n")
    block(r, v, m, name=r.random() < 0.5)
    m.add("\n\nShip to:\n")
    block(r, v, m, name=r.random() < 0.5)
    m.add("\n\nWhy would the shop ask for both?")


def t_moved_block(r, v, m):
    m.add(r.choice(["Hi, we have moved. Our new address is\n", "Update my account, the address is now:\n",
                    "From next month please write to me at\n"]))
    block(r, v, m)
    m.add(r.choice(["\nWhat else should I update after a move?", "\nThanks.", ""]))


# -- people --------------------------------------------------------------------------------------------
def names_list(m: Builder, r: random.Random, names: list[str]) -> None:
    for i, name in enumerate(names):
        if i:
            m.add(r.choice([" and ", " & "]) if i == len(names) - 1 else ", ")
        m.add(name, "PERSON")


def t_surname_list(r, v, m):
    names = [v.last() for _ in range(r.randint(2, 4))]
    before, after = r.choice([
        ("our founders: ", ". Write a short 'about us' paragraph."),
        ("The three reviewers this year were ", ", all from different universities."),
        ("Thanks to ", " for the long hours on this release!"),
        ("On the shortlist: ", " - which of these firms should I call first?"),
        ("The partners, ", ", met in Lisbon to sign the deal."),
        ("Absent today: ", "."),
    ])
    m.add(before)
    names_list(m, r, names)
    m.add(after)


TITLES = ["The Quiet Harbour", "Salt and Iron", "A Winter in the Valley", "Paper Lanterns", "The Last Ferry",
          "Northern Lights Motel", "Under the Linden Tree", "Glass Mountain", "The Orchard Keeper's Son"]


def t_credits(r, v, m):
    m.add(f"{r.choice(TITLES)} ({r.randint(1962, 2024)})\n")
    lines = r.sample(["directed", "written", "cast", "music", "produced"], r.randint(2, 4))
    for line in lines:
        if line == "directed":
            m.add(r.choice(["Directed By: ", "Directed by: ", "Director: "]))
            m.add(v.full(), "PERSON")
        elif line == "written":
            m.add("Written by ")
            names_list(m, r, [v.full() for _ in range(r.randint(1, 2))])
        elif line == "cast":
            m.add("Cast: ")
            for i in range(r.randint(2, 4)):
                if i:
                    m.add(", ")
                m.add(v.full(), "PERSON")
        elif line == "music":
            m.add("Music: ")
            m.add(v.full(), "PERSON")
        else:
            m.add("Produced by ")
            m.add(v.full(), "PERSON")
        m.add("\n")
    m.add(r.choice(["\nWrite a two-sentence blurb for this film.", "\nIs this a real film?",
                    "\nFormat this as a table."]))


LINES = ["Not again…", "You said it would be ready by noon.", "I never promised that.", "Then who did?",
         "Put the kettle on, we're going to be here a while.", "Have you seen the keys?", "They were on the table.",
         "Stop shouting, the neighbours can hear you.", "Fine. Tomorrow, then.", "Where were you last night?"]


def t_dialogue(r, v, m):
    speakers = [v.first() for _ in range(2)]
    for i in range(r.randint(3, 4)):
        m.add(speakers[i % 2], "PERSON")
        m.add(": " + r.choice(LINES) + "\n")
    m.add(r.choice(["\nContinue this scene for five more lines.", "\nWhat is the mood of this exchange?",
                    "\nTranslate the dialogue into Spanish."]))


def t_middle_initial(r, v, m):
    before, after = r.choice([
        ("The report on groundwater levels, prepared by ", ", was accepted by the council without changes."),
        ("Yesterday the committee chaired by ", " voted to keep the library open on Sundays."),
        ("According to the letter from ", ", the contract ends in March; can you summarise my options?"),
        ("I was interviewed for the job by ", " and two engineers, and I think it went well."),
        ("Our landlord, ", ", says the heating will be fixed next week - how long should I wait?"),
        ("Please add a footnote crediting ", " for the photographs in chapter three."),
    ])
    m.add(before)
    m.add(v.with_initial(), "PERSON")
    m.add(after)


# -- cards and phones -------------------------------------------------------------------------------
def t_card(r, v, m):
    value = v.jcb15() if r.random() < 0.6 else v.other_card()
    before, after = r.choice([
        ("my card ", " was charged twice, how do I dispute it?"),
        ("card # ", " expires next month"),
        ("The payment with card # ", " failed. What can I do?"),
        ("please use my card ", " for the deposit"),
        ("Card number: ", "\nExpiry: 09/27"),
        ("I cancelled my card ", " but the subscription still renews."),
    ])
    m.add(before)
    m.add(value, "CREDIT_CARD")
    m.add(after)


PHONE_SHAPES = [(3, 4), (3, 2, 2), (2, 2, 3), (2, 3, 3), (4, 4), (2, 2, 2, 2), (3, 3, 2), (3, 3, 3), (2, 3, 2, 2),
                (3, 2, 2, 2), (1, 4, 4)]


def t_phone(r, v, m):
    value = v.phone(r.choice(PHONE_SHAPES), " " if r.random() < 0.85 else r.choice(["-", "."]))
    before, after = r.choice([
        ("no one picks up at ", ", is the office closed?"),
        ("She texts to ", " every evening but gets no answer."),
        ("I only get the codes on my registered number ", "."),
        ("the bank calls me on my registered mobile ", " - is that normal?"),
        ("You can reach the caretaker at ", " after 6 pm."),
        ("Forward the voicemail to ", " please."),
        ("Send the confirmation to ", " by SMS."),
    ])
    m.add(before)
    m.add(value, "PHONE_NUMBER")
    m.add(after)


# -- no personal data -------------------------------------------------------------------------------
CLEAN = [
    "The town had 47 220 residents in 2011 and 51 804 in 2021. What is the growth rate?",
    "Cast: the whole class. Directed by the drama teacher. How do I write a programme for the school play?",
    "Billing address: same as shipping. Is that enough for the form?",
    "Teacher: Open your books at page 12.\nStudent: Which book?\nWhat does this exchange show about the lesson?",
    "Q: How many minutes are in 3 hours?\nA: 180.\nIs this right?",
    "The meeting is at 10 30 in room 204, is that enough time to prepare?",
    "Convert 1 250 000 metres to kilometres.",
    "Our founders believed in slow travel. Write a tagline for a hiking company.",
    "Ship to: the warehouse in the north wing, dock 3. Rewrite this as a clear instruction.",
    "What is the difference between a suite and an apartment in hotel terms?",
    "My card was declined at the supermarket, what are the usual reasons?",
    "How do I call a landline from abroad?",
    "Written by hand, the recipe says 250 g flour, 2 eggs and 120 ml milk. How many pancakes is that?",
    "Directed By: unknown. Is it normal for old silent films to have no credits?",
    "The invoice total is 4 315 euros; the VAT at 21% is how much?",
    "Narrator: It was a cold morning.\nWhat tense is this line in?",
    "Which hotel suite sleeps 4 adults, a junior suite or a family room?",
    "The train leaves at 7 45 and arrives at 12 10. How long is the journey?",
    "A card game uses 52 cards in 4 suits; how many ways can I draw 5 cards?",
    "Please list the steps to register a phone number with a new bank.",
]


CLEAN_NUMBERS = [
    "A school orders {a} {b} pencils at {c} cents each. What is the total?",
    "The road is {a} {b} m long; how many km is that?",
    "At {d} 30 the bus was {c} minutes late. When did it arrive?",
    "Add {a} {b} and {c} {b}, then divide by {d}.",
    "The stadium holds {a} {b} people and {c}% of the seats were sold. How many tickets is that?",
]


def t_clean(r, v, m):
    if r.random() < 0.35:
        m.add(r.choice(CLEAN_NUMBERS).format(a=r.randint(11, 99), b=r.randint(100, 999), c=r.randint(12, 95),
                                             d=r.randint(6, 11)))
    else:
        m.add(r.choice(CLEAN))


TEMPLATES = [
    (t_header_block, 7), (t_name_block, 6), (t_header_name_block, 5), (t_two_blocks, 2), (t_moved_block, 4),
    (t_surname_list, 8), (t_credits, 8), (t_dialogue, 8), (t_middle_initial, 10),
    (t_card, 14), (t_phone, 14), (t_clean, 12),
]
N_MESSAGES = 520


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
    path = HERE / "pii_heldout3.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(path, len(rows), "messages", sum(len(row["spans"]) for row in rows), "values")


if __name__ == "__main__":
    main()
