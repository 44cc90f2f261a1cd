"""Where the database is and what it holds, before the heavy imports (no SQLAlchemy here): the faces find
the database, show its name while storage loads."""

from __future__ import annotations

from smerteagent.storage.encryption import warm_up
from smerteagent.storage.location import describe_url, resolve_url
from smerteagent.storage.preview import sqlite_file

__all__ = ["describe_url", "resolve_url", "sqlite_file", "warm_up"]
