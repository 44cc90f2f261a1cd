"""The audit trail: every kind of event is recorded, and ``verify`` names the first edited or missing one."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, select, update

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.patients import PatientInput
from smerteagent.storage.audit import EDITED, GENESIS, UNLINKED, event_hash
from smerteagent.storage.models import AuditEventRow
from smerteagent.storage.services import Services


def a_few_events(services: Services) -> int:
    """Create, view, update, print and delete a patient; returns the patient's id."""
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", no_cpr=True))
    services.patients.get(patient.id)
    patient, _ = services.patients.update(patient.id, PatientInput("Åse", "Ærø-Holm", no_cpr=True), patient.version)
    services.careplans.save(CarePlan(patient_id=patient.id))
    services.careplans.freeze(patient.id, "print")
    services.careplans.record_output(patient.id, "print", "clinician_summary")
    services.audit.record("login", "user", "test-clinician")
    services.patients.delete(patient.id, patient.version)
    return patient.id


def raw(url: str, statement: Any) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(statement)
    engine.dispose()


def test_every_kind_of_action_is_recorded_with_who_and_what(services: Services) -> None:
    patient_id = a_few_events(services)
    events = services.audit.events()
    kinds = [(e.action, e.record_type) for e in events]
    assert kinds == [
        ("create", "patient"), ("view", "patient"), ("update", "patient"), ("update", "care_plan"),
        ("print", "care_plan"), ("print", "care_plan"), ("login", "user"), ("delete", "patient"),
    ]  # fmt: skip
    assert {e.actor for e in events} == {"test-clinician"}
    assert events[0].record_id == str(patient_id) and events[0].previous_hash == GENESIS
    assert [e.detail.get("document") for e in events[4:6]] == ["patient_plan", "clinician_summary"]
    assert all(later.previous_hash == earlier.hash for earlier, later in pairwise(events))


def test_intact_chain_reports_count_and_head(services: Services) -> None:
    assert services.audit.verify().count == 0 and services.audit.verify().intact
    a_few_events(services)
    report = services.audit.verify()
    events = services.audit.events()
    assert (report.intact, report.count, report.head_id, report.head_hash) == (True, 8, events[-1].id, events[-1].hash)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor", "mallory"),
        ("action", "view"),
        ("record_type", "settings"),
        ("record_id", "999"),
        ("detail", {"document": "something else"}),
        ("at", datetime(2020, 1, 1, 12, 0)),
        ("previous_hash", "f" * 64),
    ],
)
def test_an_edited_field_is_named(services: Services, database_url: str, column: str, value: object) -> None:
    a_few_events(services)
    victim = services.audit.events()[3]
    raw(database_url, update(AuditEventRow).where(AuditEventRow.id == victim.id).values({column: value}))
    report = services.audit.verify()
    assert report.first_break is not None
    assert (report.first_break.event_id, report.first_break.problem, report.count) == (victim.id, EDITED, 3)
    assert f"event {victim.id} at " in str(report.first_break)


@pytest.mark.parametrize("position", [0, 3])
def test_a_deleted_event_is_named_by_the_one_after_it(services: Services, database_url: str, position: int) -> None:
    a_few_events(services)
    events = services.audit.events()
    raw(database_url, delete(AuditEventRow).where(AuditEventRow.id == events[position].id))
    report = services.audit.verify()
    assert report.first_break is not None
    assert (report.first_break.event_id, report.first_break.problem) == (events[position + 1].id, UNLINKED)


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(services: Services, database_url: str) -> None:
    a_few_events(services)
    events = services.audit.events()
    forged = replace(events[2], actor="mallory")
    digest = event_hash(forged.previous_hash, forged.at, forged.actor, forged.action,
                        (forged.record_type, forged.record_id), forged.detail)  # fmt: skip
    raw(database_url, update(AuditEventRow).where(AuditEventRow.id == forged.id).values(actor="mallory", hash=digest))
    report = services.audit.verify()
    assert report.first_break is not None
    assert (report.first_break.event_id, report.first_break.problem) == (events[3].id, UNLINKED)


def test_a_cut_off_tail_is_caught_only_by_an_anchor(services: Services, database_url: str) -> None:
    a_few_events(services)
    noted = services.audit.verify().head_hash
    assert services.audit.verify(anchor=noted).intact
    newest = services.audit.events()[-1]
    raw(database_url, delete(AuditEventRow).where(AuditEventRow.id == newest.id))
    assert services.audit.verify().intact, "a hash chain alone cannot see its newest events removed"
    anchored = services.audit.verify(anchor=noted)
    assert anchored.anchor_found is False and not anchored.intact


def test_export_returns_the_period_and_is_audited(services: Services, database_url: str) -> None:
    a_few_events(services)
    events = services.audit.events()
    old = datetime.now() - timedelta(days=40)
    raw(database_url, update(AuditEventRow).where(AuditEventRow.id == events[0].id).values(at=old))
    recent = services.audit.export(datetime.now() - timedelta(days=1), None, "report.csv")
    assert [e.id for e in recent] == [e.id for e in events[1:]]
    last = services.audit.events()[-1]
    assert (last.action, last.record_type, last.detail["events"], last.detail["to_file"]) == (
        "export", "audit_trail", len(events) - 1, "report.csv",
    )  # fmt: skip
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)) == last.hash
    engine.dispose()


def test_unknown_action_is_refused(services: Services) -> None:
    with pytest.raises(SmerteAgentError, match="unknown audit action 'peek'"):
        services.audit.record("peek", "patient", 1)
    assert services.audit.events() == []
