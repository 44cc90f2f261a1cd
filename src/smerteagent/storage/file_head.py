"""The first bytes of a database file (or of its -shm index) read without dropping SQLite's locks.

POSIX advisory locks belong to the process and the file, not to a descriptor: closing ANY descriptor of a
file releases every lock the process holds on it, SQLite's included. Another process (a command run beside
the app) then takes itself for the last user when it closes, checkpoints and deletes the -wal and -shm files
this process still writes through: its writes are lost, and the database can be damaged
(https://www.sqlite.org/howtocorrupt.html, section 2.2). So while another descriptor of the same file is
open in this process (SQLite's), the one read here is kept open instead of closed, and closed once SQLite's
are gone (looked up in /proc/self/fd or /dev/fd); SQLite does the same with its own. On Windows a lock
belongs to its handle, and a handle left open would stop a restore from replacing the file: closed at once.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

_DESCRIPTOR_FOLDERS = ("/proc/self/fd", "/dev/fd")
_held: dict[tuple[int, int], list[int]] = {}  # (device, inode) -> descriptors kept open while SQLite has the file
_guard = threading.Lock()


def read_head(path: Path, count: int) -> tuple[bytes, int]:
    """The first ``count`` bytes of ``path`` and its size now (OSError as ``open`` raises it)."""
    if sys.platform == "win32":  # (mypy reads what follows as POSIX only)
        with path.open("rb") as file:
            return file.read(count), os.fstat(file.fileno()).st_size
    with _guard:
        _release_unshared()
        status = os.stat(path)
        kept = _held.get((status.st_dev, status.st_ino))
        if kept:  # read through the one kept: opening (and later closing) another would drop the locks
            return os.pread(kept[0], count, 0), os.fstat(kept[0]).st_size
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        status = os.fstat(descriptor)  # the file opened (it may have been replaced since the stat above)
        try:
            if not stat.S_ISREG(status.st_mode):
                raise IsADirectoryError(21, "not a regular file", str(path))
            return os.pread(descriptor, count, 0), status.st_size
        finally:
            key = (status.st_dev, status.st_ino)
            if stat.S_ISREG(status.st_mode) and _shared(descriptor, key):
                _held.setdefault(key, []).append(descriptor)
            else:
                os.close(descriptor)


def _release_unshared() -> None:
    """Close the kept descriptors of the files no other descriptor here holds any longer (no locks to drop)."""
    for key, descriptors in list(_held.items()):
        if not _shared(descriptors, key):
            del _held[key]
            for descriptor in descriptors:
                os.close(descriptor)


def _shared(own: int | list[int], key: tuple[int, int]) -> bool:
    """Whether a descriptor other than ``own`` of the file ``key`` is open in this process (True when that
    cannot be told: keeping a descriptor costs one; closing it wrongly costs the register)."""
    mine = {own} if isinstance(own, int) else set(own)
    for folder in _DESCRIPTOR_FOLDERS:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not name.isdigit() or int(name) in mine:
                continue
            try:
                status = os.fstat(int(name))
            except OSError:  # the listing's own descriptor, closed by now
                continue
            if (status.st_dev, status.st_ino) == key:
                return True
        return False
    return True
