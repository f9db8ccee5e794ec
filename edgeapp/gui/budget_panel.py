"""The budget panel: the monthly budget slider, the month's spend against it, and a per-day chart.

- The slider covers what people set (0 to 100 in the steps people pick); the spin box beside it
  takes any amount to the cent and above 100. Either persists at once to `budget.monthly_limit`,
  through `edgeapp.ledger.limits.set_monthly_limit` (the same setting, validation and file as
  `edgeapp budget set`). The ledger reads the setting at each budget decision, so the next turn
  uses it, also one already waiting for the model.
- The gauge shows spent (solid) and reserved by calls in flight (lighter) against the limit, the
  alert mark, the forecast to the month's end and the alert state. When the budget is reached the
  panel says so once a month, plainly: answers stay local.
- The chart (Qt Charts, from PySide6-Addons: native Qt widgets, so no second toolkit, crisp at any
  DPI, clickable bars with hover signals, and a refresh is a few value changes, not a re-render)
  shows each day of the month: turns kept local, sent to the cloud, and kept local although they
  wanted the cloud, stacked; spend as a line on its own axis. Clicking a day emits `day_clicked`.

Every query runs on a worker thread (`Jobs`); `refresh()` is safe to call on every turn.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from .. import config
from ..errors import EdgeappError
from ..ledger import Ledger
from ..ledger.budget import BudgetStatus, paced_threshold
from ..ledger.history import Month, daily
from ..ledger.limits import set_monthly_limit
from .ledger_jobs import Jobs, money

# the slider's stops: the sums people set; anything else (7.35, 250) is typed in the box
STEPS: list[float] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    12,
    15,
    20,
    25,
    30,
    35,
    40,
    45,
    50,
    60,
    70,
    80,
    90,
    100,
]
MAX_LIMIT = 1_000_000.0

GREEN, AMBER, RED, GREY = QColor("#2e9d5b"), QColor("#d98e04"), QColor("#c8372d"), QColor("#8a8f98")
LOCAL_C, CLOUD_C, KEPT_C, SPEND_C = QColor("#7aa6d8"), QColor("#e08a3c"), QColor("#b9bec7"), QColor("#2b2f36")

STATE_TEXT = {
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


@dataclass
class Snapshot:
    status: BudgetStatus
    month: Month
    threshold: float
    base_threshold: float
    pacing: str
    limit: float | None
    currency: str


def take_snapshot(ledger: Ledger, previous: Month | None = None) -> Snapshot:
    """Everything the panel shows, read in one go (runs on a worker thread). With `previous` (the
    same month, read before), the days before yesterday are kept and only the rest is re-read: new
    turns land today (yesterday, for one that crossed midnight)."""
    settings = ledger.settings
    now = ledger.now()
    status = ledger.budget_status(now)
    base = settings["router.threshold"]
    # what Ledger.effective_threshold computes, from the status just read (not read twice)
    threshold, why = paced_threshold(
        base,
        limit=status.limit,
        used=status.used,
        now=now,
        enabled=settings["budget.pacing"],
        currency=status.currency,
    )
    return Snapshot(
        status,
        _month(ledger, now, previous),
        threshold,
        base,
        why,
        settings["budget.monthly_limit"],
        settings["budget.currency"],
    )


def _month(ledger: Ledger, now: datetime, previous: Month | None) -> Month:
    key = now.astimezone().strftime("%Y-%m")
    if previous is None or previous.month != key:
        return daily(ledger, now)
    first = now.astimezone().date() - timedelta(days=1)
    fresh = daily(ledger, now, first_day=first)
    return Month(key, [d for d in previous.days if d.day < first] + fresh.days)


class Gauge(QWidget):
    """Spent (solid) + reserved (light) against the limit, with the alert share marked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.spent = self.reserved = 0.0
        self.limit: float | None = None
        self.alert_share = 0.8
        self.color = GREEN

    def set_values(
        self, spent: float, reserved: float, limit: float | None, alert_share: float, color: QColor
    ) -> None:
        self.spent, self.reserved, self.limit, self.alert_share, self.color = (
            spent,
            reserved,
            limit,
            alert_share,
            color,
        )
        self.update()

    def fractions(self) -> tuple[float, float]:
        if self.limit is None:
            return 0.0, 0.0
        if self.limit <= 0:
            return (1.0, 0.0) if self.spent + self.reserved > 0 else (0.0, 0.0)
        spent = min(1.0, self.spent / self.limit)
        return spent, min(1.0 - spent, self.reserved / self.limit)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 3.5, -0.5, -3.5)
        radius = r.height() / 2
        base = self.palette().color(self.backgroundRole()).darker(112)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(base)
        p.drawRoundedRect(r, radius, radius)
        spent, reserved = self.fractions()
        p.save()
        clip = QRectF(r)
        p.setClipRect(clip)
        if spent > 0:
            p.setBrush(self.color)
            p.drawRoundedRect(
                QRectF(r.left(), r.top(), max(r.height(), r.width() * spent), r.height()), radius, radius
            )
        if reserved > 0:
            light = QColor(self.color)
            light.setAlpha(90)
            p.setBrush(QBrush(light))
            p.drawRect(QRectF(r.left() + r.width() * spent, r.top(), r.width() * reserved, r.height()))
        p.restore()
        if self.limit:
            x = r.left() + r.width() * self.alert_share
            p.setPen(QPen(self.palette().color(self.foregroundRole()), 1.2, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(x, r.top() - 3), QPointF(x, r.bottom() + 3))
        p.end()


class DayChart(QChartView):
    """Turns per day (stacked: local, cloud, kept local) and spend per day (line, right axis)."""

    day_clicked = Signal(object)  # datetime.date

    def __init__(self, parent: QWidget | None = None):
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(210)
        self.days: list[date] = []
        self.month: Month | None = None
        self.currency = "USD"
        c = self.chart_
        c.setMargins(QMargins(2, 2, 2, 2))
        c.setBackgroundRoundness(0)
        c.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        c.legend().setFont(small)
        self.local = QBarSet("Local")
        self.cloud = QBarSet("Cloud")
        self.kept = QBarSet("Wanted cloud, kept local")
        for s, color in ((self.local, LOCAL_C), (self.cloud, CLOUD_C), (self.kept, KEPT_C)):
            s.setColor(color)
            s.setBorderColor(color)
            s.clicked.connect(self._clicked)
            s.hovered.connect(self._hovered)
        self.bars = QStackedBarSeries()
        self.bars.setBarWidth(0.75)
        self.bars.append([self.local, self.cloud, self.kept])
        self.spend = QLineSeries()
        self.spend.setName("Spend")
        self.spend.setPen(QPen(SPEND_C, 2))
        self.spend.setPointsVisible(True)
        c.addSeries(self.bars)
        c.addSeries(self.spend)
        # bars sit on a category axis (one per day, unlabelled); the labels come from a value axis in
        # day numbers laid over it (day d spans d-0.5..d+0.5), which also carries the spend line
        self.x = QBarCategoryAxis()
        self.x.setLabelsVisible(False)
        self.x.setGridLineVisible(False)
        self.x.setLineVisible(False)
        self.x_days = QValueAxis()
        self.x_days.setLabelsFont(small)
        self.x_days.setLabelFormat("%d")
        self.x_days.setTickType(QValueAxis.TickType.TicksDynamic)
        self.x_days.setTickAnchor(5)
        self.x_days.setTickInterval(5)
        self.x_days.setGridLineVisible(False)
        self.x_days.setMinorGridLineVisible(False)
        self.y = QValueAxis()
        self.y.setLabelFormat("%d")
        self.y.setTitleText("turns")
        self.y.setLabelsFont(small)
        self.y.setTitleFont(small)
        self.y_spend = QValueAxis()
        self.y_spend.setTitleText("spend")
        self.y_spend.setLabelsFont(small)
        self.y_spend.setTitleFont(small)
        self.y_spend.setLabelFormat("%.2f")
        for axis in (self.y, self.y_spend):
            axis.setTickType(QValueAxis.TickType.TicksDynamic)
            axis.setTickAnchor(0)
        c.addAxis(self.x, Qt.AlignmentFlag.AlignBottom)
        c.addAxis(self.x_days, Qt.AlignmentFlag.AlignBottom)
        c.addAxis(self.y, Qt.AlignmentFlag.AlignLeft)
        c.addAxis(self.y_spend, Qt.AlignmentFlag.AlignRight)
        self.bars.attachAxis(self.x)
        self.bars.attachAxis(self.y)
        self.spend.attachAxis(self.x_days)
        self.spend.attachAxis(self.y_spend)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click a day to see what was sent to the cloud that day")

    def set_month(self, month: Month, currency: str) -> None:
        self.month, self.currency = month, currency
        days = month.days
        if [d.day for d in days] != self.days:
            self.days = [d.day for d in days]
            self.x.clear()
            self.x.append([str(d.day.day) for d in days])
            self.x_days.setRange(0.5, len(days) + 0.5)
            for s in (self.local, self.cloud, self.kept):
                s.remove(0, s.count())
                s.append([0.0] * len(days))
        top = 1
        for i, d in enumerate(days):  # only the values that changed (usually today's): each is a relayout
            for bar_set, value in (
                (self.local, d.local),
                (self.cloud, d.escalated),
                (self.kept, d.kept_local),
            ):
                if bar_set.at(i) != value:
                    bar_set.replace(i, value)
            top = max(top, d.local + d.escalated + d.kept_local)
        today = datetime.now().astimezone().date()  # no spend line into days still to come
        self.spend.replace([QPointF(i + 1, d.spend) for i, d in enumerate(days) if d.day <= today])
        top_turns, step = _axis(max(top, 4) * 1.05, integer=True, ticks=5)  # headroom above the tallest bar
        if (self.y.max(), self.y.tickInterval()) != (top_turns, step):
            self.y.setRange(0, top_turns)
            self.y.setTickInterval(step)
        spend_top = max((d.spend for d in days), default=0.0)
        top_spend, spend_step = _axis(spend_top * 1.05 if spend_top > 0 else 1.0, ticks=5)
        if (self.y_spend.max(), self.y_spend.tickInterval()) != (top_spend, spend_step):
            self.y_spend.setRange(0, top_spend)
            self.y_spend.setTickInterval(spend_step)
            exp = math.floor(math.log10(spend_step))
            decimals = max(0, -exp + (1 if spend_step / 10**exp == 2.5 else 0))
            self.y_spend.setLabelFormat(f"%.{min(decimals, 6)}f")
        if self.y_spend.titleText() != f"spend ({currency})":
            self.y_spend.setTitleText(f"spend ({currency})")

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self.days):
            self.day_clicked.emit(self.days[index])

    def _hovered(self, status: bool, index: int) -> None:
        if not status or self.month is None or not 0 <= index < len(self.month.days):
            QToolTip.hideText()
            return
        d = self.month.days[index]
        QToolTip.showText(
            QCursor.pos(),
            f"{d.day:%a %d %b}: {d.local} local, {d.escalated} cloud, {d.kept_local} kept local\n"
            f"spent {money(d.spend, self.currency)} on {d.calls} call{'s' if d.calls != 1 else ''} - click to review",
            self,
        )


