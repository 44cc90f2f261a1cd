"""``smerteagent import fhir-responses``: a patient's QuestionnaireResponses from a FHIR file.

Exit 0 when every response in the file was taken (or was already stored), 1 when any was refused (the
others are stored), 2 when the file or the patient cannot be used (nothing is stored).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from smerteagent.cli.common import EXIT_FAILED, EXIT_OK, InputError, open_services_for, storage_command


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    importing = commands.add_parser("import", help="take data in from other systems")
    formats = importing.add_subparsers(title="formats", dest="format", metavar="FORMAT", required=True)
    responses = formats.add_parser(
        "fhir-responses", help="QuestionnaireResponses (alone or in a Bundle) as completed, scored responses"
    )
    responses.add_argument("file", type=Path, metavar="FILE.json")
    responses.add_argument("--patient", required=True, metavar="ID|CPR", help="whose responses they are")
    responses.add_argument("--json", action="store_true", help="the report as JSON")
    add_common(responses)
    responses.set_defaults(handler=storage_command(run_fhir_responses))


def run_fhir_responses(arguments: argparse.Namespace) -> int:
    from smerteagent.cli.patients_command import _patient_id
    from smerteagent.core.interop.fhir_input import FhirInputError
    from smerteagent.usecases.import_fhir_responses import import_responses

    with open_services_for(arguments) as services:
        patient_id = _patient_id(services, arguments.patient)
        try:
            report = import_responses(services, patient_id, arguments.file)
        except FhirInputError as error:
            raise InputError(str(error)) from None
    if arguments.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for taken in report.taken:
            score = taken.score
            results = ", ".join(
                f"{k}={'withheld' if v is None else v}" for k, v in (score.results if score else {}).items()
            )
            flags = f"; FLAGS: {', '.join(score.flags)}" if score and score.flags else ""
            print(f"taken     {taken.where}: {taken.form_id} {taken.authored} -> response {taken.response_id}"
                  f" ({results}{flags})")  # fmt: skip
            for note in taken.ignored:
                print(f"          ignored {note}")
        for where in report.already_stored:
            print(f"skipped   {where}: already stored for this patient")
        for refusal in report.refused:
            print(f"refused   {refusal.where}: {refusal.reason}")
        print(f"{len(report.taken)} taken, {len(report.refused)} refused, {len(report.already_stored)} already stored")
    return EXIT_FAILED if report.refused else EXIT_OK
