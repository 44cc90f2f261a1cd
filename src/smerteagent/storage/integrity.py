"""What a SQLite file is and whether it is sound, checked cheaply on every open and fully off the critical path.

Opening reads the 100-byte header and the file's size (a header, a page size or a length SQLite would
never write is refused at once) and the result of the last full check, kept beside the database in
``<file>.check``. The full ``PRAGMA integrity_check`` (which reads every page and every index, unlike
``quick_check``) runs in the background after the app starts, in ``db check`` and before every backup.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from smerteagent.core.errors import StorageUnavailable
from smerteagent.storage.file_head import read_head

PLAIN_HEADER = b"SQLite format 3\x00"
HEADER_BYTES = 100
SQLITE_FRACTIONS = b"\x40\x20\x20"  # header bytes 21-23: the same in every SQLite file
MIN_PAGE, MAX_PAGE = 512, 65536
FULL_DISK_BYTES = 1 << 20  # less free space than this and a failed write is the disk's fault
WAL_HEADER, WAL_FRAME_HEADER = 32, 24


def marker(path: Path) -> Path:
    """Where the last full check of ``path`` is recorded."""
    return path.with_name(f"{path.name}.check")


def looks_random(data: bytes) -> bool:
    """Encrypted pages look like noise; SQLite pages, text and most file formats do not."""
    return len(data) >= 256 and len(set(data)) >= 200


def header_problem(path: Path) -> StorageUnavailable | None:
    """What the header and size of an existing, non-empty file say is wrong with it (None: looks sound)."""
    first, size = read_head(path, MAX_PAGE)  # not open()/close(): that would drop SQLite's locks (file_head)
    if first[: len(PLAIN_HEADER)] != PLAIN_HEADER:
        if size >= MIN_PAGE and size % MIN_PAGE == 0 and looks_random(first[16:1040]):
            return None  # SQLCipher: judged by its passphrase
        if first[21:24] == SQLITE_FRACTIONS or b"CREATE TABLE" in first:  # the rest of SQLite's header, or its schema
            return StorageUnavailable("corrupt", f"{path}: its header is damaged")
        return StorageUnavailable("not_a_database", str(path))
    return _size_problem(path, first[:HEADER_BYTES], size)


def _size_problem(path: Path, header: bytes, size: int) -> StorageUnavailable | None:
    """A page size SQLite never writes, or a file shorter than its header says: cut short (truncated)."""
    if len(header) < HEADER_BYTES:
        return StorageUnavailable("corrupt", f"{path}: truncated to {size} bytes")
    page = int.from_bytes(header[16:18], "big")
    page = MAX_PAGE if page == 1 else page
    if page < MIN_PAGE or page > MAX_PAGE or page & (page - 1):
        return StorageUnavailable("corrupt", f"{path}: its header names a page size of {page} bytes")
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the in-header size is valid only when these agree
    wal = Path(f"{path}-wal")
    if size % page or (counted and pages * page > size and not (wal.exists() and wal.stat().st_size > 0)):
        return StorageUnavailable("corrupt", f"{path}: truncated ({size} bytes; its header says {pages * page})")
    return None


def refuse_empty_with_backups(path: Path, backups: list[Path]) -> None:
    """A 0-byte file beside backups is a lost register, not a new one: refused, with the restore offer."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return  # the content may all be in the journal still: SQLite judges it
    if backups and path.is_file() and path.stat().st_size == 0:
        raise StorageUnavailable(
            "corrupt", f"{path} is empty (0 bytes) while {len(backups)} backup(s) lie beside it; newest {backups[0]}"
        )


def last_damage(path: Path) -> str | None:
    """The problem the last full check of this very file found (None: sound, never checked, or replaced)."""
    try:
        record = json.loads(marker(path).read_text(encoding="utf-8"))
        same_file = record.get("inode") == path.stat().st_ino
    except (OSError, ValueError, AttributeError):
        return None
    problem = record.get("problem") if same_file and record.get("result") == "damaged" else None
    return f"{problem} (found by the integrity check of {record.get('checked')})" if problem else None


def record(path: Path, problems: list[str]) -> None:
    """Keep the result of a full check beside the database (owner-only; best effort on a read-only folder)."""
    content = {
        "result": "damaged" if problems else "ok",
        "problem": problems[0] if problems else "",
        "checked": datetime.now().isoformat(timespec="seconds"),
        "inode": path.stat().st_ino,
    }
    target = marker(path)
    temporary = target.with_name(f"{target.name}.tmp")
    try:
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(content, file)
        os.replace(temporary, target)
    except OSError:
        return


def forget(path: Path) -> None:
    """A restored file starts afresh."""
    marker(path).unlink(missing_ok=True)


def full_check(connection: Any) -> list[str]:
    """SQLite's integrity_check on a DB-API connection: every page, every index against its table."""
    rows = connection.execute("PRAGMA integrity_check").fetchall()
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def refine(reason: str, path: Path | None) -> tuple[str, str]:
    """The precise cause of a read-only or input/output failure on ``path``, and the file it concerns."""
    if path is None:
        return reason, ""
    if reason == "read_only":
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if candidate.exists() and not os.access(candidate, os.W_OK):
                return "read_only_file", str(candidate)
        if not os.access(path.parent, os.W_OK):
            return "read_only_folder", str(path.parent)
    if reason in ("io_error", "disk_full"):
        if wal_cut_short(path):
            return "wal_missing", f"{path}-wal"
        if _free_bytes(path.parent) < FULL_DISK_BYTES:
            return "disk_full", str(path.parent)
    return reason, str(path)


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return FULL_DISK_BYTES


def wal_cut_short(path: Path) -> bool:
    """The shared index (-shm) counts more journal frames than the -wal file holds: it was deleted or cut."""
    try:
        index, _size = read_head(Path(f"{path}-shm"), 48)
    except OSError:
        return False
    if len(index) < 48:
        return False
    order = sys.byteorder  # the index is in the writing machine's order (it never leaves it)
    raw_page = int.from_bytes(index[14:16], order)
    page = (raw_page & 0xFF00) | ((raw_page & 0x0001) << 16)
    frames = int.from_bytes(index[16:20], order)
    wal = Path(f"{path}-wal")
    size = wal.stat().st_size if wal.exists() else 0
    return frames > 0 and page >= MIN_PAGE and size < WAL_HEADER + frames * (WAL_FRAME_HEADER + page)
