"""Make `pii_heldout4.jsonl`: the fourth held-out set, in the shapes issue 27 lists, written and
committed before the second round of rules for those shapes (the round that turned `heldout3` into a
development set).

    python benchmarks/data/make_pii_heldout4.py      # Faker 40.63.0; re-runs itself with PYTHONHASHSEED=0

None of the templates of `make_pii_heldout3.py` or `make_pii_shapes_dev.py`:
- postal blocks under other headers ("Remit to:", "Consignee:", "Bill to:", "Attn:" lines, a company
  line), indented by one space, two spaces or a tab, with the flat before or after the street, the
  town in capitals or not, the region code on its own line, the postcode alone or after the country;
  each part its own ADDRESS value (house number, street, flat, town, region code, postcode);
- people: surnames in lists after other words ("present:", "the defendants", "the law firm of",
  "co-authored by", "in the photo, left to right:"); credits of books, records and plays ("Screenplay
  by", "Starring", "Edited By:", "Cinematography:", "Narrated by", "Illustrated by", "Lyrics:"); speakers
  of a play in capitals, of a chat log after a time stamp, of an interview; a middle initial (with or
  without its dot) inside long sentences of e-mails and reports (PERSON);
- card numbers: 15-digit JCB of the old ranges after other card words, and the shapes Presidio finds
  (CREDIT_CARD);
- phone numbers of 7 to 9 digits in groups after "at", "to", "on", "on my registered" in new sentences
  (PHONE_NUMBER);
- messages with no personal data, numbers in groups among them. One message in five in lower case.

Values from Faker's locale providers (`faker_shapes.py`). Measured as totals only: its misses are never
printed or read (benchmarks/data/README.md).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from faker_shapes import Values, fixed_hash_seed
from labelled import Builder

HERE = Path(__file__).resolve().parent
SEED = 27_4004
LOWER = 0.2
N_MESSAGES = 560


# -- postal blocks ---------------------------------------------------------------------------------
def block(r: random.Random, v: Values, m: Builder, name: str | None = None) -> None:
    a = v.address()
    pad = r.choice([" ", " ", " ", "  ", "\t"])
    if name == "attn":
        m.add(pad + "Attn: ")
        m.add(v.full(), "PERSON")
        m.add("\n")
    elif name == "plain":
        m.add(pad)
        m.add(v.full(), "PERSON")
        m.add("\n")
    elif name == "company":
        m.add(pad + r.choice(["Nordlicht Trading Ltd", "Blue Harbour Logistics", "Acme Parts GmbH",
                              "Kestrel & Sons"]) + "\n")
    flat_where = r.choice(["after", "after", "before_line", "own", "none"])
    if flat_where == "before_line":
        m.add(pad)
        m.add(a["flat"], "ADDRESS")
        m.add("\n")
    m.add(pad)
    m.add(a["number"], "ADDRESS")
    m.add(" ")
    m.add(a["street"], "ADDRESS")
    if flat_where == "after":
        m.add(r.choice([" ", ", "]))
        m.add(a["flat"], "ADDRESS")
    elif flat_where == "own":
        m.add("\n" + pad)
        m.add(a["flat"], "ADDRESS")
    m.add("\n" + pad)
    m.add(a["town"].upper() if r.random() < 0.7 else a["town"], "ADDRESS")
    if a["region"] and r.random() < 0.75:
        m.add("\n" + pad)
        m.add(a["region"], "ADDRESS")
    if r.random() < 0.5:
        m.add("\n" + pad)
    else:
        m.add(f"\n{pad}{a['country']} ")
    m.add(a["postcode"], "ADDRESS")


HEADERS = ["Remit to:", "Consignee:", "Bill to:", "Sold to:", "Correspondence address:", "Delivery address:",
           "Registered office:", "BILL TO:", "Home address:"]


def t_header_block(r, v, m):
    m.add(r.choice(["Does this look right for the customs form?\n", "Check the postcode in this please\n\n",
                    "Copy from the old invoice:\n", ""]))
    m.add(r.choice(HEADERS) + "\n")
    block(r, v, m, name=r.choice([None, None, "attn", "company"]))
    m.add(r.choice(["", "\n", "\n\nCan you put it on one line?", "\n\nIs anything missing for a parcel to Europe?"]))


def t_letter_block(r, v, m):
    m.add(r.choice(["Write a short complaint letter. My details go at the top:\n",
                    "Draft a cover letter; the sender block is\n",
                    "Help me address an envelope to\n"]))
    block(r, v, m, name="plain")
    m.add(r.choice(["\n\nKeep it under 150 words.", "\nThe tone should be formal.", ""]))


def t_form_block(r, v, m):
    m.add(f"Customer ID: {r.randint(100000, 999999)}\n")
    m.add(r.choice(HEADERS) + "\n")
    block(r, v, m, name=r.choice(["plain", "attn"]))
    m.add(r.choice(["\nPayment: on account", "\nNotes: leave at the door", ""]))
    m.add("\n\nSummarise this order in one sentence.")


# -- people --------------------------------------------------------------------------------------------
def names_list(m: Builder, r: random.Random, names: list[str], last_join=(" and ", " & ", ", and ")) -> None:
    for i, name in enumerate(names):
        if i:
            m.add(r.choice(last_join) if i == len(names) - 1 else ", ")
        m.add(name, "PERSON")


def t_surnames(r, v, m):
    names = [v.last() for _ in range(r.randint(2, 4))]
    before, after = r.choice([
        ("Present: ", ". Apologies received from the treasurer. Write up the minutes."),
        ("The defendants, ", ", deny every charge. Explain what happens at a first hearing."),
        ("I worked for the law firm of ", " for six years; how do I put that on a CV?"),
        ("In the photo, left to right: ", ". Write a caption for the newsletter."),
        ("The paper was co-authored by ", " and published in 2019. How do I cite it in APA?"),
        ("Votes against: ", ". Is that a majority of a board of nine?"),
        ("The night shift was covered by ", " again - draft a thank-you note."),
    ])
    m.add(before)
    names_list(m, r, names)
    m.add(after)


WORKS = ["The Lighthouse at Varna", "Bread and Salt", "Small Hours", "The Copper Road", "Ninety Winters",
         "A House by the Tram Line", "Letters from Tromsø", "The Beekeeper's Daughter"]


def t_credits(r, v, m):
    kind = r.choice(["film", "book", "record"])
    m.add(f"{r.choice(WORKS)} ({r.randint(1958, 2025)})\n")
    labels = {
        "film": ["Screenplay by ", "Starring ", "Edited By: ", "Cinematography: ", "Narrated by "],
        "book": ["Illustrated by ", "Translated by ", "Foreword: ", "Edited by "],
        "record": ["Lyrics: ", "Vocals: ", "Produced by ", "Mixed by "],
    }[kind]
    for label in r.sample(labels, r.randint(2, min(4, len(labels)))):
        m.add(label)
        names_list(m, r, [v.full() for _ in range(r.randint(1, 3 if label.startswith(("Starring", "Vocals")) else 1))],
                   last_join=(" and ", ", "))
        m.add("\n")
    m.add(r.choice(["\nWrite a short review of this.", "\nWho is the most famous person here?",
                    "\nPut these credits in a table."]))


PLAY_LINES = ["The boat will not wait for us.", "Then let it go without us.", "You always say that.",
              "Hand me the lantern.", "I heard someone on the stairs.", "It was only the wind, go back to sleep.",
              "Did you lock the shop?", "Twice. I checked twice."]


def t_play(r, v, m):
    speakers = [v.first() for _ in range(2)]
    upper = r.random() < 0.5
    for i in range(r.randint(3, 4)):
        name = speakers[i % 2]
        m.add(name.upper() if upper else name, "PERSON")
        m.add(r.choice([": ", ". ", " (quietly): "]) + r.choice(PLAY_LINES) + "\n")
    m.add(r.choice(["\nWhat happens next? Write the stage directions.", "\nIs this dialogue natural?"]))


def t_chat_log(r, v, m):
    speakers = [v.first() for _ in range(r.randint(2, 3))]
    hour = r.randint(8, 20)
    for _ in range(r.randint(3, 5)):
        m.add(f"[{hour}:{r.randint(10, 59)}] ")
        m.add(r.choice(speakers), "PERSON")
        m.add(": " + r.choice(["ok", "running late, sorry", "who has the slides?", "me", "starting now",
                               "can we move it to Friday?", "sure"]) + "\n")
    m.add("\nSummarise this chat in one line.")


def t_interview(r, v, m):
    host, guest = v.full(), v.full()
    m.add("Transcript, episode " + str(r.randint(3, 140)) + "\n")
    m.add(host.split()[-1], "PERSON")
    m.add(": Welcome to the show.\n")
    m.add(guest.split()[-1], "PERSON")
    m.add(": Thanks for having me.\n")
    m.add(host.split()[-1], "PERSON")
    m.add(": Let's start with your new book.\n\nWrite three follow-up questions.")


def t_middle_initial(r, v, m):
    name = v.with_initial()
    if r.random() < 0.3:
        name = name.replace(". ", " ", 1)
    before, after = r.choice([
        ("Hi all, just a reminder that the safety audit led by ", " starts on Monday, so please clear the "
         "corridors. What else should a reminder like this say?"),
        ("In 2017 the institute hired ", " as head of research, and the budget doubled within two years; "
         "write this as a timeline."),
        ("The tenancy agreement names ", " as the guarantor, but she moved abroad - is the agreement still valid?"),
        ("Please proofread: 'We thank ", " for her careful reading of the manuscript and for many useful "
         "comments.'"),
        ("My complaint was handled by ", ", who promised a refund within ten days, and nothing has arrived."),
        ("Minutes: the motion, proposed by ", ", was carried with two abstentions. Is 'carried' the right word?"),
    ])
    m.add(before)
    m.add(name, "PERSON")
    m.add(after)


# -- cards and phones -------------------------------------------------------------------------------
def t_card(r, v, m):
    value = v.jcb15() if r.random() < 0.55 else v.other_card()
    before, after = r.choice([
        ("The refund went to card ", " instead of my current one. What now?"),
        ("charged to my card number ", " twice this week"),
        ("Pay with card: ", "\nName on card: see account"),
        ("is it safe to email my card ", " to a hotel?"),
        ("My old JCB card ", " still shows up in the app."),
        ("Card ending? No, the whole card no. is ", ", I typed it wrong."),
    ])
    m.add(before)
    m.add(value, "CREDIT_CARD")
    m.add(after)


PHONE_SHAPES = [(3, 4), (3, 3, 2), (2, 3, 3), (3, 2, 2), (2, 2, 3), (4, 4), (3, 3, 3), (2, 2, 2, 2), (2, 3, 2),
                (3, 2, 3), (2, 2, 2, 3), (1, 3, 3), (4, 3)]


def t_phone(r, v, m):
    value = v.phone(r.choice(PHONE_SHAPES), " " if r.random() < 0.8 else r.choice(["-", "."]))
    before, after = r.choice([
        ("the clinic told me to call back at ", " tomorrow morning. what should I ask them?"),
        ("Replies go to ", ", not to this address."),
        ("I got a strange text on my registered number ", " asking for a code. Is it a scam?"),
        ("You can leave a message for the landlord at ", " if the heating fails again."),
        ("they keep ringing me on ", " about a parcel I never ordered"),
        ("Please transfer the call to ", " and then hang up."),
        ("Alerts are sent to my registered phone ", " only."),
        ("We could not reach you at ", "; please call the branch."),
    ])
    m.add(before)
    m.add(value, "PHONE_NUMBER")
    m.add(after)


# -- no personal data -------------------------------------------------------------------------------
CLEAN = [
    "Present: all members. Write the opening line of the minutes.",
    "Starring role or supporting role: which is bigger in a school play?",
    "Bill to: the department, not the employee. Is this wording clear on an invoice?",
    "Remit to: see the back of the statement. What does 'remit' mean?",
    "The population grew from 812 400 to 905 100 in ten years; what is the yearly growth?",
    "At 6 45 the alarm rang and at 7 15 I left. How long did I take?",
    "Transfer 2 500 to savings and 750 to the joint account: how much is left of 4 000?",
    "Narrated by an unnamed sailor, the story begins at sea. What is this point of view called?",
    "HOST: Welcome back.\nWhat does a host say to open a podcast episode?",
    "Lyrics: none, it is an instrumental. How do I list that on a streaming site?",
    "Is a card with a chip safer than one with a magnetic stripe?",
    "Call me at the usual time. Is 'usual' too vague for a work e-mail?",
    "The parcel weighs 2 350 g and postage is 4 20 per 500 g; what does it cost?",
    "Which apartment is bigger, 74 m2 on floor 3 or 68 m2 on floor 9 with a balcony?",
    "Consignee: to be confirmed. Can a shipment leave without one?",
]


def t_clean(r, v, m):
    if r.random() < 0.4:
        a, b, c = r.randint(12, 98), r.randint(100, 999), r.randint(100, 999)
        m.add(r.choice([
            f"Add {a} {b} {c} and {r.randint(2, 9)} {b}.",
            f"The warehouse holds {a} {b} boxes; we ship {r.randint(110, 990)} a day. How many days?",
            f"Prices rose to {a} {b} per tonne from {r.randint(10, a)} {c}. By what percent?",
            f"The file has {a} {b} {c} rows; at {r.randint(2, 9)} {c} rows a second, how long to load it?",
        ]))
    else:
        m.add(r.choice(CLEAN))


TEMPLATES = [
    (t_header_block, 8), (t_letter_block, 5), (t_form_block, 5),
    (t_surnames, 9), (t_credits, 9), (t_play, 6), (t_chat_log, 5), (t_interview, 4), (t_middle_initial, 11),
    (t_card, 12), (t_phone, 22), (t_clean, 12),
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
    path = HERE / "pii_heldout4.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    counts: dict[str, int] = {}
    for row in rows:
        for s in row["spans"]:
            counts[s["type"]] = counts.get(s["type"], 0) + 1
    print(path, len(rows), "messages", sum(counts.values()), "values", counts,
          sum(not row["spans"] for row in rows), "with none")


if __name__ == "__main__":
    main()
