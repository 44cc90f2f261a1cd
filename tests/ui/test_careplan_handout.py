"""The Values tab holds the patient's own words and the choice of charts for the handout; both are saved with
the plan and printed: the words as written, charts only of the measures ticked (none by default), and only
measures the patient may read that were answered twice or more."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from tests.ui.helpers import add_editor

WORDS = "Lege med børnebørnene\nog gå til håndbold om lørdagen"


def complete(services: Services, patient: Patient, form_id: str, value: int) -> None:
    """Every item of ``form_id`` answered with the option at ``value`` (or the nearest one)."""
    form = services.forms.get(form_id)
    encounter = services.screenings.start_encounter(patient.id, "gp")
    response = services.screenings.start_response(encounter.id, form_id)
    for item in form.definition.items:
        options = form.options.get(item.id)
        values = [o.value for o in options] if options else list(range(item.min or 0, (item.max or 0) + 1))
        answer: int | str = "Gå en tur" if item.type == "text" else values[min(value, len(values) - 1)]
        services.screenings.answer(response.id, item.id, answer)
    services.screenings.complete(response.id, "female")


@pytest.fixture
def editor(qtbot: QtBot, services: Services, patient: Patient) -> Iterator[CarePlanEditor]:
    for value in (3, 1):  # two visits, a month apart: a course to chart
        for form_id in ("odi", "startback", "phq9", "cssrs_screener", "ort", "cage_aid"):
            complete(services, patient, form_id, value)
        if value == 3:
            with services.database.engine.begin() as connection:
                connection.execute(text("UPDATE responses SET completed_at = datetime(completed_at, '-30 days')"))
    complete(services, patient, "peg", 5)  # once: a dot, not a course
    complete(services, patient, "rmdq", 5)
    complete(services, patient, "rmdq", 7)  # twice the same day: a stack of dots, not a course
    dialog = CarePlanEditor(services, patient)
    add_editor(qtbot, dialog)
    dialog.show()
    yield dialog


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_only_measures_the_patient_may_follow_are_offered_and_none_is_ticked(editor: CarePlanEditor) -> None:
    offered = editor.values_tab.chart_boxes
    assert set(offered) == {"odi", "startback"}, "no PHQ-9, C-SSRS, ORT, CAGE-AID; no single-day PEG or RMDQ"
    assert not any(box.isChecked() for box in offered.values())
    assert editor.plan(strict=False).charts == ()


def test_own_words_and_chosen_charts_are_saved_and_printed(
    editor: CarePlanEditor, services: Services, patient: Patient
) -> None:
    editor.values_tab.own_words.setPlainText(WORDS)
    editor.values_tab.chart_boxes["odi"].setChecked(True)
    assert editor.has_unsaved_changes()
    saved = editor.save()
    assert saved is not None and saved.own_words == WORDS and saved.charts == ("odi",)
    stored = services.careplans.current(patient.id)
    assert stored is not None and (stored.own_words, stored.charts) == (WORDS, ("odi",))
    made = editor._patient_plan()
    assert made is not None
    text = text_of(made[1])
    assert "Med dine egne ord" in text and "Lege med børnebørnene" in text and "håndbold om lørdagen" in text
    assert "Dine resultater over tid" in text and "ODI" in text and "STarT Back" not in text


def test_a_reopened_plan_shows_the_words_and_ticks_again(
    qtbot: QtBot, editor: CarePlanEditor, services: Services, patient: Patient
) -> None:
    editor.values_tab.own_words.setPlainText(WORDS)
    editor.values_tab.chart_boxes["startback"].setChecked(True)
    assert editor.save() is not None
    again = CarePlanEditor(services, patient)
    add_editor(qtbot, again)
    assert again.values_tab.own_words.toPlainText() == WORDS
    assert again.values_tab.chart_boxes["startback"].isChecked() and not again.values_tab.chart_boxes["odi"].isChecked()
    assert not again.has_unsaved_changes()


def test_a_chosen_chart_without_a_course_now_is_kept_and_the_order_too(
    qtbot: QtBot, editor: CarePlanEditor, services: Services, patient: Patient
) -> None:
    from dataclasses import replace

    plan = editor.plan(strict=False)
    assert services.careplans.save(replace(plan, charts=("startback", "peg", "odi"))) is not None
    again = CarePlanEditor(services, patient)
    add_editor(qtbot, again)
    assert not again.has_unsaved_changes(), "reopening changes nothing"
    again.values_tab.chart_boxes["odi"].setChecked(False)
    assert again.plan(strict=False).charts == ("startback", "peg"), "PEG (one visit) is kept, not dropped"
