"""Encryption at rest of the ledger (issue 28): SQLCipher, key in the keyring (the suite's
in-memory one), off by default; a wrong or missing key is a plain error that changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import keyring
import pytest
from click.testing import CliRunner

from edgeapp import config, paths
from edgeapp.cli.main import main
from edgeapp.ledger import Ledger, LedgerKeyError, TurnRecord, encryption

from . import ledger_damage as damage

pytest.importorskip("sqlcipher3")

SECRET = "My neighbour Annabel Quirinus-Hartley owes me 4711 euros"


def encrypted_settings(on: bool = True) -> config.Settings:
    s = damage.settings(100)
    s.set("privacy.encrypt_ledger", on)
    return s


def all_bytes(path: Path) -> bytes:
    return b"".join(Path(str(path) + s).read_bytes() for s in ("", "-wal") if Path(str(path) + s).exists())


def write_secret(led: Ledger) -> None:
    led.record_turn(TurnRecord("c", SECRET, "Then ask Annabel for it.", "local", "r", 0.9, {}, 0.5, "s"))


def test_off_by_default_and_plain():
    assert config.Settings()["privacy.encrypt_ledger"] is False
    path = paths.database_file()
    with Ledger(path, settings=damage.settings(1)) as led:
        write_secret(led)
    assert encryption.is_plain(path) and SECRET.encode() in all_bytes(path)


def test_an_encrypted_ledger_keeps_no_question_in_its_bytes(tmp_path):
    path = tmp_path / "edgeapp.db"
    with Ledger(path, settings=encrypted_settings()) as led:
        write_secret(led)
        damage.add_cloud_turns(led, 0, 5)
        assert b"Annabel" not in all_bytes(path)  # neither the file nor its -wal, while open
    data = all_bytes(path)
    assert not encryption.is_plain(path)
    for needle in (b"Annabel", b"Quirinus", b"4711", b"apples", b"SQLite format 3"):
        assert needle not in data
    with Ledger(path, settings=encrypted_settings()) as led:
        assert led.turns(limit=1, query="Annabel")[0]["user_text"] == SECRET  # full-text search works
        assert led.month_spend() > 0


@pytest.mark.parametrize("key_problem", ["wrong", "missing"])
def test_a_wrong_or_missing_key_is_a_plain_error_that_changes_nothing(tmp_path, key_problem):
    path = tmp_path / "edgeapp.db"
    with Ledger(path, settings=encrypted_settings()) as led:
        write_secret(led)
    before = path.read_bytes()
    if key_problem == "wrong":
        keyring.set_password(encryption.SERVICE, encryption.ACCOUNT, "ab" * 32)
    else:
        keyring.delete_password(encryption.SERVICE, encryption.ACCOUNT)
    with pytest.raises(LedgerKeyError) as info:
        Ledger(path, settings=encrypted_settings())
    text = str(info.value)
    assert "Nothing in it was changed" in text or "nothing in it was changed" in text
    assert "keyring" in text and str(path) in text
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edgeapp.db"]  # nothing moved aside


def test_the_cli_turns_encryption_on_and_off_and_migrates_the_file():
    path = paths.database_file()
    with Ledger(path, settings=damage.settings(100)) as led:
        write_secret(led)
        damage.add_cloud_turns(led, 0, 20)
        spent = led.month_spend()
    runner = CliRunner()
    result = runner.invoke(main, ["encrypt", "on"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "is encrypted" in result.output and "privacy.encrypt_ledger is on" in result.output
    assert config.load()["privacy.encrypt_ledger"] is True
    assert SECRET.encode() not in all_bytes(path) and not encryption.is_plain(path)
    with Ledger(path) as led:  # the saved setting and the keyring's key open it
        assert led.store.db["turns"].count == 21 and led.month_spend() == pytest.approx(spent)
    result = runner.invoke(main, ["encrypt", "off"], catch_exceptions=False)
    assert result.exit_code == 0 and "is not encrypted" in result.output
    assert encryption.is_plain(path) and SECRET.encode() in path.read_bytes()
    with Ledger(path) as led:
        assert led.store.db["turns"].count == 21


def test_turning_it_off_without_the_key_fails_and_keeps_the_file():
    path = paths.database_file()
    with Ledger(path, settings=encrypted_settings()) as led:
        write_secret(led)
    before = path.read_bytes()
    keyring.delete_password(encryption.SERVICE, encryption.ACCOUNT)
    result = CliRunner().invoke(main, ["encrypt", "off"])
    assert result.exit_code != 0 and "not in the OS keyring" in result.output
    assert path.read_bytes() == before


def test_a_damaged_encrypted_file_is_recovered_with_its_key(tmp_path):
    path = tmp_path / "edgeapp.db"
    with Ledger(path, settings=encrypted_settings()) as led:
        damage.add_cloud_turns(led, 0, 120)
        spent = led.month_spend()
    size = path.stat().st_size
    damage.overwrite_pages(path, [size // damage.PAGE // 2])  # one page in the middle
    kept_copy = tmp_path / "before"
    shutil.copyfile(path, kept_copy)
    with Ledger(path, settings=encrypted_settings()) as led:
        recovery = led.recovered.recovery
        assert recovery.method == "row by row" and 100 <= recovery.turns <= 120
        assert led.month_spend() >= spent * 0.9
        assert not encryption.is_plain(path)  # the fresh ledger is encrypted too
    assert Path(led.recovered.kept_at).read_bytes() == kept_copy.read_bytes()


def test_doctor_checks_an_encrypted_ledger_with_its_key():
    from edgeapp.diagnostics import check_database

    with Ledger(paths.database_file(), settings=encrypted_settings()) as led:
        write_secret(led)
    check = check_database()
    assert check.ok is True and "integrity ok" in check.summary


HOLD_OPEN = r"""
import sys, time
from pathlib import Path
from edgeapp import config
from edgeapp.ledger import Ledger, TurnRecord
led = Ledger(Path(sys.argv[1]), settings=config.Settings())
led.record_turn(TurnRecord("c", "held open", "a", "local", "r", 0.9, {}, 0.5, "s"))
print("ready", flush=True)
sys.stdin.read()  # until the test closes our stdin
led.close()
"""


def test_turning_it_on_while_another_process_has_the_ledger_open_changes_nothing():
    import os
    import subprocess
    import sys

    path = paths.database_file()
    with Ledger(path, settings=damage.settings(1)) as led:
        write_secret(led)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    try:
        assert other.stdout.readline().strip() == b"ready"
        before = path.read_bytes()
        result = CliRunner().invoke(main, ["encrypt", "on"])
        assert result.exit_code != 0 and "has the ledger" in result.output and "open" in result.output
        assert path.read_bytes() == before and config.load()["privacy.encrypt_ledger"] is False
    finally:
        other.stdin.close()
        assert other.wait(timeout=60) == 0
    assert CliRunner().invoke(main, ["encrypt", "on"]).exit_code == 0  # once it is closed
    assert not encryption.is_plain(path)
    with Ledger(path) as led:
        assert led.store.db["turns"].count == 2  # the other process's turn is in the rewritten file
