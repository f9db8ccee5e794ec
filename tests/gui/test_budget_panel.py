"""The budget panel: the slider persists what `edgeapp budget set` persists and the next turn obeys
it; the gauge, forecast and chart follow a turn that spent; the notice when the budget is reached."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner
from PySide6.QtCore import QObject, Qt, Signal

from edgeapp import config
from edgeapp.cli.ledger import budget_group
from edgeapp.ledger import Ledger
from edgeapp.ledger.limits import monthly_limit

from ..assistants import make_assistant
from ..review_history import Clock, add_call, add_local
from .rawcloud import RawCloud

PRICE = "stand-in-cloud 100 100"  # per million tokens: loopback calls cost something, as a real cloud's do


def make_panel(qtbot, ledger):
    from edgeapp.gui.budget_panel import BudgetPanel

    panel = BudgetPanel(ledger, poll_ms=0)
    qtbot.addWidget(panel)
    panel.resize(420, 640)
    panel.show()
    qtbot.waitUntil(lambda: panel.snapshot is not None, timeout=10000)
    return panel


def refreshed(qtbot, panel):
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.refresh()
    qtbot.waitUntil(lambda: not panel._in_flight, timeout=10000)


@pytest.fixture
def ledger(tmp_path):
    from edgeapp.gui.ledger_jobs import Jobs

    with Ledger(tmp_path / "l.db") as led:
        yield led
        Jobs.shared().wait(20000)  # no query may still run on a connection being closed


def test_slider_and_box_persist_at_once_to_the_budget_setting(qtbot, ledger):
    from edgeapp.gui.budget_panel import STEPS, step_index

    panel = make_panel(qtbot, ledger)
    assert panel.no_limit.isChecked() and monthly_limit() is None  # nothing set yet: no limit
    panel.no_limit.setChecked(False)
    assert monthly_limit() == panel.spin.value()
    panel.slider.setValue(step_index(20))  # as a drag does
    assert monthly_limit() == 20 and panel.spin.value() == 20
    qtbot.keyClick(panel.slider, Qt.Key.Key_Left)  # one stop down: 15
    assert monthly_limit() == STEPS[step_index(20) - 1] == 15
    # an exact amount, typed
    panel.spin.selectAll()
    qtbot.keyClicks(panel.spin.lineEdit(), "7.35")
    qtbot.keyClick(panel.spin.lineEdit(), Qt.Key.Key_Return)
    assert monthly_limit() == 7.35
    assert STEPS[panel.slider.value()] == 7
    panel.spin.setValue(250)  # above the slider's scale
    assert monthly_limit() == 250 and panel.slider.value() == len(STEPS) - 1
    # the CLI reads what the panel wrote, and the panel follows what the CLI writes
    assert '"limit": 250.0' in CliRunner().invoke(budget_group, ["--json"]).output
    CliRunner().invoke(budget_group, ["set", "12"])
    refreshed(qtbot, panel)
    assert panel.spin.value() == 12 and STEPS[panel.slider.value()] == 12
    panel.no_limit.setChecked(True)
    assert monthly_limit() is None and not panel.slider.isEnabled()
    refreshed(qtbot, panel)
    assert panel.state.text() == "No limit"


def test_gauge_forecast_and_chart_follow_spending(qtbot, ledger):
    from edgeapp.wording import money

    s = config.load()
    s.set("budget.monthly_limit", 1.0)
    s.save()
    clock = Clock(ledger.now())
    panel = make_panel(qtbot, ledger)
    assert panel.gauge.spent == 0 and panel.state.text() == "Under budget"
    add_call(ledger, clock, conversation="a", text="q", answer="a", tokens=(400_000, 200_000))  # ~0.18
    add_local(ledger, clock, conversation="a", text="q2", answer="a2")
    refreshed(qtbot, panel)
    status = ledger.budget_status()
    assert math.isclose(panel.gauge.spent, status.spent) and status.spent > 0.1
    assert money(status.forecast, "USD") in panel.figures.text()
    today = next(i for i, d in enumerate(panel.snapshot.month.days) if d.day == clock.now.date())
    assert panel.chart.cloud.at(today) == 1 and panel.chart.local.at(today) == 1
    assert math.isclose(panel.chart.spend.at(today).y(), status.spent)
    # a call in flight: its worst case is shown as reserved, then freed
    held = ledger.reserve("openai", "gpt-4o-mini", "https://api.openai.com/v1", 1000, 1024)
    refreshed(qtbot, panel)
    assert panel.gauge.reserved == pytest.approx(held.amount) and "Reserved" in panel.figures.text()
    ledger.release(held)
    refreshed(qtbot, panel)
    assert panel.gauge.reserved == 0 and "Reserved" not in panel.figures.text()
    # past the alert share: amber, near the limit
    add_call(ledger, clock, conversation="a", text="q", answer="a", tokens=(1_000_000, 800_000))
    refreshed(qtbot, panel)
    assert panel.snapshot.status.state in ("alert", "exhausted")


def test_day_click_opens_that_day_in_the_review(qtbot, ledger):
    from edgeapp.gui.sent_to_cloud import ReviewView

    clock = Clock(ledger.now().replace(hour=12))
    add_call(ledger, clock, conversation="today", text="q", answer="a")
    panel = make_panel(qtbot, ledger)
    view = ReviewView(ledger)
    qtbot.addWidget(view)
    panel.day_clicked.connect(view.show_day)
    qtbot.waitUntil(lambda: view.model.total == 1, timeout=10000)
    index = next(i for i, d in enumerate(panel.snapshot.month.days) if d.day == clock.now.date())
    other = 0 if index else 1
    with qtbot.waitSignal(view.model.loaded, timeout=10000):
        panel.chart.cloud.clicked.emit(other)  # what Qt emits when that day's bar is clicked
    assert view.model.total == 0 and view.period.currentText() == "Dates…"
    with qtbot.waitSignal(view.model.loaded, timeout=10000):
        panel.chart.local.clicked.emit(index)
    assert view.model.total == 1 and view.filters.since_edit.date().toPython() == clock.now.date()


class _TurnSignal(QObject):
    """A stand-in for the window's turn signal, defined once (not a new QObject class per test run)."""

    turn_finished = Signal(object)


