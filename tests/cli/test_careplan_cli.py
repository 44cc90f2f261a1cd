"""`smerteagent careplan export|note`: the plan as a PDF (exporting the patient's plan freezes it), the journal note."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from smerteagent.core.careplan.plan import Action, CarePlan, Goal, PlannedMedication, TaperingPlan, ValueRating
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import open_services


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "smerteagent.cli.main", *arguments], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "klinik.sqlite")
    services = open_services(path, FormLibrary.load([bundled_forms_dir()]), actor="test")
    patient, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    session = ScreeningSession.start(services, patient, "gp", form_id="phq9")
    for value in (1, 1, 1, 1, 0, 0, 0, 0, 0):
        session.answer(value)
        session.advance()
    session.advance()  # q10, the optional unscored difficulty question, left open: completes the PHQ-9
    services.careplans.save(CarePlan(
        patient.id, values=(ValueRating("family", 9, 3, chosen=True),),
        goals=(Goal("family", "Gå tur med hunden i 30 minutter", "PSFS", 3, 7, date(2027, 3, 1)),),
        actions=(Action("Daglig gåtur", "patient"),),
        medications=(
            PlannedMedication("Oxycodon", "10 mg x 2", 20, tapering=TaperingPlan(20, 10, 14, date(2026, 12, 1))),
        ),
        follow_up_on=date(2027, 1, 15), consent_given=True,
    ))  # fmt: skip
    services.close()
    return path


def test_export_patient_plan_in_danish_freezes_the_version(db: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    result = run("--db", db, "careplan", "export", "--patient", "070761-4285", "--out", str(out))
    assert result.returncode == 0, result.stderr
    pages = PdfReader(out).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())  # table cells wrap lines
    assert all("Søren Ærø" in page.extract_text() and "070761-4285" in page.extract_text() for page in pages)
    assert "Gå tur med hunden i 30 minutter" in text and "Side 1 af" in text
    services = open_services(db, FormLibrary.load([bundled_forms_dir()]))
    try:
        plan = services.careplans.current(1)
        assert plan is not None and plan.frozen
    finally:
        services.close()


def test_export_summary_in_english(db: str, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    result = run("--db", db, "careplan", "export", "--patient", "1", "--out", str(out), "--summary", "--lang", "en")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 1 and "PHQ-9" in reader.pages[0].extract_text()
    services = open_services(db, FormLibrary.load([bundled_forms_dir()]))
    try:
        plan = services.careplans.current(1)
        assert plan is not None and not plan.frozen, "the clinic's summary freezes nothing"
    finally:
        services.close()


def test_note_prints_the_journal_note(db: str) -> None:
    result = run("--db", db, "careplan", "note", "--patient", "070761-4285", "--lang", "da")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("Søren Ærø, 070761-4285")
    assert any(line.startswith("- PHQ-9: sum 4") for line in lines)
    assert "Mål: Gå tur med hunden i 30 minutter (3 → 7) 01.03.2027" in lines
    assert any("udtrapning fra 01.12.2026" in line for line in lines)


def test_export_without_a_plan_is_a_clear_error(tmp_path: Path) -> None:
    path = str(tmp_path / "empty.sqlite")
    run("--db", path, "patients", "add", "--given", "Uden", "--family", "Plan", "--no-cpr")
    result = run("--db", path, "careplan", "export", "--patient", "1", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and "no care plan" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
