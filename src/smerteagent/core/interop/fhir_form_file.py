"""Writing an imported form file: by the YAML emitter, read back and compared, never left half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from smerteagent.core.errors import FormError
from smerteagent.core.forms.loader import read_document, validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_import import ImportedForm

# libyaml's emitter when PyYAML has it (a long form is written in a fraction of the time).
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def write_imported_form(out: Path, imported: ImportedForm) -> None:
    """``out`` holds the form with the report as escaped one-line comments; it replaces ``out`` only after it
    was loaded back by the normal loader and found equal to the form meant (a failure leaves no file)."""
    meant = validate_document(imported.document, Form, str(out))
    header = [f"# Imported from FHIR by smerteagent forms import-fhir. {'Scored.' if imported.scored else 'UNSCORED.'}"]
    header += [f"# {line}" for line in imported.report]  # ReportLine escapes line breaks and control characters
    body = yaml.dump(imported.document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".partial", dir=out.parent)
    partial = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write("\n".join(header) + "\n" + body)
        # The import compiled this form already: reading it back equal is what is left to check.
        if validate_document(read_document(partial), Form, str(out)) != meant:
            raise FormError(str(out), "", "the written file does not read back as the imported form")
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
