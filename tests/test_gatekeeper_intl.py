"""The gatekeeper on international, messy text (issue 16), with real Presidio and real spaCy:
first names alone and in lists, initials, lower-case chats, house numbers after the street, postal
blocks, national phone numbers, odd card and IBAN groupings; and what must stay untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgeapp.gatekeeper import PlaceholderVault, lexicon
from edgeapp.gatekeeper import evaluation as ev
from edgeapp.gatekeeper.vault import PLACEHOLDER_RE

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"

# (text, values that must be masked) - written for this test, not taken from the benchmark sets
FOUND = [
    ("Ask Wiebke, Teodoro and Ksenia to bring the slides.", ["Wiebke", "Teodoro", "Ksenia"]),
    ("Radoslav is the best plumber we ever had.", ["Radoslav"]),
    ("Forward it to Małgorzata B. Wiśniewska, please.", ["Małgorzata B. Wiśniewska"]),
    ("Mehmet K Öztürk called twice.", ["Mehmet K Öztürk"]),
    ("The lease is signed by K. Lindqvist.", ["K. Lindqvist"]),
    ("Invited: Ludovica, Ferdinand, Yusuf and Oyelaran.", ["Ludovica", "Ferdinand", "Yusuf", "Oyelaran"]),
    ("pls tell joaquim the car is ready", ["joaquim"]),
    ("Patrizia Colombo\nVia Nazionale 44\n00184 Roma\n\nPlease help me complain about my bill.",
     ["Patrizia Colombo", "Via Nazionale 44", "00184 Roma"]),
    ("Unsere Adresse ist Lindenstraße 8a, 04109 Leipzig.", ["Lindenstraße 8a", "04109 Leipzig"]),
    ("Billing address:\n88 Harbour Road\nUnit 12\nWellington 6011", ["88 Harbour Road", "Unit 12", "Wellington 6011"]),
    ("i live at kungsgatan 14 and my rent is too high", ["kungsgatan 14"]),
    ("what is the zip code 02139-4307 used for", ["02139-4307"]),
    ("They met at the intersection of Granville and Robson.", ["Granville and Robson"]),
    ("Office 0491 570 156-Fax", ["0491 570 156"]),
    ("mobile: 612 345 678", ["612 345 678"]),
    ("Thanks,\nIlse\n+31 6 1234 5678", ["+31 6 1234 5678"]),
    ("Card 52 0000 0000 0000 07 was declined", ["52 0000 0000 0000 07"]),
    ("Pay to iban es91-2100-0418-4502-0005-1332", ["es91-2100-0418-4502-0005-1332"]),
    ("IBAN GB 82 WEST12345698765432 please", ["GB 82 WEST12345698765432"]),
    ("sorry im at bergstraße 12, can you come", ["bergstraße 12"]),
    ("We are at 3 Quarry Lane, it is the blue door.", ["3 Quarry Lane"]),
    ("It is right next to Radoslav Wiśniewski's bakery.", ["Radoslav Wiśniewski"]),
    # names no list knows, found from structure and context (issue 16, second round)
    ("Ifeanyi says the roof is fixed, should I pay him now?", ["Ifeanyi"]),
    ("Yesterday Ngozika Obiora called about the invoice.", ["Ngozika Obiora"]),
    ("Kwadwo and I are driving to the coast on Sunday.", ["Kwadwo"]),
    ("My colleague Thandeka asked whether the report is due today.", ["Thandeka"]),
    ("Hi Seung-hoon,\nthanks for sending the slides.", ["Seung-hoon"]),
    ("Cheers,\nOddbjørn Fjeldstad", ["Oddbjørn Fjeldstad"]),
    ("[09:14] Nkiruka: where are you\n[09:15] Bartholomew: in the lobby", ["Nkiruka", "Bartholomew"]),
    ("Patient name:\nTomasz Wrzesiński\nDate of visit: Monday", ["Tomasz Wrzesiński"]),
    ('{"customer": "Farida Oyelaran", "plan": "basic"}', ["Farida Oyelaran"]),
    ("name;email;team\nAnselmo Quiñones;a.q@example.org;blue", ["Anselmo Quiñones"]),
    ("| Attendee | Seat |\n|---|---|\n| Yusuke Hamada | 12 |", ["Yusuke Hamada"]),
    ("idris just texted me, what do i say", ["idris"]),
    ("ok so my friend obiageli and i want to split rent", ["obiageli"]),
    ("can u write to kaito that the keys are under the mat", ["kaito"]),
    ("Hope says the tickets are sold out.", ["Hope"]),
    ("From: Dagrun Aasheim <dagrun@example.no>\nTo: Bertil Wallin\nSubject: keys", ["Dagrun Aasheim", "Bertil Wallin"]),
    # a first name that is also a word or a place, as the subject of what only people do or after a cue
    ("Toby paid the deposit on Monday.", ["Toby"]),
    ("Dominika logged in twice from the hotel.", ["Dominika"]),
    ("Please meet Regina at the gate.", ["Regina"]),
    ("can you write to amy that the rent is late", ["amy"]),
    ("Leopoldo is very reliable, hire him.", ["Leopoldo"]),
    ("Tell Hannah I said thanks.", ["Hannah"]),
    # a name the lists hold with accents, typed without them, and the other way round
    ("Did Siobhán ever call back?", ["Siobhán"]),
    ("tomasz wieczorek, 44, needs a lawyer in gdansk", ["tomasz wieczorek"]),
    ("ask anna tonight if the car is free", ["anna"]),
    ("Benoît told Giorgos about the leak.", ["Benoît", "Giorgos"]),
    ("Dear Taavi van der Berg O'Sullivan,\nthank you for the quote.", ["Taavi van der Berg O'Sullivan"]),
    ("Leocadio F Kaya\nVia Roma 12\n00100 Roma", ["Leocadio F Kaya"]),
    ('From: "Okafor, Chinwe" <c.okafor@example.com>\nSubject: rent', ["Okafor", "Chinwe"]),
    ("student: aditi sharma; guardian: rakesh sharma; phone: 98450 12345", ["aditi sharma", "rakesh sharma"]),
    ("invite kofi, ama, yaw and esi to the bbq", ["kofi", "ama", "yaw", "esi"]),
    ("tell adebayo and funmi the party is at 8", ["adebayo", "funmi"]),
    ("IBAN: FR14 2004 1010 0505 0001 3M02 606", ["FR14 2004 1010 0505 0001 3M02 606"]),
    ("Zsofia Bartok signed the form.", ["Zsofia Bartok"]),
    # national phone numbers: trunk digits, one-digit area codes, the French way with a country code
    ("Our Paris office: +33 (0)1 44 55 66 77", ["+33 (0)1 44 55 66 77"]),
    ("Звоните 8 (812) 555-12-34", ["8 (812) 555-12-34"]),
    ("Tlf: 22 33 44 55", ["22 33 44 55"]),
    ("ph: 61234567", ["61234567"]),
    ("Phone: 0171 - 234 5678", ["0171 - 234 5678"]),
    ("tel:+48123456789", ["+48123456789"]),
    ("appelle-moi au 06.12.34.56.78 ce soir", ["06.12.34.56.78"]),
    # a ticket's SURNAME/GIVEN NAMES; a person met or thanked; a form label is no part of the name
    ("PASSENGER: LEE/SEO YEON MS", ["LEE/SEO YEON"]),
    ("pax: OKAFOR/CHIDI MR", ["OKAFOR/CHIDI"]),
    ("I'll talk with Kagiso tomorrow.", ["Kagiso"]),
    ("We had lunch with Rustam.", ["Rustam"]),
    ("thank you so much shirin!", ["shirin"]),
    ("i told sipho the meeting moved", ["sipho"]),
    ("Did Halvard reply?", ["Halvard"]),
    ("Has Oyelaran signed the lease?", ["Oyelaran"]),
    ("Ravshan and Dilnoza got married.", ["Ravshan", "Dilnoza"]),
    ("Inti is seven years old.", ["Inti"]),
    ("Bekzod won the chess game.", ["Bekzod"]),
    ("hey, it's ravshan. can you send me the file?", ["ravshan"]),
    ("this is bekzod from accounting", ["bekzod"]),
    ("Ticket #4411 opened by kalinda.", ["kalinda"]),
    # card numbers and IBANs cut in threes or fives, the digit left over at the end
    ("My card is 411 111 111 111 111 1.", ["411 111 111 111 111 1"]),
    ("Pay with 4111 111111 11111 1 please", ["4111 111111 11111 1"]),
    ("IBAN GB8 2WE ST1 234 569 876 543 2", ["GB8 2WE ST1 234 569 876 543 2"]),
    ("Please send this to Иван Петров today.", ["Иван Петров"]),
    ("Signed A.B. Okafor", ["A.B. Okafor"]),
    ("Office-516 466 638", ["516 466 638"]),
    ("ping me at 99 668472 tonight", ["99 668472"]),
    ("Numbers: 032 455 6677 / 032 455 6678", ["032 455 6677", "032 455 6678"]),
    ("Tel. 030 / 2345 6789 (Zentrale)", ["030 / 2345 6789"]),
    ("meet me at 350 5th ave new york ny", ["350 5th ave new york ny"]),
    ("ship to 221 w 42nd st apt 5", ["221 w 42nd st apt 5"]),
    # a form's place fields, with or without a number
    ("Address line 1: 9 Kifissias Ave\nAddress line 2: Marousi\nPostcode: 151 24", ["9 Kifissias Ave", "Marousi", "151 24"]),
    ("Town/City: Gaborone", ["Gaborone"]),
    # small countries' short numbers right after a phone word; brackets round an area code; groupings
    # that looked like a date or an IP address but cannot be one
    ("Tel: 20 61 43", ["20 61 43"]),
    ("my mobile is 22457, text first", ["22457"]),
    ("You can reach me at 31-733 after six.", ["31-733"]),
    ("Emergency contact: 2 2129457", ["2 2129457"]),
    ("fix this csv row: Ahmed,(21) 36-8308,active", ["(21) 36-8308"]),
    ("Call me on 88-85-645-Office after six.", ["88-85-645"]),
    ("WhatsApp 09.21.24.195 if you are late", ["09.21.24.195"]),
    ("Best,\nThe front desk\n79 12 75 26", ["79 12 75 26"]),
    # addresses: flat and floor parts, districts, town + postcode shapes of many countries
    ("Send it to Calle de Toledo 87, 3º izq., 28005 Madrid please.", ["Calle de Toledo 87, 3º izq", "28005 Madrid"]),
    ("Rua Bela Cintra, 986, apto 42 - Consolação, São Paulo - SP, 01415-000",
     ["Rua Bela Cintra, 986, apto 42", "Consolação", "São Paulo - SP, 01415-000"]),
    ("My flat is Via Po 18, scala B, int. 7, 10124 Torino TO", ["Via Po 18, scala B, int. 7", "10124 Torino TO"]),
    ("ul. Mickiewicza 22 m. 5\n31-120 Kraków", ["ul. Mickiewicza 22 m. 5", "31-120 Kraków"]),
    ("ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa", ["ul. Marszałkowska 84/92 m. 15", "00-514 Warszawa"]),
    ("Pick me up at the corner of 5th Avenue and 42nd Street.", ["5th Avenue and 42nd Street"]),
    ("Blegdamsvej 9, 3. tv., 2100 København Ø", ["Blegdamsvej 9, 3. tv", "2100 København Ø"]),
    ("P.O. Box 30197-00100, Nairobi", ["P.O. Box 30197-00100"]),
    ("Blk 45 Tampines St 11, #08-221, Singapore 521045", ["Blk 45 Tampines St 11", "#08-221", "Singapore 521045"]),
    ("We moved to 17 Yeouido-ro, Yeongdeungpo-gu, Seoul 07332", ["17 Yeouido-ro", "Yeongdeungpo-gu", "Seoul 07332"]),
    ("Atatürk Caddesi No: 44 D: 3, Konak 35210 İzmir", ["Atatürk Caddesi No: 44 D: 3", "Konak 35210", "İzmir"]),
    ("Our office: Flat 12, Lakeview Residency, 5th Main, HSR Layout, Bengaluru - 560102",
     ["Flat 12", "Lakeview Residency", "5th Main", "HSR Layout", "Bengaluru - 560102"]),
    ("Av. Santa Fe 3200, piso 4, depto C, C1425BGU CABA", ["Av. Santa Fe 3200, piso 4, depto C", "C1425BGU CABA"]),
    ("Eircode is A65 F4E2, does that help?", ["A65 F4E2"]),
    ("Postal address: Mannerheimintie 5 B 21, 00100 Helsinki", ["Mannerheimintie 5 B 21", "00100 Helsinki"]),
    ("Mrs K. Whitlock\n14 Moorland Road\nSheffield\nS10 2BP", ["14 Moorland Road", "Sheffield", "S10 2BP"]),
    ("Calle Durango 241, int. 4\nCol. Roma Norte\n06700 Ciudad de México, CDMX",
     ["Calle Durango 241, int. 4", "Col. Roma Norte", "06700 Ciudad de México, CDMX"]),
    ("pls tell magnus the parcel goes to lindenweg 4, 60311 frankfurt", ["lindenweg 4", "60311 frankfurt"]),
    ("i live at rua das flores 150, sao paulo and i love it", ["rua das flores 150", "sao paulo"]),
    ("need a note for birgit that we moved to 12 elm grove, york yo1 7hh", ["12 elm grove", "york yo1 7hh"]),
    ("The team this sprint is Kjeld, Obinna, Sunniva, Thuy and Kaveh.", ["Kjeld", "Obinna", "Sunniva", "Thuy", "Kaveh"]),
    ("Please split the costs between Tiihonen, Ishikawa & Nduka.", ["Tiihonen", "Ishikawa", "Nduka"]),
    ("ok so ngozi and tobenna are coming over, what should i cook", ["ngozi", "tobenna"]),
    ("Meet me outside Bolaji Adewale's shop at noon.", ["Bolaji Adewale"]),
    ("Reminder for Chinedu:\nbring the forms on Friday.", ["Chinedu"]),
    ("Our courier says 44-210 is outside the delivery zone.", ["44-210"]),
    ("Is 602 00 near the river?", ["602 00"]),
    ("hi its Tomas, im at Sonnenallee 12 in 12045 Berlin", ["Sonnenallee 12", "12045 Berlin"]),
    ("i live at havnegade 5 in 1058 københavn", ["havnegade 5 in 1058 københavn"]),
    # scripts without Latin letters
    ("Name: 김민준\nPhone: 010-2233-4455", ["김민준", "010-2233-4455"]),
    ("Мой адрес: ул. Тверская, д. 7, кв. 12, Москва 125009", ["ул. Тверская, д. 7, кв. 12"]),
    ("送り先は東京都渋谷区神宮前1-2-3です", ["東京都渋谷区神宮前1-2-3"]),
    ("서울특별시 강남구 테헤란로 152로 보내주세요", ["서울특별시 강남구 테헤란로 152"]),
    ("Full name: Αλέξανδρος Παπαδόπουλος", ["Αλέξανδρος Παπαδόπουλος"]),
    # round five: phone numbers in a slot of their own, signature letters, telephone signs, asides after a number
    ("fix this csv row: Ahmed,21 36 75 20,active", ["Ahmed", "21 36 75 20"]),
    ("the courier (30 011 756) said Tuesday", ["30 011 756"]),
    ("Reception desk — 21 25 17", ["21 25 17"]),
    ("Best,\nThe front desk\n22320", ["22320"]),
    ("T 32 1019 | W example.org", ["32 1019"]),
    ("☎ 0271 19032 (24/7)", ["0271 19032"]),
    ("Landline 2245 2798 (24/7)", ["2245 2798"]),
    ("📞 30 24 68 58 anytime", ["30 24 68 58"]),
    ("call/text +216 30 012 444", ["+216 30 012 444"]),
    ("(tel) +387 61 125 983", ["+387 61 125 983"]),
    ("Tel. 212.34.43.98", ["212.34.43.98"]),
    ("02-7119032, ext 5", ["02-7119032, ext 5"]),
    ("014 56 83 95 anytime", ["014 56 83 95"]),
    ("Maestro 50 38 07 24 09 19", ["50 38 07 24 09 19"]),
    ("Text 600 129 806 when you land", ["600 129 806"]),
    ("My # is 2245 6524", ["2245 6524"]),
    ("Whats app: 601 12 80 59", ["601 12 80 59"]),
    ("emergency: 2123.9712", ["2123.9712"]),
    ("If the line drops, try 5251 0090 instead.", ["5251 0090"]),
    ("The flat is at Suché mýto 1, 04627 Buje - ring twice.", ["Suché mýto 1", "04627 Buje"]),
    # names: a possessive before what only people have, a row with no header, initials, pairs after "the kids"
    ("Ravshan's laptop is broken again.", ["Ravshan"]),
    ("| 3 | Dagny Aasen | approved |", ["Dagny Aasen"]),
    ("reported by M Osei", ["M Osei"]),
    ("Okafor A.B. submitted the form late.", ["Okafor A.B."]),
    ("the kids, Inti and Wayra, are at school today", ["Inti", "Wayra"]),
    ("our team is halvard, inti, wayra", ["halvard", "inti", "wayra"]),
    ("Ask Haruto Sato for the keys.", ["Haruto Sato"]),
    ("Please add Kgosi Mothibi to the guest list.", ["Kgosi Mothibi"]),
    ("Contact person - Tõnis Tamm", ["Tõnis Tamm"]),
    ("Harpreet Kaur Sandhu - Senior Engineer", ["Harpreet Kaur Sandhu"]),
    ("ask kgosi mothibi for the keys", ["kgosi mothibi"]),
    # a single name no list knows, where only a person stands, whatever spaCy calls it
    ("Is Pemba coming tonight?", ["Pemba"]),
    ("Chidi (HR) approved it.", ["Chidi"]),
    ("Our new hire, Ashot, starts Monday.", ["Ashot"]),
    ("The form was signed by Yohannes.", ["Yohannes"]),
    ("Say thanks to Fatoumata from me.", ["Fatoumata"]),
    ("What did Tsetseg say?", ["Tsetseg"]),
    ("Aigerim: I'm on my way", ["Aigerim"]),
    ("Please add Kalani to the guest list.", ["Kalani"]),
    ("Yohannes will join the call at 3.", ["Yohannes"]),
    ("Bakhyt, can you check this?", ["Bakhyt"]),
    ("I had coffee with Bakhyt yesterday.", ["Bakhyt"]),
    ("Gulnara is very reliable.", ["Gulnara"]),
    ("They invited Oluwaseun, Marta and Joon.", ["Oluwaseun", "Marta", "Joon"]),
    ("Haruto said no.", ["Haruto"]),
    ("Aigerim called about the invoice.", ["Aigerim"]),
    ("is bakhyt coming tonight?", ["bakhyt"]),
    ("i had coffee with ashot yesterday.", ["ashot"]),
    ("me and malalai are going.", ["malalai"]),
    ("did chidi pay you back?", ["chidi"]),
    ("thanks,\nlwazi", ["lwazi"]),
    ("tsetseg's flight lands at 6.", ["tsetseg"]),
    ("kgosi: i'm on my way", ["kgosi"]),
    ("is aigerim nurlanovna coming tonight?", ["aigerim nurlanovna"]),
    ("i had coffee with tupac quispe yesterday.", ["tupac quispe"]),
    ("Contact person - Tõnis", ["Tõnis"]),
    ("Emergency contact Farrukh", ["Farrukh"]),
    ("Wojtek - Senior Engineer", ["Wojtek"]),
    ("Oluwaseun\nFlat 3, 12 High St", ["Oluwaseun"]),
    ("the form was signed by aigerim nurlanovna.", ["aigerim nurlanovna"]),
    ("wirihana ngata - senior engineer", ["wirihana ngata"]),
    # addresses: after a PO box, a corner with French street words, a lower-case clause after "i live at"
    ("PO Box 1234, Gaborone, Botswana", ["PO Box 1234, Gaborone, Botswana"]),
    ("Meet Carl at the corner of rue Thierry Sanchez and avenue de Chauvin at noon.",
     ["rue Thierry Sanchez and avenue de Chauvin"]),
    ("i live at 94/790, singhal circle and my number is (31) 430-7105", ["94/790, singhal circle", "(31) 430-7105"]),
    ("i live at novo polje, cesta xvi 5a and my number is 031 302 14 10", ["novo polje, cesta xvi 5a"]),
    ("Please ship it to Mannerheimintie 12 A 5, 00100 Helsinki.", ["Mannerheimintie 12 A 5, 00100 Helsinki"]),
    ("Deliver to Shevchenka St 5, apt 3, Kyiv 01001 before noon", ["Shevchenka St 5, apt 3", "Kyiv 01001"]),
    ("Billing address - Rruga Myslym Shyri 22, Tiranë 1001", ["Rruga Myslym Shyri 22, Tiranë 1001"]),
    ("Deliver to Carrera 7 # 32-16, Bogotá before noon", ["Carrera 7 # 32-16"]),
    ("Av. Corrientes 1234, C1043 Buenos Aires", ["Av. Corrientes 1234", "C1043 Buenos Aires"]),
    ("i moved to 5-2-1 ginza, chuo-ku, tokyo 104-0061 last week", ["5-2-1 ginza, chuo-ku, tokyo 104-0061"]),
]

# nothing in these is personal data: rules that find names and addresses from structure must leave them alone
NOTHING = [
    "Buy Apples, Pears 12, Bananas 1500 grams.",
    "Netflix says my card expired, is that a scam?",
    "Kubernetes keeps restarting my pod, why?",
    "Dear Sir or Madam,\nI am writing to complain.",
    "Best,\nThe Support Team",
    "name,price,qty\nWidget,3.50,10\nGadget,12.00,2",
    "10:30 Standup: discuss the release",
    "Subject: quarterly report\nFrom: accounting",
    "Step 1, Step 2, Section 4, Chapter 12 of the book.",
    "Tel.: see the leaflet",
    "she paid for the potatoes and used 2 of them",
    "We sold 12 345 copies and 20-100 were returned.",
    "Google's office opens at 9.",
    "Ask Google about the opening hours.",
    "I want to visit Florence and Regina next summer.",
    "Tell me about the Will of 1850.",
    "How big is Africa compared to Europe?",
    "The meeting runs 10:30 - 11:45, then lunch.",
    "From 1999 - 2005 I lived abroad.",
    "The pool is 25 m long and 12 m wide.",
    "buy apples, pears, bread and milk",
    "Django says the migration failed, and Kubernetes is very reliable otherwise.",
    "Siri said it could not help, so I asked ChatGPT.",
    "the years 05 06 07 08 09 were good ones",
    "We need to reach the summit at 12345 feet.",
    "Use TCP/IP or AC/DC, thanks again for the help.",
    "Did Nvidia ship the drivers? Can Docker help here?",
    "i asked chatgpt and it said no",
    "Google and Microsoft signed the deal. The tree is 20 years old.",
    "if her iphone is 1 year old, how old is the ipad?",
    "it's fine, this is ridiculous! it's tuesday.",
    "I wish to add it to 15 liters of pineapple drink that is three-fifths water.",
    "Unit: 3 kg\nRegion: eu-west-1\nCity: N/A",
    "Name: N/A\nGuardian: n/a",
    "Juice Box B is 5 dollars more than Juice Box A. Juice Box C costs 7.",
    "she walked to 3 different streets and back to 2 more",
    "I worked with Python for years and checked with Customs first.",
    "What is the number 12345 divided by 5?",
    "The phone costs 12999 dollars and the case 25.",
    "The contact list has 12345 names.",
    "The build was on 12-03-2024 and the release on 2024.03.19.",
    "The population (125000) grew by 3%.",
    "Totals,12 500,13 750,done",
    "| item | qty |\n| bolts | 12 000 |",
    "Round 1 — 12 15 18",
    "| 2 | Widget Pro | 3 |",
    "Apple's address is on the website. Today's number is 7.",
    "Amazon's birthday sale starts now.",
    "the team is great, fun and kind",
    "We flew from Ouagadougou to Bamako via Abidjan.",
    "Order the Bibimbap Bowl and a Kimchi Jjigae.",
    "Use PyTorch Lightning with Hugging Face transformers.",
    "merci beaucoup for the help",
    "Stripe will join the call",
    "Update: I pushed the fix",
    "Is Docker running? Is Slack coming back?",
    "add Jira to the list",
    "Zoom says the meeting ended and Figma said the file is gone.",
    "A DIY will saves 20% and NASA said so.",
    "we moved to 3 different offices, deliver it to 2 teams before noon",
    "Name - Widget Pro 3000\nReport - Senior Engineer review",
    "Budget\n12 items left",
    "Compare the Fiat Panda and the Dacia Sandero for city driving.",
    "he has faith and hope, and she did well",
    "thanks,\nsee you soon",
    "did well yesterday, i can swim today and run later",
    "me and my friends are going, coffee with milk later",
    "gracias amigo, see you later",
    "inshallah habibi we will make it",
    "danke schön und tschüss",
    "the tiramisu gelato was amazing",
    "i'm at home, 5 minutes away",
]

KEPT = [
    "James decides to run 3 sprints 3 times a week and walks 10 miles.",
    "I live in a house with 3 rooms and 2 gardens.",
    "Will you add 5 and 7? May is the 5th month and the grace period ends in June.",
    "He bought 5 Red Apples and 3 Green Pears at the Market on Main.",
    "The answer is X.",
    "A car drives 60 mph for 2 hours, then turns at the corner of the road.",
]


def test_a_name_ends_at_its_line(gatekeeper):
    """A title or a capitals name never runs over a line break into the next field."""
    found = gatekeeper.find("PASSENGER: NGUYEN/THI HOA MS\nSEAT 14C")
    assert any("NGUYEN" in f.text for f in found)
    assert not any("SEAT" in f.text for f in found), found


def test_a_po_box_takes_the_towns_after_it_but_no_words(gatekeeper):
    assert [f.text for f in gatekeeper.find("Send it to PO Box 55, Thanks.")] == ["PO Box 55"]
    assert [f.text for f in gatekeeper.find("P.O. Box 771, Windhoek")] == ["P.O. Box 771, Windhoek"]


def test_an_address_starts_at_its_street_not_at_the_words_before(gatekeeper):
    for text, street in (("My address is Nørrebrogade 110, 2200 København N", "Nørrebrogade 110"),
                         ("I moved to Furugränd 779, 49019 Burgos - ring twice.", "Furugränd 779"),
                         ("and im at 19, rue de masson in 3275xa nieuwehorne", "19, rue de masson")):
        starts = [f.start for f in gatekeeper.find(text) if f.entity_type == "ADDRESS"]
        assert text.index(street) in starts, (text, [f.text for f in gatekeeper.find(text)])


def test_a_field_label_is_no_part_of_the_name(gatekeeper):
    found = [f.text for f in gatekeeper.find("Name: Thandiwe Mokoena\nDOB: 1990-02-03")]
    assert "Thandiwe Mokoena" in found and not any("Name" in f for f in found), found
    found = [f.text for f in gatekeeper.find("Kind regards,\nDr. Nomsa Dube\nHead of Science")]
    assert any("Nomsa Dube" in f for f in found) and not any("Head" in f for f in found), found


def test_a_name_typed_in_lower_case_stops_before_the_verb(gatekeeper):
    """In a lower-case message the word after a first name is a surname only when it is no verb or
    plural: "marie paid", "grayson recycles" keep their verb."""
    for text, name, verb in (("marie paid 20 dollars for the tickets", "marie", "paid"),
                             ("grayson recycles 12 cans a week", "grayson", "recycles"),
                             ("bruce slain the dragon twice", "bruce", "slain")):
        masked = {f.text for f in gatekeeper.find(text)}
        assert name in masked, (text, masked)
        assert not any(verb in m for m in masked), (text, masked)
    found = {f.text for f in gatekeeper.find("Please pay to IBAN DE89 3704 0044 0532 0130 00 today")}
    assert "IBAN" not in found


def _masked(gatekeeper, text: str) -> list[bool]:
    mask = [False] * len(text)
    for f in gatekeeper.find(text):
        for i in range(f.start, f.end):
            mask[i] = True
    return mask


@pytest.mark.parametrize(("text", "values"), FOUND, ids=[f"found-{i}" for i in range(len(FOUND))])
def test_messy_international_values_are_masked(gatekeeper, text, values):
    mask = _masked(gatekeeper, text)
    pos = 0
    for value in values:
        start = text.index(value, pos)
        assert all(mask[start : start + len(value)]), f"{value!r} not fully masked in {text!r}"
        pos = start + len(value)


@pytest.mark.parametrize("text", NOTHING, ids=[f"nothing-{i}" for i in range(len(NOTHING))])
def test_structure_rules_leave_ordinary_text_alone(gatekeeper, text):
    assert gatekeeper.find(text) == []


@pytest.mark.parametrize("text", KEPT, ids=[f"kept-{i}" for i in range(len(KEPT))])
def test_ordinary_sentences_keep_their_numbers_and_words(gatekeeper, text):
    scrubbed, findings = gatekeeper.scrub_text(text, PlaceholderVault())
    assert all(f.entity_type == "PERSON" for f in findings), findings
    assert ev.NUMBER.findall(PLACEHOLDER_RE.sub("", scrubbed)) == ev.NUMBER.findall(text)
    for word in ("May", "grace", "June", "Will", "Red Apples", "Green Pears", "Main", "run", "walks", "house",
                 "corner of the road", "The answer is X."):
        if word in text:
            assert word in scrubbed, (word, scrubbed)


def test_recall_on_the_international_dev_set(gatekeeper):
    rows = ev.load_labelled(ROOT / "benchmarks" / "data" / "pii_intl_dev.jsonl")[:200]
    report = ev.recall(lambda t: [(f.start, f.end, f.entity_type) for f in gatekeeper.find(t)], rows)
    assert report.overall >= 0.95, report.missed
    for kind in ("PERSON", "ADDRESS", "PHONE_NUMBER"):
        assert report.recall(kind) >= 0.92, (kind, [m for m in report.missed if m[0] == kind])
    for kind in ("EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS"):
        assert report.recall(kind) == 1.0, (kind, report.missed)
    assert report.char_precision >= 0.95


def test_lower_cased_clean_prompts_keep_every_number(gatekeeper):
    prompts = [row["text"].lower() for row in ev.read_jsonl(DATA / "gk_clean_prompts.jsonl")]
    report = ev.clean_prompts(lambda t: [(f.start, f.end, f.entity_type) for f in gatekeeper.find(t)], prompts)
    assert report.number_survival == 1.0, report.lost
    assert report.non_person == []


def test_word_lists_come_from_the_packages_and_are_cached(edgeapp_home):
    lexicon.all_lists.cache_clear()
    try:
        built = lexicon.all_lists()  # read from Faker and english-words, then kept in the cache dir
        cached = list((edgeapp_home / "cache").glob("gatekeeper-lexicon-*.pickle"))
        assert len(cached) == 1
        lexicon.all_lists.cache_clear()
        assert lexicon.all_lists() == built  # read back from the cache
        cached[0].write_bytes(b"not a pickle")
        lexicon.all_lists.cache_clear()
        assert lexicon.all_lists() == built  # a broken cache is rebuilt
    finally:
        lexicon.all_lists.cache_clear()
    first, english = lexicon.first_names(), lexicon.english_lower()
    assert len(first) > 10_000 and len(lexicon.last_names()) > 10_000
    assert {"joaquim", "zsófia", "efua"} & first and "will" in first and "will" in english
    assert "grace" in english and "ingrid" not in english
    assert {"straße", "ulica", "rua", "calle", "vej"} <= lexicon.street_words()
    assert {"jordan", "germany"} <= lexicon.places()


def test_the_cloud_system_prompt_is_left_alone(gatekeeper):
    """Every escalation carries this text: a rule that masks a word of it ("with placeholders in ...") shifts
    every placeholder of the conversation."""
    from edgeapp.assistant import CLOUD_SYSTEM

    assert gatekeeper.find(CLOUD_SYSTEM) == []
