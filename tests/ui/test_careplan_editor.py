"""The care-plan editor: prefilled from screening and the previous plan, saved in versions, a live
completeness checklist, the journal note on the clipboard, and a printed (frozen) PDF."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from smerteagent.core.patients import Patient
from smerteagent.i18n import _
from smerteagent.reports import patient_plan_pdf
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from smerteagent.ui.main_window import MainWindow
from tests.ui.helpers import StartMainWindow, alt_letters

STARTBACK_MEDIUM = [1, 0, 1, 0, 1, 1, 0, 0, 3]


def complete(services: Services, patient: Patient, form_id: str, answers: list[int]) -> None:
    encounter = services.screenings.start_encounter(patient.id, "gp")
    response = services.screenings.start_response(encounter.id, form_id)
    for number, value in enumerate(answers, start=1):
        services.screenings.answer(response.id, f"q{number}", value)
    services.screenings.complete(response.id, None)


@pytest.fixture
def editor(qtbot: QtBot, services: Services, patient: Patient) -> Iterator[CarePlanEditor]:
    complete(services, patient, "startback", STARTBACK_MEDIUM)
    dialog = CarePlanEditor(services, patient)
    # The test is over: close without the unsaved-changes question.
    qtbot.addWidget(dialog, before_close_func=lambda _: setattr(dialog, "shown_at_save", dialog.plan(strict=False)))
    dialog.show()
    yield dialog


def fill_value_goal_action(editor: CarePlanEditor) -> None:
    importance, now, chosen = editor.values_tab.rows["family"]
    importance.setValue(9)
    now.setValue(4)
    chosen.setChecked(True)
    row = editor.goal_table.add_row()
    for column, text in ((1, "Lege med børnebørnene"), (2, "Minutter"), (3, "5"), (4, "30"), (5, "01.03.2027")):
        editor.goal_table.cell(row, column).setText(text)
    row = editor.action_table.add_row()
    editor.action_table.cell(row, 0).setText("Gåtur hver dag")
    who = editor.action_table.cellWidget(row, 1)
    assert isinstance(who, QComboBox)
    who.setCurrentIndex(who.findData("physiotherapist"))


def missing_lines(editor: CarePlanEditor) -> list[str]:
    lines = [editor.checklist.item(i).text() for i in range(editor.checklist.count())]
    return [line[2:] for line in lines if line.startswith("✗")]


def test_banner_shows_the_patient(editor: CarePlanEditor) -> None:
    assert editor.banner.isVisible()
    assert "Søren Ærø" in editor.banner.label.text() and "070761" in editor.banner.label.text()


def test_new_plan_has_the_startback_matched_treatment_checked(editor: CarePlanEditor) -> None:
    assert len(editor.treatment_tab.treatments()) == 1
    first = editor.treatment_tab.suggestions.item(0)
    assert first.checkState() == Qt.CheckState.Checked and first.text() == editor.treatment_tab.treatments()[0]
    assert editor.follow_up_tab.safety_box.isHidden(), "no suicide-risk flag, no safety plan"


def test_save_stores_value_goal_and_action(editor: CarePlanEditor, services: Services, patient: Patient) -> None:
    fill_value_goal_action(editor)
    first = editor.save()
    assert first is not None and first.revision > 0
    stored = services.careplans.current(patient.id)
    assert stored is not None
    assert stored.chosen_domains == ["family"]
    assert [(v.importance, v.current) for v in stored.values if v.domain == "family"] == [(9, 4)]
    goal = stored.goals[0]
    assert (goal.value_domain, goal.description, goal.baseline, goal.target) == (
        "family",
        "Lege med børnebørnene",
        5,
        30,
    )
    assert goal.target_date is not None and goal.target_date.isoformat() == "2027-03-01"
    assert [(a.what, a.who) for a in stored.actions] == [("Gåtur hver dag", "physiotherapist")]
    assert stored.treatments == tuple(editor.treatment_tab.treatments())
    editor.follow_up_tab.consent.setChecked(True)
    assert editor.save() is not None, "the second save carries the revision of the first"
    assert services.careplans.current(patient.id).consent_given  # type: ignore[union-attr]
    reopened = CarePlanEditor(services, patient)
    assert reopened.values_tab.rows["family"][2].isChecked()
    assert reopened.goal_table.text(0, 1) == "Lege med børnebørnene"
    reopened.deleteLater()


def test_checklist_follows_the_form(editor: CarePlanEditor) -> None:
    consent = "Informeret samtykke registreret"
    assert consent in missing_lines(editor)
    editor.follow_up_tab.consent.setChecked(True)
    assert consent not in missing_lines(editor)
    follow_up = "Opfølgningsdato fastsat"
    assert follow_up in missing_lines(editor)
    editor.follow_up_tab.follow_up_on.setText("15.01.2027")
    assert follow_up not in missing_lines(editor)


def test_medication_shows_morphine_equivalent(editor: CarePlanEditor) -> None:
    row = editor.medication_tab.table.add_row()
    editor.medication_tab.table.cell(row, 0).setText("Oxycodon")
    editor.medication_tab.table.cell(row, 2).setText("20")
    assert "30" in editor.medication_tab.info.text()


def test_copy_journal_note(editor: CarePlanEditor) -> None:
    fill_value_goal_action(editor)
    note = editor.copy_journal_note()
    assert QApplication.clipboard().text() == note
    assert "Søren Ærø" in note and "Lege med børnebørnene" in note
    last = editor.services.audit.events()[-1]
    assert (last.action, last.record_type, last.record_id, last.detail) == (
        "export", "patient", str(editor.patient.id), {"document": "journal_note"},
    )  # fmt: skip


def test_open_pdf_shows_the_plan_in_the_apps_viewer_and_freezes_the_version(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    fill_value_goal_action(editor)
    viewer = editor.open_pdf()
    assert viewer is not None and viewer.pdf.startswith(b"%PDF") and len(viewer.pages) >= 1
    assert opened == [], "no file is handed to the system's viewer"
    assert viewer.file_name.startswith("Behandlingsplan Søren Ærø") and "4285" not in viewer.file_name
    saved = viewer.save_to(tmp_path / viewer.file_name)
    assert saved is not None and saved.read_bytes() == viewer.pdf
    assert (services.audit.events()[-1].action, services.audit.events()[-1].detail["document"]) == (
        "export", "patient_plan"
    )  # fmt: skip
    viewer.close()
    versions = services.careplans.versions(patient.id)
    assert [v.status for v in versions] == ["frozen"]
    editor.follow_up_tab.consent.setChecked(True)
    assert editor.save() is not None
    assert [v.status for v in services.careplans.versions(patient.id)] == ["frozen", "draft"]


def answer_print_dialog(monkeypatch: pytest.MonkeyPatch, out: Path | None) -> None:
    """The print dialog 'chooses' a printer that writes a PDF file (None: the user cancels)."""

    def exec_dialog(dialog: QPrintDialog) -> int:
        if out is None:
            return QDialog.DialogCode.Rejected.value
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", exec_dialog)


def test_print_sends_every_page_to_the_printer_and_freezes(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "printer.pdf"
    answer_print_dialog(monkeypatch, out)
    fill_value_goal_action(editor)
    assert editor.print_plan() is True
    plan = services.careplans.current(patient.id)
    assert plan is not None and plan.frozen
    expected = PdfReader(io.BytesIO(patient_plan_pdf(plan, patient, editor.inputs, "da"))).pages
    printed = PdfReader(out).pages
    assert len(printed) == len(expected) >= 1
    assert printed[0].mediabox.width == pytest.approx(595, abs=2)  # A4 portrait, in points


def test_cancelled_print_freezes_nothing(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_print_dialog(monkeypatch, None)
    fill_value_goal_action(editor)
    assert editor.print_plan() is False
    assert [v.status for v in services.careplans.versions(patient.id)] == ["draft"]


def test_goal_attainment_is_rated_and_kept(editor: CarePlanEditor, services: Services, patient: Patient) -> None:
    fill_value_goal_action(editor)
    rating = editor.goal_table.combo(0, 6)
    rating.setCurrentIndex(rating.findData("1"))
    assert editor.save() is not None
    stored = services.careplans.current(patient.id)
    assert stored is not None and stored.goals[0].attainment == 1
    assert "somewhat more than expected" not in editor.copy_journal_note()  # Danish UI
    assert "lidt bedre end forventet" in (editor.copy_journal_note() or "")


def test_a_re_evaluation_date_answers_the_long_term_warning(editor: CarePlanEditor) -> None:
    table = editor.medication_tab.table
    row = table.add_row()
    for column, text in ((0, "Oxycodon"), (2, "20"), (3, "01.01.2026")):
        table.cell(row, column).setText(text)
    assert any("uden udtrapningsplan" in text for text in editor.medication_tab.warning_texts())
    table.cell(row, 4).setText("01.02.2027")
    assert not any("uden udtrapningsplan" in text for text in editor.medication_tab.warning_texts())


def test_a_tapering_plan_made_in_the_dialog_is_saved_with_the_drug(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smerteagent.ui.careplan.tapering_dialog import TaperingDialog

    table = editor.medication_tab.table
    row = table.add_row()
    for column, text in ((0, "Oxycodon"), (2, "20"), (3, "01.01.2026")):
        table.cell(row, column).setText(text)

    def choose(dialog: TaperingDialog) -> int:
        dialog.step.setText("50")
        dialog.starts_on.setText("04.01.2027")
        dialog.accept_if_safe()
        return dialog.result()

    monkeypatch.setattr(TaperingDialog, "exec", choose)
    assert editor.medication_tab.edit_tapering(row)
    assert "20 → 0" in table.text(row, 5)
    assert not any("uden udtrapningsplan" in text for text in editor.medication_tab.warning_texts())
    assert editor.save() is not None
    stored = services.careplans.current(patient.id)
    assert stored is not None and stored.medications[0].tapering is not None
    assert [s.daily_dose for s in stored.medications[0].tapering.schedule()] == [20, 10, 0]


def test_journal_note_tells_the_suicide_risk_action_taken(qtbot: QtBot, services: Services, patient: Patient) -> None:
    complete(services, patient, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    alert = services.screenings.open_alerts(patient.id)[0]
    services.screenings.record_safety_action(alert.response_id, alert.flag, "safety_plan_made", "med datteren")
    dialog = CarePlanEditor(services, patient)
    qtbot.addWidget(dialog)
    note = dialog.copy_journal_note()
    assert note is not None and "Sikkerhedsplan lavet sammen med patienten (med datteren)" in note
    assert "PHQ-9" in note and "suicide_risk" not in note


def test_only_the_chosen_pages_are_printed(editor: CarePlanEditor, patient: Patient, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from smerteagent.ui.careplan.printing import paint_pdf

    fill_value_goal_action(editor)
    plan = editor.save()
    assert plan is not None
    pdf = patient_plan_pdf(plan, patient, editor.inputs, "da")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "one.pdf"))
    printer.setFromTo(1, 1)
    assert paint_pdf(pdf, printer) == 1
    assert len(PdfReader(tmp_path / "one.pdf").pages) == 1
    printer.setFromTo(9, 9)
    assert paint_pdf(pdf, printer) == 0, "a range past the end prints nothing (and is not called printed)"


def test_safety_plan_shown_after_a_suicide_risk_flag(qtbot: QtBot, services: Services, patient: Patient) -> None:
    complete(services, patient, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    dialog = CarePlanEditor(services, patient)
    qtbot.addWidget(dialog)
    assert not dialog.follow_up_tab.safety_box.isHidden()
    dialog.follow_up_tab.safety["warning_signs"].setText("Isolerer mig; sover ikke")
    assert dialog.plan().safety_plan is not None
    assert dialog.plan().safety_plan.warning_signs == ("Isolerer mig", "sover ikke")  # type: ignore[union-attr]


def test_patient_page_opens_the_editor(qtbot: QtBot, main_window: MainWindow, patient: Patient) -> None:
    window = main_window
    window.open_patient(patient.id)
    assert window.patient_page is not None
    window.patient_page.care_plan_requested.emit()
    editor = window.care_plan_editor
    assert editor is not None and editor.isVisible() and editor.patient.id == patient.id
    editor.reject()


def test_an_unreadable_date_stops_the_save_and_says_so(
    qtbot: QtBot, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    editor = CarePlanEditor(services, patient)
    qtbot.addWidget(editor)
    editor.follow_up_tab.follow_up_on.setText("31.02.2027")
    editor.update_live()  # the live checklist tolerates it while typing
    assert editor.save() is None
    assert shown and "31.02.2027" in shown[0]
    assert services.careplans.current(patient.id) is None


def test_clinician_summary_opens_without_freezing(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    fill_value_goal_action(editor)
    viewer = editor.open_summary()
    assert viewer is not None
    reader = PdfReader(io.BytesIO(viewer.pdf))
    assert len(reader.pages) == 1 and patient.family_name in reader.pages[0].extract_text()
    assert [v.status for v in services.careplans.versions(patient.id)] == ["draft"]
    last = services.audit.events()[-1]
    assert (last.action, last.detail) == (
        "view",  # read on screen, as the plan read there (issue 18: one audit action per act in both faces)
        {"number": 1, "patient": patient.id, "document": "clinician_summary"},
    )


def test_journal_note_tells_an_unhandled_suicide_flag(qtbot: QtBot, services: Services, patient: Patient) -> None:
    complete(services, patient, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    dialog = CarePlanEditor(services, patient)
    qtbot.addWidget(dialog)
    note = dialog.copy_journal_note()
    assert note is not None and "SELVMORDSRISIKO: markeringer UDEN registreret handling: 1" in note


def test_a_goal_whose_value_is_unchosen_is_not_moved_to_another_value(
    editor: CarePlanEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    fill_value_goal_action(editor)
    editor.values_tab.rows["leisure"][2].setChecked(True)
    editor.values_tab.rows["family"][2].setChecked(False)
    assert editor.goal_table.text(0, 0) == "family", "the goal still serves family"
    assert "(ikke valgt)" in editor.goal_table.combo(0, 0).currentText()
    assert editor.save() is None and "Lege med børnebørnene" in shown[0]


def test_a_row_without_its_main_text_stops_the_save(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    row = editor.medication_tab.table.add_row()
    editor.medication_tab.table.cell(row, 2).setText("20")
    assert editor.save() is None and "1" in shown[0]
    assert services.careplans.current(patient.id) is None


def test_reading_the_summary_after_printing_makes_no_new_version(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_value_goal_action(editor)
    assert editor.open_pdf() is not None
    assert editor.open_summary() is not None
    assert [v.status for v in services.careplans.versions(patient.id)] == ["frozen"]


def test_add_row_starts_typing_and_remove_is_not_on_the_tab_path(editor: CarePlanEditor) -> None:
    from PySide6.QtWidgets import QPushButton

    editor.tabs.setCurrentWidget(editor.medication_tab)
    [add] = [b for b in editor.medication_tab.findChildren(QPushButton) if b.text() == "Tilføj række"]
    [remove] = [b for b in editor.medication_tab.findChildren(QPushButton) if b.text() == "Fjern række"]
    add.click()
    table = editor.medication_tab.table
    assert table.state() == table.State.EditingState and table.currentColumn() == 0
    assert remove.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_the_patient_page_ticks_the_drug_classes_on_the_plan(
    start_main_window: StartMainWindow, services: Services, patient: Patient
) -> None:
    from smerteagent.core.careplan.plan import CarePlan, PlannedMedication

    drugs = (PlannedMedication("OxyContin", "10 mg x 2", 20), PlannedMedication("Paracetamol", "1 g x 3", 3000))
    services.careplans.save(CarePlan(patient.id, medications=drugs))
    window = start_main_window(services, show=False)
    window.open_patient(patient.id)
    page = window.patient_page
    assert page is not None
    assert page.context_boxes["on_opioids"].isChecked()
    assert not page.context_boxes["on_benzodiazepines"].isChecked()


def answer_unsaved_question(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(*arguments: object) -> QMessageBox.StandardButton:
        asked.append(str(arguments[2]))
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.mark.parametrize("how", ["escape", "close_button", "window_close"])
def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_plan_open(
    editor: CarePlanEditor, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:  # fmt: skip
    asked = answer_unsaved_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    fill_value_goal_action(editor)
    if how == "escape":
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    elif how == "close_button":
        next(b for b in editor.findChildren(QPushButton) if b.text() == _("&Close")).click()
    else:
        editor.close()
    assert len(asked) == 1 and editor.isVisible()
    assert editor.goal_table.text(0, 1) == "Lege med børnebørnene"


def test_save_on_close_stores_the_plan(
    editor: CarePlanEditor, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    answer_unsaved_question(monkeypatch, QMessageBox.StandardButton.Save)
    fill_value_goal_action(editor)
    editor.reject()
    assert not editor.isVisible()
    stored = services.careplans.current(patient.id)
    assert stored is not None and stored.goals[0].description == "Lege med børnebørnene"


def test_no_question_without_changes_or_after_saving(editor: CarePlanEditor, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = answer_unsaved_question(monkeypatch, QMessageBox.StandardButton.Cancel)
    fill_value_goal_action(editor)
    assert editor.save() is not None
    editor.reject()
    assert asked == [] and not editor.isVisible()


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_alt_letter_is_unique(qtbot: QtBot, services: Services, patient: Patient, language: str) -> None:
    from smerteagent import i18n

    previous = i18n.language()
    i18n.set_language(language)
    try:
        dialog = CarePlanEditor(services, patient)
        qtbot.addWidget(dialog)
        letters = [letter for letter, _text in alt_letters(dialog)]
        assert len(letters) == len(set(letters)), alt_letters(dialog)
    finally:
        i18n.set_language(previous)


def test_buttons_keep_their_alt_letter_beside_their_ctrl_shortcut(editor: CarePlanEditor) -> None:
    """setShortcut(Ctrl+S) used to replace the button's Alt letter (Alt+G then typed "g" into a cell)."""
    from PySide6.QtGui import QKeySequence, QShortcut

    for button in editor.findChildren(QPushButton):
        if "&" in button.text():
            assert button.shortcut() == QKeySequence.mnemonic(button.text()), button.text()
    fill_value_goal_action(editor)
    [save] = [s for s in editor.findChildren(QShortcut) if s.key() == QKeySequence("Ctrl+S")]
    save.activated.emit()
    assert editor.current is not None and not editor.has_unsaved_changes()


