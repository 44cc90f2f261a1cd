"""``smerteagent careplan export``: the patient's care plan (or the clinician summary) as a PDF.

Exporting freezes the plan's current version, as printing does: the paper and the record always match.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smerteagent.cli.common import EXIT_OK, EXIT_USAGE, fail, open_storage, storage_command


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    careplan = commands.add_parser("careplan", help="the shared care plan")
    actions = careplan.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write the patient's plan (or the clinician summary) as a PDF")
    export.add_argument("--patient", required=True, metavar="ID|CPR")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    export.add_argument("--lang", choices=("da", "en"), default=argparse.SUPPRESS,
                        help="language of the PDF (default: the clinic setting)")  # fmt: skip
    export.add_argument("--summary", action="store_true", help="the one-page clinician summary instead")
    add_common(export)
    export.set_defaults(handler=storage_command(run_export))


def run_export(arguments: argparse.Namespace) -> int:
    from smerteagent.cli.patients_command import _patient_id
    from smerteagent.storage.report_inputs import report_inputs

    services = open_storage(arguments)
    try:
        patient = services.patients.get(_patient_id(services, arguments.patient))
        plan = services.careplans.current(patient.id)
        if plan is None:
            return fail(f"patient {patient.id} has no care plan yet", EXIT_USAGE)
        inputs = report_inputs(services, patient)
        language = getattr(arguments, "lang", None) or inputs.settings.language
        pdf = _render(arguments.summary, plan, patient, inputs, services, language)
        arguments.out.write_bytes(pdf)
        document = "clinician_summary" if arguments.summary else "patient_plan"
        services.careplans.freeze(patient.id, action="export", document=document)
    finally:
        services.close()
    print(f"wrote {arguments.out} ({len(pdf)} bytes)")
    return EXIT_OK


def _render(summary: bool, plan: Any, patient: Any, inputs: Any, services: Any, language: str) -> bytes:
    from smerteagent.reports import render_clinician_summary, render_patient_plan

    if summary:
        return render_clinician_summary(plan, patient, settings=inputs.settings, catalogue=inputs.catalogue,
                                        results=inputs.latest, forms=services.forms.forms, language=language,
                                        open_safety_alerts=inputs.open_alerts)  # fmt: skip
    return render_patient_plan(plan, patient, settings=inputs.settings, catalogue=inputs.catalogue,
                               histories=inputs.histories(language), safety_contacts=inputs.safety_contacts,
                               language=language)  # fmt: skip
