"""The app's first screen before the services have loaded: the patient list and its search over a checked
plain SQLite file, read with the standard library (no SQLAlchemy here; see storage/list_reader.py)."""

from __future__ import annotations

from smerteagent.storage.list_reader import ListReader, open_list_reader

__all__ = ["ListReader", "open_list_reader"]
