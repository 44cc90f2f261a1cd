"""The audit export's broken-chain policy lives in the use-case layer (issue 18), not in a face."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from smerteagent.storage.models import AuditEventRow
from smerteagent.storage.services import Services
from smerteagent.usecases.audit import BrokenTrail, export_trail


def break_the_chain(services: Services) -> None:
    services.audit.record("login", "user", 1)
    services.audit.record("login", "user", 2)
    with services.sessions.begin() as session:
        session.execute(update(AuditEventRow).where(AuditEventRow.id == 1).values(actor="mallory"))


def test_a_broken_trail_exports_nothing_unless_allowed(services: Services) -> None:
    break_the_chain(services)
    before = len(services.audit.events())
    with pytest.raises(BrokenTrail):
        export_trail(services, None, date.today(), "csv", allow_broken=False, target="test")
    assert len(services.audit.events()) == before  # not even an export event


def test_an_allowed_broken_export_says_so_in_the_file(services: Services) -> None:
    break_the_chain(services)
    made = export_trail(services, None, date.today(), "csv", allow_broken=True, target="test")
    assert made.text.startswith("# AUDIT TRAIL BROKEN at ")
    as_json = export_trail(services, None, date.today(), "json", allow_broken=True, target="test")
    assert '"intact": false' in as_json.text


def test_an_intact_trail_is_exported_and_the_export_audited(services: Services) -> None:
    services.audit.record("login", "user", 1)
    made = export_trail(services, None, date.today(), "csv", allow_broken=False, target="test")
    assert made.report.first_break is None and made.events == 1
    assert services.audit.events()[-1].action == "export"
