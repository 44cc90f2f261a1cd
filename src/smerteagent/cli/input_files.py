"""Reading the files a command is given (or stdin for ``-``): every failure names the file, or the line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from smerteagent.cli.common import EXIT_FAILED, InputError

STDIN = "-"


def display(name: str) -> str:
    return "standard input" if name == STDIN else name


def _unreadable(name: str, error: OSError) -> InputError:
    """A missing, folder or forbidden file is the user's to fix (exit 2); anything else is the disk's (exit 1)."""
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return InputError(f"{name}: no such file")
    if isinstance(error, IsADirectoryError) or Path(name).is_dir():
        return InputError(f"{name}: is a folder, not a file")
    if isinstance(error, PermissionError):
        return InputError(f"{name}: not readable (permission denied)")
    return InputError(f"{display(name)}: could not be read ({error.strerror or error})", EXIT_FAILED)


def _open(name: str) -> IO[bytes] | nullcontext[IO[bytes]]:
    if name == STDIN:
        return nullcontext(sys.stdin.buffer)
    try:
        return open(name, "rb")
    except OSError as error:
        raise _unreadable(name, error) from None


def read_text(name: str) -> str:
    """The whole file as UTF-8 text (a byte-order mark is allowed)."""
    with _open(name) as stream:
        try:
            data = stream.read()
        except OSError as error:
            raise _unreadable(name, error) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{display(name)}: not valid UTF-8 text (byte {error.start + 1})") from None


def byte_lines(name: str) -> Iterator[bytes]:
    """The file's lines as bytes, read as they come, so one bad line cannot spoil the others."""
    with _open(name) as stream:
        while True:
            try:
                line = stream.readline()
            except OSError as error:
                raise _unreadable(name, error) from None
            if not line:
                return
            yield line


def decode_line(line: bytes, number: int) -> str:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not valid UTF-8 text") from None
    text = text.rstrip("\r\n")
    return text.removeprefix("\ufeff") if number == 1 else text


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise InputError(f"{key!r} is given twice")
        document[key] = value
    return document


def parse_json(text: str, blank: str) -> object:
    """JSON whose objects never repeat a key; ``blank`` says what was empty (a line, a file)."""
    if not text.strip():
        raise InputError(f"invalid JSON: {blank} is empty")
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        where = f"column {error.colno}" if error.lineno == 1 else f"line {error.lineno} column {error.colno}"
        raise InputError(f"invalid JSON: {error.msg} at {where}") from None
    except (ValueError, RecursionError) as error:  # a number too long to read, nesting too deep
        raise InputError(f"invalid JSON: {error}") from None
