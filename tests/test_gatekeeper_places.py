"""Real places that carry a person's name stay in the message (gatekeeper/places.py), and the
people around them are still masked. Real Presidio, real spaCy, the bundled GeoNames list."""

from __future__ import annotations

import gzip

import pytest

from edgeapp.gatekeeper import places
from edgeapp.paths import resource

# questions a user sends about trips, weather and schools: nothing in them is personal
PLACES = [
    "I live in North Carolina and my sister in South Carolina.",
    "North Dakota is cold in January.",
    "We visited Santa Monica and San Jose last spring.",
    "Is Saint Louis bigger than St. Paul?",
    "Fort Worth is near Dallas, right?",
    "Compare Sierra Leone and Puerto Rico by population.",
    "Mount Vernon is in Virginia, isn't it?",
    "What is the capital of El Salvador?",
    "How tall is Victoria Falls?",
    "Austin Texas is hot in summer.",
    "Is Madison, Wisconsin far from Chicago?",
    "Georgia Tech or Santa Clara University for engineering?",
    "Lake Louise is in Canada.",
    "Best train from Victoria Station to the airport?",
    "What is the weather in London today?",
    "Flights to Charlotte Douglas airport are delayed.",
    "Cheap hotels near Orlando for a week?",
    "We stayed in Diego Martin for a week.",
    "Compare rent in Austin and Denver.",
    "Can I drive from Dallas to Houston in a day?",
    "How many people live in Victoria, British Columbia?",
    "Plan my trip:\nDay 1\nSan Francisco\nDay 2\nLos Angeles",  # a line of its own, but no postal block
]

# people whose names are also places, where nothing says "place": masked as before
PEOPLE = [
    ("Ask Charlotte about the flights.", ["Charlotte"]),
    ("Madison said she would come.", ["Madison"]),
    ("Carolina Herrera called me yesterday.", ["Carolina Herrera"]),
    ("Tell Austin the report is late.", ["Austin"]),
    ("Jackson Smith is in Boston this week.", ["Jackson Smith"]),
    ("My name is Sierra Lopez.", ["Sierra Lopez"]),
    ("I met Georgia Miller in Paris, France.", ["Georgia Miller"]),
    ("Victoria Beckham was there.", ["Victoria Beckham"]),
    ("The files are in Georgia Miller's folder.", ["Georgia Miller"]),
    ("We met Santa Barbara Smith at the fair.", ["Barbara Smith"]),
    # a list or a route only where nothing after the word says "person"
    ("Invite Austin and Denver to the party.", ["Austin", "Denver"]),
    ("A message from Charlotte to Dallas arrived.", ["Charlotte", "Dallas"]),
    # towns named after people: the person wins unless a place word leads to the town
    ("Juan Díaz called about the invoice.", ["Juan Díaz"]),
    ("Please copy Carlos Barbosa and Miguel Pereira.", ["Carlos Barbosa", "Miguel Pereira"]),
    ("Diego Martin will review the contract.", ["Diego Martin"]),
]


@pytest.mark.parametrize("text", PLACES, ids=[f"place-{i}" for i in range(len(PLACES))])
def test_places_named_like_people_are_not_masked(gatekeeper, text):
    assert [f.text for f in gatekeeper.find(text) if f.entity_type == "PERSON"] == []


@pytest.mark.parametrize(("text", "names"), PEOPLE, ids=[f"person-{i}" for i in range(len(PEOPLE))])
def test_people_named_like_places_are_still_masked(gatekeeper, text, names):
    found = [f.text for f in gatekeeper.find(text) if f.entity_type == "PERSON"]
    assert all(any(name in f for f in found) for name in names), found


def test_a_place_does_not_shield_a_person_beside_it(gatekeeper):
    found = [f.text for f in gatekeeper.find("Email Thandiwe Mokoena in Santa Barbara about the lease.")]
    assert any("Thandiwe Mokoena" in f for f in found) and not any("Barbara" in f for f in found)


def test_place_spans_take_the_whole_place():
    text = "From St. Louis to Austin, Texas via Mount Saint Helens and Victoria Falls."
    got = [text[s:e] for s, e in places.spans(text)]
    assert got == ["St. Louis", "Austin, Texas", "Mount Saint Helens", "Victoria Falls"]


def test_the_bundled_list_is_geonames_cities_and_regions():
    with gzip.open(resource("gatekeeper", "places.txt.gz"), "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    kinds = {kind for kind, _ in rows}
    names = {name for _, name in rows}
    assert kinds == {"city", "region"} and len(rows) > 30000
    assert {"san francisco", "north carolina", "el salvador", "victoria falls"} <= names
    assert rows == sorted(rows)  # scripts/make_places.py writes it sorted: the same on every run


@pytest.mark.parametrize(("text", "place"), [
    ("i moved to 12 Nguyen Hue, District 1, Ho Chi Minh City last week", "Ho Chi Minh City"),
    ("Lives at 9 Bay Street, Port Louis, Mauritius", "Port Louis, Mauritius"),
    ("I live at 5 Main St in Charlotte.", "Charlotte"),
    ("Send it to:\n14 Oak Street\nSanta Barbara\nCA 93101", "Santa Barbara"),
    ("Ms. Tran\n45 Le Loi\nDistrict 1\nHo Chi Minh City", "Ho Chi Minh City"),  # no address finding in the block
    ("Rua Augusta 1450\nBairro Santa Cecília, São Paulo", "Santa Cecília"),
])
def test_a_place_that_continues_an_address_is_part_of_it(gatekeeper, text, place):
    start = text.index(place)
    covering = [f for f in gatekeeper.find(text) if f.start <= start and start + len(place) <= f.end]
    assert covering, gatekeeper.find(text)  # masked (as the address, or by the name rules as before)
