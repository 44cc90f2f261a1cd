"""A patient's results over time as a ReportLab line chart, with the instrument's band limits as dashed lines
and the band names beside them; drawn in the embedded font like the rest of the page."""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from smerteagent.core.history import InstrumentHistory, Series, Threshold
from smerteagent.i18n import _, day
from smerteagent.reports.fonts import REGULAR
from smerteagent.reports.layout import MUTED

PALETTE = [colors.HexColor(c) for c in ("#1a5fb4", "#c64600", "#26a269", "#813d9c")]
BAND_COLOUR = colors.HexColor("#8a949c")
LEFT, BOTTOM, TOP, BANDS = 26, 30, 6, 100  # room for y labels, x labels and legend, and band names
GRID, AXIS = colors.HexColor("#e4e8eb"), colors.HexColor("#6b757d")
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500)


def _x(when: datetime) -> float:
    """Days as a number, so that screenings sit on the axis at their real distance in time."""
    return when.toordinal() + (when.hour * 60 + when.minute) / 1440


def _tick_label(value: float) -> str:
    when = datetime.fromordinal(int(value))  # the day the point lies in (rounding moved afternoons a day on)
    return day(when)


def _x_range(series: tuple[Series, ...], most: int = 5) -> tuple[float, float, list[float]]:
    """The time axis: at most ``most`` date ticks (two or more), spread over the screenings."""
    xs = sorted({_x(p.when) for s in series for p in s.points})
    margin = max(1.0, (xs[-1] - xs[0]) * 0.04)  # keeps the first and last point off the axes
    picks = xs if len(xs) <= most else [xs[round(i * (len(xs) - 1) / (most - 1))] for i in range(most)]
    return xs[0] - margin, xs[-1] + margin, picks


def _ticks_that_fit(plot_width: float) -> int:
    """As many date labels as fit side by side under the plot (a date is about 40 points wide at 7 points)."""
    return max(2, min(5, int(plot_width // 48)))


def _y_step(span: float) -> float:
    return next((step for step in NICE_STEPS if span / step <= 6), NICE_STEPS[-1])


def _two_lines(text: str, size: float, width: float) -> list[str]:
    """A band name wrapped onto at most two lines, the second shortened with an ellipsis if need be."""
    words, lines = text.split(), [""]
    for word in words:
        trial = f"{lines[-1]} {word}".strip()
        if stringWidth(trial, REGULAR, size) <= width or not lines[-1]:
            lines[-1] = trial
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] += " " + word
    while stringWidth(lines[-1], REGULAR, size) > width:
        lines[-1] = lines[-1][:-2] + "…"
    return lines


LEGEND_LINE = 9


def _legend_lines(series: tuple[Series, ...], width: float) -> list[list[tuple[int, str]]]:
    """The legend's entries, on as many lines as the chart's width needs (a narrow chart stacks them)."""
    lines: list[list[tuple[int, str]]] = [[]]
    x = LEFT
    for index, one in enumerate(series):
        direction = _("higher is worse") if one.higher_is == "worse" else _("higher is better")
        text = f"{one.label} ({direction})"
        needed = 30 + stringWidth(text, REGULAR, 7)
        if lines[-1] and x + needed > width:
            lines.append([])
            x = LEFT
        lines[-1].append((index, text))
        x += needed
    return lines


def _legend(drawing: Drawing, lines: list[list[tuple[int, str]]]) -> None:
    for number, line in enumerate(lines):
        x, y = LEFT, 1 + (len(lines) - 1 - number) * LEGEND_LINE
        for index, text in line:
            colour = PALETTE[index % len(PALETTE)]
            drawing.add(Line(x, y + 2.5, x + 14, y + 2.5, strokeColor=colour, strokeWidth=1.5))
            drawing.add(String(x + 18, y, text, fontName=REGULAR, fontSize=7, fillColor=colors.black))
            x += 30 + stringWidth(text, REGULAR, 7)


def history_chart(history: InstrumentHistory, width: float, height: float = 58 * mm) -> Drawing:
    """Every series of one instrument on a shared scale; band limits only on the series the bands grade."""
    series = tuple(s for s in history.series if s.points)
    legend = _legend_lines(series, width)
    bottom = BOTTOM + (len(legend) - 1) * LEGEND_LINE
    x_low, x_high, ticks = _x_range(series, _ticks_that_fit(width - LEFT - BANDS))
    y_low, y_high = min(s.low for s in series), max(s.high for s in series)
    y_high = max(y_high, y_low + 1)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = LEFT, bottom, width - LEFT - BANDS, height - bottom - TOP
    limits = [t for s in series for t in history.thresholds_for(s.result_id)]
    plot.data = [[(_x(p.when), p.value) for p in s.points] for s in series]
    plot.data += [[(x_low, t.value), (x_high, t.value)] for t in limits]
    for index in range(len(series)):
        plot.lines[index].strokeColor = PALETTE[index % len(PALETTE)]
        plot.lines[index].strokeWidth = 1.5
        plot.lines[index].symbol = makeMarker("FilledCircle", size=4, fillColor=PALETTE[index % len(PALETTE)])
    for index in range(len(series), len(plot.data)):
        plot.lines[index].strokeColor, plot.lines[index].strokeWidth = BAND_COLOUR, 0.6
        plot.lines[index].strokeDashArray = (3, 2)
    axis = plot.xValueAxis
    axis.valueMin, axis.valueMax, axis.valueSteps = x_low, x_high, ticks
    axis.labelTextFormat = _tick_label
    y_axis = plot.yValueAxis
    y_axis.valueMin, y_axis.valueMax, y_axis.valueStep = y_low, y_high, _y_step(y_high - y_low)
    y_axis.visibleGrid, y_axis.gridStrokeColor, y_axis.gridStrokeWidth = True, GRID, 0.4
    for each in (axis, y_axis):
        each.strokeColor, each.strokeWidth, each.labels.fontName, each.labels.fontSize = AXIS, 0.6, REGULAR, 7
    drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=7)
    drawing.add(plot)
    if limits and history.top_band and limits[-1].value < y_high:
        limits = [*limits, Threshold(y_high, "", history.top_band)]  # names the top band's stretch too
    _band_names(drawing, plot, limits, y_low, y_high)
    _legend(drawing, legend)
    return drawing


def _band_names(drawing: Drawing, plot: LinePlot, limits: list[Threshold], low: float, high: float) -> None:
    """Each band's name in the middle of its stretch of the axis, right of the plot."""

    def y(value: float) -> float:
        return float(plot.y + (value - low) / (high - low) * plot.height)

    floor, size = low, 6.5
    for limit in limits:
        lines = _two_lines(limit.label, size, BANDS - 6)
        top = y((floor + limit.value) / 2) + (len(lines) - 1) * size / 2 - size / 3
        for number, line in enumerate(lines):
            drawing.add(
                String(
                    plot.x + plot.width + 4,
                    top - number * size * 1.1,
                    line,
                    fontName=REGULAR,
                    fontSize=size,
                    fillColor=MUTED,
                )
            )
        floor = limit.value
