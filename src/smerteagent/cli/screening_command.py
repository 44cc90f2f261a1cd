"""``smerteagent screening``: start a questionnaire for a patient, answer it item by item, complete it.

Answering checks what the caller saw (``--seen``; without it: that the item is unanswered), so a second
workstation never overwrites an answer in silence: a conflict exits 1, names both answers, and both are
kept in the audit trail.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from smerteagent.cli.common import EXIT_FAILED, EXIT_OK, fail, open_services_for, storage_command
from smerteagent.core.vocabulary import SETTINGS

if TYPE_CHECKING:
    from smerteagent.usecases.services import ResponseRecord

NONE = "none"


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    screening = commands.add_parser("screening", help="answer a questionnaire for a patient, item by item")
    actions = screening.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)

    start = actions.add_parser("start", help="a new visit with one questionnaire; prints the response id")
    start.add_argument("--patient", required=True, metavar="ID|CPR")
    start.add_argument("--form", required=True, metavar="FORM_ID")
    start.add_argument("--setting", default="gp", choices=SETTINGS)
    start.add_argument("--json", action="store_true")
    add_common(start)
    start.set_defaults(handler=storage_command(run_start))

    answer = actions.add_parser("answer", help="store one answer; refused if the item changed since you saw it")
    answer.add_argument("response", type=int, metavar="RESPONSE_ID")
    answer.add_argument("item", metavar="ITEM")
    answer.add_argument("value", metavar="VALUE", help=f"the answer ('{NONE}' clears it)")
    answer.add_argument("--seen", metavar="VALUE", default=NONE,
                        help=f"the item's answer as you last saw it (default: '{NONE}', unanswered)")  # fmt: skip
    answer.add_argument("--json", action="store_true")
    add_common(answer)
    answer.set_defaults(handler=storage_command(run_answer))

    show = actions.add_parser("show", help="a response's answers and status")
    show.add_argument("response", type=int, metavar="RESPONSE_ID")
    show.add_argument("--json", action="store_true")
    add_common(show)
    show.set_defaults(handler=storage_command(run_show))

    complete = actions.add_parser("complete", help="score the response; it takes no more answers")
    complete.add_argument("response", type=int, metavar="RESPONSE_ID")
    complete.add_argument("--json", action="store_true")
    add_common(complete)
    complete.set_defaults(handler=storage_command(run_complete))


def _document(record: ResponseRecord) -> dict[str, Any]:
    return {"id": record.id, "encounter_id": record.encounter_id, "patient_id": record.patient_id,
            "form": record.form_id, "status": record.status, "answers": record.answers,
            "score": record.score.to_json() if record.score else None}  # fmt: skip


def _print(record: ResponseRecord, as_json: bool) -> None:
    if as_json:
        print(json.dumps(_document(record), ensure_ascii=False))
        return
    answers = " ".join(f"{item}={value}" for item, value in record.answers.items()) or "(no answers)"
    print(f"response {record.id} ({record.form_id}, {record.status}): {answers}")


def run_start(arguments: argparse.Namespace) -> int:
    from smerteagent.cli.patients_command import _patient_id
    from smerteagent.usecases.screening import ScreeningSession

    with open_services_for(arguments) as services:
        patient = services.patients.get(_patient_id(services, arguments.patient))
        # As in the app: an unknown form is refused before a visit is recorded, and answers known from the
        # patient (ORT's age from the CPR) or carried from the last visit (PSFS activities) are filled in.
        session = ScreeningSession.start(services, patient, arguments.setting, form_id=arguments.form)
        record = session.response(arguments.form)
    _print(record, arguments.json)
    return EXIT_OK


def run_answer(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases.answers import parse_form_answer
    from smerteagent.usecases.services import AnswerConflict  # storage loads only when a command runs

    try:
        with open_services_for(arguments) as services:
            form = services.forms.get(services.screenings.get(arguments.response).form_id)
            value = parse_form_answer(form, arguments.item, arguments.value)
            seen = parse_form_answer(form, arguments.item, arguments.seen)
            record = services.screenings.answer(arguments.response, arguments.item, value, seen=seen)
    except AnswerConflict as conflict:
        stored = NONE if conflict.stored is None else conflict.stored
        return fail(f"conflict: {conflict} (to change it on purpose: --seen {stored})", EXIT_FAILED)
    _print(record, arguments.json)
    return EXIT_OK


def run_show(arguments: argparse.Namespace) -> int:
    with open_services_for(arguments) as services:
        record = services.screenings.get(arguments.response)
    _print(record, arguments.json)
    return EXIT_OK


def run_complete(arguments: argparse.Namespace) -> int:
    with open_services_for(arguments) as services:
        record = services.screenings.get(arguments.response)
        patient = services.patients.get(record.patient_id)
        record = services.screenings.complete(arguments.response, patient.sex)
    _print(record, arguments.json)
    return EXIT_OK
