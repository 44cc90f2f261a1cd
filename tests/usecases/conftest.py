"""Use-case fixtures: the storage services over a fresh migrated database (the storage layer's fixtures)."""

from __future__ import annotations

from tests.storage.conftest import database_url, forms, pg_template, services, sqlite_template

__all__ = ["database_url", "forms", "pg_template", "services", "sqlite_template"]
