"""Issue 27: phone numbers of seven to ten digits in groups after "at", "to", "on my registered", and
the old 15-digit JCB cards (1800..., 2131...). The examples are invented here."""

from __future__ import annotations

import pytest

from edgeapp.gatekeeper.recognizers.identifiers import card_ok, old_jcb

from .masking import is_masked, masked_values

PHONES = [
    ("Nobody has picked up at 38 415 207 all week.", "38 415 207"),
    ("Please text to 604-318-275 when you land.", "604-318-275"),
    ("the code goes to 7712 0934 every time", "7712 0934"),
    ("Reminders go out on my registered 21 40 77 11 each morning.", "21 40 77 11"),
    ("You can reach the caretaker at 452 8817 after six.", "452 8817"),
    ("i sent the invoice to 93 27 406 by accident", "93 27 406"),
    ("no one picks up at 38.415.207 anymore", "38.415.207"),
    ("they rang me from 604-318-275 twice", "604-318-275"),
    ("text me at 38 415 207 or 604 318 275", "604 318 275"),
    ("nobody picks up at 38415 207 these days", "38415 207"),
    ("texts go to 604 318-275 now", "604 318-275"),
    ("she only answers at 3 6620 4178 on weekdays", "3 6620 4178"),  # a first group of one digit
    ("call me at 4 722 0918 tonight", "4 722 0918"),
]


@pytest.mark.parametrize(("text", "number"), PHONES)
def test_grouped_numbers_after_a_reach_word_are_phones(gatekeeper, text, number):
    assert is_masked(gatekeeper, text, number), masked_values(gatekeeper, text)


@pytest.mark.parametrize(
    "text",
    [
        "The town grew to 12 500 000 people in a decade.",
        "Prices rose from 12 500 000 to 14 250 000 over the year.",
        "The budget went up to 11 200 300 in 2021.",
        "We moved on 12 03 2024 and unpacked for a week.",
        "The price rose to 12.500.000 in May.",
        "Sales grew from 12 500 000 to 13 000 000.",
        "The flat sold at 1 250 000 last spring.",
        "The painting was valued at 3.400.000 by the auction house.",
        "Count on 20 30 40 50 as the marks on the ruler.",
    ],
)
def test_amounts_dates_and_counts_after_those_words_stay(gatekeeper, text):
    assert not [f for f in gatekeeper.find(text) if f.entity_type == "PHONE_NUMBER"], masked_values(
        gatekeeper, text
    )


CARDS = [
    ("my card 1800 4412 0093 125 was charged twice", "1800 4412 0093 125"),
    ("Card # 180044120093125 expires soon", "180044120093125"),
    ("pay it with the JCB 2131 0045 1187 224", "2131 0045 1187 224"),
]


@pytest.mark.parametrize(("text", "number"), CARDS)
def test_old_jcb_cards_are_masked(gatekeeper, text, number):
    assert is_masked(gatekeeper, text, number), masked_values(gatekeeper, text)
    assert "CREDIT_CARD" in {f.entity_type for f in gatekeeper.find(text)}


def test_old_jcb_needs_fifteen_digits_and_luhn():
    assert old_jcb("180044120093125") and card_ok("1800 4412 0093 125")
    assert not old_jcb("18004412009312")  # fourteen digits
    assert not card_ok("1800 4412 0093 126")  # the check digit is wrong
    assert not card_ok("1900 4412 0093 123")  # passes Luhn, but no JCB range


def test_every_card_presidios_own_recognizer_finds_is_masked(gatekeeper):
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    presidio = CreditCardRecognizer()
    texts = [
        "charge 1357 9135 7913 575 to it",  # a 1xxx number of 15 digits that passes Luhn
        "old card 4111-1111-1111-1111 still on file",
        "use 6011 0009 9013 9424 for the deposit",
    ]
    for text in texts:
        for r in presidio.analyze(text, ["CREDIT_CARD"]):
            assert is_masked(gatekeeper, text, text[r.start : r.end]), (text, masked_values(gatekeeper, text))