def test_closing_the_plan_keeps_a_drug_tick_the_clinician_set(main_window: MainWindow, patient: Patient) -> None:
    window = main_window
    window.open_patient(patient.id)
    page = window.patient_page
    assert page is not None
    page.context_boxes["on_opioids"].setChecked(True)  # e.g. a drug the plan does not name
    page.care_plan_requested.emit()
    editor = window.care_plan_editor
    assert editor is not None
    editor.reject()
    assert page.context_boxes["on_opioids"].isChecked()


def test_journal_note_tells_one_action_for_two_flags_once(qtbot: QtBot, services: Services, patient: Patient) -> None:
    complete(services, patient, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    complete(services, patient, "asq", [1, 0, 0, 0, 0])
    alerts = services.screenings.open_alerts(patient.id)
    assert len(alerts) == 2
    services.screenings.record_safety_actions([(a.response_id, a.flag) for a in alerts], "safety_plan_made", "datter")
    dialog = CarePlanEditor(services, patient)
    qtbot.addWidget(dialog)
    note = dialog.copy_journal_note()
    assert note is not None and note.count("Sikkerhedsplan lavet sammen med patienten (datter)") == 1
    line = next(line for line in note.splitlines() if "datter" in line)
    assert "PHQ-9" in line and "ASQ" in line


def test_the_editor_fits_a_1366_by_768_laptop_screen(editor: CarePlanEditor) -> None:
    """With room left for the window frame and a task bar."""
    needed = editor.minimumSizeHint()
    assert needed.width() <= 1280 and needed.height() <= 700, needed


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_as_writes_owner_only_and_audits_only_a_written_copy(
    editor: CarePlanEditor, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    os.umask(0o022)
    fill_value_goal_action(editor)
    viewer = editor.open_pdf()
    assert viewer is not None
    exports = lambda: [e for e in services.audit.events() if e.action == "export"]  # noqa: E731
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning",
                        lambda parent, title, text: shown.append((title, text)))  # fmt: skip
    folder = tmp_path / "udskrifter"
    folder.mkdir()
    missing = folder / "ingen-mappe" / "plan.pdf"
    assert viewer.save_to(missing) is None
    assert exports() == [], "a copy that could not be written is not audited as exported"
    assert shown and shown[0][0] == "Ikke gemt" and str(missing) in shown[0][1]
    saved = viewer.save_to(folder / "plan.pdf")
    assert saved is not None and saved.read_bytes() == viewer.pdf
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert len(exports()) == 1 and sorted(p.name for p in folder.iterdir()) == ["plan.pdf"]
    viewer.close()
