"""edgeapp.ledger.history: paged and filtered calls, details, per-day figures, export in the CLI's
formats, and deletion that removes text from the file while the month's spending stays counted."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from edgeapp import config
from edgeapp.cli.ledger import export_command
from edgeapp.ledger import BudgetExceeded, Ledger
from edgeapp.ledger import migrations as mig
from edgeapp.ledger.history import (
    CallFilter,
    call_detail,
    count_calls,
    daily,
    delete_history,
    deleted_spend,
    export_calls,
    models,
    page_calls,
)
from edgeapp.ledger.limits import monthly_limit, set_monthly_limit

from .review_history import Clock, add_call, add_local, fill

SECRET = "Zanzibarquux"  # a word that appears only in the turns we delete


@pytest.fixture
def clock():
    return Clock(datetime.now().astimezone().replace(day=10, hour=12, minute=0, second=0, microsecond=0))


@pytest.fixture
def ledger(tmp_path, clock):
    with Ledger(tmp_path / "l.db", clock=clock) as led:  # settings from the (per-test) config file
        yield led


def test_migration_adds_deleted_spend_last_and_once(ledger):
    assert "m008_deleted_spend" in [f.__name__ for f in mig.MIGRATIONS]
    assert "deleted_spend" in ledger.store.db.table_names()
    assert mig.pending(ledger.store.db) == []


def test_pages_are_newest_first_sortable_and_counted(ledger, clock):
    fill(ledger, clock, 30, days=20, end=clock.now)
    assert count_calls(ledger) == 30
    first = page_calls(ledger, limit=10)
    assert len(first) == 10
    assert [r["created_at"] for r in first] == sorted((r["created_at"] for r in first), reverse=True)
    rest = page_calls(ledger, offset=10, limit=100)
    assert len(rest) == 20 and not {r["id"] for r in first} & {r["id"] for r in rest}
    by_cost = page_calls(ledger, sort="cost", descending=False, limit=100)
    assert [r["cost"] for r in by_cost] == sorted(r["cost"] for r in by_cost)
    row = first[0]
    assert row["conversation_id"].startswith("c") and row["reason"].startswith("low confidence")
    assert "request_json" not in row  # pages carry no bodies
    with pytest.raises(ValueError):
        page_calls(ledger, sort="id; DROP TABLE turns")


def test_filters_by_date_model_text_and_conversation(ledger, clock):
    fill(ledger, clock, 40, days=20, end=clock.now)
    clock.now = clock.now.replace(hour=13)
    add_call(ledger, clock, conversation="special", text=f"My friend {SECRET} needs a visa", answer="Apply early.",
             model="gpt-4o", entities={"PERSON": 1})
    assert count_calls(ledger, CallFilter(model="gpt-4o")) == 1
    assert count_calls(ledger, CallFilter(model="gpt-4o-mini")) == 10
    hit = page_calls(ledger, CallFilter(text=SECRET.lower()))
    assert [r["conversation_id"] for r in hit] == ["special"]
    assert count_calls(ledger, CallFilter(text="sourdough")) == len(page_calls(ledger, CallFilter(text="sourdough")))
    assert count_calls(ledger, CallFilter(text="EMAIL_ADDRESS")) > 0  # entity types are searchable
    assert count_calls(ledger, CallFilter(text='"unbalanced quote')) == 0  # no FTS syntax error
    today = CallFilter.for_day(clock.now.date())
    assert count_calls(ledger, today) >= 1
    assert all(r["created_at"] >= today.where(ledger.store.db)[1][0] for r in page_calls(ledger, today))
    week = CallFilter(since=clock.now - timedelta(days=7), until=clock.now + timedelta(hours=1))
    assert 0 < count_calls(ledger, week) < 41
    assert count_calls(ledger, CallFilter(conversation_id="special")) == 1
    assert "gpt-4o" in models(ledger) and "claude-3-5-haiku" in models(ledger)


def test_detail_has_the_exact_payload_the_question_and_the_reply(ledger, clock):
    body = '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi <PERSON_1> \\u00e9 é"}]}'
    _, call_id = add_call(ledger, clock, conversation="x", text="Hi Anna é", answer="Hello Anna!", request_json=body)
    d = call_detail(ledger, call_id)
    assert d["request_json"] == body and d["request_json"].encode() == body.encode()
    assert d["user_text"] == "Hi Anna é" and d["answer"] == "Hello Anna!" and d["conversation_id"] == "x"
    assert call_detail(ledger, 999999) is None


def test_daily_counts_spend_and_routes(ledger, clock):
    day = clock.now.date()
    add_call(ledger, clock, conversation="a", text="q1", answer="a1")
    add_call(ledger, clock, conversation="a", text="q2", answer="a2")
    add_local(ledger, clock, conversation="a", text="q3", answer="a3")
    add_local(ledger, clock, conversation="a", text="q4", answer="a4", route="local-fallback", reason="budget")
    month = daily(ledger)
    entry = next(d for d in month.days if d.day == day)
    assert (entry.escalated, entry.local, entry.kept_local, entry.calls) == (2, 1, 1, 2)
    assert math.isclose(entry.spend, ledger.month_spend())
    assert month.days[0].day.day == 1 and len(month.days) >= 28


def test_export_matches_the_cli_formats_and_filters(ledger, clock, tmp_path, monkeypatch):
    fill(ledger, clock, 12, days=5, end=clock.now)
    # the CLI opens the default ledger: point it at ours
    monkeypatch.setattr("edgeapp.cli.ledger._open", lambda: Ledger(ledger.path))
    runner = CliRunner()
    for fmt in ("csv", "json"):
        theirs, ours = tmp_path / f"cli.{fmt}", tmp_path / f"review.{fmt}"
        cli = runner.invoke(export_command, ["--format", fmt, "--table", "cloud_calls", "-o", str(theirs)])
        assert cli.exit_code == 0, cli.output
        with open(ours, "w", encoding="utf-8") as fh:  # as click.File("w") opens it
            assert export_calls(ledger, CallFilter(), fmt, fh) == 12
        assert ours.read_bytes() == theirs.read_bytes()  # byte for byte the same format
    out = io.StringIO(newline="")
    export_calls(ledger, CallFilter(model="gpt-4o-mini"), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 3 and {r["model"] for r in rows} == {"gpt-4o-mini"}
    assert json.loads(rows[0]["request_json"])["model"] == "gpt-4o-mini"
    out = io.StringIO()
    export_calls(ledger, CallFilter(text="no-such-word-anywhere"), "json", out)
    assert json.loads(out.getvalue()) == []


def _file_bytes(ledger: Ledger) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-journal"):
        p = ledger.path.with_name(ledger.path.name + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


@pytest.mark.parametrize("scope", ["conversation", "range", "everything"])
def test_delete_removes_rows_index_and_bytes_but_spend_stays(ledger, clock, scope):
    set_monthly_limit(1.0)
    fill(ledger, clock, 20, days=3, end=clock.now - timedelta(days=1))
    clock.now = clock.now.replace(hour=14)
    secret_turn, secret_call = add_call(
        ledger, clock, conversation="secret", text=f"Tell {SECRET} about the surprise", answer=f"{SECRET} will love it",
        model="gpt-4o", entities={"PERSON": 1})
    spent = ledger.month_spend()
    status = ledger.budget_status()
    assert SECRET.encode() in _file_bytes(ledger)
    before = count_calls(ledger)
    db = ledger.store.db
    if "conversations" in db.table_names():  # a title the user gave it goes with the conversation
        with ledger.store.write() as wdb:
            wdb["conversations"].insert({"id": "secret", "title": f"Party for {SECRET}", "updated_at": "x"})
    if scope == "conversation":
        result = delete_history(ledger, conversation_id="secret")
        assert (result.turns, result.calls) == (1, 1)
        assert count_calls(ledger) == before - 1
    elif scope == "range":
        result = delete_history(ledger, since=clock.now - timedelta(minutes=1), until=clock.now + timedelta(minutes=1))
        assert result.calls == 1
        assert count_calls(ledger) == before - 1
    else:
        result = delete_history(ledger, everything=True)
        assert result.calls == before and count_calls(ledger) == 0
        assert ledger.store.db["turns"].count == 0
    assert call_detail(ledger, secret_call) is None
    assert ledger.turns(query=SECRET) == []
    assert ledger.store.db.execute("SELECT COUNT(*) FROM turns WHERE id = ?", [secret_turn]).fetchone()[0] == 0
    assert SECRET.encode() not in _file_bytes(ledger)  # gone from the file: rows, FTS index, free pages
    # money spent stays spent
    assert math.isclose(ledger.month_spend(), spent)
    after = ledger.budget_status()
    assert math.isclose(after.spent, status.spent) and math.isclose(after.forecast, status.forecast)
    assert sum(deleted_spend(ledger).values()) == pytest.approx(sum(result.carried.values()))
    # deleting again does not count twice
    delete_history(ledger, conversation_id="secret")
    assert math.isclose(ledger.month_spend(), spent)


def test_deleted_spend_still_holds_the_hard_cap(ledger, clock):
    add_call(ledger, clock, conversation="a", text="q", answer="a", tokens=(200_000, 200_000))
    spent = ledger.month_spend()
    set_monthly_limit(round(spent + 0.0005, 6))
    delete_history(ledger, everything=True)
    with pytest.raises(BudgetExceeded):
        ledger.reserve("openai", "gpt-4o-mini", "https://api.openai.com/v1", 200, 1024)


def test_delete_needs_exactly_one_scope(ledger):
    with pytest.raises(ValueError):
        delete_history(ledger)
    with pytest.raises(ValueError):
        delete_history(ledger, conversation_id="a", everything=True)


def test_set_monthly_limit_writes_what_budget_set_writes(tmp_path):
    from edgeapp.cli.ledger import budget_group

    set_monthly_limit(7.35)
    assert monthly_limit() == 7.35
    assert config.load()["budget.monthly_limit"] == 7.35
    runner = CliRunner()
    out = runner.invoke(budget_group, ["--json"])
    assert json.loads(out.output)["limit"] == 7.35
    runner.invoke(budget_group, ["set", "12.5"])
    assert monthly_limit() == 12.5
    set_monthly_limit(None)
    assert monthly_limit() is None
    with pytest.raises(Exception, match="between 0"):
        set_monthly_limit(-1)
