"""A damaged ledger file: what can be read is carried into the fresh ledger, with the month's
spending and open reservations, so the budget cap still holds (issue 28). Real files, really
damaged (tests/ledger_damage.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from edgeapp import wording
from edgeapp.ledger import BudgetExceeded, Ledger
from edgeapp.ledger.prices import Prices, worst_case_cost
from edgeapp.ledger.recovery import recover_into, repair_header, shell_recover

from . import ledger_damage as damage

TURNS = 300


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> tuple[Path, float]:
    path = tmp_path_factory.mktemp("healthy") / "edgeapp.db"
    return path, damage.build(path, TURNS)


def damaged_copy(healthy: tuple[Path, float], tmp_path: Path, how: str) -> Path:
    path = tmp_path / "edgeapp.db"
    shutil.copyfile(healthy[0], path)
    damage.DAMAGES[how](path, tmp_path)
    return path


def per_call() -> float:
    return worst_case_cost(Prices().price_for("gpt-4o-mini", damage.OPENAI, damage.settings(1)), 1000, 1000)


def test_two_bad_pages_lose_only_their_rows_and_the_cap_still_holds(healthy, tmp_path):
    path = damaged_copy(healthy, tmp_path, "two pages overwritten")
    before = path.read_bytes()
    spent = healthy[1]
    # a limit that the recovered spend must refuse, and that an empty ledger would allow
    limit = spent + per_call() / 2
    with Ledger(path, settings=damage.settings(limit)) as led:
        report = led.recovered
        assert report is not None and report.recovery is not None
        assert Path(report.kept_at).read_bytes() == before  # the damaged file is kept, untouched
        assert report.recovery.method == "row by row"
        turns, calls = report.recovery.turns, report.recovery.cloud_calls
        assert TURNS - 20 <= turns < TURNS and TURNS - 20 <= calls < TURNS  # one leaf each: ~10 rows
        assert led.store.db["turns"].count == turns
        assert led.month_spend() == pytest.approx(spent)  # the lost calls' cost comes from an index
        with pytest.raises(BudgetExceeded):
            led.reserve("openai", "gpt-4o-mini", damage.OPENAI, 1000, 1000)
        # the rows read back whole, and the history is searchable again
        row = led.turns(limit=1, query="apples")[0]
        assert row["user_text"].startswith("question number") and row["route"] == "cloud"
        assert str(report) == wording.ledger_recovered(str(path), turns, calls, str(report.kept_at))
        assert f"{turns} turns and {calls} cloud calls were recovered" in str(report)


def test_an_overwritten_header_is_rebuilt_and_everything_read(healthy, tmp_path):
    path = damaged_copy(healthy, tmp_path, "header overwritten")
    with Ledger(path, settings=damage.settings(healthy[1] + per_call() / 2)) as led:
        assert led.recovered is not None
        assert led.recovered.recovery.rows["turns"] == TURNS
        assert led.recovered.recovery.rows["cloud_calls"] == TURNS
        assert led.month_spend() == pytest.approx(healthy[1])
        with pytest.raises(BudgetExceeded):
            led.reserve("openai", "gpt-4o-mini", damage.OPENAI, 1000, 1000)


def test_a_truncated_file_gives_its_first_half_and_at_least_the_turns_cost(healthy, tmp_path):
    path = damaged_copy(healthy, tmp_path, "truncated to half")
    with Ledger(path, settings=damage.settings(100)) as led:
        recovery = led.recovered.recovery
        assert TURNS // 3 <= recovery.turns < TURNS
        turns_cost = led.store.db.execute("SELECT SUM(cost) FROM turns").fetchone()[0]
        # the calls whose rows are gone still count: at least what the recovered turns cost
        assert led.month_spend() >= turns_cost - 1e-9
        assert led.month_spend() > led.store.db.execute("SELECT SUM(cost) FROM cloud_calls").fetchone()[0]
        assert sum(recovery.spend_carried.values()) > 0
        assert led.store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("how", ["copied mid-write (torn)", "stale -wal + a bad page"])
def test_a_copy_made_mid_write_is_salvaged(healthy, tmp_path, how):
    path = damaged_copy(healthy, tmp_path, how)
    with Ledger(path, settings=damage.settings(100)) as led:
        assert led.recovered is not None
        recovery = led.recovered.recovery
        assert recovery.turns >= TURNS - 20 and recovery.cloud_calls >= TURNS - 20
        assert led.month_spend() >= per_call() / 10 * recovery.cloud_calls
        # the fresh ledger takes turns again
        damage.add_cloud_turns(led, 90_000, 1)
        assert led.store.db["turns"].count == recovery.turns + 1


def test_a_held_reservation_is_carried(tmp_path):
    path = tmp_path / "edgeapp.db"
    damage.build(path, 40)
    with Ledger(path, settings=damage.settings(100)) as led:
        held = led.reserve("openai", "gpt-4o-mini", damage.OPENAI, 1000, 1000)  # a call in flight
    damage.overwrite_pages(path, [damage.leaf_pages(path, "turns")[0]])
    with Ledger(path, settings=damage.settings(100)) as led:
        assert led.recovered is not None
        status = led.budget_status()
        assert status.reserved == pytest.approx(held.amount)  # this process is alive: still held
        row = led.store.db["reservations"].get(held.id)
        assert row["status"] == "held"


def test_nothing_readable_starts_empty_and_says_so(tmp_path):
    path = tmp_path / "edgeapp.db"
    path.write_bytes(b"\x00\x01garbage" * 5000)
    with Ledger(path, settings=damage.settings(1)) as led:
        assert led.recovered.recovery.method == "nothing readable"
        assert "nothing could be recovered" in str(led.recovered)
        assert led.store.db["turns"].count == 0


def test_repair_header_only_touches_a_broken_header(healthy, tmp_path):
    path = tmp_path / "copy.db"
    shutil.copyfile(healthy[0], path)
    assert repair_header(path) is False  # healthy: left alone
    damage.header(path, tmp_path)
    assert repair_header(path) is True
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == TURNS
    finally:
        conn.close()


def test_a_shell_without_recover_falls_back_to_row_by_row(healthy, tmp_path):
    """Debian's sqlite3 3.40 shell lacks `.recover`'s sqlite_dbpage table: it must not be trusted."""
    shell = shutil.which("sqlite3")
    if shell is None:
        pytest.skip("no sqlite3 shell here")
    copy = tmp_path / "copy.db"
    shutil.copyfile(healthy[0], copy)
    works = shell_recover(copy, tmp_path / "scratch.db", shell)
    if works:  # a shell with a working .recover: it reads everything from a healthy file
        conn = sqlite3.connect(str(tmp_path / "scratch.db"))
        assert conn.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == TURNS
        conn.close()
    path = damaged_copy(healthy, tmp_path, "two pages overwritten")
    fresh = Ledger(tmp_path / "fresh.db", settings=damage.settings(100))
    try:
        recovery = recover_into(path, fresh.store.write, shell=shell)
        assert recovery.method == ("sqlite3 .recover" if works else "row by row")
        assert recovery.turns >= TURNS - 20
    finally:
        fresh.close()


def test_every_face_hears_of_the_recovery_once(healthy, tmp_path, local_model, gatekeeper):
    """The sentence travels as a `ledger` notice on the first turn (the window's banner, the
    terminal's `!` line, the phone page's notice), and `edgeapp log` prints it on stderr."""
    from click.testing import CliRunner

    from edgeapp import config, paths
    from edgeapp.assistant import Assistant, Notice, TurnOptions
    from edgeapp.cli.main import main

    path = paths.database_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(healthy[0], path)
    damage.two_pages(path, tmp_path)
    s = config.Settings()
    s.set("local.max_tokens", 8)
    assistant = Assistant(s, local_model=local_model, gatekeeper=gatekeeper)
    try:
        conversation = assistant.conversations.new()
        first = list(assistant.ask(conversation, "Hello?", TurnOptions(mode="local")))
        notices = [e for e in first if isinstance(e, Notice) and e.kind == "ledger"]
        assert len(notices) == 1 and notices[0] is first[0]
        assert "turns and" in notices[0].text and ".corrupt-" in notices[0].text
        again = list(assistant.ask(conversation, "Again?", TurnOptions(mode="local")))
        assert not [e for e in again if isinstance(e, Notice) and e.kind == "ledger"]
    finally:
        assistant.close()
    # a second damage, seen by the terminal
    damage.header(path, tmp_path)
    result = CliRunner().invoke(main, ["log", "-n", "1"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Warning: The ledger file" in result.stderr and "were recovered" in result.stderr
