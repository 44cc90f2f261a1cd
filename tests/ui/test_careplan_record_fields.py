"""The supervision fields in the care-plan editor (issue 16): indication and effect evaluation per drug,
informed consent in detail, the medication review date, received letters — typed, saved, shown again."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from smerteagent.core.patients import Patient
from smerteagent.storage.services import Services
from smerteagent.ui.careplan import CarePlanEditor
from smerteagent.ui.careplan.letters_tab import ACTION, ASSESSED_BY, ASSESSED_ON, KIND, RECEIVED, SENDER
from smerteagent.ui.careplan.medication_tab import DAILY, DRUG, EVALUATED, INDICATION, RESULT


def test_record_fields_are_saved_and_shown_again(qtbot: QtBot, services: Services, patient: Patient) -> None:
    editor = CarePlanEditor(services, patient)
    qtbot.addWidget(editor)
    table = editor.medication_tab.table
    row = table.add_row()
    for column, text in ((DRUG, "Oxycodon"), (DAILY, "20"), (INDICATION, "Rygsmerter"), (EVALUATED, "01.06.2026"),
                         (RESULT, "God effekt")):  # fmt: skip
        table.cell(row, column).setText(text)
    tab = editor.follow_up_tab
    tab.consent_on.setText("05.01.2026")
    tab.consent_covers.setText("Opioidbehandling")
    tab.consent_by.setText("Læge Holm")
    for key in ("dependence", "driving", "overdose_naloxone"):
        tab.risks[key].setChecked(True)
    tab.reviewed_on.setText("01.06.2026")
    letters = editor.letters_table
    row = letters.add_row()
    for column, text in ((RECEIVED, "02.02.2026"), (SENDER, "Ortopædkirurgisk afd."), (ASSESSED_BY, "Holm"),
                         (ASSESSED_ON, "03.02.2026"), (ACTION, "Medicinliste opdateret")):  # fmt: skip
        letters.cell(row, column).setText(text)
    kind = letters.cellWidget(row, KIND)
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData("letter"))
    assert editor.save() is not None
    stored = services.careplans.current(patient.id)
    assert stored is not None
    drug = stored.medications[0]
    assert (drug.indication, drug.evaluated_on, drug.evaluation_result) == (
        "Rygsmerter",
        date(2026, 6, 1),
        "God effekt",
    )
    assert stored.consent is not None and stored.consent.risks == ("dependence", "driving", "overdose_naloxone")
    assert (stored.consent.given_on, stored.consent.by) == (date(2026, 1, 5), "Læge Holm")
    assert stored.medication_reviewed_on == date(2026, 6, 1)
    assert [(x.kind, x.assessed_on) for x in stored.letters] == [("letter", date(2026, 2, 3))]
    again = CarePlanEditor(services, patient)
    qtbot.addWidget(again)
    shown, typed = again.plan(), editor.plan()
    assert (shown.medications, shown.consent, shown.letters) == (typed.medications, typed.consent, typed.letters)
    assert shown.medication_reviewed_on == typed.medication_reviewed_on and shown.consent_given


@pytest.mark.parametrize("where", ["consent", "letter"])
def test_details_without_their_date_stop_the_save(qtbot: QtBot, services: Services, patient: Patient,
                                                  monkeypatch: pytest.MonkeyPatch, where: str) -> None:  # fmt: skip
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    editor = CarePlanEditor(services, patient)
    qtbot.addWidget(editor)
    if where == "consent":
        editor.follow_up_tab.consent_covers.setText("Opioidbehandling")
    else:
        editor.letters_table.cell(editor.letters_table.add_row(), SENDER).setText("Afd. X")
    assert editor.save() is None and shown
    assert services.careplans.current(patient.id) is None
