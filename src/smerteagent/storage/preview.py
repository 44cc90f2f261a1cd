"""Where a plain SQLite URL keeps its file, with the standard library only (the app's first screen and the
location helpers ask before SQLAlchemy is loaded; see :mod:`smerteagent.storage.list_reader`)."""

from __future__ import annotations

from pathlib import Path


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL or path; None for anything else (PostgreSQL, URI options)."""
    if url.startswith("sqlite:///") and "?" not in url:
        return Path(url.removeprefix("sqlite:///"))
    if "://" not in url:
        return Path(url).expanduser()
    return None
