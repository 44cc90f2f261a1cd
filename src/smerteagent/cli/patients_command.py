"""``smerteagent patients``: add, list, search and show patients in the register."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from smerteagent.cli.common import EXIT_OK, open_services_for, storage_command
from smerteagent.core.cpr import format_cpr, parse_cpr
from smerteagent.core.patients import Patient, PatientInput, PatientSummary, age_on


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    patients = commands.add_parser("patients", help="the patient register")
    actions = patients.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="register a patient")
    add.add_argument("--given", required=True, help="given name(s)")
    add.add_argument("--family", required=True, help="family name")
    add.add_argument("--cpr", help="ddmmyy-ssss or ddmmyyssss; gives birth date and sex")
    add.add_argument("--no-cpr", action="store_true", help="the patient has no CPR number")
    add.add_argument("--sex", choices=("female", "male"), help="overrides the sex read from the CPR")
    add.add_argument("--birth-date", type=date.fromisoformat, help="YYYY-MM-DD, for patients without CPR")
    add.add_argument("--contact")
    add.add_argument("--note")
    add.add_argument("--json", action="store_true")
    add_common(add)
    add.set_defaults(handler=storage_command(run_add))

    listing = actions.add_parser("list", help="patients by most recent activity")
    listing.add_argument("--limit", type=count, default=50)
    listing.add_argument("--offset", type=count, default=0)
    listing.add_argument("--json", action="store_true")
    add_common(listing)
    listing.set_defaults(handler=storage_command(run_list))

    search = actions.add_parser("search", help="find patients by any part of name or CPR")
    search.add_argument("query")
    search.add_argument("--limit", type=count, default=50)
    search.add_argument("--json", action="store_true")
    add_common(search)
    search.set_defaults(handler=storage_command(run_search))

    show = actions.add_parser("show", help="one patient with screenings")
    show.add_argument("patient", metavar="ID|CPR")
    show.add_argument("--json", action="store_true")
    add_common(show)
    show.set_defaults(handler=storage_command(run_show))


def count(text: str) -> int:
    """A number of rows: a whole number of 0 or more (any size: more than the register holds means all)."""
    if not text.isascii() or not text.isdigit() or len(text) > 40:
        raise argparse.ArgumentTypeError(f"not a whole number of 0 or more: {text[:40]!r}")
    return int(text)


def run_add(arguments: argparse.Namespace) -> int:
    details = PatientInput(
        given_name=arguments.given, family_name=arguments.family, cpr=arguments.cpr, sex=arguments.sex,
        birth_date=arguments.birth_date, no_cpr=arguments.no_cpr, contact=arguments.contact, note=arguments.note,
    )  # fmt: skip
    with open_services_for(arguments) as services:
        patient, warnings = services.patients.add(details)
    if arguments.json:
        print(json.dumps({**patient.to_json(), "warnings": list(warnings)}, ensure_ascii=False))
    else:
        print(f"added patient {patient.id}: {describe(patient)}")
        for warning in warnings:
            print(f"warning: {warning}")
    return EXIT_OK


def _print_rows(rows: list[PatientSummary], as_json: bool, masked: bool) -> None:
    if as_json:
        print(json.dumps([row.to_json(masked=masked) for row in rows], ensure_ascii=False, indent=1))
        return
    for row in rows:
        print(f"{row.id:>7}  {describe(row, masked=masked)}")


def _list_patients(arguments: argparse.Namespace, fetch: Callable[[Any], list[PatientSummary]]) -> int:
    """Rows from ``fetch(patient service)``, printed with the clinic's CPR masking."""
    with open_services_for(arguments) as services:
        rows = fetch(services.patients)
        masked = services.settings.load().mask_cpr_in_lists
    _print_rows(rows, arguments.json, masked)
    return EXIT_OK


def run_list(arguments: argparse.Namespace) -> int:
    return _list_patients(arguments, lambda patients: patients.recent(arguments.limit, arguments.offset))


def run_search(arguments: argparse.Namespace) -> int:
    return _list_patients(arguments, lambda patients: patients.search(arguments.query, arguments.limit))


def run_show(arguments: argparse.Namespace) -> int:
    with open_services_for(arguments) as services:
        patient_id = _patient_id(services, arguments.patient)
        patient = services.patients.get(patient_id)
        responses = services.screenings.responses(patient.id)
    if arguments.json:
        document = patient.to_json()
        document["responses"] = [
            {"id": r.id, "encounter_id": r.encounter_id, "form": r.form_id, "version": r.form_version,
             "status": r.status, "answers": r.answers, "created_at": r.created_at.isoformat(),
             "score": r.score.to_json() if r.score else None}
            for r in responses
        ]  # fmt: skip
        print(json.dumps(document, ensure_ascii=False, indent=1))
        return EXIT_OK
    print(describe(patient))
    for response in responses:
        score = response.score
        summary = "draft" if score is None else f"total {score.results.get('total')}, band {score.band or '—'}"
        flags = f", flags {', '.join(score.flags)}" if score and score.flags else ""
        print(f"  {response.created_at:%Y-%m-%d}  {response.form_id:<15} {summary}{flags}")
    return EXIT_OK


def _patient_id(services: Any, key: str) -> int:
    if key.isdigit() and len(key) < 10:
        return int(key)
    cpr = parse_cpr(key)
    found = services.patients.find_by_cpr(cpr.digits)
    if found is None:
        from smerteagent.usecases.services import NotFound

        raise NotFound("patient with CPR", cpr.formatted)
    return int(found.id)


def describe(patient: PatientSummary | Patient, *, masked: bool = False) -> str:
    age = age_on(patient.birth_date, date.today())
    cpr = format_cpr(patient.cpr, masked=masked) or "no CPR"
    sex = {"female": "F", "male": "M"}.get(patient.sex or "", "?")
    return f"{patient.name}  {cpr}  {age if age is not None else '?'} y  {sex}"
