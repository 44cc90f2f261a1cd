"""``smerteagent careplan export|note``: the patient's care plan (or the clinician summary) as a PDF, and the
plain-text journal note for the practice's own record system.

Exporting the patient's plan freezes its current version, as printing does: the paper and the record always
match. The clinician summary is the clinic's working copy and freezes nothing, as in the app.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from smerteagent.cli.common import EXIT_OK, EXIT_USAGE, fail, open_services_for, storage_command


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
    note = actions.add_parser("note", help="print the journal note: scores, flags and actions taken, plan in short")
    note.add_argument("--patient", required=True, metavar="ID|CPR")
    note.add_argument("--lang", choices=("da", "en"), default=argparse.SUPPRESS,
                      help="language of the note (default: the clinic setting)")  # fmt: skip
    add_common(note)
    note.set_defaults(handler=storage_command(run_note))


def run_export(arguments: argparse.Namespace) -> int:
    from smerteagent.cli.patients_command import _patient_id
    from smerteagent.i18n import speaking
    from smerteagent.usecases import careplan

    with open_services_for(arguments) as services:
        patient = services.patients.get(_patient_id(services, arguments.patient))
        plan = services.careplans.current(patient.id)
        if plan is None:
            return fail(f"patient {patient.id} has no care plan yet", EXIT_USAGE)
        inputs = careplan.report_inputs(services, patient)
        language = getattr(arguments, "lang", None) or inputs.settings.language
        document: careplan.Document = "clinician_summary" if arguments.summary else "patient_plan"
        with speaking(language):  # written first, audited (and frozen) only once the file is there
            pdf = careplan.export_document(services, patient, plan, inputs, language, document, arguments.out)
    print(f"wrote {arguments.out} ({len(pdf)} bytes)")
    return EXIT_OK


def run_note(arguments: argparse.Namespace) -> int:
    from smerteagent.cli.patients_command import _patient_id
    from smerteagent.i18n import speaking
    from smerteagent.usecases import careplan

    with open_services_for(arguments) as services:
        patient = services.patients.get(_patient_id(services, arguments.patient))
        inputs = careplan.report_inputs(services, patient)
        language = getattr(arguments, "lang", None) or inputs.settings.language
        plan = services.careplans.current(patient.id)
        with speaking(language):
            note = careplan.journal_note(services, patient, plan, inputs, language, date.today())
    print(note, end="")
    return EXIT_OK
