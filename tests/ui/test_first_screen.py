"""The first screen (the patient list and its search) works on the standard-library reader before the ORM
services have loaded; the services then take over, and everything of a patient still waits for a login."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtTest import QTest

from smerteagent.core.patients import Patient, PatientInput
from smerteagent.storage.services import Services
from smerteagent.ui.login import LOGIN
from smerteagent.usecases.list_reader import open_list_reader
from tests.ui.conftest import ADMIN_PASSWORD
from tests.ui.helpers import StartMainWindow


def test_starting_the_app_makes_the_list_searchable_without_the_orm(template: Path, tmp_path: Path) -> None:
    """A behavioural check, no timing: when the app says storage is ready for the first screen, neither
    SQLAlchemy (its ORM) nor our table mapping nor pydantic has been imported; the services follow."""
    database = tmp_path / "clinic.sqlite"
    shutil.copy(template, database)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", "--db", str(database), "--exit-after-startup"],
        capture_output=True, text=True, env=environment, timeout=120, check=True,
    )  # fmt: skip
    timings = json.loads(started.stdout.strip().splitlines()[-1])
    assert timings["heavy_at_storage_ready"] == []
    assert timings["first_paint_ms"] <= timings["storage_ms"] <= timings["services_ms"]


def test_the_reader_serves_the_list_until_the_services_take_over(
    start_main_window: StartMainWindow, services: Services, patient: Patient
) -> None:
    url = services.database.url
    reader = open_list_reader(url)
    assert reader is not None
    main = start_main_window(show=False)
    filled: list[bool] = []
    main.list_did_fill.connect(lambda: filled.append(True))
    main.show_reader(reader)
    assert filled == [True] and main.list_page is not None and main.list_reader is reader
    page = main.list_page
    QTest.keyClicks(page.search, "soeren")
    page.refresh()
    assert [page.model.patient(row).id for row in range(page.model.rowCount())] == [patient.id]
    services.patients.add(PatientInput("Søren", "Kjær", cpr="010203-4005"))
    page.refresh()  # the reader sees what was saved since (no snapshot held between searches)
    assert page.model.rowCount() == 2
    main.context.set_services(services)
    assert main.list_page is page and page.search.text() == "soeren" and main.list_reader is None
    assert page.model.rowCount() == 2


def test_nothing_of_a_patient_shows_before_login_on_the_reader(
    start_main_window: StartMainWindow, services: Services, patient: Patient
) -> None:
    """Choosing a patient on the reader's list opens them only through the services, after a login, and
    the opening is audited once, as before."""
    services.accounts.identity.account = None  # nobody logged in yet
    reader = open_list_reader(services.database.url)
    assert reader is not None
    main = start_main_window(show=True)
    main.show_reader(reader)
    assert main.stack.currentWidget() is main.login_page and main.login_page.mode == LOGIN
    assert main.list_page is not None
    main.list_page.patient_chosen.emit(patient.id)  # (hidden behind the login page)
    main.context.set_services(services)
    assert main.stack.currentWidget() is main.login_page and main.patient is None
    main.login_page.username.setText("mette")
    main.login_page.password.setText(ADMIN_PASSWORD)
    main.login_page.submit()
    assert main.account is not None and main.stack.currentWidget() is main.list_page
    main.open_patient(patient.id)
    assert main.patient is not None and main.patient.id == patient.id
    views = [e for e in services.audit.events() if e.action == "view" and e.record_id == str(patient.id)]
    assert len(views) == 1
