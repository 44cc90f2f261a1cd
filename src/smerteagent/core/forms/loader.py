"""Reads form and battery files from the bundled folder and the user's folders.

A broken file becomes one :class:`FormError` (file, field path, problem) in ``FormLibrary.errors``; every
other file still loads. A user folder's form overrides a bundled form with the same id, which is how a
clinic installs licensed wording without touching the program.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from smerteagent.core.batteries import check_battery
from smerteagent.core.errors import FormError, UnknownFormError
from smerteagent.core.forms.compiler import compile_form
from smerteagent.core.forms.model import Battery, Form
from smerteagent.core.scoring.engine import CompiledForm

FORM_SUFFIXES = (".yaml", ".yml", ".json")
BATTERY_FOLDER = "batteries"
Model = TypeVar("Model", bound=BaseModel)

_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


def read_document(path: Path) -> Any:
    """Parse a YAML or JSON file; any read or syntax problem becomes a FormError with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FormError(str(path), "", f"cannot read the file: {error}") from None
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_YamlLoader)
    except json.JSONDecodeError as error:
        raise FormError(str(path), f"line {error.lineno}", f"invalid JSON: {error.msg}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise FormError(str(path), where, f"invalid YAML: {problem}") from None
    except RecursionError:
        raise FormError(str(path), "", "the file is nested too deeply") from None


def _field_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" not in part and "-" not in part and part not in ("str", "int", "float", "dict"):
            path += f".{part}" if path else part
    return path


def _validation_problem(error: ValidationError, file: str) -> FormError:
    details = error.errors(include_url=False)
    detail = max(details, key=lambda d: len(d["loc"]))
    problem = detail["msg"].removeprefix("Value error, ")  # a validator's own words need no label
    if isinstance(detail.get("input"), bool):
        problem += " (YAML reads yes/no/on/off as true/false: put the text in quotes)"
    if len(details) > 1:
        problem += f" (and {len(details) - 1} more problem{'s' if len(details) > 2 else ''})"
    return FormError(file, _field_path(tuple(detail["loc"])), problem)


def validate_document(document: Any, model: type[Model], file: str) -> Model:
    if not isinstance(document, dict):
        raise FormError(file, "", f"the file must hold a mapping of fields, not {type(document).__name__}")
    try:
        return model.model_validate(document)
    except ValidationError as error:
        raise _validation_problem(error, file) from None
    except RecursionError:
        raise FormError(file, "", "the file is nested too deeply") from None


def load_form(path: Path) -> CompiledForm:
    """Load, validate and compile one form file."""
    form = validate_document(read_document(path), Form, str(path))
    return compile_form(form, str(path))


def load_battery(path: Path) -> Battery:
    return validate_document(read_document(path), Battery, str(path))


def form_files(folder: Path) -> list[Path]:
    """The form files directly in ``folder`` (schema files excluded), in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in FORM_SUFFIXES and p.is_file() and ".schema." not in p.name)


@dataclass
class FormLibrary:
    """All usable forms and batteries, where each came from, and the files that could not be used."""

    forms: dict[str, CompiledForm] = field(default_factory=dict)
    batteries: dict[str, Battery] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    errors: list[FormError] = field(default_factory=list)

    @classmethod
    def load(cls, folders: Sequence[Path]) -> FormLibrary:
        """Load folders in order; a later folder's form replaces an earlier one with the same id."""
        library = cls()
        for folder in folders:
            library._load_forms(form_files(folder))
        for folder in folders:
            library._load_batteries(form_files(folder / BATTERY_FOLDER))
        return library

    def get(self, form_id: str) -> CompiledForm:
        try:
            return self.forms[form_id]
        except KeyError:
            raise UnknownFormError(form_id, list(self.forms)) from None

    def _load_forms(self, paths: Iterable[Path]) -> None:
        seen_here: dict[str, Path] = {}
        for path in paths:
            try:
                form = load_form(path)
            except FormError as error:
                self.errors.append(error)
                continue
            if form.id in seen_here:
                self.errors.append(FormError(str(path), "id", f"{form.id!r} is also defined in {seen_here[form.id]}"))
                continue
            seen_here[form.id] = path
            self.forms[form.id] = form
            self.origins[form.id] = path

    def _load_batteries(self, paths: Iterable[Path]) -> None:
        for path in paths:
            try:
                battery = load_battery(path)
                check_battery(battery, self.forms, str(path))
            except FormError as error:
                self.errors.append(error)
                continue
            self.batteries[battery.id] = battery
