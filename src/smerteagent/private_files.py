"""Files that carry patient data (exports, PDFs) are created readable by their owner only.

On POSIX a new file is created with mode 0600 whatever the umask (the other accounts of a shared PC
cannot read it); the user may widen it afterwards, and an existing file keeps the permissions given to it.
On Windows the mode only decides read-only or not; the user profile's folders are private by their ACLs.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

from smerteagent.core.errors import SmerteAgentError

OWNER_ONLY = 0o600

T = TypeVar("T")


class OutputError(SmerteAgentError):
    """The file a user asked for cannot be written there (no such folder, a folder, no permission, full)."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"cannot write {path}: {problem}")
        self.path, self.problem = path, problem


def open_private(path: Path, mode: str = "w", **options: Any) -> IO[Any]:
    """``open(path, mode)`` for writing, creating the file owner-only; ``mode`` is "w" or "wb"."""
    if mode not in ("w", "wb"):
        raise ValueError(f"open_private writes only (w, wb), not {mode!r}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags, OWNER_ONLY)
    except OSError as error:
        raise OutputError(path, str(error.strerror or error)) from None
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
        raise OutputError(path, str(error.strerror or error)) from None


def publish_private(path: Path, data: bytes, record: Callable[[], T]) -> T:
    """Write ``data`` to ``path`` so that the record (the audit event, a frozen plan) and the file agree:
    the bytes go to an owner-only temporary file beside ``path`` first (a read-only folder or a full disk
    fails here, before anything is recorded), then ``record()`` runs, and only then the file takes its
    name. A record that fails leaves no file; a failed write leaves no record. An existing file that is
    replaced keeps the permissions given to it (see the module's note)."""
    folder = path.parent
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as error:
        raise OutputError(path, str(error.strerror or error)) from None
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file, _writing(path):
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with _writing(path):
            _keep_permissions(path, temporary)
        result = record()
        with _writing(path):
            os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result


def _keep_permissions(path: Path, temporary: Path) -> None:
    try:
        existing = path.stat()
    except FileNotFoundError:
        return  # mkstemp made the new file owner-only (0600) already
    os.chmod(temporary, stat.S_IMODE(existing.st_mode))
