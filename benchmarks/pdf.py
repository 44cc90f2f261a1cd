"""The printed care plan: render_patient_plan vs a bare ReportLab document of the same flowables, same run.

    .venv/bin/python benchmarks/pdf.py [--runs N] [--lang da|en]

A 2-page plan (the handout of issue 15) with two charts the patient chose (ODI and STarT Back over four
visits), a tapering table and a safety plan. Both sides build a fresh story each run; the bare side lays it
out with SimpleDocTemplate and ReportLab's own canvas, so the difference is what the report adds: the
two-pass "page x of y" canvas, the running header and footer on every page. Target: ratio of medians <= 1.3x
and median <= 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO
from typing import Any

import yaml
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import (
    Action,
    CarePlan,
    Goal,
    PlannedMedication,
    SafetyPlan,
    TaperingPlan,
    ValueRating,
)
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.history import InstrumentHistory, build_history
from smerteagent.core.patients import Patient
from smerteagent.core.settings import Settings
from smerteagent.i18n import speaking
from smerteagent.paths import bundled_forms_dir, bundled_resources_dir
from smerteagent.reports.careplan_pdf import plan_story, render_patient_plan
from smerteagent.reports.fonts import register_fonts
from smerteagent.reports.layout import MARGINS

VISITS = [datetime(2025, 9, 1, 10), datetime(2025, 11, 3, 9), datetime(2026, 1, 12, 14), datetime(2026, 3, 2, 11)]


def sample_plan() -> CarePlan:
    tapering = TaperingPlan(20, 10, 14, date(2026, 3, 9), followed_up_by="gp", follow_up_on=date(2026, 4, 6))
    return CarePlan(
        patient_id=1,
        values=(
            ValueRating("family", 10, 4, chosen=True, note="Være der for børnebørnene"),
            ValueRating("health_body", 8, 3, chosen=True),
        ),
        goals=(
            Goal("family", "Gå tur med hunden på 30 min", "PSFS: gå 30 min", 3, 7, date(2026, 6, 1)),
            Goal("health_body", "Cykle til købmanden to gange om ugen", "Gange pr. uge", 0, 2, date(2026, 5, 1)),
        ),
        actions=(
            Action("Henvisning til fysioterapeut: superviseret træning", "gp", "inden 2 uger"),
            Action("Kursus: Lær at tackle kroniske smerter", "municipality", "forår 2026"),
        ),
        treatments=("Patientuddannelse om smerter og aktivitet", "Superviseret træning to gange om ugen"),
        medications=(
            PlannedMedication("Oxycodon", "10 mg morgen og aften", 20, date(2025, 5, 1), tapering=tapering),
            PlannedMedication("Paracetamol", "1 g x 3", 3000),
        ),
        safety_plan=SafetyPlan(("Jeg isolerer mig",), ("Gå en tur med hunden",), ("Søster Åse",), ("Egen læge",)),
        follow_up_on=date(2026, 4, 6),
        follow_up_by="gp",
        charts=("odi", "startback"),
    )


def sample_histories() -> list[InstrumentHistory]:
    library = FormLibrary.load([bundled_forms_dir()])
    odi = [(when, {"total": total}) for when, total in zip(VISITS, (44, 38.5, 30, 22), strict=True)]
    startback = [
        (w, {"total": t, "psychosocial": p}) for w, t, p in zip(VISITS, (7, 6, 4, 3), (4, 4, 2, 2), strict=True)
    ]
    return [
        build_history(library.get("odi"), odi, "da", reader="patient"),
        build_history(library.get("startback"), startback, "da", reader="patient"),
    ]


def timed(runs: int, action: Callable[[], bytes]) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--lang", choices=("da", "en"), default="da")
    arguments = parser.parse_args()
    register_fonts()
    document = yaml.safe_load((bundled_resources_dir() / "careplan" / "safety_contacts.yaml").read_text("utf-8"))
    inputs: dict[str, Any] = {
        "settings": Settings(clinic_name="Smerteklinikken Århus", clinic_address="Nørrebrogade 44, 8000 Aarhus C"),
        "catalogue": Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml"),
        "histories": sample_histories(),
        "safety_contacts": document["contacts"],
    }
    plan, patient = sample_plan(), Patient(1, "0707614285", "Søren", "Ærø", None, "male", datetime(2026, 3, 1))

    def report() -> bytes:
        return render_patient_plan(plan, patient, language=arguments.lang, **inputs)

    def bare() -> bytes:
        buffer = BytesIO()
        with speaking(arguments.lang):
            SimpleDocTemplate(buffer, pagesize=A4, **MARGINS).build(plan_story(plan, language=arguments.lang, **inputs))
        return buffer.getvalue()

    first = report()
    pages = len(PdfReader(BytesIO(first)).pages)
    bare(), report()  # warm caches on both sides
    measured, floor = [], []
    for _ in range(arguments.runs):  # interleaved, so both sides see the same machine
        measured += timed(1, report)
        floor += timed(1, bare)
    ratio = statistics.median(measured) / statistics.median(floor)
    print(f"plan: {len(first) / 1024:.0f} KiB, {pages} pages, 2 charts; {arguments.runs} runs each; times in ms")
    print(f"render_patient_plan  median {statistics.median(measured):7.1f}  min {min(measured):7.1f}")
    print(f"bare ReportLab       median {statistics.median(floor):7.1f}  min {min(floor):7.1f}")
    print(f"ratio (median) {ratio:.2f}x  (target <= 1.3x; median target <= 300 ms)")


if __name__ == "__main__":
    main()
