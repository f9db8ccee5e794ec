"""The budget panel: the monthly budget slider, the month's spend against it, and a per-day chart.

- The slider covers what people set (0 to 100 in the steps people pick); the spin box beside it
  takes any amount to the cent and above 100. Either persists at once to `budget.monthly_limit`,
  through `edgeapp.ledger.limits.set_monthly_limit` (the same setting, validation and file as
  `edgeapp budget set`). The ledger reads the setting at each budget decision, so the next turn
  uses it, also one already waiting for the model.
- The gauge (budget_gauge.py) shows spent (solid) and reserved by calls in flight (lighter) against
  the limit, the alert mark, the forecast to the month's end and the alert state. When the budget
  is reached the panel says so once a month, plainly: answers stay local.
- The chart (budget_chart.py; Qt Charts, from PySide6-Addons: native Qt widgets, so no second
  toolkit, crisp at any DPI, clickable bars with hover signals, and a refresh is a few value
  changes, not a re-render) shows each day of the month. Clicking a day emits `day_clicked`.

Every query runs on a worker thread (`Jobs`, reading a `budget_snapshot.Snapshot`); `refresh()` is
safe to call on every turn.
"""

from __future__ import annotations

import html
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import config, wording
from ..errors import EdgeappError
from ..ledger import Ledger
from ..ledger.budget import BudgetStatus
from ..ledger.history import Month
from ..ledger.limits import set_monthly_limit
from .budget_chart import DayChart
from .budget_gauge import AMBER, GREEN, GREY, RED, Gauge
from .budget_snapshot import Snapshot, take_snapshot
from .ledger_jobs import Jobs

# the slider's stops: the sums people set; anything else (7.35, 250) is typed in the box
STEPS: list[float] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100
]  # fmt: skip
MAX_LIMIT = 1_000_000.0

STATE_TEXT: dict[str, tuple[str, QColor]] = {
    "no limit": ("No limit", GREY),
    "ok": ("Under budget", GREEN),
    "alert": ("Near the limit", AMBER),
    "exhausted": ("Budget reached: answers stay local", RED),
}


def _h(text: str) -> str:
    return html.escape(text, quote=False)


def step_index(value: float | None) -> int:
    """The slider stop for an amount: the highest stop not above it (all the way right above 100)."""
    if value is None:
        return len(STEPS) - 1
    index = 0
    for i, step in enumerate(STEPS):
        if value + 1e-9 >= step:
            index = i
    return index


def figures_text(s: BudgetStatus, cur: str) -> str:
    """The lines under the gauge (rich text): spent, reserved, forecast, what is left."""
    money = wording.money
    rows = []
    if s.limit is None:
        rows.append(f"Spent <b>{_h(money(s.spent, cur))}</b> this month (no limit)")
    else:
        rows.append(f"Spent <b>{_h(money(s.spent, cur))}</b> of {_h(money(s.limit, cur))}")
    if s.reserved > 0:
        rows.append(_h(f"Reserved {money(s.reserved, cur)} for calls in flight"))
    last_day = (s.resets - timedelta(days=1)).date()
    rows.append(_h(f"Forecast {money(s.forecast, cur)} by {last_day:%b} {last_day.day} at this pace"))
    if s.left is not None:
        rows.append(_h(f"Left {money(s.left, cur)} · resets {s.resets:%b} {s.resets.day}"))
    return "<br>".join(rows)