def test_live_refresh_on_the_windows_turn_signal(qtbot, ledger):
    window = _TurnSignal()
    panel = make_panel(qtbot, ledger)
    window.turn_finished.connect(panel.refresh)
    add_call(ledger, Clock(ledger.now()), conversation="a", text="q", answer="a")
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        window.turn_finished.emit(object())
    assert panel.gauge.spent == pytest.approx(ledger.month_spend())
    qtbot.waitUntil(lambda: not panel._in_flight, timeout=10000)  # no refresh job left running, as `refreshed` waits
    window.turn_finished.disconnect(panel.refresh)


def test_slider_changes_the_next_turns_decision(qtbot, local_model, gatekeeper):
    """Real assistant, real ledger, real loopback cloud: spend, then the slider to 0 keeps the next
    escalation local (refused by the hard cap), and the panel says so once."""
    cloud = RawCloud()
    url = cloud.start()
    try:
        assistant = make_assistant(local_model, gatekeeper, url, router__mode="cloud", budget__monthly_limit=20,
                                   prices__overrides=[PRICE])
        ledger = assistant.ledger
        panel = make_panel(qtbot, ledger)
        assert panel.spin.value() == 20
        reached: list[str] = []
        panel.budget_reached.connect(reached.append)
        first = assistant.ask_sync(assistant.new_conversation(), "What is the capital of Australia?")
        assert first.route == "cloud" and first.cost > 0 and len(cloud.bodies) == 1
        refreshed(qtbot, panel)
        assert panel.gauge.spent == pytest.approx(first.cost)
        assert panel.snapshot.status.forecast >= first.cost
        panel.slider.setValue(0)  # drag it all the way left: no cloud spending
        assert monthly_limit() == 0
        second = assistant.ask_sync(assistant.new_conversation(), "What is the capital of Canada?")
        assert len(cloud.bodies) == 1  # nothing left the machine
        assert second.route != "cloud" and "budget" in second.reason.lower()
        if hasattr(second, "reason_code"):
            assert second.reason_code == "budget"
        try:
            from edgeapp import wording

            assert wording.badge(second) == "kept local (budget)"
        except (ImportError, AttributeError):
            pass
        refreshed(qtbot, panel)
        assert panel.snapshot.status.state == "exhausted"
        assert panel.notice.isVisible() and "local" in panel.notice_text.text()
        refreshed(qtbot, panel)
        assert len(reached) == 1  # said once
        # and back up: the next turn escalates again
        panel.spin.setValue(20)
        third = assistant.ask_sync(assistant.new_conversation(), "What is the capital of Chile?")
        assert third.route == "cloud" and len(cloud.bodies) == 2
    finally:
        cloud.stop()


