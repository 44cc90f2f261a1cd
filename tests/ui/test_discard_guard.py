"""Closing never loses typing (issue 15): every editing dialog — a new patient, a suicide-risk note, a tapering
schedule, settings, the clinic's details, a new account — asks before Esc, Cancel or ✕ drops what was typed; an
untouched dialog just closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import PlannedMedication
from smerteagent.paths import bundled_resources_dir
from smerteagent.storage.services import Services
from smerteagent.ui.accounts_dialog import NewAccountDialog
from smerteagent.ui.careplan.tapering_dialog import TaperingDialog
from smerteagent.ui.clinic_dialog import ClinicDialog
from smerteagent.ui.context import AppContext
from smerteagent.ui.patient_dialog import PatientDialog
from smerteagent.ui.safety_banner import SafetyActionDialog
from smerteagent.ui.settings_dialog import SettingsDialog


def answer_with(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, title: str, *_args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_esc_on_a_typed_new_patient_asks_and_keeps_it_when_cancelled(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.given, "Åse")
    QTest.keyClicks(dialog.cpr, "070761-4285")
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible() and dialog.given.text() == "Åse"
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert asked and not dialog.isVisible()


def test_an_untouched_dialog_closes_without_a_question(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert not asked and not dialog.isVisible()


def test_a_typed_suicide_risk_note_is_not_dropped_without_asking(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = SafetyActionDialog(["Tanker om død eller selvskade"])
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.note, "Datter informeret, aftale i morgen")
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog.reject()
    assert asked and dialog.isVisible() and "Datter" in dialog.note.toPlainText()


def test_the_windows_close_button_asks_too(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.family, "Ærø")
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not dialog.close() and asked and dialog.isVisible(), "✕ keeps the typing when the user cancels"


def test_a_tapering_schedule_edited_by_hand_is_not_dropped_without_asking(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    dialog = TaperingDialog(PlannedMedication("Oxycodon", "10 mg x 2", 20), catalogue)
    qtbot.addWidget(dialog)
    dialog.show()
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert dialog.make_schedule()
    dialog.table.item(1, 1).setText("17,5")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible() and dialog.table.item(1, 1).text() == "17,5"
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert asked and not dialog.isVisible() and dialog.tapering is None, "discarded: nothing saved"


def test_an_untouched_tapering_dialog_closes_without_a_question(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = TaperingDialog(PlannedMedication("Oxycodon", "10 mg x 2", 20), catalogue)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert not asked and not dialog.isVisible()


def test_changed_settings_and_clinic_details_ask_before_esc_drops_them(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, services: Services
) -> None:
    context = AppContext()
    context.set_services(services)
    settings = SettingsDialog(context)
    qtbot.addWidget(settings)
    settings.show()
    settings.language.setCurrentIndex(settings.language.findData("en"))
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    QTest.keyClick(settings, Qt.Key.Key_Escape)
    assert asked and settings.isVisible()

    clinic = ClinicDialog(services)
    qtbot.addWidget(clinic)
    clinic.show()
    QTest.keyClicks(clinic.name, "Lægerne på Østergade")
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    QTest.keyClick(clinic, Qt.Key.Key_Escape)
    assert asked and clinic.isVisible() and clinic.name.text() == "Lægerne på Østergade"


def test_a_typed_new_account_asks_before_it_is_dropped(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = NewAccountDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.display_name, "Jens Østergård")
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog.reject()
    assert asked and dialog.isVisible()
