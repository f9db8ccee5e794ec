"""The budget panel's chart (Qt Charts): each day of the month, turns kept local, sent to the cloud
and kept local although they wanted the cloud, stacked; spend as a line on its own axis. Clicking a
day emits `day_clicked`."""

from __future__ import annotations

import math
from datetime import date, datetime

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from .. import wording
from ..ledger.history import Month

LOCAL_C, CLOUD_C, KEPT_C, SPEND_C = QColor("#7aa6d8"), QColor("#e08a3c"), QColor("#b9bec7"), QColor("#2b2f36")


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
        top_turns, step = round_axis(
            max(top, 4) * 1.05, integer=True, ticks=5
        )  # headroom above the tallest bar
        if (self.y.max(), self.y.tickInterval()) != (top_turns, step):
            self.y.setRange(0, top_turns)
            self.y.setTickInterval(step)
        spend_top = max((d.spend for d in days), default=0.0)
        top_spend, spend_step = round_axis(spend_top * 1.05 if spend_top > 0 else 1.0, ticks=5)
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
            f"spent {wording.money(d.spend, self.currency)} on {d.calls} call{'s' if d.calls != 1 else ''}"
            " - click to review",
            self,
        )


def round_axis(value: float, *, integer: bool = False, ticks: int = 4) -> tuple[float, float]:
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
