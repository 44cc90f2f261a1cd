"""Damage SQLite files the way a failing disk does, for the integrity tests (test helpers only)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

INDEX_INTERIOR, INDEX_LEAF = 0x02, 0x0A


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for offset in range(9):
        byte = data[at + offset]
        if offset == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + offset + 1
    raise AssertionError("unreachable")


def _leaves(data: bytes, page_size: int, page: int) -> list[int]:
    start = (page - 1) * page_size
    header = start + (100 if page == 1 else 0)
    kind, cells = data[header], int.from_bytes(data[header + 3 : header + 5], "big")
    if kind == INDEX_LEAF:
        return [page]
    assert kind == INDEX_INTERIOR, kind
    children = [int.from_bytes(data[header + 8 : header + 12], "big")]
    for number in range(cells):
        cell = start + int.from_bytes(data[header + 12 + 2 * number : header + 14 + 2 * number], "big")
        children.append(int.from_bytes(data[cell : cell + 4], "big"))
    return [leaf for child in children for leaf in _leaves(data, page_size, child)]


def misdirect_index(path: Path, index: str = "sqlite_autoindex_patients_1") -> None:
    """Change the row ids one leaf of ``index`` points to (a few flipped bytes): every page stays well
    formed, so quick_check passes, but the index no longer matches its table (integrity_check fails)."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root, page_size = (
        connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)).fetchone()[0],
        connection.execute("PRAGMA page_size").fetchone()[0],
    )
    connection.close()
    data = bytearray(path.read_bytes())
    leaf = _leaves(bytes(data), page_size, root)[0]
    start = (leaf - 1) * page_size
    cells = int.from_bytes(data[start + 3 : start + 5], "big")
    for number in range(cells):
        cell = start + int.from_bytes(data[start + 8 + 2 * number : start + 10 + 2 * number], "big")
        size, body = _varint(bytes(data), cell)
        data[body + size - 1] ^= 0x40  # the last byte of the record: the row id the entry points to
    path.write_bytes(bytes(data))
