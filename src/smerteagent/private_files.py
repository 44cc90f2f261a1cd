"""Files that carry patient data (exports, PDFs) are created readable by their owner only.

On POSIX a new file is created with mode 0600 whatever the umask (the other accounts of a shared PC
cannot read it); the user may widen it afterwards, and an existing file keeps the permissions given to it.
On Windows the mode only decides read-only or not; the user profile's folders are private by their ACLs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from smerteagent.core.errors import SmerteAgentError

OWNER_ONLY = 0o600


class OutputError(SmerteAgentError):
    """The file a user asked for cannot be written there (no such folder, a folder, no permission, full)."""


def open_private(path: Path, mode: str = "w", **options: Any) -> IO[Any]:
    """``open(path, mode)`` for writing, creating the file owner-only; ``mode`` is "w" or "wb"."""
    if mode not in ("w", "wb"):
        raise ValueError(f"open_private writes only (w, wb), not {mode!r}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags, OWNER_ONLY)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return os.fdopen(descriptor, mode, **options)


def write_private_bytes(path: Path, data: bytes) -> None:
    with open_private(path, "wb") as file, _writing(path):
        file.write(data)


def write_private_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with open_private(path, "w", encoding=encoding) as file, _writing(path):
        file.write(text)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A write that fails (a full disk) names the file."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
