"""The privacy gatekeeper with real Presidio and real spaCy: detection per type, answerability of
clean prompts, placeholders and restoration (streamed too), policy, deny-list, fail-closed, offline."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from edgeapp import config
from edgeapp.errors import ConfigError, GatekeeperError, PolicyBlocked
from edgeapp.gatekeeper import Gatekeeper, PlaceholderVault, PrivacyPolicy, ScrubbedPayload
from edgeapp.gatekeeper import evaluation as ev
from edgeapp.gatekeeper.vault import PLACEHOLDER_RE

DATA = Path(__file__).parent / "data"

# (text, value that must be masked, expected type) - shapes beyond the dev set's templates
EXAMPLES = [
    ("Write to ann.lee+work@mail.example.co.uk today", "ann.lee+work@mail.example.co.uk", "EMAIL_ADDRESS"),
    ("Call me on +44 20 7946 0958 tonight", "+44 20 7946 0958", "PHONE_NUMBER"),
    ("my cell is (415) 555-2671 ext. 204", "(415) 555-2671 ext. 204", "PHONE_NUMBER"),
    ("Ring 030 12345678 if you are in Berlin", "030 12345678", "PHONE_NUMBER"),
    ("Phone: 06 12 34 56 78", "06 12 34 56 78", "PHONE_NUMBER"),
    ("Card 5425 2334 3010 9903 expired", "5425 2334 3010 9903", "CREDIT_CARD"),
    ("pay with 4111111111111111 please", "4111111111111111", "CREDIT_CARD"),
    ("social security number 123-45-6789", "123-45-6789", "US_SSN"),
    ("my NI number is QQ 12 34 56 C", "QQ 12 34 56 C", "UK_NINO"),
    ("IBAN: GB82 WEST 1234 5698 7654 32, thanks", "GB82 WEST 1234 5698 7654 32", "IBAN_CODE"),
    ("ssh to 10.0.12.7 now", "10.0.12.7", "IP_ADDRESS"),
    ("the host 2001:db8::8a2e:370:7334 is down", "2001:db8::8a2e:370:7334", "IP_ADDRESS"),
    ("export GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
     "API_KEY"),
    ("aws key AKIAIOSFODNN7EXAMPLE leaked", "AKIAIOSFODNN7EXAMPLE", "API_KEY"),
    ("slack xoxp-1234567890-abcdefghijkl works", "xoxp-1234567890-abcdefghijkl", "API_KEY"),
    ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
     "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "API_KEY"),
    ("db config: password=Tr0ub4dor&3 user=admin", "Tr0ub4dor&3", "SECRET"),
    ("my password is hunter2!x", "hunter2!x", "SECRET"),
    ("the signing secret near here: 9fQ2xL7pW3nZ8vR1tK6y", "9fQ2xL7pW3nZ8vR1tK6y", "SECRET"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
     "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "SECRET"),
    ("Send it to 1600 Pennsylvania Avenue NW, Washington, DC 20500 please",
     "1600 Pennsylvania Avenue NW, Washington, DC 20500", "ADDRESS"),
    ("I moved to 221B Baker Street, London, NW1 6XE last year", "221B Baker Street, London, NW1 6XE", "ADDRESS"),
    ("Meine Adresse: Hauptstraße 12, 10115 Berlin", "Hauptstraße 12, 10115 Berlin", "ADDRESS"),
    ("Post it to 12 rue de la Paix, 75002 Paris", "12 rue de la Paix, 75002 Paris", "ADDRESS"),
    ("what is the postcode SW1A 1AA used for", "SW1A 1AA", "ADDRESS"),
    ("Please thank Dr. Priya Raman for the help", "Dr. Priya Raman", "PERSON"),
    ("PLEASE FORWARD THIS TO JOHN MACINTYRE ASAP", "JOHN MACINTYRE", "PERSON"),
    ("hi, my name is megan o'brien and I need help", "megan o'brien", "PERSON"),
]


def _masked(gatekeeper: Gatekeeper, text: str) -> list[bool]:
    mask = [False] * len(text)
    for f in gatekeeper.find(text):
        for i in range(f.start, f.end):
            mask[i] = True
    return mask


@pytest.mark.parametrize(("text", "value", "kind"), EXAMPLES, ids=[f"{k}-{i}" for i, (_, _, k) in enumerate(EXAMPLES)])
def test_each_entity_type_is_found(gatekeeper, text, value, kind):
    start = text.index(value)
    mask = _masked(gatekeeper, text)
    assert all(mask[start : start + len(value)]), f"{value!r} not fully masked in {text!r}"
    types = {f.entity_type for f in gatekeeper.find(text) if f.start < start + len(value) and f.end > start}
    assert kind in types


def test_recall_on_labelled_slice(gatekeeper):
    rows = ev.load_labelled(DATA / "pii_slice.jsonl")
    report = ev.recall(lambda t: [(f.start, f.end, f.entity_type) for f in gatekeeper.find(t)], rows)
    assert set(report.total) >= {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE",
                                 "IP_ADDRESS", "API_KEY", "ADDRESS"}
    assert report.overall >= 0.98, report.missed
    for kind in report.total:
        assert report.recall(kind) >= (0.9 if kind in ("PERSON", "ADDRESS") else 1.0), (kind, report.missed)
    assert report.char_precision >= 0.95


def test_clean_prompts_keep_their_numbers_and_only_names_are_masked(gatekeeper):
    prompts = [row["text"] for row in ev.read_jsonl(DATA / "gk_clean_prompts.jsonl")]
    report = ev.clean_prompts(lambda t: [(f.start, f.end, f.entity_type) for f in gatekeeper.find(t)], prompts)
    assert report.number_survival == 1.0, report.lost
    assert report.non_person == []


@pytest.mark.parametrize("text", [
    "It takes 3 hours every day to walk to the school with 2 friends.",
    "A robe takes 2 bolts of blue fiber and half that much white fiber.",
    "The store sells 1,200 apples for $0.50 each on Monday, 12/05/2023.",
    "Sally Four is 20 years old and twice as old as her brother.",
])
def test_durations_quantities_and_common_nouns_stay(gatekeeper, text):
    vault = PlaceholderVault()
    scrubbed, findings = gatekeeper.scrub_text(text, vault)
    assert all(f.entity_type == "PERSON" for f in findings)
    # numbers inside placeholders (<PERSON_1>) are ours, not the question's
    assert ev.NUMBER.findall(PLACEHOLDER_RE.sub("", scrubbed)) == ev.NUMBER.findall(text)
    for word in ("hours", "every day", "the school", "bolts", "apples", "twice"):
        if word in text:
            assert word in scrubbed


@pytest.mark.parametrize("text", [
    # names that spaCy finds across a line break (seen on BIG-Bench-Hard questions in the benchmark)
    "Find a movie similar to Pulp Fiction, Forrest Gump, Dances with Wolves, The Usual Suspects:\nOptions:\n"
    "(A) The Lawnmower Man\n(B) Virus\n(C) Jaws The Revenge\n(D) Get Shorty\n\nAnswer with the letter of the "
    "best option, then end with: The answer is X.",
    "Which is the second heaviest penguin?\nOptions:\n(A) Louis\n(B) Bernard\n(C) Vincent\n(D) Gwen\n(E) James",
    "Please forward this to Dr\nLouis   Jones\nand\tMrs Ann\n Lee tomorrow.",
])
def test_names_split_by_line_breaks_are_masked_where_they_stand(gatekeeper, text):
    vault = PlaceholderVault()
    scrubbed, findings = gatekeeper.scrub_text(text, vault)
    for f in findings:  # every span is the text it claims to be, at the place it claims
        assert text[f.start : f.end] == f.text
    assert vault.restore(scrubbed) == text
    if "Options:" in text:  # the question's frame reaches the cloud as written
        assert "Options:" in scrubbed and "(A)" in scrubbed
    if "Answer with" in text:
        assert "\n\nAnswer with the letter" in scrubbed and scrubbed.endswith("The answer is X.")
    if text.startswith("Please forward"):  # titled names, whatever whitespace follows the title
        assert "Louis" not in scrubbed and "Jones" not in scrubbed and "Ann" not in scrubbed


def test_placeholders_are_stable_across_turns_and_restore(gatekeeper):
    vault = PlaceholderVault()
    first = gatekeeper.scrub([("user", "I'm Deborah Pham, email deborah@example.com")], vault)
    second = gatekeeper.scrub([("user", "Remind Deborah Pham to write to deborah@example.com and to Tom Hardy")], vault)
    assert isinstance(first, ScrubbedPayload)
    assert "<PERSON_1>" in first.messages[0][1] and "<EMAIL_ADDRESS_1>" in first.messages[0][1]
    text2 = second.messages[0][1]
    assert "<PERSON_1>" in text2 and "<EMAIL_ADDRESS_1>" in text2 and "<PERSON_2>" in text2
    assert "Deborah" not in text2 and "example.com" not in text2
    assert second.entities == {"PERSON": 2, "EMAIL_ADDRESS": 1}
    reply = "Sure, <PERSON_1> should email <EMAIL_ADDRESS_1>; [PERSON_2] agrees."
    assert vault.restore(reply) == "Sure, Deborah Pham should email deborah@example.com; Tom Hardy agrees."
    json.loads(second.to_json(model="m"))  # the exact body is JSON


def test_scrubbed_payload_cannot_be_made_without_the_gatekeeper():
    with pytest.raises(TypeError):
        ScrubbedPayload((("user", "raw text"),), {})


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 11])
def test_streamed_restore_never_shows_half_a_placeholder(gatekeeper, size):
    vault = PlaceholderVault()
    gatekeeper.scrub_text("Ann Lee lives at 41 Sam Glens, Lake Abdul, SP4R 7UE, phone +1 604-093-1648", vault)
    reply = "Dear <PERSON_1>, your home <ADDRESS_1> and number <PHONE_NUMBER_1> are noted. <PERSON_1>!"
    restorer = vault.stream_restorer()
    pieces = [restorer.feed(reply[i : i + size]) for i in range(0, len(reply), size)] + [restorer.flush()]
    assert "".join(pieces) == vault.restore(reply)
    assert "Ann Lee" in "".join(pieces)
    for piece in pieces:
        assert "<" not in piece and "PERSON" not in piece and "ADDRESS_" not in piece


def test_block_policy_keeps_the_turn_local_and_names_the_type():
    gk = Gatekeeper(policy=PrivacyPolicy(actions={"CREDIT_CARD": "block"}))
    with pytest.raises(PolicyBlocked, match="payment card number") as info:
        gk.scrub([("user", "Refund my card 4111 1111 1111 1111")], PlaceholderVault())
    assert "privacy.policy.credit_card" in str(info.value)
    assert isinstance(info.value, GatekeeperError)
    payload = gk.scrub([("user", "What is a credit card?")], PlaceholderVault())
    assert payload.messages[0][1] == "What is a credit card?"


def test_allow_policy_and_settings(tmp_path):
    settings = config.Settings()
    settings.set("privacy.policy.ip_address", "allow")
    settings.set("privacy.policy.us_ssn", "block")
    settings.set("privacy.deny_list", "Acme Widgets, PERSON: Zed Quux")
    with pytest.raises(ConfigError):
        settings.set("privacy.policy.person", "maybe")
    gk = Gatekeeper.from_settings(settings)
    text, found = gk.scrub_text("Server 10.1.2.3 at Acme Widgets, ask zed quux", PlaceholderVault())
    assert "10.1.2.3" in text
    assert "Acme Widgets" not in text and "<PRIVATE_1>" in text and "<PERSON_1>" in text
    with pytest.raises(PolicyBlocked, match="social security"):
        gk.scrub_text("my ssn is 123-45-6789", PlaceholderVault())


def test_deny_list_is_always_masked_even_when_its_type_is_allowed():
    gk = Gatekeeper(policy=PrivacyPolicy(actions={"PERSON": "allow"}), deny_list=["PERSON: Kim Ode", "Globex"])
    text, _ = gk.scrub_text("Kim Ode from GLOBEX met Ann Lee", PlaceholderVault())
    assert "Kim Ode" not in text and "GLOBEX" not in text
    assert "Ann Lee" in text  # allowed by policy, not on the deny-list


def test_fail_closed_when_scanning_breaks(monkeypatch):
    gk = Gatekeeper()
    gk.warm_up()

    def broken(*args, **kwargs):
        raise RuntimeError("recognizer exploded")

    monkeypatch.setattr(gk.analyzer, "analyze", broken)
    with pytest.raises(GatekeeperError, match="recognizer exploded"):
        gk.scrub([("user", "hello Ann")], PlaceholderVault())


def test_fail_closed_when_the_model_is_missing(monkeypatch):
    from edgeapp.gatekeeper import engine

    def missing():
        raise GatekeeperError("The spaCy English model is not installed.")

    monkeypatch.setattr(engine, "spacy_model_path", missing)
    with pytest.raises(GatekeeperError, match="not installed"):
        Gatekeeper().scrub([("user", "hi")], PlaceholderVault())


def test_fail_closed_when_the_vault_breaks(gatekeeper):
    class BrokenVault(PlaceholderVault):
        def placeholder_for(self, entity_type, value):
            raise KeyError("vault")

    with pytest.raises(GatekeeperError):
        gatekeeper.scrub([("user", "mail ann@example.org")], BrokenVault())


def test_no_network_while_building_and_scrubbing_every_kind(monkeypatch):
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    gk = Gatekeeper(deny_list=["Initech"])  # a fresh analyzer: building must be offline too
    vault = PlaceholderVault()
    messages = [("user", text) for text, _, _ in EXAMPLES] + [("user", "Initech hired bob@corp.example.net")]
    payload = gk.scrub(messages, vault)
    assert attempts == []
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS", "API_KEY",
            "SECRET", "ADDRESS", "PERSON", "PRIVATE"} <= set(payload.entities)


def test_mapping_is_kept_in_memory_unless_the_user_opts_in(edgeapp_home):
    from edgeapp.gatekeeper.store import load_vault, save_vault

    vault = PlaceholderVault()
    vault.placeholder_for("PERSON", "Ann Lee")
    assert save_vault("conv-1", vault, persist=False) is None
    assert not any(edgeapp_home.rglob("*.json"))
    path = save_vault("conv-1", vault, persist=True)
    assert path is not None and path.stat().st_mode & 0o077 == 0
    again = load_vault("conv-1", persist=True)
    assert again.restore("<PERSON_1>") == "Ann Lee"
    assert again.placeholder_for("PERSON", "Bo Li") == "<PERSON_2>"
    assert len(load_vault("conv-1", persist=False)) == 0


def test_scrub_command_prints_what_would_be_sent():
    from click.testing import CliRunner

    from edgeapp.cli.scrub import scrub_command

    result = CliRunner().invoke(scrub_command, ["Email Ann Lee at ann@example.org about 3 boxes"])
    assert result.exit_code == 0, result.output
    first_line = result.output.splitlines()[0]
    assert first_line == "Email <PERSON_1> at <EMAIL_ADDRESS_1> about 3 boxes"
    assert "EMAIL_ADDRESS" in result.output and "'ann@example.org'" in result.output


def test_scrub_command_jsonl_from_stdin_and_file(tmp_path):
    from click.testing import CliRunner

    from edgeapp.cli.scrub import scrub_command

    lines = '"call +1 604-093-1648"\n{"text": "server 8.8.4.4"}\n\nnot json\n'
    result = CliRunner().invoke(scrub_command, ["--jsonl"], input=lines)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert out[0]["text"] == "call <PHONE_NUMBER_1>" and out[0]["entities"][0]["type"] == "PHONE_NUMBER"
    assert out[1]["text"] == "server <IP_ADDRESS_1>"
    assert out[2]["text"] is None and "not JSON" in out[2]["error"]
    source = tmp_path / "msgs.jsonl"
    source.write_text('{"text": "key sk-proj-abcdefghijklmnopqrstuvwx1234"}\n', encoding="utf-8")
    result = CliRunner().invoke(scrub_command, ["--jsonl", "--input", str(source)])
    assert json.loads(result.output)["text"] == "key <API_KEY_1>"


def test_our_recognizers_do_not_shadow_presidio_predefined_ones():
    """Presidio looks predefined recognizers up by class name among all EntityRecognizer subclasses;
    a same-named class of ours would break a default registry elsewhere in the process."""
    import presidio_analyzer.predefined_recognizers as predefined
    from presidio_analyzer import EntityRecognizer

    from edgeapp.gatekeeper import recognizers

    ours = {cls.__name__ for cls in vars(recognizers).values() if isinstance(cls, type)
            and issubclass(cls, EntityRecognizer)}
    theirs = {name for name in dir(predefined) if name.endswith("Recognizer")}
    assert ours and not ours & theirs
