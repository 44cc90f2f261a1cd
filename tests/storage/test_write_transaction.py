"""Every storage write goes through one transaction helper (issue 18 item 2: `_write()` was copied in five services)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import smerteagent.storage
from smerteagent.core.errors import StorageUnavailable
from smerteagent.storage.database import writing_session
from smerteagent.storage.models import PatientRow
from smerteagent.storage.services import Services

STORAGE = Path(smerteagent.storage.__file__).parent


def test_no_service_opens_its_own_write_transaction() -> None:
    copies = [
        path.name
        for path in STORAGE.glob("*.py")
        if path.name != "database.py" and re.search(r"def _write\(|_sessions\.begin\(\)", path.read_text("utf-8"))
    ]
    assert copies == []


def test_a_failed_write_is_rolled_back(services: Services) -> None:
    now = datetime.now()
    with pytest.raises(RuntimeError), writing_session(services.sessions) as session:
        row = PatientRow(cpr="0101901234", given_name="A", family_name="B", search_text="a b", given_key="a",
                         family_key="b", created_at=now, updated_at=now, last_activity_at=now)  # fmt: skip
        session.add(row)
        session.flush()
        raise RuntimeError("after the row was written")
    with services.sessions() as session:
        assert session.scalars(select(PatientRow).where(PatientRow.cpr == "0101901234")).first() is None


def test_a_database_failure_is_named_as_storage_unavailable(services: Services) -> None:
    with pytest.raises(StorageUnavailable), writing_session(services.sessions):
        raise OperationalError("INSERT INTO patients", {}, Exception("disk I/O error"))
