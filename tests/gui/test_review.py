"""The "Sent to cloud" view: the exact bytes the loopback cloud received, paging, filters, sorting,
export files re-read, and deletion that removes rows and text while spend stays counted."""

from __future__ import annotations

import csv
import json
import math
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from edgeapp.ledger import Ledger
from edgeapp.ledger.history import count_calls
from edgeapp.ledger.limits import set_monthly_limit

from ..assistants import make_assistant
from ..review_history import Clock, add_call, fill
from .rawcloud import RawCloud

SECRET = "Quixotrelle"


@pytest.fixture
def ledger(tmp_path):
    from edgeapp.gui.ledger_jobs import Jobs

    with Ledger(tmp_path / "l.db") as led:
        yield led
        Jobs.shared().wait(20000)  # no query may still run on a connection being closed


def open_view(qtbot, ledger):
    from edgeapp.gui.sent_to_cloud import ReviewView

    view = ReviewView(ledger)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitUntil(lambda: view.model._paged and view.model._counted, timeout=10000)
    return view


def reload(qtbot, view, action):
    with qtbot.waitSignal(view.model.loaded, timeout=10000):
        action()


def select(qtbot, view, row: int = 0):
    with qtbot.waitSignal(view.detail_shown, timeout=10000):
        view.table.selectRow(row)


def file_bytes(ledger: Ledger) -> bytes:
    out = b""
    for suffix in ("", "-wal"):
        p = ledger.path.with_name(ledger.path.name + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


def test_the_payload_shown_is_the_bytes_the_cloud_received(qtbot, local_model, gatekeeper):
    from edgeapp.gatekeeper.vault import PLACEHOLDER_RE
    from edgeapp.gui import sent_to_cloud_detail as review

    assert review.PLACEHOLDER_RE.pattern == PLACEHOLDER_RE.pattern  # the copy matches the gatekeeper's
    cloud = RawCloud(reply="Dear <PERSON_1>, your booking is confirmed.")
    url = cloud.start()
    try:
        assistant = make_assistant(local_model, gatekeeper, url, router__mode="cloud",
                                   prices__overrides=["stand-in-cloud 100 100"])
        text = "Please write to Maria Keller at maria.keller@example.com that her booking is confirmed."
        result = assistant.ask_sync(assistant.new_conversation(), text)
        assert result.route == "cloud" and len(cloud.bodies) == 1
        sent = cloud.bodies[0]
        assert b"maria.keller@example.com" not in sent and b"<EMAIL_ADDRESS_1>" in sent
        view = open_view(qtbot, assistant.ledger)
        assert view.model.total == 1
        select(qtbot, view)
        assert view.details.payload_bytes() == sent  # byte for byte
        assert view.details.payload.text.toPlainText().encode("utf-8") == sent
        assert view.details.typed.text.toPlainText() == text
        assert "Maria Keller" in view.details.reply.text.toPlainText() or result.answer == view.details.reply.text.toPlainText()
        assert view.details.reply.text.toPlainText() == result.answer
        # placeholders are highlighted: the layout of the payload carries the format on them
        doc = view.details.payload.text.document()
        ranges = [r for b in _blocks(doc) for r in b.layout().formats()]
        body = view.details.payload.text.toPlainText()
        starts = {m.start() for m in PLACEHOLDER_RE.finditer(body)}
        assert starts and starts <= {r.start for r in ranges}
        assert all(r.format.background().color().name() == "#ffe08a" for r in ranges)
        view.details.copy_payload()
        assert QGuiApplication.clipboard().text().encode("utf-8") == sent
        opened: list[str] = []
        view.open_conversation.connect(opened.append)
        view.details.open_btn.click()
        assert opened == [result.conversation_id]
        row = view.model.rows[0]
        assert row["model"] == "stand-in-cloud" and view.model.display(row, "entities").count("×") >= 1
        assert view.model.display(row, "estimated") == "billed"
    finally:
        cloud.stop()


def _blocks(doc):
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()


def test_pages_load_as_the_table_scrolls_and_sort_in_sql(qtbot, ledger):
    from edgeapp.gui.sent_to_cloud_calls import PAGE

    clock = Clock(ledger.now())
    fill(ledger, clock, PAGE * 2 + 50, days=60, local_every=0, end=clock.now)
    view = open_view(qtbot, ledger)
    assert view.model.total == PAGE * 2 + 50 and view.model.rowCount() == PAGE
    times = [r["created_at"] for r in view.model.rows]
    assert times == sorted(times, reverse=True)  # newest first
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > PAGE, timeout=10000)
    while view.model.canFetchMore():
        view.table.scrollToBottom()
        view.model.fetchMore()
        qtbot.waitUntil(lambda: not view.model._fetching, timeout=10000)
    assert view.model.rowCount() == PAGE * 2 + 50
    assert len({r["id"] for r in view.model.rows}) == PAGE * 2 + 50
    reload(qtbot, view, lambda: view.table.sortByColumn(6, Qt.SortOrder.AscendingOrder))  # Cost
    costs = [r["cost"] for r in view.model.rows]
    assert costs == sorted(costs) and view.model.rowCount() >= PAGE  # (the view may ask for more at once)


