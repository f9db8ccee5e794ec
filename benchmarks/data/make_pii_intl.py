"""Make the international, messy PII sets: `pii_intl_dev.jsonl` (to tune on) and
`pii_intl_heldout.jsonl` (to report on, never tuned on).

    python -m venv /tmp/fk && /tmp/fk/bin/pip install faker==40.63.0
    /tmp/fk/bin/python benchmarks/data/make_pii_intl.py

Values come from Faker's locale providers (addresses, postcodes, cities, phone numbers, IBANs,
card numbers, e-mails) in 30 locales; sentences from form-like and chat templates. The two sets
share no template: the dev set has templates A, the held-out set templates B. Person names in the
dev set are Faker's; in the held-out set they come from `HELDOUT_FIRST` / `HELDOUT_LAST` below,
written by hand for this file from many countries (the gatekeeper's first-name list is built from
Faker, so held-out names drawn from Faker would flatter it). A value is labelled with its type;
a postal block is labelled line by line (street line, unit line, postcode + town line), so each
labelled value must be masked on its own. Output is deterministic for a given Faker version.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from faker import Faker
from labelled import Builder

HERE = Path(__file__).resolve().parent
LOCALES = [
    "de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL", "pl_PL", "pt_BR", "pt_PT", "cs_CZ", "hu_HU", "sv_SE",
    "da_DK", "fi_FI", "ro_RO", "en_IN", "en_AU", "en_NZ", "en_IE", "es_MX", "de_AT", "de_CH", "hr_HR",
    "sk_SK", "sl_SI", "en_GB", "en_US", "en_CA", "fr_CA", "id_ID", "es_AR", "tr_TR",
]
IBAN_LOCALES = ["de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL", "pl_PL", "pt_PT", "cs_CZ", "fi_FI", "da_DK",
                "de_AT", "de_CH", "sk_SK", "ro_RO", "en_GB", "tr_TR"]

HELDOUT_FIRST = """Efua Kwame Ama Kofi Yaw Abena Chidi Ngozi Emeka Adaeze Tunde Folake Oluwaseun Amara Zainab Fatima
Aisha Omar Youssef Karim Layla Nour Samir Tariq Hamza Leila Mehmet Elif Emre Zeynep Burak Ayşe Giorgos Eleni
Dimitris Katerina Nikos Zsófia Bence Levente Réka Dóra Ágnes Marit Sigrid Astrid Håkon Øystein Solveig Ingrid
Leif Joaquim Inês João Gonçalo Tiago Beatriz Mariana Rafaela Thiago Caio Tancredi Ludovica Matteo Chiara Giulia
Lorenzo Niamh Siobhan Cillian Aoife Oisín Saoirse Ciarán Pádraig Wojciech Małgorzata Agnieszka Krzysztof
Grzegorz Zuzanna Jiří Tereza Vojtěch Lenka Ondřej Dragan Milica Nikola Jelena Luka Bogdan Ioana Andrei Mihai
Oana Raluca Taavi Kadri Liis Aarav Priya Ananya Rohan Vikram Lakshmi Deepika Sanjay Arjun Kavya Minh Thao Linh
Huong Quang Jae-won Seo-yeon Min-jun Ji-woo Haruto Yui Sakura Takumi Aiko Wei Xiaoming Jing Hao Aroha Tane
Sione Alejandro Guadalupe Ximena Santiago Valentina Camila Mateo Sebastián Renata Itzel Bjarke Freja Mads
Rasmus Eero Aino Väinö Kaisa Juhani Sven Linnea Björn Maja Daan Sanne Bram Femke Jens Wiebke Uwe Jürgen Heike
Anneliese Elodie Mathilde Gaspard Anaïs Benoît Hélène Amadou Fatou Moussa Aminata Ousmane Thandiwe Sipho
Lerato Themba Nomvula Tsegaye Meron Abebe Selam Dawit Kemal Arash Shirin Dariush Parisa Reza Bolat Aigerim
Nurlan Dinara Tamar Giorgi Levan Ashot Anahit Tigran Ilse Tobiah Marisol Anouk Margriet Dagny Rúnar Sólveig
Kalani Keanu Malia Tevita Losa Ifeoma Obinna Chiamaka Yetunde Babajide Kwabena Akosua Esi Nana Mamadou Awa""".split()
HELDOUT_LAST = """Mensah Owusu Boateng Okafor Adeyemi Okonkwo Balogun El-Amin Haddad Khoury Benali Yılmaz Kaya Demir
Papadopoulos Georgiou Bartók Szabó Kovács Nagy Halvorsen Lindqvist Johansson Nordström Almeida Carvalho Ferreira
Gonçalves Rossi Esposito Bianchi Ferraro O'Sullivan Kowalski Wiśniewska Nowak Dvořák Novotná Procházka Petrović
Jovanović Popescu Ionescu Tamm Saar Sharma Iyer Reddy Chatterjee Nair Nguyen Tran Pham Kim Park Choi Tanaka
Suzuki Watanabe Zhang Wang Liu Chen Ngata Tuilagi Fonoti Hernández Villanueva Castillo Mikkelsen Thorsen
Virtanen Mäkinen Korhonen Sjöberg Bakker Visser Müller Schröder Weiß Dubois Lefèvre Fontaine Diallo Traoré
Ndiaye Dlamini Nkosi Mokoena Bekele Tesfaye Haile Hosseini Karimi Tehrani Beridze Kapanadze Hovhannisyan
Sargsyan Abubakar Eze Nwosu Asante Appiah Agyeman Oyelaran Ferreira-Lima Achterberg Kristiansen Þórsdóttir
Magnússon Lindgren Håkansson Zielińska Wójcik Horvat Kovačević Marković Stanescu Dumitrescu Vasquez Quispe
Mamani Huanca Okeke Ogunleye Achebe Mutua Kamau Wanjiru Otieno Odhiambo""".split()
HELDOUT_MULTI = ["van der Berg", "de la Fuente", "dos Santos", "Al-Rashid", "bin Hassan", "Mac Aodha",
                 "García Márquez", "Sánchez-Ortega", "da Silva Pereira", "ter Horst", "von Stein", "di Marco"]


class Values:
    def __init__(self, rng: random.Random, heldout: bool) -> None:
        self.rng = rng
        self.heldout = heldout
        self.fakers = {loc: Faker(loc) for loc in LOCALES}
        for i, f in enumerate(self.fakers.values()):
            f.seed_instance(rng.randrange(1 << 30) + i)

    def faker(self, locales=LOCALES) -> Faker:
        return self.fakers[self.rng.choice(locales)] if set(locales) <= set(self.fakers) else Faker(
            self.rng.choice(locales))

    # -- people ------------------------------------------------------------
    def first(self) -> str:
        if self.heldout:
            return self.rng.choice(HELDOUT_FIRST)
        return self.faker().first_name()

    def last(self) -> str:
        if self.heldout:
            return self.rng.choice(HELDOUT_LAST + HELDOUT_MULTI[:4])
        return self.faker().last_name()

    def full(self) -> str:
        r = self.rng.random()
        first, last = self.first(), self.last()
        if r < 0.15:
            return f"{first} {self.first()[0]}. {last}"
        if r < 0.25:
            return f"{first} {self.first()[0]} {last}"
        if r < 0.35:
            return f"{first} {self.rng.choice(HELDOUT_MULTI) if self.heldout else self.faker().last_name()} {last}"
        if r < 0.42:
            return f"{first[0]}. {last}"
        return f"{first} {last}"

    # -- places ------------------------------------------------------------
    def street(self) -> str:
        f = self.faker()
        value = f.street_address()
        if not any(ch.isdigit() for ch in value):
            value = f"{value} {self.rng.randint(1, 240)}"
        return value

    def unit(self) -> str:
        return self.rng.choice(["Apt. ", "Apt ", "Suite ", "Unit ", "Flat ", "Apartment ", "Ste "]) + self.rng.choice(
            [str(self.rng.randint(1, 950)), f"{self.rng.randint(1, 30)}{self.rng.choice('ABCDEF')}"])

    def town_line(self) -> str:
        f = self.faker()
        return f"{f.postcode()} {f.city()}"

    def postcode(self) -> str:
        return self.faker().postcode()

    def corner(self) -> str:
        f = self.faker(["en_US", "en_GB", "en_CA", "en_AU", "de_DE", "es_ES", "fr_FR"])
        a, b = f.street_name(), f.street_name()
        return f"{a} and {b}"

    # -- numbers -----------------------------------------------------------
    def phone(self) -> str:
        f = self.faker([loc for loc in LOCALES if loc not in ("en_US", "en_CA")] + ["en_US"])
        value = f.phone_number()
        r = self.rng.random()
        if r < 0.25:  # national groups without a country code, as people type them
            digits = "".join(ch for ch in value if ch.isdigit())[-9:]
            shapes = [f"{digits[:2]} {digits[2:]}", f"{digits[:3]} {digits[3:6]} {digits[6:]}",
                      f"({digits[:2]}) {digits[2:5]}-{digits[5:]}", f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
                      f"{digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"]
            value = self.rng.choice(shapes)
        return value

    def card(self) -> str:
        f = self.fakers["en_US"]
        digits = f.credit_card_number(card_type=self.rng.choice(["visa16", "mastercard", "amex", "discover", "jcb16"]))
        shapes = {16: [(4, 4, 4, 4), (4, 6, 6), (2, 4, 4, 4, 2), (16,), (8, 8), (3, 3, 3, 3, 4)],
                  15: [(4, 6, 5), (15,), (5, 5, 5), (3, 4, 4, 4)],
                  13: [(4, 4, 5), (13,)], 19: [(4, 4, 4, 4, 3), (19,)]}
        shape = self.rng.choice(shapes.get(len(digits), [(len(digits),)]))
        sep = self.rng.choice([" ", "-", " ", ".", "  "])
        out, i = [], 0
        for n in shape:
            out.append(digits[i : i + n])
            i += n
        return sep.join(out)

    def iban(self) -> str:
        value = self.faker(IBAN_LOCALES).iban()
        r = self.rng.random()
        if r < 0.35:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        if r < 0.5:
            return "-".join(value[i : i + 4] for i in range(0, len(value), 4))
        if r < 0.65:
            return value[:4] + " " + " ".join(value[i : i + 3] for i in range(4, len(value), 3))
        if r < 0.75:
            return value[:2] + " " + value[2:4] + " " + value[4:]
        return value

    def email(self) -> str:
        return self.faker().email()

    def ip(self) -> str:
        return self.fakers["en_US"].ipv4_public()


def _name_list(v: Values, b: Builder, n: int) -> None:
    names = [v.first() for _ in range(n)]
    for i, name in enumerate(names):
        if i:
            b.add(" and " if i == n - 1 else ", ")
        b.add(name, "PERSON")


def _postal_block(v: Values, b: Builder, sep: str = "\n", unit: bool = True) -> None:
    b.add(v.street(), "ADDRESS")
    if unit and v.rng.random() < 0.4:
        b.add(sep)
        b.add(v.unit(), "ADDRESS")
    b.add(sep)
    b.add(v.town_line(), "ADDRESS")


# -- templates A (dev) -------------------------------------------------------------------------------
def a_invited(v, b):
    b.add(v.rng.choice(["We invited ", "They invited ", "Can you make seat cards for "]))
    _name_list(v, b, v.rng.randint(3, 5))
    b.add(v.rng.choice([" to the party.", " for Saturday?", ", thanks!"]))


def a_subject(v, b):
    b.add(v.first(), "PERSON")
    b.add(v.rng.choice([" is very reliable and always on time.", " has not paid the rent for March.",
                        " wants to know if the offer still stands.", " and I are planning a trip."]))


def a_form(v, b):
    b.add(v.rng.choice(["Name: ", "Full name: ", "Customer: ", "Patient name: "]))
    b.add(v.full(), "PERSON")
    b.add("\n" + v.rng.choice(["Address: ", "Billing address: ", "Shipping address:\n"]))
    _postal_block(v, b)
    b.add("\n" + v.rng.choice(["Phone: ", "Tel: ", "Mobile: "]))
    b.add(v.phone(), "PHONE_NUMBER")
    b.add("\nEmail: ")
    b.add(v.email(), "EMAIL_ADDRESS")


def a_form_start(v, b):
    b.add(v.full(), "PERSON")
    b.add("\n")
    _postal_block(v, b)
    b.add("\n\n" + v.rng.choice(["Please review my application for the flat.",
                                 "I am writing about my order that never arrived."]))


def a_quote(v, b):
    b.add("> ")
    b.add(v.full(), "PERSON")
    b.add(" wrote:\n> can we move the call to Thursday?\n\nPlease draft a polite reply.")


def a_lower(v, b):
    b.add("hey can you help me write a message to ")
    b.add(v.first(), "PERSON")
    b.add(" about the rent, i live at ")
    b.add(v.street(), "ADDRESS")
    b.add(" and my number is ")
    b.add(v.phone(), "PHONE_NUMBER")
    return "lower"


def a_phone_office(v, b):
    b.add(v.rng.choice(["Contact: ", "You can reach ", "Numbers for "]))
    b.add(v.full(), "PERSON")
    b.add(" ")
    b.add(v.phone(), "PHONE_NUMBER")
    b.add(v.rng.choice(["-Office", "-Fax", " (mobile)", "-Mobile", " office"]))


def a_card(v, b):
    b.add(v.rng.choice(["My card ", "Charge it to ", "The card number is "]))
    b.add(v.card(), "CREDIT_CARD")
    b.add(v.rng.choice([" please.", ", expiry 09/27.", " but it was declined twice."]))


def a_iban(v, b):
    b.add(v.rng.choice(["Transfer the deposit to ", "IBAN ", "Send the refund to account "]))
    b.add(v.iban(), "IBAN_CODE")
    b.add(v.rng.choice([" (", " for "]))
    b.add(v.full(), "PERSON")
    b.add(")" if b.parts[-3].endswith("(") else ".")


def a_zip(v, b):
    b.add(v.rng.choice(["my zip code is ", "Postcode: ", "the postal code there is "]))
    b.add(v.postcode(), "ADDRESS")
    b.add(v.rng.choice(["", ", is delivery free?", " if that helps"]))


def a_corner(v, b):
    b.add("Meet ")
    b.add(v.first(), "PERSON")
    b.add(" at the corner of ")
    b.add(v.corner(), "ADDRESS")
    b.add(" at noon.")


def a_street_inline(v, b):
    b.add(v.rng.choice(["I moved to ", "Deliver to ", "The flat is at "]))
    b.add(v.street(), "ADDRESS")
    b.add(", ")
    b.add(v.town_line(), "ADDRESS")
    b.add(v.rng.choice([" last month.", ".", " - ring twice."]))


def a_signature(v, b):
    b.add("Thanks for your help!\n\n")
    b.add(v.full(), "PERSON")
    b.add("\n")
    b.add(v.phone(), "PHONE_NUMBER")
    b.add("\n")
    b.add(v.email(), "EMAIL_ADDRESS")


def a_misc(v, b):
    b.add(v.first(), "PERSON")
    b.add(" logged in from ")
    b.add(v.ip(), "IP_ADDRESS")
    b.add(" and changed the e-mail to ")
    b.add(v.email(), "EMAIL_ADDRESS")
    b.add(".")


TEMPLATES_A = [a_invited, a_subject, a_form, a_form_start, a_quote, a_lower, a_phone_office, a_card, a_iban,
               a_zip, a_corner, a_street_inline, a_signature, a_misc]


# -- templates B (held-out) --------------------------------------------------------------------------
def b_roster(v, b):
    b.add(v.rng.choice(["Team for the night shift: ", "Attendees - ", "Kids in the carpool: "]))
    _name_list(v, b, v.rng.randint(2, 6))
    b.add(v.rng.choice(["", ".", ". Who is missing?"]))


def b_subject_pair(v, b):
    b.add(v.first(), "PERSON")
    b.add(v.rng.choice([" told ", " asked ", " called "]))
    b.add(v.first(), "PERSON")
    b.add(v.rng.choice([" to bring the contract tomorrow.", " about the broken heater.", " twice yesterday."]))


def b_letter(v, b):
    b.add(v.full(), "PERSON")
    b.add("\n")
    _postal_block(v, b)
    b.add("\n\nDear ")
    b.add(v.full(), "PERSON")
    b.add(",\nI am writing to cancel my subscription.")


def b_shipping(v, b):
    b.add("Ship to:\n")
    b.add(v.full(), "PERSON")
    b.add("\n")
    _postal_block(v, b)
    b.add("\nPhone ")
    b.add(v.phone(), "PHONE_NUMBER")


def b_quote_reply(v, b):
    b.add("> From: ")
    b.add(v.full(), "PERSON")
    b.add("\n> Sent: Monday\n> I can't make it, ask ")
    b.add(v.first(), "PERSON")
    b.add(" instead.\n\nSummarise this thread.")


def b_lower_pair(v, b):
    b.add("ok so ")
    b.add(v.first(), "PERSON")
    b.add(" and ")
    b.add(v.first(), "PERSON")
    b.add(" are coming over, can u suggest a recipe? we are at ")
    b.add(v.street(), "ADDRESS")
    return "lower"


def b_fax(v, b):
    b.add(v.rng.choice(["Office ", "Call ", "Fax: "]))
    b.add(v.phone(), "PHONE_NUMBER")
    b.add(v.rng.choice(["-Fax", "-Office", "/Home", " (work)"]))
    b.add(v.rng.choice([" or ", ", alt "]))
    b.add(v.phone(), "PHONE_NUMBER")


def b_refund(v, b):
    b.add("Refund to card ")
    b.add(v.card(), "CREDIT_CARD")
    b.add(" or to IBAN ")
    b.add(v.iban(), "IBAN_CODE")
    b.add(", account holder ")
    b.add(v.full(), "PERSON")


def b_zip_question(v, b):
    b.add(v.rng.choice(["Is ", "Does the courier deliver to ", "What region is zip "]))
    b.add(v.postcode(), "ADDRESS")
    b.add(v.rng.choice([" in your delivery area?", "?", " near the coast?"]))


def b_corner(v, b):
    b.add(v.rng.choice(["The accident happened at the corner of ", "It is on the corner of "]))
    b.add(v.corner(), "ADDRESS")
    b.add(", right outside ")
    b.add(v.full(), "PERSON")
    b.add("'s bakery.")


def b_unit_lines(v, b):
    b.add("New address for ")
    b.add(v.first(), "PERSON")
    b.add(":\n")
    b.add(v.street(), "ADDRESS")
    b.add("\n")
    b.add(v.unit(), "ADDRESS")
    b.add("\n")
    b.add(v.town_line(), "ADDRESS")


def b_chat_all(v, b):
    b.add("hi its ")
    b.add(v.full(), "PERSON")
    b.add(", my email is ")
    b.add(v.email(), "EMAIL_ADDRESS")
    b.add(" and im at ")
    b.add(v.street(), "ADDRESS")
    b.add(" in ")
    b.add(v.town_line(), "ADDRESS")
    return "lower" if v.rng.random() < 0.5 else None


def b_review(v, b):
    b.add(v.rng.choice(["Ask ", "Thank ", "Remind "]))
    b.add(v.first(), "PERSON")
    b.add(v.rng.choice([" from accounting", " and her sister", ""]))
    b.add(" to check the invoice for ")
    b.add(v.full(), "PERSON")
    b.add(".")


TEMPLATES_B = [b_roster, b_subject_pair, b_letter, b_shipping, b_quote_reply, b_lower_pair, b_fax, b_refund,
               b_zip_question, b_corner, b_unit_lines, b_chat_all, b_review]


def make(templates, n: int, seed: int, heldout: bool) -> list[dict]:
    rng = random.Random(seed)
    values = Values(rng, heldout)
    rows = []
    while len(rows) < n:
        b = Builder()
        how = rng.choice(templates)(values, b)
        rows.append(b.row(lower=how == "lower"))
    return rows


def main() -> None:
    for name, templates, seed, heldout in (("pii_intl_dev", TEMPLATES_A, 1, False),
                                           ("pii_intl_heldout", TEMPLATES_B, 2, True)):
        rows = make(templates, 400, seed, heldout)
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(name, len(rows), "rows", sum(len(r["spans"]) for r in rows), "values")


if __name__ == "__main__":
    main()
