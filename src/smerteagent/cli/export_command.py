"""``smerteagent export``: questionnaires and responses as FHIR R4, the register as CSV.

Exports that take patient data out (a patient's Bundle, the CSV register) are recorded in the audit trail,
and a file and its audit event go together: the Bundle is written to an owner-only temporary file first,
then audited, then named (a file that cannot be written leaves no event), and the CSV file (whose row count
the event records) is removed again if its event cannot be recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from smerteagent.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    InputError,
    fail,
    load_library,
    open_services_for,
    storage_command,
)
from smerteagent.private_files import open_private, publish_private, write_private_text

KEY_VARIABLE = "SMERTEAGENT_PSEUDONYM_KEY"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    export = commands.add_parser("export", help="FHIR R4 and CSV exports")
    actions = export.add_subparsers(title="formats", dest="format", metavar="FORMAT", required=True)

    fhir = actions.add_parser("fhir", help="a form as a Questionnaire, or a patient's responses as a Bundle")
    which = fhir.add_mutually_exclusive_group(required=True)
    which.add_argument("--form", metavar="ID", help="the form as a FHIR Questionnaire (no patient data)")
    which.add_argument("--patient", metavar="ID|CPR", help="QuestionnaireResponses and Observations as a Bundle")
    fhir.add_argument("--out", type=Path, metavar="FILE.json", help="default: standard output")
    _date_range(fhir)
    add_common(fhir)
    fhir.set_defaults(handler=storage_command(run_fhir))

    table = actions.add_parser("csv", help="all responses and scores, one row per response")
    table.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    _date_range(table)
    table.add_argument("--form", metavar="ID", help="only this form, with one column per item and result")
    table.add_argument("--delimiter", choices=(",", ";"), default=",", help="';' for Excel in a Danish locale")
    table.add_argument("--include-drafts", action="store_true", help="unfinished questionnaires too")
    table.add_argument("--pseudonymise", action="store_true",
                       help="CPR and ids replaced by keyed hashes (HMAC-SHA256); no free text, clinician or times "
                       "of day")  # fmt: skip
    table.add_argument("--key-file", type=Path, metavar="FILE",
                       help=f"the pseudonymisation key (at least 16 bytes; or {KEY_VARIABLE}); keep it away from "
                       "the export")  # fmt: skip
    add_common(table)
    table.set_defaults(handler=storage_command(run_csv))

    records = actions.add_parser("records", help="the care plans' supervision fields as CSV, one row per item")
    records.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    _date_range(records)
    records.add_argument("--delimiter", choices=(",", ";"), default=",", help="';' for Excel in a Danish locale")
    records.add_argument("--pseudonymise", action="store_true", help="keyed patient hashes; no free text or names")
    records.add_argument("--key-file", type=Path, metavar="FILE", help=f"the pseudonymisation key (or {KEY_VARIABLE})")
    add_common(records)
    records.set_defaults(handler=storage_command(run_records))


def _date_range(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD", help="first day included")
    parser.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD", help="last day included")


def _json_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _write_json(document: dict[str, Any], out: Path | None) -> None:
    text = _json_text(document)
    if out is None:
        sys.stdout.write(text)
    else:
        write_private_text(out, text)


def run_fhir(arguments: argparse.Namespace) -> int:
    if arguments.form is not None:
        return _questionnaire(arguments)
    from smerteagent.cli.patients_command import _patient_id
    from smerteagent.core.interop.fhir_responses import patient_bundle

    with open_services_for(arguments) as services:
        patient = services.patients.get(_patient_id(services, arguments.patient))
        responses = [r for r in services.screenings.responses(patient.id, status="complete")
                     if _within(r.completed_at or r.created_at, arguments.start, arguments.end)]  # fmt: skip
        plan = services.careplans.current(patient.id)
        bundle = patient_bundle(patient, responses, services.forms.forms, plan)
        detail: dict[str, Any] = {"format": "fhir", "responses": [r.id for r in responses],
                                  "to": str(arguments.out or "stdout")}  # fmt: skip
        if plan is not None:
            detail["care_plan"] = plan.number  # its drugs, consent, review and letters went out too
        if arguments.out is None:
            services.exports.record_export("patient", patient.id, detail)
            _write_json(bundle, None)
        else:  # written first, audited, then named: a file that could not be written leaves no export event
            publish_private(arguments.out, _json_text(bundle).encode("utf-8"),
                            lambda: services.exports.record_export("patient", patient.id, detail))  # fmt: skip
    if arguments.out is not None:
        print(f"wrote {arguments.out} ({len(responses)} responses, {len(bundle['entry'])} resources)")
    return EXIT_OK


def _within(moment: Any, start: date | None, end: date | None) -> bool:
    day = moment.date()
    return (start is None or day >= start) and (end is None or day <= end)


def _questionnaire(arguments: argparse.Namespace) -> int:
    from smerteagent.core.errors import UnknownFormError
    from smerteagent.core.interop.fhir_export import export_questionnaire

    try:
        form = load_library(arguments).get(arguments.form)
    except UnknownFormError as error:
        return fail(str(error), EXIT_USAGE)
    exported = export_questionnaire(form)
    _write_json(exported.resource, arguments.out)
    for warning in exported.warnings:
        print(f"note: {warning}", file=sys.stderr)
    return EXIT_OK


def _key(arguments: argparse.Namespace) -> bytes:
    if arguments.key_file is not None:
        key_path: Path = arguments.key_file
        if key_path.resolve().parent == arguments.out.resolve().parent:
            raise InputError(f"--key-file {key_path}: keep the key out of the export's folder {key_path.parent}")
        try:
            key = key_path.read_bytes().strip()
        except OSError as error:
            raise InputError(f"--key-file {key_path}: cannot read it ({error.strerror})") from None
    elif os.environ.get(KEY_VARIABLE):
        key = os.environ[KEY_VARIABLE].encode("utf-8")
    else:
        raise InputError(f"--pseudonymise needs a key: --key-file FILE or {KEY_VARIABLE}")
    from smerteagent.core.interop.csv_export import MIN_KEY_BYTES

    if len(key) < MIN_KEY_BYTES:
        raise InputError(f"the pseudonymisation key is {len(key)} bytes; it must be at least {MIN_KEY_BYTES}")
    return key


def run_csv(arguments: argparse.Namespace) -> int:
    from smerteagent.core.interop.csv_export import Pseudonymiser, write_register

    if arguments.key_file is not None and not arguments.pseudonymise:
        raise InputError("--key-file is only used with --pseudonymise")
    pseudonymise = Pseudonymiser(_key(arguments)) if arguments.pseudonymise else None
    with open_services_for(arguments) as services:
        form = services.forms.get(arguments.form) if arguments.form else None
        rows = services.exports.register(arguments.start, arguments.end, form_id=arguments.form,
                                         include_drafts=arguments.include_drafts)  # fmt: skip
        try:
            # utf-8-sig: the byte order mark makes Excel read æ, ø and å correctly.
            with open_private(arguments.out, "w", encoding="utf-8-sig", newline="") as out:
                count = write_register(rows, out, delimiter=arguments.delimiter, pseudonymise=pseudonymise, form=form)
            services.exports.record_export("register", None, {
                "format": "csv", "rows": count, "from": str(arguments.start or ""), "to": str(arguments.end or ""),
                "form": arguments.form, "pseudonymised": pseudonymise is not None, "file": str(arguments.out),
            })  # fmt: skip
        except BaseException:
            if arguments.out.is_file():
                arguments.out.unlink()  # no register leaves without its audit event
            raise
    print(f"wrote {arguments.out} ({count} responses{', pseudonymised' if pseudonymise else ''})")
    return EXIT_OK


def run_records(arguments: argparse.Namespace) -> int:
    """The plans as they stood at the end of the period (default: the last 12 months), of the patients seen."""
    from smerteagent.core.interop.csv_export import Pseudonymiser
    from smerteagent.core.interop.csv_records import write_records
    from smerteagent.usecases.quality import default_period, plans_at_end

    if arguments.key_file is not None and not arguments.pseudonymise:
        raise InputError("--key-file is only used with --pseudonymise")
    pseudonymise = Pseudonymiser(_key(arguments)) if arguments.pseudonymise else None
    end = arguments.end or date.today()
    start = arguments.start or default_period(end)[0]
    with open_services_for(arguments) as services:
        plans = plans_at_end(services, start, end)
        try:
            with open_private(arguments.out, "w", encoding="utf-8-sig", newline="") as out:
                count = write_records(plans, out, delimiter=arguments.delimiter, pseudonymise=pseudonymise)
            services.exports.record_export("care_plan", None, {
                "format": "csv", "rows": count, "plans": len(plans), "from": str(start), "to": str(end),
                "pseudonymised": pseudonymise is not None, "file": str(arguments.out),
            })  # fmt: skip
        except BaseException:
            arguments.out.unlink(missing_ok=True)  # nothing leaves without its audit event
            raise
    print(f"wrote {arguments.out} ({count} rows from {len(plans)} care plans)")
    return EXIT_OK