def test_mounted_in_the_window_and_live_after_a_turn(qtbot, open_window):
    """In the real window: both panels in the dock, refreshed by the window's turn_finished (no
    restart, no refresh button), a day click brings the review forward."""
    from .conftest import ask

    cloud = RawCloud()
    url = cloud.start()
    try:
        window = open_window(url, router__mode="cloud", budget__monthly_limit=20, prices__overrides=[PRICE])
        assert window.panels.mount_budget_and_review() is None  # tabs now, panels once their modules are in
        qtbot.waitUntil(lambda: window.panels.review is not None, timeout=20000)
        budget, review = window.panels.budget, window.panels.review
        assert window.panels.tabs.indexOf(budget) >= 0 and window.panels.tabs.indexOf(review) >= 0
        qtbot.waitUntil(lambda: budget.snapshot is not None and review.model._counted, timeout=10000)
        assert budget.gauge.spent == 0 and review.model.total == 0
        result = ask(qtbot, window, "What is the capital of Peru?")
        assert result.route == "cloud" and len(cloud.bodies) == 1
        qtbot.waitUntil(lambda: review.model.total == 1 and budget.gauge.spent > 0, timeout=10000)
        assert budget.gauge.spent == pytest.approx(result.cost)
        index = next(i for i, d in enumerate(budget.snapshot.month.days) if d.calls)  # today
        with qtbot.waitSignal(review.model.loaded, timeout=10000):
            budget.chart.cloud.clicked.emit(index)
        assert window.panels.tabs.currentWidget() is review and review.model.total == 1
        # the slider to 0: the next escalation stays local, and its badge leads to the budget panel
        budget.slider.setValue(0)
        kept = ask(qtbot, window, "What is the capital of Chile?")
        assert kept.route != "cloud" and len(cloud.bodies) == 1
        assert window.panels.tabs.currentWidget() is review
        message = window.chat.messages[-1]
        message.badge.click()
        assert window.panels.tabs.currentWidget() is budget
        qtbot.waitUntil(lambda: budget.snapshot.status.state == "exhausted", timeout=10000)
        assert window.banner.isVisible() and "local" in window.banner.text.text()
    finally:
        cloud.stop()


def test_a_broken_settings_file_is_said_not_fatal(qtbot, ledger):
    from edgeapp import paths
    from edgeapp.gui.budget_panel import BudgetPanel

    paths.config_file().write_text("budget = [not toml", encoding="utf-8")
    panel = BudgetPanel(ledger, poll_ms=0)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel._in_flight, timeout=10000)
    assert "not valid TOML" in panel.error.text()
    panel.slider.setValue(3)  # refused with the same sentence, nothing written over the file
    assert "not valid TOML" in panel.error.text()
    assert paths.config_file().read_text(encoding="utf-8") == "budget = [not toml"
