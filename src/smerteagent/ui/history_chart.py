"""A line chart of one instrument's scores over time, painted by hand because QtCharts is not shipped."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from smerteagent.core.history import InstrumentHistory, Series
from smerteagent.i18n import _, day, number

MARKER = 3.5

Scale = Callable[[float], float]


def number_text(value: float) -> str:
    return number(value)


def ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values from low to high, about ``most`` of them, so the axis is read at a glance."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) for i in range(count)]


def pick_series(history: InstrumentHistory | None, series_id: str | None) -> Series | None:
    """The series to draw: the one asked for, else the first; an unknown id is a caller's bug."""
    if history is None or not history.series:
        return None
    if series_id is None:
        return history.series[0]
    for series in history.series:
        if series.result_id == series_id:
            return series
    raise ValueError(f"{history.form_id} has no series {series_id!r}")


class HistoryChart(QWidget):
    """Shows at a glance whether a patient's score has crossed a band boundary since earlier screenings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._history: InstrumentHistory | None = None
        self._series: Series | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_history(None)

    def set_history(self, history: InstrumentHistory | None, series_id: str | None = None) -> None:
        self._series = pick_series(history, series_id)
        self._history = history
        self.setAccessibleName(history.title if history is not None else _("Score history"))
        self.setAccessibleDescription(self.summary())
        self.update()

    def summary(self) -> str:
        """The values in words, for screen readers and tooltips."""
        if self._history is None or self._series is None:
            return _("No completed screenings yet")
        values = " → ".join(number_text(point.value) for point in self._series.points)
        name = self._history.title
        if len(self._history.series) > 1:
            name = f"{name}, {self._series.label}"
        return f"{name}: {values}"

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        return QSize(max(320, round(metrics.averageCharWidth() * 40)), max(200, round(metrics.height() * 10)))

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint() * 1.5

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        top = self._draw_title(painter)
        if self._series is None:
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, _("No completed screenings yet"))
        else:
            self._draw_chart(painter, self._series, top)
        painter.end()

    def _pad(self) -> float:
        return QFontMetricsF(self.font()).height() / 2

    def _draw_title(self, painter: QPainter) -> float:
        """Draw the title (and which way is worse); return where the plot may start."""
        if self._history is None:
            return self._pad()
        title = self._history.title
        if self._series is not None and len(self._history.series) > 1:
            title = f"{title} – {self._series.label}"
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        height = QFontMetricsF(font).height()
        area = QRectF(self._pad(), self._pad(), self.width() - 2 * self._pad(), height)
        painter.save()
        painter.setFont(font)
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.restore()
        if self._series is not None:
            better = self._series.higher_is == "better"
            direction = _("Higher is better") if better else _("Higher is worse")
            painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, direction)
        return area.bottom() + self._pad()

    def _plot_area(self, series: Series, top: float) -> QRectF:
        metrics = QFontMetricsF(self.font())
        labels = max(metrics.horizontalAdvance(number_text(v)) for v in ticks(series.low, series.high))
        left = self._pad() * 2 + labels
        bottom = self.height() - self._pad() * 2 - metrics.height()
        return QRectF(left, top + self._pad(), self.width() - left - self._pad() * 2, bottom - top - self._pad())

    def _draw_chart(self, painter: QPainter, series: Series, top: float) -> None:
        plot = self._plot_area(series, top)
        span = (series.high - series.low) or 1.0

        def y_of(value: float) -> float:
            return plot.bottom() - (value - series.low) / span * plot.height()

        self._draw_axes(painter, series, plot, y_of)
        self._draw_thresholds(painter, series, plot, y_of)
        self._draw_line(painter, series, plot, y_of)

    def _draw_axes(self, painter: QPainter, series: Series, plot: QRectF, y_of: Scale) -> None:
        metrics = QFontMetricsF(self.font())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        for value in ticks(series.low, series.high):
            y = y_of(value)
            painter.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y))
            label = QRectF(0, y - metrics.height() / 2, plot.left() - self._pad(), metrics.height())
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, number_text(value))

    def _draw_thresholds(self, painter: QPainter, series: Series, plot: QRectF, y_of: Scale) -> None:
        assert self._history is not None
        painter.save()
        colour = QColor(self.palette().color(QPalette.ColorRole.Text))
        colour.setAlpha(150)
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        height = QFontMetricsF(font).height()
        for threshold in self._history.thresholds_for(series.result_id):
            if not series.low < threshold.value < series.high:
                continue
            y = y_of(threshold.value)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            if y + height <= plot.bottom():
                area = QRectF(plot.left(), y + 1, plot.width() - 4, height)
                painter.drawText(area, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, threshold.label)
        painter.restore()

    def _draw_line(self, painter: QPainter, series: Series, plot: QRectF, y_of: Scale) -> None:
        inner = plot.adjusted(MARKER * 3, 0, -MARKER * 3, 0)
        first, last = series.points[0].when, series.points[-1].when
        seconds = (last - first).total_seconds()

        def x_of(index: int) -> float:
            if seconds <= 0:
                return inner.center().x()
            return inner.left() + (series.points[index].when - first).total_seconds() / seconds * inner.width()

        points = [QPointF(x_of(i), y_of(p.value)) for i, p in enumerate(series.points)]
        self._draw_dates(painter, series, points, plot)
        painter.save()
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
        painter.drawPolyline(QPolygonF(points))
        painter.setBrush(self.palette().color(QPalette.ColorRole.Highlight))
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Base), 1))
        for point in points:
            painter.drawEllipse(point, MARKER, MARKER)
        painter.restore()

    def _draw_dates(self, painter: QPainter, series: Series, points: list[QPointF], plot: QRectF) -> None:
        """Date under each point, newest first so the latest always shows; crowded ones are left out."""
        metrics = QFontMetricsF(self.font())
        limit = float(self.width())
        for point, data in zip(reversed(points), reversed(series.points), strict=True):
            text = day(data.when)
            width = metrics.horizontalAdvance(text)
            left = min(max(point.x() - width / 2, 0), self.width() - width)
            if left + width > limit:
                continue
            area = QRectF(left, plot.bottom() + self._pad() / 2, width, metrics.height())
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, text)
            limit = left - self._pad()
