"""PSFS as the patient meets it: each rating screen names the activity the patient wrote, an unused activity
slot costs one Enter, and the result shows every activity with its rating beside the mean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from smerteagent import i18n
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.result_view import result_html
from smerteagent.ui.screening_view import ScreeningView
from tests.ui.helpers import Keyboard, StartMainWindow


@pytest.fixture
def window(
    start_main_window: StartMainWindow, services: Services, patient: Patient, qtbot: QtBot
) -> Iterator[MainWindow]:
    main = start_main_window(services)
    main.open_patient(patient.id)
    yield main


def psfs(window: MainWindow) -> tuple[ScreeningView, Keyboard]:
    window.start_form("psfs", "gp")
    view = window.screening
    assert isinstance(view, ScreeningView)
    return view, Keyboard(view)


def test_each_rating_screen_repeats_the_activity_the_patient_named(window: MainWindow) -> None:
    view, keyboard = psfs(window)
    keyboard.type("Gå en tur på 1 km")
    keyboard.enter()
    assert view.session.flow.item.id == "q1"
    assert "Gå en tur på 1 km" in view.question.text()
    assert view.question.text().startswith("Hvor godt klarer du i dag")
    i18n.set_language("en")
    view.render()
    assert view.question.text() == "How well can you do this today: Gå en tur på 1 km?"


def test_an_unused_activity_slot_costs_one_enter(window: MainWindow, services: Services, patient: Patient) -> None:
    view, keyboard = psfs(window)
    keyboard.type("Løfte")
    keyboard.enter()
    keyboard.type("6")
    keyboard.enter()
    assert view.session.flow.item.id == "q2_activity"
    presses = keyboard.presses
    for _ in range(4):  # activities 2-5 left empty: no rating screen for them
        keyboard.enter()
    assert keyboard.presses - presses == 4
    assert window.stack.currentWidget() is window.patient_page, "the questionnaire is finished"
    [stored] = services.screenings.responses(patient.id)
    assert stored.answers == {"q1_activity": "Løfte", "q1": 6} and stored.status == "complete"
    assert stored.score is not None and stored.score.results["total"] == 6


def test_a_named_activity_can_still_be_left_unrated(window: MainWindow) -> None:
    view, keyboard = psfs(window)
    keyboard.type("Sidde")
    keyboard.enter()
    keyboard.enter()  # no rating given: the next activity
    assert view.session.flow.item.id == "q2_activity"
    view.back()  # the ← button (in a text field ← moves the cursor)
    assert view.session.flow.item.id == "q1", "back reaches the rating of a named activity"


def test_the_result_shows_each_activity_with_its_rating_and_the_mean(forms: FormLibrary) -> None:
    form = forms.forms["psfs"]
    answers = {"q1_activity": "Gå tur", "q1": 8, "q2_activity": "Cykle", "q2": 8, "q3_activity": "Løfte", "q3": 9,
               "q4_activity": "Bære"}  # fmt: skip
    result = form.score(answers)
    i18n.set_language("da")
    shown = result_html(form, result, answers=answers)
    for name, rating in (("Gå tur", "8"), ("Cykle", "8"), ("Løfte", "9")):
        assert f"<td>{name}</td><td><b>{rating}</b></td>" in shown
    assert "<td>Bære</td><td><b>ikke vurderet</b></td>" in shown
    assert "8,33" in shown and "8.33" not in shown
    i18n.set_language("en")
    english = result_html(form, result, answers=answers)
    assert "<td>Bære</td><td><b>not rated</b></td>" in english and "8.33" in english


def test_the_patient_page_shows_the_activities_of_a_finished_psfs(
    window: MainWindow, services: Services, patient: Patient
) -> None:
    _view, keyboard = psfs(window)
    keyboard.type("Gå tur")
    keyboard.enter()
    keyboard.type("7")
    keyboard.enter()
    for _ in range(4):
        keyboard.enter()
    page = window.patient_page
    assert page is not None
    [response] = services.screenings.responses(patient.id)
    row = next(page.results.item(i) for i in range(page.results.count())
               if page.results.item(i).data(Qt.ItemDataRole.UserRole) == response.id)  # fmt: skip
    page.results.setCurrentItem(row)
    page._show_selected(row)
    assert "Gå tur" in page.result_view.text() and "<b>7</b>" in page.result_view.text()
