"""The ledger's CLI commands, through click's CliRunner, against the per-test EDGEAPP_HOME."""

from __future__ import annotations

import csv
import io
import json
import pkgutil
from datetime import datetime, timedelta

import click
import pytest
from click.testing import CliRunner

from edgeapp import config
from edgeapp.cli.ledger import parse_since
from edgeapp.cli.main import COMMANDS
from edgeapp.ledger import CloudCallRecord, Ledger, TurnRecord

OPENAI = "https://api.openai.com/v1"
LEDGER_COMMANDS = ("log", "sent", "export", "budget", "price")
SENT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Email <EMAIL_ADDRESS_0> about the bread"}]}


def ledger_group() -> click.Group:
    """The ledger's commands alone, as edgeapp's command table names them."""
    return click.Group("edgeapp", commands={n: pkgutil.resolve_name(COMMANDS[n]) for n in LEDGER_COMMANDS})


@pytest.fixture
def cli():
    group = ledger_group()
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(group, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def history():
    """Two turns, one with a cloud call, in the default ledger (EDGEAPP_HOME)."""
    with Ledger() as led:
        led.record_turn(TurnRecord("c1", "What is sourdough?", "Bread from a starter.", "local", "confident", 0.91,
                                   {}, 0.55, "smol"))
        res = led.reserve("openai", "gpt-4o-mini", OPENAI, 50, 100)
        call = CloudCallRecord(None, "openai", "gpt-4o-mini", json.dumps(SENT), {"EMAIL_ADDRESS": 1},
                               '{"choices": []}', 40, 20, "ok", None, 812.0)
        cost = led.settle(res, call)
        led.record_turn(TurnRecord("c1", "Email bob@example.com about the bread", "Done.", "cloud",
                                   "confidence 0.21 < 0.55", 0.21, {}, 0.55, "smol", cost=cost,
                                   cloud_call_ids=[call.id]))
    return cost


def test_commands_are_in_the_table():
    assert {n for n, where in COMMANDS.items() if where.startswith("edgeapp.cli.ledger:")} == set(LEDGER_COMMANDS)
    assert {c.name for c in ledger_group().commands.values()} == set(LEDGER_COMMANDS)


def test_log(cli, history):
    out = cli("log").output
    assert out.index("What is sourdough?") < out.index("Email bob@example.com")  # oldest first on screen
    assert "[cloud]" in out and "confidence 0.21" in out
    found = cli("log", "-q", "sourdough").output
    assert "What is sourdough?" in found and "Email bob" not in found
    assert "No turns match." in cli("log", "-q", "zeppelin").output
    data = json.loads(cli("log", "--json", "-n", "1").output)
    assert len(data) == 1 and data[0]["route"] == "cloud"


def test_log_empty(cli):
    assert "No turns recorded yet." in cli("log").output


def test_sent_shows_exactly_what_was_sent(cli, history):
    out = cli("sent").output
    assert "<EMAIL_ADDRESS_0>" in out and "bob@example.com" not in out
    assert "EMAIL_ADDRESS×1" in out and "gpt-4o-mini" in out and "turn #2" in out
    data = json.loads(cli("sent", "--json").output)
    assert data[0]["request"] == SENT and data[0]["entities"] == {"EMAIL_ADDRESS": 1}
    assert data[0]["cost"] == pytest.approx(history) and data[0]["estimated"] is False
    assert json.loads(cli("sent", "--json", "--model", "gpt-4o").output) == []
    assert len(json.loads(cli("sent", "--json", "--since", "1h").output)) == 1
    tomorrow = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d")
    assert "Nothing was sent" in cli("sent", "--since", tomorrow).output
    bad = cli("sent", "--since", "last tuesday", ok=False)
    assert bad.exit_code == 2 and "7d" in bad.output


def test_parse_since():
    now = datetime(2026, 5, 10, 12).astimezone()
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("30m", now) == now - timedelta(minutes=30)
    assert parse_since("2026-05-01", now) == datetime(2026, 5, 1).astimezone()


def test_export_json_and_csv(cli, history, tmp_path):
    turns = json.loads(cli("export", "--format", "json").output)
    assert [t["route"] for t in turns] == ["local", "cloud"]
    both = json.loads(cli("export", "--format", "json", "--table", "all").output)
    assert set(both) == {"turns", "cloud_calls"} and len(both["cloud_calls"]) == 1
    target = tmp_path / "calls.csv"
    cli("export", "--format", "csv", "--table", "cloud_calls", "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 1 and json.loads(rows[0]["request_json"]) == SENT
    bad = cli("export", "--format", "csv", "--table", "all", ok=False)
    assert bad.exit_code == 2 and "--table turns" in bad.output


def test_budget_set_and_show(cli, history):
    assert "none set" in cli("budget").output
    assert "20.00 USD" in cli("budget", "set", "20").output
    assert config.load()["budget.monthly_limit"] == 20.0
    out = cli("budget").output
    assert "Limit      20.00 USD" in out and "Left" in out and "Forecast" in out and "Pacing" in out
    assert "ok (warns at 80%" in out
    data = json.loads(cli("budget", "--json").output)
    assert data["limit"] == 20.0 and data["spent"] == pytest.approx(history) and data["effective_threshold"] == 0.55
    cli("budget", "set", "25", "--currency", "eur", "--alert", "0.5", "--no-pacing")
    s = config.load()
    assert (s["budget.currency"], s["budget.alert_share"], s["budget.pacing"]) == ("EUR", 0.5, False)
    assert "nothing will be sent" in cli("budget", "set", "0").output
    assert "No monthly limit" in cli("budget", "set", "off").output
    assert config.load()["budget.monthly_limit"] is None
    bad = cli("budget", "set", "-5", ok=False)
    assert bad.exit_code == 1 and "between 0" in bad.output
    assert "expects a float" in cli("budget", "set", "lots", ok=False).output


def test_budget_exhausted_shows_state(cli):
    cli("budget", "set", "0.0001")
    with Ledger() as led:
        res = led.reserve("openai", "gpt-4o-mini", OPENAI, 10, 10)
        led.settle(res, CloudCallRecord(None, "openai", "gpt-4o-mini", "{}", {}, "{}", 100, 200, "ok", None, 1.0))
    out = cli("budget").output
    assert "exhausted" in out and "nothing is escalated" in out


def test_price_commands(cli):
    unknown = cli("price", "show", "acme-1", ok=False)
    assert unknown.exit_code == 1 and "edgeapp price set acme-1" in unknown.output
    assert "acme-1: 0.5 USD per million input" in cli("price", "set", "acme-1", "0.5", "1.5").output
    assert "your price" in cli("price", "show", "acme-1").output
    cli("price", "set", "acme-1", "0.7", "2")  # replaces, does not duplicate
    assert config.load()["prices.overrides"] == ["acme-1 0.7 2"]
    with Ledger() as led:
        res = led.reserve("acme", "acme-1", "https://acme.example/v1", 1_000_000, 0)
        assert res.price.input_per_m == 0.7
    absurd = cli("price", "set", "acme-2", "-1", "1", ok=False)
    assert absurd.exit_code == 1 and "negative" in absurd.output
    huge = cli("price", "set", "acme-2", "1", "50000", ok=False)
    assert "sane bound" in huge.output
    listing = cli("price", "list").output
    assert "acme-1" in listing and "gpt-4o-mini" in listing and "localhost" in listing
    assert "bundled table" in cli("price", "show", "gpt-4o-mini").output
    assert "local endpoint rule" in cli("price", "show", "llama3", "--base-url", "http://127.0.0.1:11434/v1").output
    cli("price", "unset", "acme-1")
    assert config.load()["prices.overrides"] == []
    assert cli("price", "unset", "acme-1", ok=False).exit_code == 1


def test_corrupt_database_warns_on_stderr(cli, edgeapp_home):
    from edgeapp import paths

    paths.database_file().write_bytes(b"garbage" * 1000)
    runner = CliRunner()
    result = runner.invoke(ledger_group(), ["log"])
    assert result.exit_code == 0
    assert "was damaged" in result.stderr and "No turns recorded yet." in result.stdout