class BudgetPanel(QWidget):
    """Standalone: `BudgetPanel(ledger)`; the window's panels controller mounts it in the dock."""

    day_clicked = Signal(object)  # datetime.date: show that day's calls in the review view
    budget_reached = Signal(str)  # the plain notice, once a month
    limit_changed = Signal(object)  # the new limit (None: no limit), after it was saved
    refreshed = Signal()  # a snapshot was applied (tests and benchmarks wait on it)

    def __init__(
        self,
        ledger: Ledger,
        *,
        settings_path: Path | None = None,
        jobs: Jobs | None = None,
        parent: QWidget | None = None,
        poll_ms: int = 15000,
    ):
        super().__init__(parent)
        self.ledger = ledger
        self.settings_path = settings_path
        self.jobs = jobs or Jobs.shared()
        self.snapshot: Snapshot | None = None
        self._in_flight = False
        self._again = False
        self._noticed_month: str | None = None
        self._stale = False
        self._charted: tuple[Month, str] | None = None
        self._build()
        self._poll = QTimer(self)  # reservations in flight, `edgeapp budget set` from a terminal
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._poll_tick)
        if poll_ms > 0:
            self._poll.start()
        try:
            self._show_limit(config.load(self.settings_path)["budget.monthly_limit"])
        except EdgeappError as exc:  # a settings file that is not valid TOML: say so, keep the panel
            self.error.setText(str(exc))
            self.error.show()
        self.refresh()

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        root.setSpacing(8)
        title = QLabel("Monthly cloud budget", self)
        heading = title.font()
        heading.setBold(True)
        heading.setPointSizeF(heading.pointSizeF() * 1.1)
        title.setFont(heading)
        root.addWidget(title)
        small = self._limit_controls(root)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {RED.name()};")
        self.error.hide()
        root.addWidget(self.error)
        self._notice_box(root)
        self._figures(root, small)
        chart_title = QLabel("This month, day by day", self)
        chart_title.setFont(heading)
        root.addWidget(chart_title)
        self.chart = DayChart(self)
        self.chart.day_clicked.connect(self.day_clicked)
        root.addWidget(self.chart, 1)

    def _limit_controls(self, root: QVBoxLayout) -> QFont:
        """The slider, the amount box and No limit; returns the small font of the hint."""
        row = QHBoxLayout()
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, len(STEPS) - 1)
        self.slider.setPageStep(3)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(5)
        self.slider.setAccessibleName("Monthly budget")
        self.slider.setToolTip("Drag to set the monthly cloud budget; type an exact amount in the box")
        self.slider.valueChanged.connect(self._slider_moved)
        self.spin = QDoubleSpinBox(self)
        self.spin.setRange(0.0, MAX_LIMIT)
        self.spin.setDecimals(2)
        self.spin.setSingleStep(1.0)
        self.spin.setKeyboardTracking(False)  # commit on Enter / leaving the box, not each keystroke
        self.spin.setAccessibleName("Monthly budget amount")
        self.spin.setMinimumWidth(110)
        self.spin.valueChanged.connect(self._spin_changed)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        root.addLayout(row)
        hint_row = QHBoxLayout()
        self.hint = QLabel("0: nothing goes to the cloud. Over 100: type the amount.", self)
        self.hint.setStyleSheet("color: #6b7280;")
        small = self.hint.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.hint.setFont(small)
        self.no_limit = QCheckBox("No limit", self)
        self.no_limit.setToolTip(
            "Calls are still priced and recorded, but not capped (`edgeapp budget set off`)"
        )
        self.no_limit.toggled.connect(self._no_limit_toggled)
        hint_row.addWidget(self.hint, 1)
        hint_row.addWidget(self.no_limit)
        root.addLayout(hint_row)
        return small

    def _notice_box(self, root: QVBoxLayout) -> None:
        """The plain notice once the budget is reached (dismissable)."""
        self.notice = QFrame(self)
        self.notice.setObjectName("budgetNotice")
        self.notice.setStyleSheet(
            "#budgetNotice { background: #fdecea; border: 1px solid #e6a29b; border-radius: 6px; }"
            "#budgetNotice QLabel { color: #6b1d16; }"
        )
        nrow = QHBoxLayout(self.notice)
        nrow.setContentsMargins(10, 8, 6, 8)
        self.notice_text = QLabel(self.notice)
        self.notice_text.setWordWrap(True)
        close = QToolButton(self.notice)
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.notice.hide)
        nrow.addWidget(self.notice_text, 1)
        nrow.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.notice.hide()
        root.addWidget(self.notice)

    def _figures(self, root: QVBoxLayout, small: QFont) -> None:
        """The state, the share used, the gauge, the figures and the pacing line."""
        state_row = QHBoxLayout()
        self.state = QLabel(self)
        self.state.setObjectName("budgetState")
        self.percent = QLabel(self)
        self.percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        state_row.addWidget(self.state)
        state_row.addStretch(1)
        state_row.addWidget(self.percent)
        root.addLayout(state_row)
        self.gauge = Gauge(self)
        root.addWidget(self.gauge)
        self.figures = QLabel(self)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setWordWrap(True)
        root.addWidget(self.figures)
        self.pacing = QLabel(self)
        self.pacing.setWordWrap(True)
        self.pacing.setFont(small)
        self.pacing.setStyleSheet("color: #6b7280;")
        root.addWidget(self.pacing)

    # -- the limit ---------------------------------------------------------------------------------
    def limit(self) -> float | None:
        return None if self.no_limit.isChecked() else round(self.spin.value(), 2)

    def _show_limit(self, limit: float | None) -> None:
        for w in (self.slider, self.spin, self.no_limit):
            w.blockSignals(True)
        self.no_limit.setChecked(limit is None)
        self.slider.setEnabled(limit is not None)
        self.spin.setEnabled(limit is not None)
        if limit is not None:
            self.spin.setValue(limit)
            self.slider.setValue(step_index(limit))
        for w in (self.slider, self.spin, self.no_limit):
            w.blockSignals(False)

    def set_limit(self, amount: float | None) -> None:
        """Set the budget as the user would (persists at once)."""
        self._show_limit(amount)
        self._persist(amount)

    def _slider_moved(self, index: int) -> None:
        value = STEPS[index]
        self.spin.blockSignals(True)
        self.spin.setValue(value)
        self.spin.blockSignals(False)
        self._persist(value)

    def _spin_changed(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(step_index(value))
        self.slider.blockSignals(False)
        self._persist(round(value, 2))

    def _no_limit_toggled(self, checked: bool) -> None:
        self.slider.setEnabled(not checked)
        self.spin.setEnabled(not checked)
        self._persist(None if checked else round(self.spin.value(), 2))

    def _persist(self, amount: float | None) -> None:
        try:
            set_monthly_limit(amount, self.settings_path)
        except EdgeappError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        self.limit_changed.emit(amount)
        self.refresh()

    # -- figures -----------------------------------------------------------------------------------
    def refresh(self, *_: object) -> None:
        """Re-read the month (off the GUI thread). Connect it to the window's turn_finished."""
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        previous = self.snapshot.month if self.snapshot is not None and not self._stale else None
        self._stale = False
        self.jobs.run(lambda: take_snapshot(self.ledger, previous), self._apply, self._failed)

    def stop_polling(self) -> None:
        """Stop re-reading every few seconds (the window is closing)."""
        self._poll.stop()

    def invalidate(self) -> None:
        """Re-read every day at the next refresh (after history was deleted)."""
        self._stale = True

    def _poll_tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._in_flight = False
        self.error.setText(f"Could not read the ledger: {exc}")
        self.error.show()
        self._rerun()

    def _rerun(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _apply(self, snap: Snapshot) -> None:
        self._in_flight = False
        self.snapshot = snap
        s = snap.status
        cur = snap.currency
        if not (self.slider.isSliderDown() or self.spin.hasFocus()) and snap.limit != self.limit():
            self._show_limit(snap.limit)  # changed elsewhere (`edgeapp budget set`, another window)
        self.spin.setSuffix(f" {cur}")
        text, color = STATE_TEXT.get(s.state, (s.state, GREY))
        if s.state == "alert":
            text = f"Near the limit (alert at {s.alert_share:.0%})"
        self.state.setText(text)
        style = (
            f"#budgetState {{ color: white; background: {color.name()}; border-radius: 9px; "
            "padding: 2px 9px; }"
        )
        if self.state.styleSheet() != style:
            self.state.setStyleSheet(style)
        gauge_color = RED if s.state == "exhausted" else AMBER if s.state == "alert" else GREEN
        self.gauge.set_values(s.spent, s.reserved, s.limit, s.alert_share, gauge_color)
        if s.limit:
            self.percent.setText(f"{min(999, 100 * s.used / s.limit):.0f}% used")
        else:
            self.percent.setText("")
        self.figures.setText(figures_text(s, cur))  # every piece is escaped where it is built
        if abs(snap.threshold - snap.base_threshold) > 1e-9:
            self.pacing.setText(
                f"Escalating below confidence {snap.threshold:.2f} (normally "
                f"{snap.base_threshold:.2f}): {snap.pacing}"
            )
        else:
            self.pacing.setText(f"Escalating below confidence {snap.threshold:.2f}.")
        if self._charted != (snap.month, cur):  # repaint the chart only when a figure changed
            self._charted = (snap.month, cur)
            self.chart.set_month(snap.month, cur)
        self._maybe_notice(s)
        self.refreshed.emit()
        self._rerun()

    def _maybe_notice(self, s: BudgetStatus) -> None:
        if s.state != "exhausted" or self._noticed_month == s.month:
            return
        self._noticed_month = s.month
        if s.limit == 0:
            text = (
                "The monthly cloud budget is 0, so nothing is sent to the cloud. "
                "Your questions are still answered by the local model on this computer."
            )
        else:
            text = (
                f"This month's cloud budget of {wording.money(s.limit, s.currency)} is reached. "
                "Your questions are still answered, by the local model on this computer; nothing more "
                f"goes to the cloud until {s.resets:%B} {s.resets.day} or until you raise the budget."
            )
        self.notice_text.setText(text)
        self.notice.show()
        self.budget_reached.emit(text)
