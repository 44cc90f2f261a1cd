"""Which database to open: --db, else SMERTEAGENT_DB_URL, else SQLite in the user's data folder.

Kept free of SQLAlchemy so that the app can find its database before the heavy imports.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

DB_URL_VARIABLE = "SMERTEAGENT_DB_URL"
DEFAULT_FILE = "smerteagent.sqlite"


def default_url() -> str:
    from smerteagent.paths import user_data_dir

    return f"sqlite:///{user_data_dir() / DEFAULT_FILE}"


def resolve_url(url: str | None) -> str:
    """``--db``, else SMERTEAGENT_DB_URL, else the SQLite file in the user's data folder."""
    chosen = url or os.environ.get(DB_URL_VARIABLE) or default_url()
    if "://" not in chosen:
        chosen = f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def describe_url(url: str) -> str:
    """The database as a user should see it named: the SQLite file, or the server address without password."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///").removeprefix("file:").split("?")[0]
    return re.sub(r"(://[^:/@\s]*):\S*@", r"\1:***@", url)
