"""The budget gauge: spent (solid) and reserved (lighter) against the limit, the alert share marked."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GREEN, AMBER, RED, GREY = QColor("#2e9d5b"), QColor("#d98e04"), QColor("#c8372d"), QColor("#8a8f98")


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

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
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
