"""Finding and creating patients: search as you type, live CPR validation, the banner on every screen."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from smerteagent.core.patients import Patient, PatientInput
from smerteagent.storage.services import Services
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.patient_dialog import PatientDialog
from smerteagent.ui.patient_list import DEBOUNCE_MS, PatientListModel
from tests.ui.helpers import StartMainWindow


@pytest.fixture
def window(main_window: MainWindow) -> Iterator[MainWindow]:
    yield main_window


def test_patient_list_model_passes_the_model_tester(qtmodeltester: object, services: Services) -> None:
    for index in range(60):
        services.patients.add(PatientInput("Anne", f"Hansen{index}", no_cpr=True))
    model = PatientListModel(services.patients.search, services.patients.recent, lambda: False)
    model.load("")
    root = model.index(-1, -1).parent()
    assert model.rowCount() == 50 and model.canFetchMore(root)
    model.fetchMore(root)
    assert model.rowCount() == 60 and not model.canFetchMore(root)
    model.load("hansen1")
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.load("")
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_find_patient_by_typing(qtbot: QtBot, window: MainWindow, services: Services, patient: Patient) -> None:
    services.patients.add(PatientInput("Anne", "Hansen", cpr="010203-4005"))
    page = window.list_page
    assert page is not None
    window.show_list()
    QTest.keyClicks(page.search, "ærø")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=DEBOUNCE_MS * 10)
    assert page.model.patient(0).id == patient.id
    QTest.keyClick(page.search, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.patient_page
    assert window.patient_page is not None
    banner = window.patient_page.banner.label.text()
    assert "Søren Ærø" in banner and "070761-4285" in banner and "Mand" in banner


def test_new_patient_with_invalid_then_valid_cpr(qtbot: QtBot, services: Services) -> None:
    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    QTest.keyClicks(dialog.given, "Åse")
    QTest.keyClicks(dialog.family, "Bæk")
    QTest.keyClicks(dialog.cpr, "310261-4285")
    assert not save.isEnabled() and "dato" in dialog.cpr_status.text().lower()
    dialog.cpr.clear()
    QTest.keyClicks(dialog.cpr, "070761-4284")
    assert save.isEnabled() and "07.07.1961" in dialog.cpr_status.text()
    created, warnings = services.patients.add(dialog.details())
    assert (created.given_name, created.family_name, created.sex) == ("Åse", "Bæk", "female")
    assert warnings  # 0707614284 fails modulus 11: saved, with a warning shown
    assert "modulus" in dialog.cpr_status.text()


def test_patient_without_cpr_needs_the_tick(qtbot: QtBot) -> None:
    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    QTest.keyClicks(dialog.family, "Doe")
    assert not save.isEnabled()
    dialog.no_cpr.setChecked(True)
    assert save.isEnabled() and not dialog.cpr.isEnabled() and dialog.birth_date.isEnabled()
    details = dialog.details()
    assert details.no_cpr and details.cpr is None and details.birth_date is None, "unknown, not 1900 or 1970"
    dialog.birth_date.setDate(QDate(1980, 2, 29))
    assert dialog.details().birth_date == date(1980, 2, 29)


def test_editing_keeps_an_unknown_birth_date_and_a_cpr_derived_sex(qtbot: QtBot) -> None:
    unknown = Patient(1, None, "Jane", "Doe", None, None, datetime(2026, 1, 1), no_cpr=True)
    dialog = PatientDialog(None, unknown)
    qtbot.addWidget(dialog)
    assert dialog.details().birth_date is None
    from_cpr = Patient(2, "0707614285", "Søren", "Ærø", date(1961, 7, 7), "male", datetime(2026, 1, 1))
    dialog = PatientDialog(None, from_cpr)
    qtbot.addWidget(dialog)
    assert dialog.details().sex is None, "the sex follows the CPR, so a corrected CPR corrects it"


def test_duplicate_cpr_shows_a_dialog_not_a_traceback(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda _p, title, text: shown.append(text))
    accepted = iter([PatientDialog.DialogCode.Accepted, PatientDialog.DialogCode.Rejected])
    monkeypatch.setattr(PatientDialog, "exec", lambda self: next(accepted))
    monkeypatch.setattr(PatientDialog, "details", lambda self: PatientInput("Anden", "Person", cpr="0707614285"))
    window.new_patient()
    assert shown and "Søren Ærø" in shown[0]
    assert services.patients.count() == 1


def test_empty_database_greets_the_user(
    start_main_window: StartMainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    greeted: list[bool] = []
    monkeypatch.setattr(MainWindow, "greet", lambda self: greeted.append(True))
    monkeypatch.setattr(MainWindow, "show_list", lambda self: None)
    start_main_window(services, show=False)
    assert greeted == [True]


def test_damaged_database_can_be_restored_from_a_backup_in_the_app(
    qtbot: QtBot, tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

    from smerteagent.storage import backup
    from smerteagent.ui.app import offer_restore

    database = tmp_path / "clinic.sqlite"
    shutil.copy(template, database)
    good = backup.backup(database, "manual")
    database.write_bytes(b"damaged")
    monkeypatch.setattr(QMessageBox, "exec", lambda self: self.buttons()[0].click() or 0)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(good), ""))
    parent = QWidget()
    qtbot.addWidget(parent)
    assert offer_restore(parent, database, "damaged")
    assert backup.check_file(database) == []
    assert any(p.name.startswith("clinic.sqlite.damaged-") for p in tmp_path.iterdir())


def test_saving_settings_keeps_the_open_patient(
    window: MainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    from smerteagent.ui.settings_dialog import SettingsDialog

    other, _ = services.patients.add(PatientInput("Anne", "Hansen", cpr="010203-4005"))
    window.show_list()
    window.open_patient(patient.id)
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: SettingsDialog.DialogCode.Accepted)
    window.open_settings()
    assert window.stack.currentWidget() is window.patient_page
    assert window.patient is not None and window.patient.id == patient.id != other.id
