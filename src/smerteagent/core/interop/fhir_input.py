"""Reading a FHIR JSON file safely: bounded size and nesting, one-line errors, no control characters.

A hostile or broken file must not cost minutes, gigabytes or a traceback: the size is checked before the
file is read, the JSON parser's own recursion limit is reported as a nesting error, and the nesting is
checked again without recursion before anything walks the document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from smerteagent.core.errors import SmerteAgentError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 100
# C0 and C1 control characters (tab, newline and carriage return are allowed in free text only).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[\t\r\n]")


class FhirInputError(SmerteAgentError):
    """A FHIR file that cannot be read at all: too big, too deep, not JSON, not readable."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


def nesting_depth(document: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest (a scalar is 0), level by level; stops once past ``limit``."""
    depth, level = 0, [document] if isinstance(document, dict | list) else []
    while level and depth <= limit:
        depth += 1
        below: list[Any] = []
        for value in level:
            below.extend(
                c for c in (value.values() if isinstance(value, dict) else value) if isinstance(c, dict | list)
            )
        level = below
    return depth


def parse_json(data: bytes, file: str) -> Any:
    """The JSON document in ``data``, within the size and depth limits."""
    if len(data) > MAX_BYTES:
        raise FhirInputError(file, f"{len(data):,} bytes; a FHIR file may be at most {MAX_BYTES:,} bytes")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise FhirInputError(file, f"not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise FhirInputError(file, f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except RecursionError:
        raise FhirInputError(file, f"nested more than {MAX_DEPTH} levels deep") from None
    if nesting_depth(document) > MAX_DEPTH:
        raise FhirInputError(file, f"nested more than {MAX_DEPTH} levels deep")
    return document


def read_json(path: Path) -> Any:
    """The JSON document in the file at ``path``; the size is checked before the file is read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FhirInputError(str(path), f"{size:,} bytes; a FHIR file may be at most {MAX_BYTES:,} bytes")
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise FhirInputError(str(path), "is a folder, not a file") from None
    except FileNotFoundError:
        raise FhirInputError(str(path), "no such file") from None
    except OSError as error:
        raise FhirInputError(str(path), f"cannot read it ({error.strerror or error})") from None
    return parse_json(data, str(path))


def clean_text(text: str) -> str:
    """Free text without control characters (tabs and line breaks kept)."""
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """Text for one line of a report: control characters and line breaks shown escaped, never acted on."""
    escaped = _LINE_BREAKS.sub(lambda m: repr(m[0])[1:-1], text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", escaped)
