"""``smerteagent medication``: check a list of prescriptions (classes, morphine equivalents, warnings) and list
the drug catalogue. The check is the use case the care plan's medication tab runs too."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from smerteagent.cli.common import EXIT_OK, EXIT_USAGE, InputError, fail
from smerteagent.cli.input_files import STDIN, parse_json, read_text
from smerteagent.core.errors import SmerteAgentError


def register(commands: Any) -> None:
    medication = commands.add_parser("medication", help="check prescriptions; list the drug catalogue")
    actions = medication.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)

    checking = actions.add_parser(
        "check",
        help="classes, daily morphine equivalents and warnings for a JSON list of prescriptions",
        description='Input: a JSON list of {"drug": text, "daily_dose": number, "unit": "mg" | '
        '"microgram_per_hour", "started_on"?: date, "re_evaluate_on"?: date, "tapering"?: bool}.',
    )
    checking.add_argument("file", nargs="?", default=STDIN, metavar="FILE.json", help="the list, or - for stdin")
    checking.add_argument("--today", metavar="DATE", help="the day durations are counted to (YYYY-MM-DD)")
    checking.add_argument("--suicide-risk", action="store_true", help="an open suicide-risk flag for the patient")
    checking.add_argument("--json", action="store_true", help="print the result as one JSON object")
    checking.set_defaults(handler=run_check)

    listing = actions.add_parser("list", help="the drug catalogue: ATC, substance, class, forms, factors, products")
    listing.add_argument("--class", dest="drug_class", metavar="CLASS", help="only this class, e.g. opioid")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)


def _today(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--today: not a date as YYYY-MM-DD: {text!r}") from None


def run_check(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import medication

    try:
        today = _today(arguments.today)
        document = parse_json(read_text(arguments.file), "the input")
        result = medication.check(medication.prescriptions(document), today, suicide_risk_open=arguments.suicide_risk)
    except InputError as error:
        return fail(str(error), error.exit_code)
    except SmerteAgentError as error:
        return fail(str(error), EXIT_USAGE)
    if arguments.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return EXIT_OK
    for drug in result.drugs:
        found = drug.classification
        what = f"{found.substance} ({found.atc}, {found.drug_class}, {found.form or 'form unknown'})"
        mme = "" if drug.mme.value is None else f", {drug.mme.value:g} MME/day"
        print(f"{drug.medication.name}: {what if found.known else 'NOT IN THE CATALOGUE'}{mme}")
    print(f"Total: {result.total_mme:g} MME/day")
    for warning in result.warnings:
        print(f"{result.severity(warning).upper()}: {result.text(warning)}")
    return EXIT_OK


def run_list(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases import medication

    try:
        rows = medication.catalogue_rows(arguments.drug_class)
    except SmerteAgentError as error:
        return fail(str(error), EXIT_USAGE)
    if arguments.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for row in rows:
        forms = ", ".join(
            f"{f['form']} ×{f['factor']:g} ({f['source']})" if f["factor"] is not None else f"{f['form']} (not counted)"
            for f in row["forms"]
        )
        products = "; ".join(
            f"{p['name']} {'/'.join(f'{s:g}' for s in p['strengths'])}".strip() for p in row["products"]
        )
        print(f"{row['atc']:<8} {row['substance']:<34} {row['class']:<15} {forms}")
        if products:
            print(f"{'':<8} {products}")
    return EXIT_OK
