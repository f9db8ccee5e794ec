"""A full disk during a turn: no earlier turn is lost, the answer is still shown with one plain
sentence, and the next turn is recorded once there is room again (issue 28).

The honest version mounts a 2 MB tmpfs (root only; skipped elsewhere) and fills it with a file
until the kernel answers ENOSPC; the portable one caps the file with SQLite's max_page_count."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from edgeapp import config, wording
from edgeapp.assistant import Assistant, Notice, TurnDone, TurnOptions
from edgeapp.conversations import Conversation
from edgeapp.ledger import Ledger, LedgerFull, TurnRecord

from . import ledger_damage as damage


@pytest.fixture
def small_disk(tmp_path):
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> Path:
    """Write a file until the disk is full; returns it (delete it to make room again)."""
    filler = folder / "filler"
    chunk = b"\0" * 4096
    with open(filler, "wb", buffering=0) as fh:
        while True:
            try:
                fh.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                return filler


def turn_rows(path: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT id, user_text FROM turns ORDER BY id").fetchall()
    finally:
        conn.close()


def ask(assistant: Assistant, conversation: Conversation, text: str) -> tuple[list[Notice], TurnDone]:
    events = list(assistant.ask(conversation, text, TurnOptions(mode="local")))
    done = events[-1]
    assert isinstance(done, TurnDone)
    return [e for e in events if isinstance(e, Notice)], done


def test_a_full_disk_loses_no_turn_and_the_answer_still_shows(small_disk, local_model, gatekeeper):
    path = small_disk / "edgeapp.db"
    s = config.Settings()
    s.set("local.max_tokens", 12)
    ledger = Ledger(path, settings=s)
    assistant = Assistant(s, local_model=local_model, gatekeeper=gatekeeper, ledger=ledger)
    try:
        conversation = assistant.conversations.new()
        for text in ("What is two plus two?", "Name a colour."):
            notices, done = ask(assistant, conversation, text)
            assert done.result.turn_id is not None and not notices
        filler = fill(small_disk)
        notices, done = ask(assistant, conversation, "What is the capital of France? " * 20)
        assert done.result.answer  # the answer is shown
        assert done.result.turn_id is None  # ... but could not be recorded
        assert [n.text for n in notices] == [wording.ledger_full(str(path))]
        assert notices[0].kind == "ledger" and "full" in notices[0].text
        rows = turn_rows(path)  # the earlier turns are intact
        assert [r[1] for r in rows] == ["What is two plus two?", "Name a colour."]
        filler.unlink()  # room again: the next turn is recorded
        notices, done = ask(assistant, conversation, "And three plus three?")
        assert done.result.turn_id is not None and not notices
        assert [r[1] for r in turn_rows(path)][-1] == "And three plus three?"
    finally:
        assistant.close()
        ledger.close()


def test_max_page_count_full_rolls_back_and_says_what_to_do(tmp_path):
    path = tmp_path / "edgeapp.db"
    with Ledger(path, settings=damage.settings(1)) as led:
        first = led.record_turn(TurnRecord("c", "kept question", "a", "local", "r", 0.9, {}, 0.5, "s"))
        pages = led.store.db.execute("PRAGMA page_count").fetchone()[0]
        led.store.db.execute(f"PRAGMA max_page_count = {pages}")
        big = "a long question " * 2000  # needs overflow pages the file may not grow to
        with pytest.raises(LedgerFull) as info:
            led.record_turn(TurnRecord("c", big, "a", "local", "r", 0.9, {}, 0.5, "s"))
        assert str(info.value) == wording.ledger_full(str(path))
        assert [r["id"] for r in led.rows("turns")] == [first]
        assert not led.store.db.conn.in_transaction  # rolled back: the next write can go ahead
        led.store.db.execute("PRAGMA max_page_count = 1073741823")
        led.record_turn(TurnRecord("c", big, "a", "local", "r", 0.9, {}, 0.5, "s"))
        assert led.store.db["turns"].count == 2
