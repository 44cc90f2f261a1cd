"""Render what the patient reads — self-completion screens and the pages of the printed plan — to PNG files in
docs/patient-views/, to be looked at (issue 19: no clinician text on the patient's screen or paper; issue 15: the
handout of a full plan on two pages), and the clinician summary's pages beside them.

    .venv/bin/python docs/make_patient_views.py [OUT_DIR] [--paper-only]

Runs offscreen on a temporary database; the PDF pages are rasterised with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from smerteagent.core.careplan.plan import (
    Action,
    CarePlan,
    Goal,
    PlannedMedication,
    SafetyPlan,
    TaperingPlan,
    ValueRating,
)
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import Patient, PatientInput
from smerteagent.i18n import set_language
from smerteagent.paths import bundled_forms_dir
from smerteagent.reports import clinician_summary_pdf, patient_plan_pdf
from smerteagent.storage.report_inputs import report_inputs
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import Services, open_services
from smerteagent.ui.context import AppContext
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.self_completion import SelfCompletionWindow
from smerteagent.usecases.clinic import ClinicDetails, set_clinic_details
from smerteagent.usecases.patient_mode import PatientMode


def save(widget: QWidget, folder: Path, name: str) -> None:
    QApplication.processEvents()
    widget.grab().scaled(960, 640).save(str(folder / f"{name}.png"))
    print(folder / f"{name}.png")


def answer_all(services: Services, patient: Patient, form_id: str, value: int) -> None:
    """Every item of one form (the middle answer, or a short activity), completed: a visit in the history."""
    form = services.forms.get(form_id)
    encounter = services.screenings.start_encounter(patient.id, "pain_clinic")
    response = services.screenings.start_response(encounter.id, form_id)
    for item in form.definition.items:
        options = form.options.get(item.id)
        values = [o.value for o in options] if options else list(range(item.min or 0, (item.max or 0) + 1))
        answer: int | str = "Gå en tur på 1 km" if item.type == "text" else values[min(value, len(values) - 1)]
        services.screenings.answer(response.id, item.id, answer)
    services.screenings.complete(response.id, "female")


def self_completion(window: MainWindow, services: Services, patient: Patient, out: Path) -> None:
    services.settings.save(services.settings.load().with_text("self_completion_pin", "471108"))
    context = {"on_opioids": True, "on_benzodiazepines": True}
    session = ScreeningSession.start(services, patient, "pain_clinic", battery_id="pain_clinic_intake", context=context)
    patient_mode = SelfCompletionWindow(window.context, session, PatientMode(services), window)
    patient_mode.resize(1200, 800)
    patient_mode.show()
    view = patient_mode.view
    shots = {("peg", "q1"): "1-self-completion-peg", ("phq9", "q9"): "2-self-completion-phq9-item9",
             ("gad7", "q6"): "3-self-completion-gad7-item6", ("auditc", "q1"): "4-self-completion-auditc"}  # fmt: skip
    for _step in range(200):
        if session.done:
            break
        flow = session.flow
        name = shots.get((flow.form.id, flow.item.id))
        if name:
            save(patient_mode, out, name)
        options = flow.form.options.get(flow.item.id)
        if options is not None:
            view.choose(options[min(1, len(options) - 1)].value)
            if flow.at_last_item() and flow.current_answer() is not None:
                view.next()
        else:
            view.entry.setText("Gå en tur på 1 km" if flow.item.type == "text" else str((flow.item.min or 0) + 4))
            view.next()
    save(patient_mode, out, "5-self-completion-thanks")
    patient_mode._left_by = "pin"
    patient_mode.close()
    single = ScreeningSession.start(services, patient, "physiotherapy", form_id="odi")
    patient_mode = SelfCompletionWindow(window.context, single, PatientMode(services), window)
    patient_mode.resize(1200, 800)
    patient_mode.show()
    for _ in range(3):
        patient_mode.view.choose(1)
    save(patient_mode, out, "6-self-completion-odi-section4")
    patient_mode._left_by = "pin"
    patient_mode.close()


def backdate(services: Services, patient: Patient, days: int) -> None:
    """Move the visit just answered ``days`` back in time (the script answers every visit today)."""
    from sqlalchemy import text

    with services.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE responses SET completed_at = datetime(completed_at, :shift), created_at = "
                 "datetime(created_at, :shift) WHERE completed_at > datetime('now', '-1 hour', 'localtime') "
                 "AND encounter_id IN (SELECT id FROM encounters WHERE patient_id = :patient)"),
            {"shift": f"-{days} days", "patient": patient.id},
        )  # fmt: skip


def full_plan(patient: Patient) -> CarePlan:
    """What a full consultation's plan holds (issue 15: the handout fits on two pages): values in the patient's
    own words, 3 goals, 4 actions, treatment, 2 drugs with a taper, a safety plan, follow-up, two charts chosen."""
    suggested = bundled_recommendations().suggest(["generalised", "low_back_new"], "high", "da")
    taper = TaperingPlan(20, 10, 14, date(2026, 12, 7), followed_up_by="gp", follow_up_on=date(2027, 1, 15))
    oxycodone = PlannedMedication(
        "Oxycodon", "10 mg x 2", 20, date(2026, 1, 5), date(2027, 1, 5), taper, indication="Lænderygsmerter"
    )
    return CarePlan(
        patient.id,
        values=(
            ValueRating("family", 10, 4, chosen=True, note="Være der for børnebørnene"),
            ValueRating("health_body", 8, 3, chosen=True, note="Kunne gå en lang tur igen"),
            ValueRating("work_education", 7, 3, chosen=True),
        ),
        own_words="Lege med børnebørnene i haven og kunne bære dem.\nKomme tilbage på kontoret to dage om ugen.",
        goals=(
            Goal("family", "Lege med børnebørnene en time uden pause", "PSFS: lege", 3, 7, date(2027, 3, 1)),
            Goal("health_body", "Gå tur med hunden i 30 minutter", "Minutter", 10.5, 30, date(2027, 2, 1)),
            Goal("work_education", "Arbejde to dage om ugen på kontoret", "Dage pr. uge", 0, 2, date(2027, 5, 1)),
        ),
        actions=(
            Action("Henvisning til fysioterapeut: superviseret træning", "gp", "inden 2 uger"),
            Action("Kursus: Lær at tackle kroniske smerter", "municipality", "forår 2027"),
            Action("Gåtur hver dag, øg 5 minutter om ugen", "patient", "fra i dag"),
            Action("Samtale med arbejdsgiveren om delvis raskmelding", "patient", "inden 1. januar"),
        ),
        treatments=tuple(s.text for s in suggested[:3]),
        medications=(oxycodone, PlannedMedication("Paracetamol", "1 g x 3", 3000, indication="Smerter")),
        safety_plan=SafetyPlan(
            ("Jeg isolerer mig og sover dårligt", "Jeg holder op med at gå ture"),
            ("Gå en tur med hunden", "Ringe til min søster"),
            ("Søster Åse, 20 30 40 50",),
            ("Egen læge",),
        ),
        follow_up_on=date(2027, 1, 15),
        follow_up_by="gp",
        consent_given=True,
        charts=("odi", "startback"),
    )


def pdf_pages(services: Services, patient: Patient, out: Path) -> None:
    """The handout and the clinician summary, page by page (old pages removed first: a shorter plan leaves none)."""
    for visit, value in enumerate((3, 2, 1)):
        for form_id in services.forms.forms:
            answer_all(services, patient, form_id, value if visit else 3)
        backdate(services, patient, 60 * (2 - visit))  # three visits two months apart: a course to chart
    plan = services.careplans.save(full_plan(patient))
    inputs = report_inputs(services, patient)
    folder = Path(tempfile.mkdtemp())
    for name, pdf in (("7-patient-plan", patient_plan_pdf(plan, patient, inputs, "da")),
                      ("8-clinician-summary", clinician_summary_pdf(plan, patient, inputs, "da"))):  # fmt: skip
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        (folder / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(folder / f"{name}.pdf"), str(out / name)], check=True)
        print(out / name, "pages")
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/patient-views"))
    parser.add_argument("--paper-only", action="store_true", help="only the handout's and the summary's pages")
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    set_language("da")
    app = QApplication([])
    services = open_services(f"sqlite:///{tempfile.mkdtemp()}/views.sqlite", FormLibrary.load([bundled_forms_dir()]))
    patient, _ = services.patients.add(PatientInput("Åse", "Ærenlund-Østergård", cpr="070761-4285", sex="female"))
    set_clinic_details(services, ClinicDetails("Lægerne i Åbyhøj", "Åbyhøjgade 12, 8230 Åbyhøj", "86 15 22 33"))
    if not arguments.paper_only:
        context = AppContext()
        window = MainWindow(context)
        window.greet = lambda: None  # type: ignore[method-assign]
        context.set_services(services)
        self_completion(window, services, patient, arguments.out)
    pdf_pages(services, patient, arguments.out)
    services.close()
    app.quit()


if __name__ == "__main__":
    main()
