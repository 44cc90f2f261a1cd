"""Issue 12 in the app: drugs picked from the catalogue as you type, the daily dose and unit from the product,
the MME shown per row, warnings in colour at the top of the medication tab and on the patient page, each
acknowledged with a reason (audited; the warning stays), and the tapering dialog's CDC 2022 default pace.
Factors: CDC 2022 (morphine 1), Helsedirektoratet OMEQ (buprenorphine patch 2.22 per µg/h, ketobemidone 1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from smerteagent.core.careplan.medication import bundled_catalogue
from smerteagent.core.careplan.plan import CarePlan, PlannedMedication
from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from smerteagent.ui.careplan.medication_tab import DAILY, DOSE, DRUG, MME, UNIT, FoldingCompleter, drug_suggestions
from smerteagent.ui.careplan.tapering_dialog import TaperingDialog
from tests.ui.helpers import StartMainWindow, add_editor


@pytest.fixture
def editor(qtbot: QtBot, services: Services, patient: Patient) -> Iterator[CarePlanEditor]:
    dialog = CarePlanEditor(services, patient)
    add_editor(qtbot, dialog)
    dialog.show()
    yield dialog


def type_row(editor: CarePlanEditor, drug: str, dose: str = "", daily: str = "") -> int:
    table = editor.medication_tab.table
    row = table.add_row()
    for column, text in ((DRUG, drug), (DOSE, dose), (DAILY, daily)):
        if text:
            table.cell(row, column).setText(text)
    return row


def test_the_completer_offers_trade_names_with_strengths_folded(qtbot: QtBot) -> None:
    parent = QLineEdit()
    qtbot.addWidget(parent)
    completer = FoldingCompleter(drug_suggestions(bundled_catalogue()), parent)
    assert "Ketogan 5 mg" in completer.matches("keto")
    assert "Norspan 20 µg/h" in completer.matches("NORSP")
    assert "Contalgin 30 mg" in completer.matches("contalgin 3")
    assert completer.matches("Ææ") == [] and completer.matches("x") == []  # nothing, or too short to guess
    assert any(s.startswith("Oxapax") for s in completer.matches("oxap"))


@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")
def test_the_drug_column_edits_with_the_completer(editor: CarePlanEditor, qtbot: QtBot) -> None:
    table = editor.medication_tab.table
    row = table.add_row()
    table.setCurrentCell(row, DRUG)
    table.editItem(table.cell(row, DRUG))
    editor_widget = table.focusWidget()
    assert isinstance(editor_widget, QLineEdit)
    completer = editor_widget.property("completer")
    assert isinstance(completer, FoldingCompleter)
    qtbot.keyClicks(editor_widget, "ketog")  # the popup's offscreen-plugin notices are ignored above
    assert completer.model().rowCount() >= 1 and completer.model().index(0, 0).data() == "Ketogan 5 mg"


def test_dose_as_tablets_fills_the_daily_dose_unit_and_mme(editor: CarePlanEditor) -> None:
    row = type_row(editor, "Contalgin 30 mg", dose="1 tablet x 2")
    table = editor.medication_tab.table
    assert table.text(row, DAILY) == "60" and table.text(row, UNIT) == "mg pr. døgn" and table.text(row, MME) == "60"
    patch = type_row(editor, "Norspan 20 µg/h", dose="1 plaster")
    assert table.text(patch, DAILY) == "20" and table.text(patch, UNIT) == "µg/t" and table.text(patch, MME) == "44,4"
    typed = type_row(editor, "Morfin", dose="1 tablet x 2", daily="15")
    assert table.text(typed, DAILY) == "15", "a daily dose typed by the clinician is never replaced"


def test_unknown_drug_and_uncounted_opioid_are_shown_not_zero(editor: CarePlanEditor) -> None:
    unknown = type_row(editor, "Zyxomol", daily="5")
    fentanyl = type_row(editor, "Fentanyl", daily="0,2")
    table = editor.medication_tab.table
    assert table.text(unknown, MME) == "ukendt lægemiddel" and table.text(fentanyl, MME) == "ikke medregnet"
    texts = editor.medication_tab.warning_texts()
    assert any("Zyxomol: lægemidlet findes ikke" in t for t in texts)
    assert any("Fentanyl: opioid IKKE medregnet" in t for t in texts)
    assert "Fentanyl" in editor.medication_tab.info.text()


def test_warnings_in_colour_most_severe_first_and_acknowledged_with_a_reason(
    editor: CarePlanEditor, services: Services, patient: Patient
) -> None:
    type_row(editor, "Ketogan 60 mg", daily="60")
    type_row(editor, "Stesolid 10 mg", daily="10")
    panel = editor.medication_tab.warnings
    assert not panel.isHidden()
    kinds = [row.shown.warning.kind for row in panel.rows]
    assert kinds == ["opioid_with_benzodiazepine", "reassess_daily_mme"]
    critical = panel.row_for("opioid_with_benzodiazepine")
    assert "#a40000" in critical.styleSheet() and "Kritisk" in critical.text.text()
    assert critical.reason is not None and critical.button is not None
    critical.button.click()  # no reason: refused in place
    assert "begrundelse" in panel.problem.text().lower()
    critical.reason.setText("Stesolid udtrappes først, aftalt med patienten")
    critical.button.click()
    again = editor.medication_tab.warnings.row_for("opioid_with_benzodiazepine")
    assert again.shown.acknowledged is not None and again.reason is None  # still shown, with the acknowledgement
    assert services.medication_acks.for_patient(patient.id)[again.shown.warning.key].reason.startswith("Stesolid")
    assert any(e.detail.get("medication_warning_acknowledged") for e in services.audit.events())


def test_the_patient_page_shows_and_acknowledges_the_plans_warnings(
    start_main_window: StartMainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    drugs = (PlannedMedication("Ketogan 60 mg", None, 60), PlannedMedication("Stesolid 10 mg", None, 10))
    services.careplans.save(CarePlan(patient.id, medications=drugs))
    window = start_main_window(services, show=False)
    window.open_patient(patient.id)
    page = window.patient_page
    assert page is not None
    assert page.context_boxes["on_opioids"].isChecked(), "Ketogan is an opioid: the abuse instruments follow"
    assert page.context_boxes["on_benzodiazepines"].isChecked()
    panel = page.medication_warnings
    assert [r.shown.warning.kind for r in panel.rows] == ["opioid_with_benzodiazepine", "reassess_daily_mme"]
    row = panel.row_for("reassess_daily_mme")
    assert row.reason is not None and row.button is not None
    row.reason.setText("Smerteklinikken følger dosis")
    row.button.click()
    assert page.medication_warnings.row_for("reassess_daily_mme").shown.acknowledged is not None


def test_the_tapering_dialog_defaults_to_ten_percent_a_month_after_three_months(qtbot: QtBot) -> None:
    """CDC 2022: 10 % a month or slower for use beyond 3 months; 10 % a week remains a choice for shorter use."""
    today = date(2026, 12, 3)
    catalogue = bundled_catalogue()
    long_term = TaperingDialog(PlannedMedication("Contalgin 30 mg", None, 60, today - timedelta(days=91)), catalogue,
                               today=today)  # fmt: skip
    qtbot.addWidget(long_term)
    assert (long_term.step.text(), long_term.interval.text()) == ("10", "30")
    assert long_term.strength_values() == (5, 10, 15, 30, 60, 100, 200), "Contalgin strengths: doses makeable"
    unknown_start = TaperingDialog(PlannedMedication("Oxycodon", None, 20), catalogue, today=today)
    qtbot.addWidget(unknown_start)
    assert unknown_start.interval.text() == "30"
    short = TaperingDialog(PlannedMedication("Oxycodon", None, 20, today - timedelta(days=30)), catalogue, today=today)
    qtbot.addWidget(short)
    assert short.interval.text() == "7"
    short.pace.setCurrentIndex(short.pace.findData("monthly"))
    assert short.interval.text() == "30"
    patch = TaperingDialog(PlannedMedication("Norspan", None, 20), catalogue, today=today)
    qtbot.addWidget(patch)
    assert "µg" in patch.step_unit.itemText(1)


def test_an_acknowledged_warning_still_prints_with_its_reason(
    editor: CarePlanEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_row(editor, "Ketogan 60 mg", daily="60")
    type_row(editor, "Stesolid 10 mg", daily="10")
    row = editor.medication_tab.warnings.row_for("opioid_with_benzodiazepine")
    assert row.reason is not None and row.button is not None
    row.reason.setText("Aftalt udtrapning")
    row.button.click()
    note = editor.copy_journal_note() or ""
    assert "Opioid sammen med et benzodiazepin eller z-præparat: Ketogan 60 mg, Stesolid 10 mg (kvitteret af" in note
    assert "Aftalt udtrapning" in note
    viewer = editor.open_summary()  # in the app's own viewer
    assert viewer is not None
    import io

    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(viewer.pdf)).pages)
    viewer.close()
    assert "Stesolid 10 mg (kvitteret af" in text and "Aftalt udtrapning" in text


def test_a_stored_taper_the_new_rules_refuse_is_said_not_a_crash(
    editor: CarePlanEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan saved before issue 12 could round 75 mg to 10 mg steps; now 75 is not makeable from 10 mg."""
    from smerteagent.core.careplan.plan import TaperingPlan

    old_rounding = TaperingPlan(75, 10, 7, date(2027, 1, 4), round_to=10)
    editor.medication_tab.fill((PlannedMedication("Oxycodon", None, 75, tapering=old_rounding),))
    row = editor.medication_tab.table.rowCount() - 1
    assert editor.medication_tab.table.text(row, 5).startswith("⚠")
    said: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, _t, text: said.append(text))
    assert editor.save() is None  # saving names the problem instead of storing it
    assert said and "kan ikke sammensættes af styrkerne 10" in said[0]
    assert editor.open_summary() is None and len(said) == 2, "nothing printed from a plan that cannot be followed"
