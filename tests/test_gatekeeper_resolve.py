"""The resolution stage (edgeapp/gatekeeper/resolve.py), one named step at a time, and the order it
applies them in. Real word lists, the real place list and real spaCy; findings are written by hand
where a step is tested on its own."""

from __future__ import annotations

import pytest

from edgeapp.gatekeeper import Gatekeeper
from edgeapp.gatekeeper.findings import DENY_LIST_SOURCE, RECASED_SOURCE, Finding
from edgeapp.gatekeeper.recognizers.names.ner_second_look import names_in_capitals
from edgeapp.gatekeeper.resolve import (
    Evidence,
    drop_places_named_like_people,
    merge_overlaps,
    resolve,
    tidy_ner_people,
    tidy_ner_person,
    widen_over_title,
)
from edgeapp.gatekeeper.spacy_engine import NerOnlySpacyEngine, spacy_model_path


def at(
    text: str, value: str, kind: str = "PERSON", score: float = 0.85, source: str = "SpacyRecognizer"
) -> Finding:
    start = text.index(value)
    return Finding(start, start + len(value), kind, score, value, source)


# -- tidy_ner_people --------------------------------------------------------------------------------
def test_an_ner_name_ends_at_its_line_and_before_a_number_word():
    text = "Get Shorty\n\nAnswer: A"
    assert tidy_ner_person(at(text, text)) == at(text, "Get Shorty")
    assert tidy_ner_person(at("Sally Four", "Sally Four")).text == "Sally"


@pytest.mark.parametrize("value", ["rose bush", "Room 12", "Tel.:", "Django", "J.", "Cast:", "Mum"])
def test_ner_people_that_are_no_names_are_dropped(value):
    """Lower case, a number, a field label, a product, a lone initial, a credit's label, a family word."""
    assert tidy_ner_person(at(value, value)) is None


def test_a_credit_label_before_an_ner_name_is_trimmed():
    assert tidy_ner_person(at("Starring Noor van Dijk", "Starring Noor van Dijk")).text == "Noor van Dijk"


def test_only_ner_person_findings_are_tidied():
    titled = at("rose bush", "rose bush", source="TitledNameRecognizer")
    address = at("Room 12", "Room 12", kind="ADDRESS")
    recased = at("rose bush", "rose bush", source=RECASED_SOURCE)
    assert tidy_ner_people("rose bush", [titled, address, recased]) == [titled, address]


def test_an_ner_name_at_a_line_head_before_to_colon_is_a_header():
    text = "Bill to:\n Ewa Zielińska"
    bill = at(text, "Bill")
    assert tidy_ner_people(text, [bill]) == []
    assert tidy_ner_people("Ask Bill to: help", [at("Ask Bill to: help", "Bill")]) != []


# -- drop_places_named_like_people ------------------------------------------------------------------
def test_a_person_inside_a_place_is_dropped():
    text = "Flights to North Carolina next week"
    assert drop_places_named_like_people(text, [at(text, "Carolina")]) == []


def test_a_person_reaching_a_place_only_with_dictionary_words_is_dropped():
    text = "Compare Sierra Leone and Ghana."
    assert drop_places_named_like_people(text, [at(text, "Compare Sierra Leone")]) == []


def test_a_place_that_continues_an_address_becomes_part_of_it():
    text = "Ship it to 12 Nguyen Hue, District 1, Ho Chi Minh City"
    street = at(text, "12 Nguyen Hue, District 1", kind="ADDRESS", score=0.7, source="AddressRecognizer")
    kept = drop_places_named_like_people(text, [street, at(text, "Ho Chi")])
    assert kept == [street, at(text, "Ho Chi Minh City", kind="ADDRESS")]


def test_a_single_first_name_that_is_a_city_stays_a_person():
    text = "Ask Charlotte about the report"
    findings = [at(text, "Charlotte")]
    assert drop_places_named_like_people(text, findings) is findings


# -- widen_over_title -------------------------------------------------------------------------------
def test_a_name_widens_over_its_title_and_initials():
    text = "Please call Dr A.B. Okafor today"
    assert widen_over_title(text, at(text, "Okafor")).text == "Dr A.B. Okafor"
    text = "Mensah K.L. called"
    assert widen_over_title(text, at(text, "Mensah")).text == "Mensah K.L."


def test_abbreviations_and_a_choice_letter_are_no_initials():
    text = "the U.S. Smith case"
    assert widen_over_title(text, at(text, "Smith")) == at(text, "Smith")
    text = "A. Bill\nB. Tom"
    assert widen_over_title(text, at(text, "Bill")) == at(text, "Bill")
    assert widen_over_title(text, at(text, "Tom", kind="ADDRESS")) == at(text, "Tom", kind="ADDRESS")


# -- merge_overlaps ---------------------------------------------------------------------------------
def test_overlaps_merge_into_one_span_typed_by_the_longest():
    text = "Write to Ann Lee Smith now"
    merged = merge_overlaps(
        text, [at(text, "Lee Smith", kind="ORGANIZATION", score=0.9), at(text, "Ann Lee")]
    )
    assert merged == [at(text, "Ann Lee Smith", kind="ORGANIZATION", score=0.9)]


def test_the_deny_list_wins_an_overlap_and_the_first_of_equals_wins():
    text = "Write to Ann Lee Smith now"
    denied = at(text, "Ann", kind="PRIVATE", score=1.0, source=DENY_LIST_SOURCE)
    merged = merge_overlaps(text, [at(text, "Ann Lee"), denied])
    assert [(f.text, f.entity_type, f.source) for f in merged] == [("Ann Lee", "PRIVATE", DENY_LIST_SOURCE)]
    person, address = at(text, "Ann Lee"), at(text, "Ann Lee", kind="ADDRESS")
    assert merge_overlaps(text, [person, address])[0].entity_type == "PERSON"
    assert merge_overlaps(text, [address, person])[0].entity_type == "ADDRESS"


# -- the order of the steps -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ner():
    engine = NerOnlySpacyEngine(spacy_model_path())
    engine.load()
    return engine.nlp["en"]


def test_names_in_capitals_are_found_re_cased_then_tidied(ner):
    text = "PLEASE EMAIL JOHN SMITH TODAY"
    found = names_in_capitals(text, ner)
    assert [(f.text, f.source) for f in found] == [("EMAIL JOHN SMITH", RECASED_SOURCE)]
    assert resolve(text, Evidence([], found, [], [])) == [
        at(text, "JOHN SMITH", score=0.8, source=RECASED_SOURCE)
    ]


def test_titled_names_join_after_the_tidying_and_the_deny_list_after_the_places():
    text = "Dear mr jones, meet me in Georgia"
    titled = at(text, "jones", score=0.8, source="TitledNameRecognizer")
    denied = at(text, "Georgia", kind="PERSON", score=1.0, source=DENY_LIST_SOURCE)
    found = resolve(text, Evidence([], [], [titled], [denied]))
    assert [(f.text, f.entity_type) for f in found] == [("mr jones", "PERSON"), ("Georgia", "PERSON")]


def test_a_deny_listed_value_named_like_a_place_is_masked():
    text = "Can Georgia cover my shift on Monday?"
    assert Gatekeeper().find(text) == []
    found = Gatekeeper(deny_list=["Georgia"]).find(text)
    assert [(f.text, f.entity_type, f.source) for f in found] == [("Georgia", "PRIVATE", DENY_LIST_SOURCE)]
