"""The words every face shows about a turn, written once in edgeapp/wording.py."""

from __future__ import annotations

from edgeapp import wording
from edgeapp.assistant import TurnResult
from edgeapp.errors import Action


def result(**fields) -> TurnResult:
    base = dict(answer="4", route="local", reason="confidence 0.80 >= threshold 0.55", confidence=0.8,
                components={}, threshold=0.55, mode="auto", conversation_id="c1", reason_code="confident")
    return TurnResult(**{**base, **fields})


def test_badges():
    assert wording.badge(result()) == "local"
    assert wording.badge(result(route="cloud", reason_code="low-confidence")) == "cloud"
    assert wording.badge(result(route="local-fallback", reason_code="cloud-error")) == "local (cloud unavailable)"
    assert wording.badge(result(route="local-fallback", reason_code="budget")) == "kept local (budget)"
    assert wording.badge(result(route="local", reason_code="budget")) == "kept local (budget)"  # pacing
    assert wording.badge(result(route="blocked", reason_code="privacy")) == "kept local (privacy)"
    assert wording.badge(result(route="local-fallback", reason_code="user-kept-local")) == "kept local (your choice)"
    assert wording.badge(result(stopped=True, reason_code="stopped")) == "local · stopped"
    assert wording.badge({"route": "cloud", "reason_code": "mode-cloud", "stopped": 1}) == "cloud · stopped"  # a ledger row


def test_escalation_notice_and_entities():
    assert (wording.escalation_notice("gpt-4o-mini", {"PERSON": 2, "EMAIL_ADDRESS": 1})
            == "asking gpt-4o-mini — your message was sent with 2 names and 1 e-mail masked")
    assert wording.escalation_notice(None, {}) == "asking the cloud — nothing in your message needed masking"
    assert wording.entity_phrase({"PERSON": 1, "PHONE_NUMBER": 1, "IBAN_CODE": 2}) == (
        "2 IBANs, 1 name and 1 phone number")
    assert wording.entity_phrase({"NEW_KIND": 1}) == "1 new kind value"


def test_money():
    assert wording.money(0.0031, "USD") == "$0.0031"
    assert wording.money(1.2, "EUR") == "€1.20"
    assert wording.money(0.5, "CHF") == "0.50 CHF"
    assert wording.money(0.00001, "USD", estimated=True) == "$<0.0001 (estimated)"
    assert wording.money(0, "GBP") == "£0.00"


def test_reasons_and_status_line():
    cloud = result(route="cloud", reason="confidence 0.20 < threshold 0.55", confidence=0.2,
                   reason_code="low-confidence", cloud_model="gpt-4o-mini", masked_entities={"PERSON": 1},
                   cost=0.0012, cost_estimated=True, cloud_call_ids=[1])
    lines = wording.reasons(cloud, "USD")
    assert lines[0] == "The local model's confidence was 0.20, below the threshold 0.55."
    assert "Sent to gpt-4o-mini with 1 name masked." in lines
    assert "Cost: $0.0012 (estimated)." in lines
    line = wording.status_line(cloud)
    assert line.startswith("[cloud · confidence 0.20 · threshold 0.55 · gpt-4o-mini, no usage reported")
    assert "masked 1 name" in line
    stopped = wording.reasons(result(stopped=True, reason_code="stopped", reason="routing mode is 'local'; "
                                     "stopped by the user"))
    assert "You stopped this answer; it shows what was written until then." in stopped
    assert set(wording.REASON_CODES) >= {"confident", "budget", "privacy", "stopped", "user-kept-local"}


def test_action_as_command():
    assert Action("Raise the context", setting="local.n_ctx", value=8192).as_command() == (
        "edgeapp config set local.n_ctx 8192")
    assert Action("Set the key", command="edgeapp keys set").to_dict()["command"] == "edgeapp keys set"