def test_filters_by_dates_model_and_text(qtbot, ledger):
    clock = Clock(ledger.now())
    fill(ledger, clock, 40, days=30, local_every=0, end=clock.now - timedelta(days=2))
    clock.now = ledger.now()
    add_call(ledger, clock, conversation="today", text=f"Ask {SECRET} about the garden", answer="Roses.",
             model="gpt-4o")
    view = open_view(qtbot, ledger)
    assert view.model.total == 41
    reload(qtbot, view, lambda: view.period.setCurrentIndex(view.PERIODS.index("Today")))
    assert view.model.total == 1 and view.model.rows[0]["conversation_id"] == "today"
    reload(qtbot, view, lambda: view.period.setCurrentIndex(0))
    assert view.model.total == 41
    qtbot.waitUntil(lambda: view.model_box.findData("gpt-4o") >= 0, timeout=10000)
    reload(qtbot, view, lambda: view.model_box.setCurrentIndex(view.model_box.findData("claude-3-5-haiku")))
    assert view.model.total == 10 and {r["model"] for r in view.model.rows} == {"claude-3-5-haiku"}
    reload(qtbot, view, lambda: view.model_box.setCurrentIndex(0))
    with qtbot.waitSignal(view.model.loaded, timeout=10000):
        qtbot.keyClicks(view.search, SECRET.lower())  # debounced: one query after typing stops
    assert view.model.total == 1 and view.model.rows[0]["model"] == "gpt-4o"
    assert "1 call" in view.summary.text()
    reload(qtbot, view, lambda: view.search.setText("PHONE_NUMBER"))
    assert view.model.total == 8
    first, last = (clock.now - timedelta(days=12)).date(), (clock.now - timedelta(days=5)).date()
    reload(qtbot, view, lambda: (view.search.clear(), view.set_dates(first, last)))
    flt = view.current_filter()
    assert view.model.total == count_calls(ledger, flt) and 0 < view.model.total < 41


def test_export_files_reread(qtbot, ledger, tmp_path):
    clock = Clock(ledger.now())
    fill(ledger, clock, 20, days=10, local_every=0, end=clock.now)
    view = open_view(qtbot, ledger)
    qtbot.waitUntil(lambda: view.model_box.findData("gpt-4o-mini") > 0, timeout=10000)  # the model list is in
    reload(qtbot, view, lambda: view.model_box.setCurrentIndex(view.model_box.findData("gpt-4o-mini")))
    assert view.model.total == 5
    for fmt in ("csv", "json"):
        path = tmp_path / f"calls.{fmt}"
        written: list[int] = []
        view.export_to(path, fmt, written.append)
        qtbot.waitUntil(lambda w=written: bool(w), timeout=10000)
        assert written == [5]
        if fmt == "csv":
            rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
        else:
            rows = json.loads(path.read_text(encoding="utf-8"))
        assert len(rows) == 5 and {r["model"] for r in rows} == {"gpt-4o-mini"}
        ids = {int(r["id"]) for r in rows}
        assert ids == {int(r["id"]) for r in view.model.rows}
        for r in rows:  # the whole record, payload included, as `edgeapp export` writes it
            assert json.loads(r["request_json"])["model"] == "gpt-4o-mini"
            assert float(r["cost"]) == pytest.approx(next(x["cost"] for x in view.model.rows if x["id"] == int(r["id"])))


def test_delete_a_conversation_with_confirmation(qtbot, ledger, monkeypatch):
    set_monthly_limit(5)
    clock = Clock(ledger.now())
    fill(ledger, clock, 10, days=3, local_every=0, end=clock.now - timedelta(hours=2))
    clock.now = ledger.now()
    add_call(ledger, clock, conversation="secret", text=f"Gift ideas for {SECRET}", answer=f"{SECRET} likes tea.",
             model="gpt-4o")
    spent = ledger.month_spend()
    view = open_view(qtbot, ledger)
    select(qtbot, view, 0)
    assert view.detail["conversation_id"] == "secret"
    # Cancel keeps everything
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    assert view.delete_history("conversation") is False
    assert count_calls(ledger) == 11

    def click_delete(box):
        next(b for b in box.buttons() if b.text() == "Delete").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_delete)
    deleted: list = []
    view.history_deleted.connect(deleted.append)
    with qtbot.waitSignal(view.model.loaded, timeout=20000):
        assert view.delete_history("conversation") is True
    assert deleted and (deleted[0].turns, deleted[0].calls) == (1, 1)
    assert view.model.total == 10 and all(r["conversation_id"] != "secret" for r in view.model.rows)
    assert ledger.turns(query=SECRET) == []
    assert SECRET.encode() not in file_bytes(ledger)
    assert math.isclose(ledger.month_spend(), spent)  # money spent stays spent
    assert view.detail is None


def test_delete_dates_shown_and_everything(qtbot, ledger):
    clock = Clock(ledger.now())
    fill(ledger, clock, 12, days=20, local_every=0, end=clock.now - timedelta(days=3))
    clock.now = ledger.now()
    add_call(ledger, clock, conversation="today", text=f"Today {SECRET}", answer="ok")
    spent = ledger.month_spend()
    view = open_view(qtbot, ledger)
    reload(qtbot, view, lambda: view.period.setCurrentIndex(view.PERIODS.index("Today")))
    assert view.model.total == 1
    with qtbot.waitSignal(view.history_deleted, timeout=20000):
        view.delete_history("range", confirm=False)
    qtbot.waitUntil(lambda: view.model.total == 0 and not view.model._fetching, timeout=10000)
    assert count_calls(ledger) == 12 and SECRET.encode() not in file_bytes(ledger)
    with qtbot.waitSignal(view.history_deleted, timeout=20000):
        view.delete_history("everything", confirm=False)
    assert count_calls(ledger) == 0 and ledger.store.db["turns"].count == 0
    assert math.isclose(ledger.month_spend(), spent)
