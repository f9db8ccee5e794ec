"""Write `pii_handwritten.jsonl`: messages written by hand for the held-out set, labelled by value.

    python benchmarks/data/make_pii_handwritten.py

Each case is the message and the values in it that are personal data, with their type; a value
is located by its first occurrence after the previous one. None of these was looked at while the
gatekeeper was tuned (that was done on `pii_dev.jsonl` and `pii_intl_dev.jsonl`).
"""

from __future__ import annotations

import json
from pathlib import Path

P, A, T, C, IB, E, IP = "PERSON", "ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "EMAIL_ADDRESS", "IP_ADDRESS"

CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("They invited Efua, Marit, Joaquim and Ines to the launch.",
     [(P, "Efua"), (P, "Marit"), (P, "Joaquim"), (P, "Ines")]),
    ("Tancredi is very reliable, I would hire him again.", [(P, "Tancredi")]),
    ("Please add Zsófia K Bartók to the mailing list.", [(P, "Zsófia K Bartók")]),
    ("João P. Almeida signed the lease on Friday.", [(P, "João P. Almeida")]),
    ("Name: Oyelaran Babatunde\nDate of birth: 1984\nReason for visit: back pain", [(P, "Oyelaran Babatunde")]),
    ("> Siobhan Ní Bhriain wrote:\n> the draft is attached\nCan you shorten her draft?", [(P, "Siobhan Ní Bhriain")]),
    ("can you remind ingrid that the dentist moved to thursday", [(P, "ingrid")]),
    ("my flatmate kwabena keeps eating my food, how do i bring it up", [(P, "kwabena")]),
    ("Ich wohne in der Hauptstraße 12, 80331 München.", [(A, "Hauptstraße 12"), (A, "80331 München")]),
    ("Send the parcel to Kastanienallee 7a\n10435 Berlin\nGermany", [(A, "Kastanienallee 7a"), (A, "10435 Berlin")]),
    ("Address:\n742 Evergreen Terrace\nApt. 3\nSpringfield, OR 97477",
     [(A, "742 Evergreen Terrace"), (A, "Apt. 3"), (A, "Springfield, OR 97477")]),
    ("We are at 55 Rue du Faubourg Saint-Honoré, 75008 Paris until June.",
     [(A, "55 Rue du Faubourg Saint-Honoré"), (A, "75008 Paris")]),
    ("my zip code is 90210-170, can you check the shipping cost", [(A, "90210-170")]),
    ("Meet me on the corner of Bathurst and Queen at six.", [(A, "Bathurst and Queen")]),
    ("Suite 400\n1200 Bay Street\nToronto ON M5R 2A5", [(A, "Suite 400"), (A, "1200 Bay Street"),
                                                        (A, "Toronto ON M5R 2A5")]),
    ("Calle de Alcalá 48, 3º izq., 28014 Madrid is the office address.",
     [(A, "Calle de Alcalá 48, 3º izq."), (A, "28014 Madrid")]),
    ("Via Giuseppe Garibaldi 21, 10122 Torino - please forward my mail there.",
     [(A, "Via Giuseppe Garibaldi 21"), (A, "10122 Torino")]),
    ("ul. Marszałkowska 104/122, 00-017 Warszawa", [(A, "ul. Marszałkowska 104/122"), (A, "00-017 Warszawa")]),
    ("Rua Augusta 1450, apto 52, São Paulo - SP, 01304-001",
     [(A, "Rua Augusta 1450, apto 52"), (A, "01304-001")]),
    ("Prinsengracht 263, 1016 GV Amsterdam", [(A, "Prinsengracht 263"), (A, "1016 GV Amsterdam")]),
    ("Call me on 99 668472 after lunch.", [(T, "99 668472")]),
    ("Her mobile is 516 466 638 and she prefers texts.", [(T, "516 466 638")]),
    ("Reception: (37) 788-063", [(T, "(37) 788-063")]),
    ("Dr. Kamau 0722 145 903-Office, 0733 610 288-Fax", [(P, "Dr. Kamau"), (T, "0722 145 903"), (T, "0733 610 288")]),
    ("Tel. 030 / 2345 6789 (Zentrale)", [(T, "030 / 2345 6789")]),
    ("ring 0161 496 0752 and ask for Priyanka", [(T, "0161 496 0752"), (P, "Priyanka")]),
    ("WhatsApp +55 11 98765-4321, Mariana", [(T, "+55 11 98765-4321"), (P, "Mariana")]),
    ("tél : 04 72 10 30 30", [(T, "04 72 10 30 30")]),
    ("The card 4556 7375 8689 9855 was charged twice.", [(C, "4556 7375 8689 9855")]),
    ("card no 3714-496353-98431", [(C, "3714-496353-98431")]),
    ("Pay with 5105 1051 0510 5100, exp 11/26", [(C, "5105 1051 0510 5100")]),
    ("amex 3782 822463 10005 please", [(C, "3782 822463 10005")]),
    ("IBAN DE89 3704 0044 0532 0130 00 (Commerzbank)", [(IB, "DE89 3704 0044 0532 0130 00")]),
    ("Überweisung an de89370400440532013000 bitte", [(IB, "de89370400440532013000")]),
    ("IBAN: FR76-3000-6000-0112-3456-7890-189", [(IB, "FR76-3000-6000-0112-3456-7890-189")]),
    ("NL91 ABNA 041716 4300 is my account", [(IB, "NL91 ABNA 041716 4300")]),
    ("Aroha Ngata and her brother Tane are moving to Wellington.", [(P, "Aroha Ngata"), (P, "Tane")]),
    ("Can Wojciech or Małgorzata cover my shift on Sunday?", [(P, "Wojciech"), (P, "Małgorzata")]),
    ("Nguyễn Thị Minh Khai asked for a refund.", [(P, "Nguyễn Thị Minh Khai")]),
    ("Hi all, Chukwuemeka here. I'll send the slides tonight.", [(P, "Chukwuemeka")]),
    ("From: Anders Fjellström <anders.f@fjell.se>\nTo: Beatriz\nSubject: invoice 3321",
     [(P, "Anders Fjellström"), (E, "anders.f@fjell.se"), (P, "Beatriz")]),
    ("Regards,\nTsegaye Bekele\nSenior Analyst\n+251 91 123 4567",
     [(P, "Tsegaye Bekele"), (T, "+251 91 123 4567")]),
    ("Emergency contact: Layla Haddad (sister), 07700 900461", [(P, "Layla Haddad"), (T, "07700 900461")]),
    ("ask dmitri or olga, they know the wifi password", [(P, "dmitri"), (P, "olga")]),
    ("Bjarke, Freja and Mads passed the exam; Rasmus did not.",
     [(P, "Bjarke"), (P, "Freja"), (P, "Mads"), (P, "Rasmus")]),
    ("Write a birthday poem for Ayşe Yılmaz who turns 40.", [(P, "Ayşe Yılmaz")]),
    ("Ship to: Hiroshi Tanaka, 3-2-1 Nishi-Shinjuku, Shinjuku-ku, Tokyo 163-0801",
     [(P, "Hiroshi Tanaka"), (A, "3-2-1 Nishi-Shinjuku"), (A, "Tokyo 163-0801")]),
    ("Billing address: 18 Rathmines Road Upper, Dublin 6, D06 F2X3",
     [(A, "18 Rathmines Road Upper"), (A, "D06 F2X3")]),
    ("Home: Flat 2, 14 Leith Walk, Edinburgh EH6 5DT", [(A, "Flat 2, 14 Leith Walk"), (A, "Edinburgh EH6 5DT")]),
    ("Postal code 1050 Brussels, Rue Royale 150", [(A, "1050 Brussels"), (A, "Rue Royale 150")]),
    ("Kontakt: Jürgen Weiß, Tel. 0711 98765-0, Fax 0711 98765-99",
     [(P, "Jürgen Weiß"), (T, "0711 98765-0"), (T, "0711 98765-99")]),
    ("Leave it with the concierge at 1 Raffles Place #20-61, Singapore 048616",
     [(A, "1 Raffles Place #20-61"), (A, "Singapore 048616")]),
    ("the plumber, Sipho Dlamini, will come at 10", [(P, "Sipho Dlamini")]),
    ("Beneficiary: Ana-Maria Popescu, IBAN RO49 AAAA 1B31 0075 9384 0000",
     [(P, "Ana-Maria Popescu"), (IB, "RO49 AAAA 1B31 0075 9384 0000")]),
    ("Dear Mr O'Connell-Rhys, your order has shipped.", [(P, "Mr O'Connell-Rhys")]),
    ("Guests: Priya, Rohan, Ananya, Vikram", [(P, "Priya"), (P, "Rohan"), (P, "Ananya"), (P, "Vikram")]),
    ("Shirin said the server at 203.0.113.45 is down again.", [(P, "Shirin"), (IP, "203.0.113.45")]),
    ("Apartado 1234, 28080 Madrid", [(A, "Apartado 1234"), (A, "28080 Madrid")]),
    ("Giorgi's number is 599 12 34 56", [(P, "Giorgi"), (T, "599 12 34 56")]),
    ("my landlord Mr. Abubakar lives at 12B Admiralty Way, Lekki, Lagos", [(P, "Mr. Abubakar"),
                                                                         (A, "12B Admiralty Way")]),
    ("Ms. Thandiwe Nkosi\n21 Jump Street\nSuite 5\nJohannesburg 2001",
     [(P, "Ms. Thandiwe Nkosi"), (A, "21 Jump Street"), (A, "Suite 5"), (A, "Johannesburg 2001")]),
    ("Patient: ELIF DEMİR, DOB 03/04/1991", [(P, "ELIF DEMİR")]),
    ("Pls transfer to account CH93 0076 2011 6238 5295 7 asap", [(IB, "CH93 0076 2011 6238 5295 7")]),
    ("Kofi Annan Avenue is not a person, but Kofi Mensah is.", [(P, "Kofi Mensah")]),
    ("Lorenzo and Giulia live at Via Roma 5, 20121 Milano.", [(P, "Lorenzo"), (P, "Giulia"), (A, "Via Roma 5"),
                                                             (A, "20121 Milano")]),
    ("Who is Cillian? He emailed me from cillian.obrien@gmail.com", [(P, "Cillian"),
                                                                     (E, "cillian.obrien@gmail.com")]),
    ("Notes from the meeting: Eero presented, Aino took notes, Väinö was absent.",
     [(P, "Eero"), (P, "Aino"), (P, "Väinö")]),
    ("Thabo Mbeki Street 14, Pretoria 0002", [(A, "Thabo Mbeki Street 14"), (A, "Pretoria 0002")]),
    ("Phone (0039) 06 6982 1234 or mobile 333 1234567", [(T, "(0039) 06 6982 1234"), (T, "333 1234567")]),
]


def main() -> None:
    out = Path(__file__).resolve().parent / "pii_handwritten.jsonl"
    with open(out, "w", encoding="utf-8") as fh:
        for text, labels in CASES:
            spans, pos = [], 0
            for kind, value in labels:
                start = text.index(value, pos)
                spans.append({"start": start, "end": start + len(value), "type": kind, "value": value})
                pos = start + len(value)
            fh.write(json.dumps({"text": text, "spans": spans}, ensure_ascii=False) + "\n")
    print(out, len(CASES), "messages", sum(len(labels) for _, labels in CASES), "values")


if __name__ == "__main__":
    main()
