"""Render what the patient reads — self-completion screens and the pages of the printed plan — to PNG files in
docs/patient-views/, to be looked at (issue 19: no clinician text on the patient's screen or paper).

    .venv/bin/python docs/make_patient_views.py [OUT_DIR]

Runs offscreen on a temporary database; the PDF pages are rasterised with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
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
    services.settings.save(services.settings.load().with_text("self_completion_pin", "4711"))
    context = {"on_opioids": True, "on_benzodiazepines": True}
    session = ScreeningSession.start(services, patient, "pain_clinic", battery_id="pain_clinic_intake", context=context)
    patient_mode = SelfCompletionWindow(window.context, session, window)
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
    patient_mode._unlocked = True
    patient_mode.close()
    single = ScreeningSession.start(services, patient, "physiotherapy", form_id="odi")
    patient_mode = SelfCompletionWindow(window.context, single, window)
    patient_mode.resize(1200, 800)
    patient_mode.show()
    for _ in range(3):
        patient_mode.view.choose(1)
    save(patient_mode, out, "6-self-completion-odi-section4")
    patient_mode._unlocked = True
    patient_mode.close()


def pdf_pages(services: Services, patient: Patient, out: Path) -> None:
    for visit, value in enumerate((3, 2, 1)):
        for form_id in services.forms.forms:
            answer_all(services, patient, form_id, value if visit else 3)
    suggested = bundled_recommendations().suggest(["generalised", "low_back_new"], "high", "da")
    plan = CarePlan(
        patient.id,
        values=(
            ValueRating("family", 9, 4, chosen=True, note="Børnebørnene"),
            ValueRating("work_education", 7, 3, chosen=True),
        ),
        goals=(Goal("family", "Gå tur med hunden i 30 minutter", "Minutter", 10.5, 30, date(2027, 3, 1)),),
        actions=(Action("Gåtur hver dag", "patient", "hver dag"), Action("Henvisning til fysioterapi", "gp")),
        treatments=tuple(s.text for s in suggested[:4]),
        medications=(
            PlannedMedication(
                "Oxycodon",
                "10 mg x 2",
                20,
                date(2026, 1, 5),
                date(2027, 1, 5),
                TaperingPlan(20, 10, 14, date(2026, 12, 7), followed_up_by="gp"),
            ),
        ),
        follow_up_on=date(2027, 1, 15),
        follow_up_by="gp",
        consent_given=True,
    )
    plan = services.careplans.save(
        replace(plan, safety_plan=SafetyPlan(("Søvnløshed",), ("Gå en tur",), ("Datter",), ("Egen læge",)))
    )
    inputs = report_inputs(services, patient)
    folder = Path(tempfile.mkdtemp())
    for name, pdf in (("7-patient-plan", patient_plan_pdf(plan, patient, inputs, "da")),
                      ("8-clinician-summary", clinician_summary_pdf(plan, patient, inputs, "da"))):  # fmt: skip
        (folder / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(folder / f"{name}.pdf"), str(out / name)], check=True)
        print(out / name, "pages")
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/patient-views"))
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    set_language("da")
    app = QApplication([])
    services = open_services(f"sqlite:///{tempfile.mkdtemp()}/views.sqlite", FormLibrary.load([bundled_forms_dir()]))
    patient, _ = services.patients.add(PatientInput("Åse", "Ærenlund-Østergård", cpr="070761-4285", sex="female"))
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
