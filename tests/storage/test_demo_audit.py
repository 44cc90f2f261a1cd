"""A demo load stopped part-way leaves only audited rows: each batch commits with its own audit event."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from smerteagent.core.patients import PatientInput
from smerteagent.storage import demo
from smerteagent.storage.database import reading
from smerteagent.storage.models import EncounterRow, PatientRow, ResponseRow
from smerteagent.storage.services import Services


class Killed(BaseException):
    """Stands in for the process dying between two batches."""


def test_a_demo_load_killed_part_way_leaves_every_row_audited(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "BATCH", 40)
    batches: list[int] = []

    def progress(added: int) -> None:
        batches.append(added)
        if len(batches) == 2:
            raise Killed

    with pytest.raises(Killed):
        demo.load_demo(services, 200, seed=7, progress=progress)
    with reading(services.database.engine) as connection:
        patient_ids = set(connection.scalars(select(PatientRow.id)))
        encounters = connection.scalar(select(func.count()).select_from(EncounterRow))
        responses = connection.scalar(select(func.count()).select_from(ResponseRow))
    assert 0 < len(patient_ids) < 200
    events = [e.detail for e in services.audit.events() if (e.action, e.record_type) == ("create", "demo")]
    audited = {i for d in events for i in range(d["patient_ids"][0], d["patient_ids"][1] + 1)}
    assert patient_ids == audited
    assert sum(d["patients"] for d in events) == len(patient_ids)
    assert sum(d["encounters"] for d in events) == encounters
    assert sum(d["responses"] for d in events) == responses
    assert services.audit.verify().intact
    added, _ = services.patients.add(PatientInput("Åse", "Ærø", no_cpr=True))  # ids continue after the demo rows
    assert added.id not in patient_ids
