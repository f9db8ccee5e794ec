"""Issue 27: every part of a postal block written over indented lines is masked: the street line, the
flat, the town (in capitals too), the region code, the postcode alone or after the country. The
examples are invented here."""

from __future__ import annotations

import pytest

from edgeapp.gatekeeper.recognizers.addresses.postal_lines import postal_blocks_in

from .masking import is_masked, masked_values

BLOCKS = [
    (
        "Ship to:\n Halina Wójcikowska\n 412 Kestrel Lane, Suite 300\n MARLOWVILLE\n OR\n 97211",
        ["412", "Kestrel Lane", "Suite 300", "MARLOWVILLE", "OR", "97211", "Halina Wójcikowska"],
    ),
    (
        "Billing address:\n 9 Ostrovní\n Byt 4\n TŘEBOŇ\n Czechia 379 01\n\nIs this complete?",
        ["9 Ostrovní", "TŘEBOŇ", "379 01"],
    ),
    (
        "please send to\n ana lúcia ferraz\n 27 travessa do sol\n apt. 5\n vila nova de gaia\n portugal 4400-123",
        ["27 travessa do sol", "apt. 5", "vila nova de gaia", "4400-123", "ana lúcia ferraz"],
    ),
    (
        "Send the parcel to:\n Moana Te Rangi\n Flat 3\n 12 Kowhai Street\n Wellington 6011",
        ["Flat 3", "12 Kowhai Street", "Wellington 6011", "Moana Te Rangi"],
    ),
    (
        "Deliver to:\n 7 Calle Olmo\n Torre 2 apartamento 31\n Villa Alegre, CO 110111",
        ["7 Calle Olmo", "Torre 2 apartamento 31", "Villa Alegre, CO 110111"],
    ),
    (
        "Kind regards,\n Teodor Vasquez-Lind\n 5531 Orchid Bend Apt. 12\n NEW PELLHAM\n Latvia 10432\nRef: 88",
        ["5531 Orchid Bend Apt. 12", "NEW PELLHAM", "10432"],
    ),
    # second round: a long first line (ten words), tab indents
    (
        "we moved, the new address is\n 58 av. j.b. de la sierra torre 4 dto. 11\n tilcara\n argentina 46240135",
        ["58 av. j.b. de la sierra torre 4 dto. 11", "tilcara", "46240135"],
    ),
    ("Remit to:\n\t31 Birkenweg Whg. 2\n\tHALLSTADT\n\t96103", ["31 Birkenweg Whg. 2", "HALLSTADT", "96103"]),
]


@pytest.mark.parametrize(("text", "parts"), BLOCKS)
def test_each_part_of_an_indented_block_is_masked(gatekeeper, text, parts):
    for part in parts:
        assert is_masked(gatekeeper, text, part), (part, masked_values(gatekeeper, text))


def test_the_country_before_a_postcode_stays_and_the_block_ends_at_a_field():
    text = (
        "Kind regards,\n Teodor Vasquez-Lind\n 5531 Orchid Bend Apt. 12\n NEW PELLHAM\n Latvia 10432\nRef: 88"
    )
    (block,) = postal_blocks_in(text, lower=False)
    parts = [text[p.start : p.end] for p in block.parts]
    assert parts == ["NEW PELLHAM", "10432"]
    assert text[slice(*block.above)] == "Teodor Vasquez-Lind"


@pytest.mark.parametrize(
    "text",
    [
        "Step 1: mix the flour.\n 3 eggs and sugar\n Whisk well\n Bake for 20 minutes.",
        "Shopping list\n 2 Cartons Of Milk\n Bread\n Eggs",
        "Tom has 3 apples.\n 12 Green Apples\n Red Ones",
        "Scores:\n 12 Eagles\n 9 Hawks\n 2024",
    ],
)
def test_lists_that_start_with_numbers_are_no_postal_block(text):
    assert postal_blocks_in(text, lower=False) == []
