"""``smerteagent score``: score one answer set, or a JSON-lines batch, with the published rules."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from smerteagent.cli.common import fail, load_library
from smerteagent.core.errors import AnswerError, SmerteAgentError
from smerteagent.core.scoring.result import ScoreResult

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
    if arguments.batch is not None:
        if arguments.form_id or arguments.answers or arguments.answers_file:
            return fail("--batch takes its forms and answers from the file only", EXIT_USAGE)
        with _open(arguments.batch) as stream:
            for line in score_lines(library, stream):
                sys.stdout.write(line + "\n")
        return EXIT_OK
    if not arguments.form_id:
        return fail("name the instrument to score (FORM_ID), or use --batch", EXIT_USAGE)
    try:
        form = library.get(arguments.form_id)
        answers, sex = _single_request(arguments, form)
        result = form.score(answers, sex)
    except (SmerteAgentError, ValueError) as error:
        return fail(str(error), EXIT_USAGE)
    print(json.dumps(result.to_json(), ensure_ascii=False) if arguments.json else describe(result))
    return EXIT_OK


def _open(name: str) -> TextIO:
    if name == "-":
        return open(sys.stdin.fileno(), encoding="utf-8", closefd=False)
    return open(name, encoding="utf-8")


def _single_request(arguments: argparse.Namespace, form: CompiledForm) -> tuple[dict[str, object], str | None]:
    answers: dict[str, object] = {}
    sex = arguments.sex
    if arguments.answers_file:
        with _open(arguments.answers_file) as stream:
            try:
                document = json.load(stream)
            except json.JSONDecodeError as error:
                raise ValueError(f"{arguments.answers_file}: invalid JSON: {error}") from None
        if isinstance(document, dict) and isinstance(document.get("answers"), dict):
            sex = sex or document.get("sex")
            document = document["answers"]
        if not isinstance(document, dict):
            raise ValueError(f"{arguments.answers_file}: expected a JSON object of item: value")
        answers.update(document)
    for pair in arguments.answers:
        item, separator, text = pair.partition("=")
        if not separator or not item:
            raise ValueError(f"expected ITEM=VALUE, got {pair!r}")
        answers[item] = _parse_value(form, item, text)
    return answers, sex


def _parse_value(form: CompiledForm, item: str, text: str) -> object:
    rule = form.items.get(item)
    if rule is None:
        raise AnswerError(item, text, f"{form.id} has no such item")
    if text in ("", "null"):
        return None
    if rule.is_text:
        return text
    try:
        return int(text)
    except ValueError:
        raise AnswerError(item, text, f"{form.id}: the answer must be a whole number") from None


def score_lines(library: FormLibrary, lines: Iterable[str]) -> Iterator[str]:
    """One JSON result (or ``{"error": ...}``) per input line, in order."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    for number, line in enumerate(lines, start=1):
        try:
            yield dumps(_score_request(library, line).to_json())
        except (SmerteAgentError, ValueError, TypeError) as error:
            yield dumps({"error": f"line {number}: {error}"})


def _score_request(library: FormLibrary, line: str) -> ScoreResult:
    request = json.loads(line)
    if not isinstance(request, dict):
        raise ValueError("expected a JSON object {form, answers, sex}")
    form_id = request.get("form")
    if not isinstance(form_id, str):
        raise ValueError("'form' must name an instrument")
    answers = request.get("answers", {})
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ValueError("'answers' must be an object of item: value")
    return library.get(form_id).score(answers, request.get("sex"))


def describe(result: ScoreResult) -> str:
    """A short human-readable summary of one result."""
    lines = [f"{result.form} (version {result.version})"]
    lines += [f"  {name}: {'—' if value is None else value}" for name, value in result.results.items()]
    lines.append(f"  band: {result.band or '—'}")
    lines.append(f"  flags: {', '.join(result.flags) or '—'}")
    if result.missing:
        lines.append(f"  unanswered: {', '.join(result.missing)}")
    return "\n".join(lines)
