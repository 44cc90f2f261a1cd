"""The narrow screening facts the quality report reads (migration 0007i16) follow every write to the
responses and encounters in the same transaction — service writes, imports, corrections, deletions, a visit
moved to another patient — and the migration fills them for the rows already there; on SQLite and
PostgreSQL. A fact missing or stale would make the report miss a screening or a suicide-risk flag."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text

from smerteagent.core.patients import PatientInput
from smerteagent.storage.database import Database
from smerteagent.storage.migrate import upgrade
from smerteagent.storage.models import ResponseRow, ScreeningFactRow
from smerteagent.storage.services import Services


def _complete(services: Services, patient_id: int, form: str, answers: dict[str, int]) -> int:
    encounter = services.screenings.start_encounter(patient_id, "pain_clinic")
    response = services.screenings.start_response(encounter.id, form)
    for item, value in answers.items():
        services.screenings.answer(response.id, item, value)
    return services.screenings.complete(response.id, "female").id


def _facts(database: Database) -> dict[int, tuple[Any, ...]]:
    f = ScreeningFactRow
    with database.engine.connect() as connection:
        rows = connection.execute(select(f.response_id, f.patient_id, f.form_id, f.completed_at, f.total, f.band,
                                         f.item9_missing, f.suicide_flags))  # fmt: skip
        return {row[0]: tuple(row[1:]) for row in rows}


def _expected(database: Database) -> dict[int, tuple[Any, ...]]:
    """The facts as read straight from the wide rows, in Python (the flags: all of them when one is a
    suicide-risk flag)."""
    with database.engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT r.id, e.patient_id, r.form_id, r.completed_at, r.results, r.band, r.flags, r.status "
            "FROM responses r JOIN encounters e ON e.id = r.encounter_id"))  # fmt: skip
        found = {}
        for rid, pid, form, completed, results, band, flags, status in rows:
            if status != "complete" or completed is None:
                continue
            results = (json.loads(results) if isinstance(results, str) else results) or {}
            flags = (json.loads(flags) if isinstance(flags, str) else flags) or []
            total = results.get("total")
            raised = any(f.startswith("suicide_risk") for f in flags)
            completed = datetime.fromisoformat(completed) if isinstance(completed, str) else completed
            found[rid] = (pid, form, completed, None if total is None else float(total), band,
                          "suicide_item_missing" in flags, sorted(flags) if raised else [])  # fmt: skip
        return found


def _compare(database: Database) -> None:
    facts = {rid: (*fact[:5], bool(fact[5]), sorted(json.loads(fact[6])) if fact[6] else [])
             for rid, fact in _facts(database).items()}  # fmt: skip
    assert facts == _expected(database)


def _downgrade(database: Database, revision: str) -> None:
    from alembic import command

    from smerteagent.storage.migrate import alembic_config

    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_the_facts_follow_every_write(services: Services) -> None:
    database = services.database
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    other, _ = services.patients.add(PatientInput("Bo", "Holm", cpr="010190-1234"))
    flagged = _complete(services, patient.id, "phq9", {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 2})
    peg = _complete(services, patient.id, "peg", {"q1": 7, "q2": 6, "q3": 5})
    no_item9 = _complete(services, patient.id, "phq9", {f"q{i}": 1 for i in range(1, 9)})
    encounter = services.screenings.start_encounter(patient.id, "pain_clinic")
    draft = services.screenings.start_response(encounter.id, "gad7").id
    imported = services.screenings.import_completed(other.id, "peg", {"q1": 2, "q2": 2, "q3": 2},
                                                    datetime.now() - timedelta(days=40), "test")  # fmt: skip
    assert imported is not None
    facts = _facts(database)
    assert set(facts) == {flagged, peg, no_item9, imported.id}, "a draft is no fact"
    assert "suicide_risk" in json.loads(facts[flagged][6]) and facts[flagged][5] is False
    assert facts[no_item9][5] is True and facts[no_item9][6] is None
    assert facts[peg][3] == 6 and facts[imported.id][0] == other.id
    _compare(database)

    services.screenings.answer(draft, "q1", 1)  # a draft answered: still no fact
    assert draft not in _facts(database)
    with database.engine.begin() as connection:  # a correction of a completed row, then a row reopened
        connection.execute(text("UPDATE responses SET results = :r, band = 'moderate' WHERE id = :id"),
                           {"r": json.dumps({"total": 3.5}), "id": peg})  # fmt: skip
        connection.execute(text("UPDATE responses SET status = 'draft' WHERE id = :id"), {"id": no_item9})
    facts = _facts(database)
    assert facts[peg][3] == 3.5 and facts[peg][4] == "moderate" and no_item9 not in facts
    _compare(database)

    with database.engine.begin() as connection:  # the visit moved to the other patient; a response deleted
        moved = connection.execute(select(ResponseRow.encounter_id).where(ResponseRow.id == flagged)).scalar_one()
        connection.execute(text("UPDATE encounters SET patient_id = :p WHERE id = :e"), {"p": other.id, "e": moved})
        connection.execute(text("DELETE FROM responses WHERE id = :id"), {"id": peg})
    facts = _facts(database)
    assert facts[flagged][0] == other.id and peg not in facts
    _compare(database)

    services.patients.delete(other.id, services.patients.get(other.id).version)
    assert set(_facts(database)) == set(), "the patient's facts go with the patient"


def test_the_migration_fills_the_facts_of_the_rows_already_there(services: Services) -> None:
    database = services.database
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    flagged = _complete(services, patient.id, "phq9", {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 2})
    peg = _complete(services, patient.id, "peg", {"q1": 7, "q2": 6, "q3": 5})
    before = _facts(database)
    _downgrade(database, "0006i15c")  # the table and its triggers gone, the responses kept
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM responses")).scalar_one() == 2
    upgrade(database)
    assert _facts(database) == before and set(before) == {flagged, peg}
    _compare(database)
