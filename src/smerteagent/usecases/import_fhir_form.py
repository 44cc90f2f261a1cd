"""Taking a FHIR Questionnaire in as a form of the clinic: the safety rules, written once for every face
(they lived in the CLI's ``forms import-fhir`` only).

An import never replaces a bundled instrument (an import has no bands or flags); it never overwrites a form
unless asked; and even when asked it never removes a critical flag (suicide risk) that the form it replaces
declares. A refusal is an :class:`ImportRefused` subclass that names what it protects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smerteagent.core.errors import FormError, SmerteAgentError
from smerteagent.core.forms.loader import FormLibrary, load_form
from smerteagent.core.interop.fhir_form_file import write_imported_form
from smerteagent.paths import bundled_forms_dir, user_forms_dirs

__all__ = [
    "BundledForm", "CriticalFlagsLost", "FormExists", "ImportRefused", "check_import", "target_file",
    "write_imported_form",
]  # fmt: skip


class ImportRefused(SmerteAgentError):
    """The imported form is not written."""


class BundledForm(ImportRefused):
    def __init__(self, form_id: str) -> None:
        super().__init__(f"form {form_id!r} is a bundled instrument and is never replaced by an import")
        self.form_id = form_id


class FormExists(ImportRefused):
    def __init__(self, form_id: str, where: Path) -> None:
        super().__init__(f"form {form_id!r} already exists ({where})")
        self.form_id, self.where = form_id, where


class CriticalFlagsLost(ImportRefused):
    def __init__(self, where: Path, flags: list[str]) -> None:
        super().__init__(f"replacing {where} would remove its critical flags {', '.join(flags)}")
        self.where, self.flags = where, flags


def target_file(form_id: str, out: Path | None, forms_dir: Path | None) -> Path:
    """Where the import goes: ``out`` if given, else the last user forms folder (--forms-dir,
    SMERTEAGENT_FORMS_DIR, else the user data folder)."""
    return out or user_forms_dirs(forms_dir)[-1] / f"{form_id}.yaml"


def check_import(form_id: str, document: dict[str, Any], out: Path, library: FormLibrary, *, replace: bool) -> None:
    """Refuse the import (:class:`ImportRefused`) when it would replace a bundled instrument, overwrite a form
    without ``replace``, or drop a critical flag of the form it replaces."""
    if form_id in FormLibrary.load([bundled_forms_dir()]).forms:
        raise BundledForm(form_id)
    clash = library.origins.get(form_id)
    if not replace and (out.exists() or clash is not None):
        raise FormExists(form_id, out if out.exists() or clash is None else clash)
    lost = critical_flags_lost(document, [out, *([clash] if clash is not None else [])])
    if lost is not None:
        raise CriticalFlagsLost(*lost)


def critical_flags_lost(document: dict[str, Any], files: list[Path]) -> tuple[Path, list[str]] | None:
    """The first existing form file whose critical flags the imported form would drop, and those flags."""
    declared = {flag["id"] for flag in document.get("scoring", {}).get("flags", [])}
    for file in files:
        try:
            existing = load_form(file) if file.is_file() else None
        except FormError:
            continue  # a broken file guards nothing; replacing it loses no working flag
        if existing is None:
            continue
        critical = [f.id for f in existing.definition.scoring.flags if f.severity == "critical"]
        lost = [flag for flag in critical if flag not in declared]
        if lost:
            return file, lost
    return None
