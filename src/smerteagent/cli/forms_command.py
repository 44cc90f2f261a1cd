"""``smerteagent forms``: list the instruments, validate form files, show one instrument."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smerteagent.cli.common import fail, load_library
from smerteagent.core.errors import FormError, UnknownFormError

if TYPE_CHECKING:
    from smerteagent.core.scoring.engine import CompiledForm

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
LICENCE_STATUS = {"official": "official wording", "own_labels": "own labels", "unknown": "licence unknown"}


def register(commands: Any, add_forms_dir: Callable[[argparse.ArgumentParser], None]) -> None:
    forms = commands.add_parser("forms", help="list, validate and show instruments")
    actions = forms.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="id, version, title and licence status of every instrument")
    listing.add_argument("--lang", choices=("da", "en"), default="da")
    listing.add_argument("--json", action="store_true")
    add_forms_dir(listing)
    listing.set_defaults(handler=run_list)

    validate = actions.add_parser(
        "validate", help="check form, battery or rules files (a folder: its rules/ too); exit 1 if any is invalid"
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    add_forms_dir(validate)
    validate.set_defaults(handler=run_validate)

    schema = actions.add_parser("schema", help="print the JSON Schema of form (or battery) files")
    schema.add_argument("--battery", action="store_true", help="the battery schema instead")
    schema.set_defaults(handler=run_schema)

    imported = actions.add_parser("import-fhir", help="a FHIR R4 Questionnaire as a form in the user forms folder")
    imported.add_argument("file", type=Path, metavar="FILE.json")
    imported.add_argument("--id", dest="form_id", metavar="ID", help="the new form's id (default: from the name)")
    imported.add_argument("--out", type=Path, metavar="FILE.yaml", help="default: the user forms folder")
    imported.add_argument("--replace", action="store_true", help="replace a form with the same id or file")
    add_forms_dir(imported)
    imported.set_defaults(handler=run_import_fhir)

    show = actions.add_parser("show", help="items, options and scoring of one instrument")
    show.add_argument("form_id", metavar="ID")
    show.add_argument("--lang", choices=("da", "en"), default="da")
    show.add_argument("--json", action="store_true", help="the form definition as JSON")
    add_forms_dir(show)
    show.set_defaults(handler=run_show)


def run_list(arguments: argparse.Namespace) -> int:
    library = load_library(arguments)
    rows = [
        {
            "id": form.id,
            "version": form.version,
            "title": form.definition.title.get(arguments.lang),
            "licence": LICENCE_STATUS[form.definition.licence.wording],
            "audience": form.definition.audience,
            "file": str(library.origins[form.id]),
        }
        for form in sorted(library.forms.values(), key=lambda f: f.id)
    ]
    if arguments.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max((len(r["id"]) for r in rows), default=2)
    for row in rows:
        print(f"{row['id']:<{width}}  {row['version']:<6}  {row['licence']:<16}  {row['title']}")
    return EXIT_OK


def run_validate(arguments: argparse.Namespace) -> int:
    from smerteagent.core.forms.loader import BATTERY_FOLDER, form_files

    library = load_library(arguments, quiet=True)
    files: list[Path] = []
    for path in arguments.paths:
        if path.is_dir():
            files += form_files(path) + form_files(path / BATTERY_FOLDER) + form_files(path / "rules")
        else:
            files.append(path)
    if not files:
        return fail("no form files found in the given paths", EXIT_INVALID)
    problems = 0
    for file in files:
        try:
            _validate_file(file, library.forms)
            print(f"ok       {file}")
        except FormError as error:
            problems += 1
            print(f"invalid  {error}")
    return EXIT_INVALID if problems else EXIT_OK


def _validate_file(file: Path, forms: dict[str, CompiledForm]) -> None:
    from smerteagent.core.batteries import check_battery
    from smerteagent.core.forms.loader import load_battery, load_form, read_document
    from smerteagent.core.rules.library import RULE_FILES, load_rule_file

    if not file.is_file():
        raise FormError(str(file), "", "no such file")
    if file.name in RULE_FILES:  # a rules file is known by its name (medication.yaml, thresholds.yaml ...)
        load_rule_file(RULE_FILES[file.name], file)
        return
    document = read_document(file)
    if isinstance(document, dict) and "instruments" in document:
        check_battery(load_battery(file), forms, str(file))
    else:
        form = load_form(file)
        forms.setdefault(form.id, form)


def run_schema(arguments: argparse.Namespace) -> int:
    from smerteagent.core.forms.schema import battery_schema, form_schema

    sys.stdout.write(battery_schema() if arguments.battery else form_schema())
    return EXIT_OK


def run_show(arguments: argparse.Namespace) -> int:
    library = load_library(arguments)
    try:
        form = library.get(arguments.form_id)
    except UnknownFormError as error:
        return fail(str(error), EXIT_USAGE)
    if arguments.json:
        print(json.dumps(form.definition.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2))
    else:
        print(describe_form(form, arguments.lang, library.origins[form.id]))
    return EXIT_OK


def describe_form(form: CompiledForm, language: str, origin: Path) -> str:
    """A readable view of one instrument in the chosen language."""
    definition = form.definition
    lines = [
        f"{definition.title.get(language)}  [{definition.id} {definition.version}]",
        f"file:    {origin}",
        f"source:  {definition.source}",
        f"licence: {LICENCE_STATUS[definition.licence.wording]} — {definition.licence.terms}",
        f"audience: {definition.audience} (results: {definition.results_audience})",
        "",
    ]
    for item in definition.items:
        condition = f"  (asked when {item.enable_when})" if item.enable_when else ""
        lines.append(f"{item.id}: {item.text.get(language)}{condition}")
        if item.type == "numeric":
            lines.append(f"    {item.min}–{item.max}")
        for option in form.options.get(item.id, ()):
            lines.append(f"    {option.value} = {option.label(language)}")
    scoring = definition.scoring
    lines.append("")
    for result in scoring.results:
        if not result.hidden:
            lines.append(f"result {result.id}: {result.method}, range {result.range[0]:g}–{result.range[1]:g}")
    for band in scoring.bands:
        lines.append(f"band {band.id}: {band.when or 'otherwise'} — {band.label.get(language)}")
    for flag in scoring.flags:
        lines.append(f"flag {flag.id} ({flag.severity}): {flag.when}")
    return "\n".join(lines)


def run_import_fhir(arguments: argparse.Namespace) -> int:
    from smerteagent.core.interop.fhir_import import NO_BANDS_OR_FLAGS_MESSAGE, NothingImported, import_questionnaire
    from smerteagent.core.interop.fhir_input import FhirInputError, read_json
    from smerteagent.usecases.import_fhir_form import (
        BundledForm,
        CriticalFlagsLost,
        FormExists,
        check_import,
        target_file,
        write_imported_form,
    )

    try:
        document = read_json(arguments.file)
        imported = import_questionnaire(document, str(arguments.file), arguments.form_id)
    except NothingImported as error:
        for line in error.report:
            print(line)
        return fail(str(error), EXIT_INVALID)
    except (FormError, FhirInputError) as error:
        return fail(str(error), EXIT_USAGE)
    library = load_library(arguments, quiet=True)
    out = target_file(imported.form_id, arguments.out, getattr(arguments, "forms_dir", None))
    try:
        check_import(imported.form_id, imported.document, out, library, replace=arguments.replace)
    except BundledForm:
        return fail(f"form {imported.form_id!r} is a bundled instrument and is never replaced by an import (which "
                    "has no bands or flags); choose another id with --id", EXIT_USAGE)  # fmt: skip
    except FormExists as exists:
        return fail(f"form {imported.form_id!r} already exists ({exists.where}); choose another --id, or --replace",
                    EXIT_USAGE)  # fmt: skip
    except CriticalFlagsLost as lost:
        return fail(f"--replace would remove the critical flags {', '.join(lost.flags)} of {lost.where}: the "
                    "imported form does not declare them; choose another id with --id", EXIT_USAGE)  # fmt: skip
    for line in imported.report:
        print(line)
    print(f"WARNING: {NO_BANDS_OR_FLAGS_MESSAGE}", file=sys.stderr)
    for warning in imported.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    try:
        write_imported_form(out, imported)
    except FormError as error:
        return fail(f"{out}: not written: {error}", EXIT_INVALID)
    except OSError as error:
        return fail(f"{out}: cannot write it ({error.strerror or error})", EXIT_INVALID)
    print(f"wrote {out} ({'scored' if imported.scored else 'UNSCORED'}, {len(imported.document['items'])} items)")
    return EXIT_OK