def _axis(value: float, *, integer: bool = False, ticks: int = 4) -> tuple[float, float]:
    """A round axis maximum at or above value and its tick step (about `ticks` intervals)."""
    raw = max(value, 1e-9) / ticks
    exp = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        step = m * exp
        if step >= raw - 1e-12:
            break
    if integer:
        step = max(1, round(step)) if step >= 1 else 1
    return step * math.ceil(value / step - 1e-9), step


class BudgetPanel(QWidget):
    """Standalone: `BudgetPanel(ledger)`; mount it with `MainWindow.add_panel("Budget", panel)`."""

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
        f = title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.1)
        title.setFont(f)
        root.addWidget(title)

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
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {RED.name()};")
        self.error.hide()
        root.addWidget(self.error)

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

        chart_title = QLabel("This month, day by day", self)
        chart_title.setFont(f)
        root.addWidget(chart_title)
        self.chart = DayChart(self)
        self.chart.day_clicked.connect(self.day_clicked)
        root.addWidget(self.chart, 1)

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
    def refresh(self, *_: Any) -> None:
        """Re-read the month (off the GUI thread). Connect it to the window's turn_finished."""
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        previous = self.snapshot.month if self.snapshot is not None and not self._stale else None
        self._stale = False
        self.jobs.run(lambda: take_snapshot(self.ledger, previous), self._apply, self._failed)

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
        style = f"#budgetState {{ color: white; background: {color.name()}; border-radius: 9px; padding: 2px 9px; }}"
        if self.state.styleSheet() != style:
            self.state.setStyleSheet(style)
        gauge_color = RED if s.state == "exhausted" else AMBER if s.state == "alert" else GREEN
        self.gauge.set_values(s.spent, s.reserved, s.limit, s.alert_share, gauge_color)
        if s.limit:
            self.percent.setText(f"{min(999, 100 * s.used / s.limit):.0f}% used")
        else:
            self.percent.setText("")
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
        self.figures.setText("<br>".join(rows))  # every piece below is escaped where it is built
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
                f"This month's cloud budget of {money(s.limit, s.currency)} is reached. Your questions are "
                f"still answered, by the local model on this computer; nothing more goes to the cloud "
                f"until {s.resets:%B} {s.resets.day} or until you raise the budget."
            )
        self.notice_text.setText(text)
        self.notice.show()
        self.budget_reached.emit(text)

    def snapshot_now(self) -> Snapshot:  # pragma: no cover - convenience for scripts
        return take_snapshot(self.ledger)


def today() -> date:
    return datetime.now().astimezone().date()
