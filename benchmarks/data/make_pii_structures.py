"""Make `pii_structures_dev.jsonl`: names no word list knows, international addresses and phone numbers,
each in the places a message puts them (issue 16, fifth round; a development set, tuned on).

    python benchmarks/data/make_pii_structures.py

Every value and every template was written for this set by hand: full names and single given names of
many countries (most on no list the gatekeeper uses), postal addresses of 32 countries written the local
way, and phone numbers of the dev half of `phonenumbers`' regions (the same split as
`make_pii_phones.py`, so `pii_phones_heldout.jsonl` stays held out) with the labels, signs and asides
people put around them ("☎", "Phone/WhatsApp:", "(24/7)", ", ext 5"). One message in three is typed in
lower case. Addresses are labelled piece by piece (split at ", " and line breaks), as `heldout2` is.
Deterministic (fixed seed; no hash-order dependence).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import phonenumbers
from labelled import Builder
from make_pii_phones import SPLIT, number_for, regroup
from phonenumbers import PhoneNumberFormat

HERE = Path(__file__).resolve().parent
SEED = 5_16_2026

FULL_NAMES = [
    "Oluwaseun Adeyemi", "Thandeka Zulu", "Nguyen Thi Lan", "Bakhyt Seitkali", "Aigerim Nurlanovna", "Mehmet Yıldırım",
    "Zsófia K Bartók", "João P. Almeida", "Tupac Quispe", "Wirihana Ngata", "Leilani Kahale", "Siosaia Taufa",
    "Kgosi Mothibi", "Dumisani Ndlovu", "Chukwuemeka Eze", "Abebe Bekele", "Yohannes Tesfaye", "Sione Fifita",
    "Ayelet Ben-David", "Farrukh Tashkentov", "Gulnara Abdullayeva", "Rustam Nazarov", "Ilse de Vries",
    "Maarten van den Heuvel", "Søren Kjærgaard", "Björk Guðmundsdóttir", "Ólafur Ragnarsson", "Eero Mäkinen",
    "Aino Virtanen", "Tõnis Tamm", "Rasa Kazlauskienė", "Jānis Bērziņš", "Dorota Wiśniewska", "Marek Dvořák",
    "Zoltán Nagy", "Ioana Popescu", "Dragan Jovanović", "Ana Kovačević", "Arben Hoxha", "Nikos Papadakis",
    "Kwame Mensah", "Akosua Boateng", "Amadou Diallo", "Fatoumata Traoré", "Moussa Koné", "Rahel Haile",
    "Nomvula Dlamini", "Priyanka Chatterjee", "Venkatesh Iyer", "Harpreet Kaur Sandhu", "Tenzin Norbu", "Pemba Sherpa",
    "Anh Tuan Pham", "Siti Nurhaliza", "Bayu Santoso", "Rizal Mahendra", "Malalai Popal", "Hamid Karimi",
    "Zahra Hosseini", "Layla Haddad", "Youssef El Amrani", "Khadija Benali", "Tamar Kapanadze", "Ashot Grigoryan",
    "Nurlan Bekov", "Tsetseg Bat-Erdene", "Haruto Sato", "Yuna Takahashi", "Ji-ho Kim", "Seo-yeon Park", "Wei Zhang",
    "Mei-ling Chou", "Aroha Te Rangi", "Kalani Akana",
]
SINGLE_NAMES = [
    "Oluwaseun", "Thandeka", "Bakhyt", "Aigerim", "Wirihana", "Siosaia", "Kgosi", "Dumisani", "Chukwuemeka", "Yohannes",
    "Farrukh", "Gulnara", "Søren", "Ólafur", "Tõnis", "Jānis", "Dragan", "Arben", "Akosua", "Fatoumata", "Nomvula",
    "Venkatesh", "Tenzin", "Pemba", "Bayu", "Malalai", "Tamar", "Ashot", "Nurlan", "Tsetseg", "Haruto", "Ji-ho", "Aroha",
    "Kalani", "Efua", "Marit", "Joaquim", "Tancredi", "Ingrid", "Radek", "Wojtek", "Zeynep", "Emeka", "Ngozi", "Chidi",
    "Tunde", "Kofi", "Ama", "Yaw", "Esi", "Lwazi", "Sipho", "Bongani", "Ayumi", "Kenji", "Hiroshi", "Minh", "Thuy",
    "Linh", "Quang",
]
# (template, other names in it): "{}" is the value
NAME_TEMPLATES = [
    "{} called about the invoice.", "Can you send this to {}?", "Name: {}", "{}\nFlat 3, 12 High St",
    "> {} wrote:\n> see below", "Hi {},\nthanks for the notes.", "Thanks,\n{}", "I had coffee with {} yesterday.",
    "{} will join the call at 3.", "Please add {} to the guest list.", "{} is my landlord.", "The form was signed by {}.",
    "Contact person - {}", "Is {} coming tonight?", "{} (HR) approved it.", "Forwarding from {}:", "cc: {}",
    "Ask {} for the keys.", "{}'s flight lands at 6.", "Our new hire, {}, starts Monday.", "From: {} <x@y.z>",
    "{} - Senior Engineer", "Emergency contact {}", "{} and I met downtown.", "Invoice for {}", "{}, can you check this?",
    "Tell {} I said hi.", "Did {} pay you back?", "{} said no.", "What did {} say?", "{}: I'm on my way",
    "{} is very reliable.",
]
ADDRESSES = [
    "Rua das Flores 245, 4050-262 Porto", "Calle Mayor 12, 3º B, 28013 Madrid", "Via Garibaldi 8, 20121 Milano",
    "Kungsgatan 44, 111 35 Stockholm", "ul. Długa 17/4, 80-827 Gdańsk", "Nørrebrogade 110, 2200 København N",
    "Mannerheimintie 12 A 5, 00100 Helsinki", "Rue de la Paix 3, 75002 Paris", "Keizersgracht 221, 1016 DV Amsterdam",
    "Bahnhofstrasse 21, 8001 Zürich", "Andrássy út 60, 1062 Budapest", "Vinohradská 48, 120 00 Praha 2",
    "12 Nguyen Hue, District 1, Ho Chi Minh City", "45 Jalan Ampang, 50450 Kuala Lumpur", "221 Rizal Avenue, Manila",
    "Plot 14, Admiralty Way, Lekki, Lagos", "34 Ngong Road, Nairobi", "17 Bree Street, Cape Town 8001",
    "Av. Paulista 1578, São Paulo - SP, 01310-200", "Av. Corrientes 1234, C1043 Buenos Aires",
    "Carrera 7 # 32-16, Bogotá", "Insurgentes Sur 1602, Col. Crédito Constructor, 03940 CDMX",
    "5-2-1 Ginza, Chuo-ku, Tokyo 104-0061", "88 Sejong-daero, Jung-gu, Seoul 04524",
    "Flat 4B, 23 Nathan Road, Tsim Sha Tsui, Kowloon", "14 Marine Parade, Napier 4110",
    "Level 3, 55 Clarence St, Sydney NSW 2000", "Apt 12, 4 Tahrir Square, Cairo", "Atatürk Cad. No: 45, Kadıköy, İstanbul",
    "Shevchenka St 5, apt 3, Kyiv 01001", "Tverskaya ul. 7, kv. 12, Moskva 125009", "Rruga Myslym Shyri 22, Tiranë 1001",
]
ADDRESS_TEMPLATES = [
    "Please ship it to {}.", "My address is {}", "Address:\n{}", "new address: {} (from Monday)",
    "i moved to {} last week", "Billing address - {}", "Deliver to {} before noon", "we're at {}, come by anytime",
]
PHONE_BEFORE = [
    "Phone/WhatsApp: ", "Tel/Fax: ", "☎ ", "📞 ", "Ph: ", "Tel (office): ", "Phone #: ", "Mobile no.: ", "Tel.:",
    "cell - ", "Phone number → ", "(tel) ", "Téléphone : ", "Telefon: ", "call/text ", "Ph. ", "Landline ", "",
    "Number: ",
]
PHONE_AFTER = [
    " (24/7)", " (mobile)", " (after 5pm)", " x 204", "-Home", " —Home", " - home", ", ext 5", " (WhatsApp only)",
    " [work]", ".", "!", " or email me", " anytime", "", ";", " (ask for Li)",
]


def _name_rows(rng: random.Random) -> list[dict]:
    rows = []
    for names, per in ((FULL_NAMES, 4), (SINGLE_NAMES, 4)):
        for name in names:
            for template in rng.sample(NAME_TEMPLATES, per):
                before, after = template.split("{}")
                row = Builder().add(before).add(name, "PERSON").add(after).row(lower=rng.random() < 1 / 3)
                rows.append(row)
    return rows


def _address_rows(rng: random.Random) -> list[dict]:
    rows = []
    for address in ADDRESSES:
        for template in rng.sample(ADDRESS_TEMPLATES, 3):
            before, after = template.split("{}")
            joiner = "\n" if before.endswith("\n") else ", "
            b = Builder().add(before)
            for i, piece in enumerate(address.split(", ")):
                if i:
                    b.add(joiner)
                b.add(piece, "ADDRESS")
            rows.append(b.add(after).row(lower=rng.random() < 1 / 3))
    return rows


def _phone_rows(rng: random.Random) -> list[dict]:
    rows = []
    for region in SPLIT["dev"]:
        number = number_for(rng, region)
        if number is None:
            continue
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        for value in (national, phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
                      regroup(rng, "".join(ch for ch in national if ch.isdigit()))):
            if sum(ch.isdigit() for ch in value) < 7:
                continue
            before, after = rng.choice(PHONE_BEFORE), rng.choice(PHONE_AFTER)
            if not before and not after:
                before = "Phone: "
            rows.append(Builder().add(before).add(value, "PHONE_NUMBER").add(after).row())
    return rows


def main() -> None:
    rng = random.Random(SEED)
    rows = _name_rows(rng) + _address_rows(rng) + _phone_rows(rng)
    with (HERE / "pii_structures_dev.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} messages, {sum(len(r['spans']) for r in rows)} values")


if __name__ == "__main__":
    main()
