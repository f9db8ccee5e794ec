"""The placeholder vault's restore: the tolerant spellings a cloud model writes back, at once and
while streaming (a spelling split across chunks anywhere)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edgeapp.gatekeeper.vault import PlaceholderVault

CASES = [
    json.loads(line)
    for line in (Path(__file__).parents[1] / "benchmarks/data/guardian_placeholders.jsonl")
    .read_text()
    .splitlines()
]


def vault_of(case: dict) -> PlaceholderVault:
    return PlaceholderVault.from_dict({"placeholders": case["mapping"]})


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_restore_takes_the_tolerant_spellings_and_leaves_the_rest(case):
    assert vault_of(case).restore(case["reply"]) == case["expected_restored"]


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_a_spelling_cut_anywhere_in_a_stream_is_still_restored(case):
    vault, reply = vault_of(case), case["reply"]
    for cut in range(len(reply) + 1):
        restorer = vault.stream_restorer()
        shown = restorer.feed(reply[:cut]) + restorer.feed(reply[cut:]) + restorer.flush()
        assert shown == case["expected_restored"], cut
    restorer = vault.stream_restorer()
    pieces = [restorer.feed(ch) for ch in reply] + [restorer.flush()]
    assert "".join(pieces) == case["expected_restored"]


@pytest.mark.parametrize(
    "spelling",
    [
        "<Person_1>",
        "[PERSON_1]",
        "{PERSON_1}",
        "{{PERSON_1}}",
        "< PERSON_1 >",
        "<PERSON 1>",
        "PERSON 1",
        "&lt;PERSON_1&gt;",
        "\\<PERSON_1\\>",
    ],
)
def test_no_piece_of_a_tolerant_spelling_is_shown_before_it_is_restored(spelling):
    vault = PlaceholderVault()
    vault.placeholder_for("PERSON", "Ann Lee")
    restorer = vault.stream_restorer()
    pieces = [restorer.feed(ch) for ch in f"Dear {spelling}, hello."] + [restorer.flush()]
    assert "".join(pieces) == "Dear Ann Lee, hello."
    assert not any("PERS" in piece or "Pers" in piece for piece in pieces)


def test_a_number_never_sent_is_left_as_written():
    vault = PlaceholderVault()
    vault.placeholder_for("PERSON", "Ann Lee")
    assert vault.restore("<PERSON_2> and [PERSON_2] and PERSON 2") == "<PERSON_2> and [PERSON_2] and PERSON 2"
