"""``smerteagent score``: score one answer set, or a JSON-lines batch, with the published rules."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from smerteagent.cli.common import InputError, fail, load_library
from smerteagent.cli.input_files import byte_lines, decode_line, display, parse_json, read_text
from smerteagent.core.errors import AnswerError, SmerteAgentError
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.usecases.answers import parse_form_answer

if TYPE_CHECKING:
    from smerteagent.core.forms.loader import FormLibrary
    from smerteagent.core.scoring.engine import CompiledForm

EXIT_OK, EXIT_USAGE = 0, 2


def register(commands: Any, add_forms_dir: Callable[[argparse.ArgumentParser], None]) -> None:
    parser = commands.add_parser(
        "score",
        help="score answers to one instrument (or a JSON-lines batch)",
        description="Score answers with the instrument's published rule. Items not given are unanswered.",
    )
    parser.add_argument("form_id", nargs="?", metavar="FORM_ID", help="the instrument id, e.g. phq9")
    parser.add_argument("answers", nargs="*", metavar="ITEM=VALUE", help="answers, e.g. q1=2 q2=0")
    parser.add_argument("--sex", choices=("female", "male"), help="needed by ORT and AUDIT-C")
    parser.add_argument("--answers", dest="answers_file", metavar="FILE", help="a JSON object of answers, or -")
    parser.add_argument("--batch", metavar="FILE", help="JSON lines {form, answers, sex}, or - for stdin")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    add_forms_dir(parser)
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    library = load_library(arguments)
    try:
        if arguments.batch is not None:
            return _run_batch(arguments, library)
        if not arguments.form_id:
            return fail("name the instrument to score (FORM_ID), or use --batch", EXIT_USAGE)
        form = library.get(arguments.form_id)
        answers, sex = _single_request(arguments, form)
        result = form.score(answers, sex)
    except InputError as error:
        return fail(str(error), error.exit_code)
    except SmerteAgentError as error:
        return fail(str(error), EXIT_USAGE)
    print(json.dumps(result.to_json(), ensure_ascii=False) if arguments.json else describe(result))
    return EXIT_OK


def _run_batch(arguments: argparse.Namespace, library: FormLibrary) -> int:
    if arguments.form_id or arguments.answers or arguments.answers_file:
        return fail("--batch takes its forms and answers from the file only", EXIT_USAGE)
    for line in score_lines(library, byte_lines(arguments.batch)):
        sys.stdout.write(line + "\n")
    return EXIT_OK


def _single_request(arguments: argparse.Namespace, form: CompiledForm) -> tuple[dict[str, object], str | None]:
    answers: dict[str, object] = {}
    sex = arguments.sex
    if arguments.answers_file:
        answers, sex = _answers_file(arguments.answers_file, sex)
    given_here: set[str] = set()
    for pair in arguments.answers:
        item, separator, text = pair.partition("=")
        if not separator or not item:
            raise InputError(f"expected ITEM=VALUE, got {pair!r}")
        if item in given_here:
            raise AnswerError(item, text, "given twice on the command line")
        if item in answers:
            raise AnswerError(item, text, f"given both in {display(arguments.answers_file)} and on the command line")
        given_here.add(item)
        answers[item] = parse_form_answer(form, item, text)
    return answers, sex


def _answers_file(name: str, sex: str | None) -> tuple[dict[str, object], str | None]:
    """The answers (and sex) in a JSON file: ``{item: value}`` or ``{"answers": {...}, "sex": ...}``."""
    text = read_text(name)
    try:
        document = parse_json(text, "the file")
    except InputError as error:
        raise InputError(f"{display(name)}: {error}") from None
    if isinstance(document, dict) and isinstance(document.get("answers"), dict):
        given_sex = document.get("sex")
        if sex is not None and given_sex is not None and given_sex != sex:
            raise InputError(f"{display(name)}: sex is {given_sex!r} in the file but {sex!r} on the command line")
        sex = sex or _sex(given_sex)
        document = document["answers"]
    if not isinstance(document, dict):
        raise InputError(f"{display(name)}: expected a JSON object of item: value")
    return document, sex


def _sex(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise AnswerError("sex", value, "sex must be 'female', 'male' or absent")
    return value


def score_lines(library: FormLibrary, lines: Iterable[bytes]) -> Iterator[str]:
    """One JSON result (or ``{"error": ...}``) per input line, in order."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    for number, line in enumerate(lines, start=1):
        try:
            yield dumps(_score_request(library, decode_line(line, number)).to_json())
        except SmerteAgentError as error:
            yield dumps({"error": f"line {number}: {error}"})


def _score_request(library: FormLibrary, line: str) -> ScoreResult:
    request = parse_json(line, "the line")
    if not isinstance(request, dict):
        raise InputError("expected a JSON object {form, answers, sex}")
    form_id = request.get("form")
    if not isinstance(form_id, str):
        raise InputError("'form' must name an instrument")
    answers = request.get("answers", {})
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise InputError("'answers' must be an object of item: value")
    return library.get(form_id).score(answers, _sex(request.get("sex")))


def describe(result: ScoreResult) -> str:
    """A short human-readable summary of one result."""
    lines = [f"{result.form} (version {result.version})"]
    lines += [f"  {name}: {'—' if value is None else value}" for name, value in result.results.items()]
    lines.append(f"  band: {result.band or '—'}")
    lines.append(f"  flags: {', '.join(result.flags) or '—'}")
    if result.undecided_flags:
        lines.append(f"  undecided until answered: {', '.join(result.undecided_flags)}")
    lines.append(f"  status: {result.status}")
    if result.missing:
        lines.append(f"  unanswered: {', '.join(result.missing)}")
    return "\n".join(lines)
