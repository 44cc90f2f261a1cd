"""The schema revisions this program knows, oldest first — importable without SQLAlchemy or Alembic.

``tests/storage/test_safety.py`` keeps this list equal to the migration scripts.
"""

from __future__ import annotations

KNOWN_REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005i14b",
    "0005issue13",
    "0005issue12",
    "0005i16",
    "0006i15b",
    "0006i15c",
    "0007i16",
)
HEAD = KNOWN_REVISIONS[-1]
