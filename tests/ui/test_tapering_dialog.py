"""The tapering dialog: a computed schedule, edited rows kept only when changed, and a schedule that could
harm (a rising dose, a dose under the floor) refused with a message while the dialog stays open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import PlannedMedication, TaperingPlan
from smerteagent.paths import bundled_resources_dir
from smerteagent.ui.careplan.tapering_dialog import TaperingDialog


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")


def dialog_for(qtbot: QtBot, catalogue: Catalogue, tapering: TaperingPlan | None = None) -> TaperingDialog:
    dialog = TaperingDialog(PlannedMedication("Oxycodon", "10 mg x 2", 20, tapering=tapering), catalogue)
    qtbot.addWidget(dialog)
    return dialog


def test_fields_make_the_schedule_with_morphine_equivalents(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = dialog_for(qtbot, catalogue)
    assert dialog.start_dose.text() == "20", "the start dose is the drug's daily dose"
    dialog.step.setText("25")
    dialog.interval.setText("14")
    dialog.starts_on.setText("04.01.2027")
    assert dialog.make_schedule()
    doses = [dialog.table.text(row, 1) for row in range(dialog.table.rowCount())]
    assert doses == ["20", "15", "10", "5", "0"]
    assert dialog.table.text(0, 0) == "04.01.2027" and dialog.table.text(1, 0) == "18.01.2027"
    assert dialog.table.text(0, 2) == "30", "oxycodone 20 mg is 30 MME (factor 1.5)"
    dialog.accept_if_safe()
    assert dialog.result() and dialog.tapering is not None and dialog.tapering.steps == ()


def test_an_edited_row_is_kept_as_the_plan(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = dialog_for(qtbot, catalogue)
    dialog.step.setText("25")
    dialog.interval.setText("14")
    dialog.starts_on.setText("04.01.2027")
    dialog.make_schedule()
    dialog.table.cell(2, 1).setText("15")  # hold 15 mg for another fortnight
    assert dialog.table.text(2, 2) == "22,5"
    dialog.accept_if_safe()
    plan = dialog.tapering
    assert plan is not None and [s.daily_dose for s in plan.schedule()] == [20, 15, 15, 5, 0]


def test_a_rising_dose_is_refused_and_the_dialog_stays(qtbot: QtBot, catalogue: Catalogue) -> None:
    start = date(2027, 1, 4)
    dialog = dialog_for(qtbot, catalogue, TaperingPlan(20, 25, 14, start))
    assert dialog.table.rowCount() == 5, "an existing plan shows its schedule"
    dialog.table.cell(3, 1).setText("12")
    dialog.accept_if_safe()
    assert not dialog.result()
    assert "række 4" in dialog.problem.text() and "stige" in dialog.problem.text()
    assert dialog.tapering == TaperingPlan(20, 25, 14, start), "the stored plan is untouched"


def test_impossible_fields_are_explained(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = dialog_for(qtbot, catalogue)
    dialog.floor.setText("30")
    dialog.starts_on.setText(f"{date.today() + timedelta(days=3):%d.%m.%Y}")
    assert not dialog.make_schedule()
    assert "laveste dosis" in dialog.problem.text()
    dialog.starts_on.setText("31.02.2027")
    assert not dialog.make_schedule() and "31.02.2027" in dialog.problem.text()


def test_remove_clears_the_plan(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = dialog_for(qtbot, catalogue, TaperingPlan(20, 25, 14, date(2027, 1, 4)))
    dialog.remove()
    assert dialog.result() and dialog.tapering is None


def test_fields_changed_after_making_the_schedule_are_not_saved_with_stale_rows(
    qtbot: QtBot, catalogue: Catalogue
) -> None:
    dialog = dialog_for(qtbot, catalogue)
    dialog.starts_on.setText("04.01.2027")
    dialog.make_schedule()
    dialog.start_dose.setText("15")
    dialog.accept_if_safe()
    assert not dialog.result() and "Lav skema" in dialog.problem.text()
    dialog.make_schedule()
    dialog.accept_if_safe()
    assert dialog.result() and dialog.tapering is not None and dialog.tapering.schedule()[0].daily_dose == 15


def test_a_taper_cannot_start_above_the_current_dose(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = dialog_for(qtbot, catalogue)  # the patient takes 20 mg a day
    dialog.start_dose.setText("200")
    dialog.starts_on.setText("04.01.2027")
    dialog.make_schedule()
    dialog.accept_if_safe()
    assert not dialog.result() and "over den nuværende døgndosis" in dialog.problem.text()


def test_a_row_that_is_not_a_number_is_refused(qtbot: QtBot, catalogue: Catalogue) -> None:
    dialog = dialog_for(qtbot, catalogue)
    dialog.starts_on.setText("04.01.2027")
    dialog.make_schedule()
    dialog.table.cell(1, 1).setText("nan")
    dialog.accept_if_safe()
    assert not dialog.result() and "nan" in dialog.problem.text()
