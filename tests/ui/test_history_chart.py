"""The history chart draws real PHQ-9 scores, tells screen readers the values and has an empty state."""

from __future__ import annotations

import gettext
from dataclasses import replace
from datetime import datetime

import pytest
from PySide6.QtGui import QImage, QPalette
from pytestqt.qtbot import QtBot

from smerteagent import i18n
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.history import InstrumentHistory, build_history
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.paths import bundled_forms_dir
from smerteagent.ui.history_chart import HistoryChart, ticks

EMPTY = "No completed screenings yet"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Program text in English for these tests, restored afterwards."""
    monkeypatch.setitem(i18n._state, "language", "en")
    monkeypatch.setitem(i18n._state, "translations", gettext.NullTranslations())


@pytest.fixture(scope="module")
def phq9() -> CompiledForm:
    library = FormLibrary.load([bundled_forms_dir()])
    assert library.errors == []
    return library.get("phq9")


@pytest.fixture
def history(phq9: CompiledForm) -> InstrumentHistory:
    later = phq9.score({"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 1, "q6": 0, "q7": 0, "q8": 0, "q9": 0})
    earlier = phq9.score({"q1": 2, "q2": 2, "q3": 2, "q4": 2, "q5": 2, "q6": 2, "q7": 1, "q8": 1, "q9": 0})
    entries = [(datetime(2024, 5, 2, 10), later.results), (datetime(2024, 3, 1, 9), earlier.results)]
    return build_history(phq9, entries, "en")


def shown(qtbot: QtBot, history: InstrumentHistory | None) -> tuple[HistoryChart, QImage]:
    chart = HistoryChart()
    qtbot.addWidget(chart)
    chart.resize(480, 300)
    chart.set_history(history)
    return chart, chart.grab().toImage()


def colours(image: QImage) -> set[int]:
    return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}


def test_draws_the_scores_and_describes_them(qtbot: QtBot, history: InstrumentHistory) -> None:
    chart, image = shown(qtbot, history)
    assert chart.accessibleName() == "PHQ-9"
    assert chart.accessibleDescription() == "PHQ-9: 14 → 9"
    found = colours(image)
    assert chart.palette().color(QPalette.ColorRole.Highlight).rgb() in found
    assert len(found) > 10


def test_threshold_lines_are_drawn(qtbot: QtBot, history: InstrumentHistory) -> None:
    _, with_lines = shown(qtbot, history)
    _, without = shown(qtbot, replace(history, thresholds=()))
    assert with_lines != without


def test_empty_state(qtbot: QtBot, phq9: CompiledForm) -> None:
    for history in (None, build_history(phq9, [], "en")):
        chart, image = shown(qtbot, history)
        assert chart.accessibleDescription() == EMPTY
        found = colours(image)
        assert len(found) > 1
        assert chart.palette().color(QPalette.ColorRole.Highlight).rgb() not in found


def test_unknown_series_is_refused(qtbot: QtBot, history: InstrumentHistory) -> None:
    chart = HistoryChart()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError, match="no series"):
        chart.set_history(history, "nonsense")


def test_size_follows_the_font(qtbot: QtBot) -> None:
    chart = HistoryChart()
    qtbot.addWidget(chart)
    small = chart.minimumSizeHint()
    assert (small.width(), small.height()) >= (320, 200)
    font = chart.font()
    font.setPointSizeF(font.pointSizeF() * 4)
    chart.setFont(font)
    assert chart.minimumSizeHint().height() > small.height()


def test_ticks_are_round_numbers() -> None:
    assert ticks(0, 27) == [0, 5, 10, 15, 20, 25]
    assert ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert ticks(3, 3) == [3]
