"""Reads every record the quality report needs in a few bulk queries (no row-by-row loading: a register of
100,000 patients is read in seconds), and hands them on as core ``PatientRecord``s."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, Text, func, select, type_coerce, union
from sqlalchemy.engine import Connection

from smerteagent.core.careplan.plan import CarePlan, PlannedMedication
from smerteagent.core.quality.records import PatientRecord, Screening
from smerteagent.storage.careplans import consent_from_row, letters_from_json, medication_from_row
from smerteagent.storage.database import Database, reading
from smerteagent.storage.models import (
    CarePlanRow,
    CarePlanVersionRow,
    EncounterRow,
    PatientRow,
    PlanMedicationRow,
    ResponseRow,
    SafetyActionRow,
)

TOTAL_FORMS = frozenset({"peg", "odi", "rmdq"})  # the forms whose totals the outcomes read


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _seen(start: datetime, end: datetime) -> Any:
    """The ids of the patients with a visit or a care-plan version in the period."""
    visits = select(EncounterRow.patient_id).where(EncounterRow.started_at >= start, EncounterRow.started_at < end)
    plans = (
        select(CarePlanRow.patient_id)
        .join(CarePlanVersionRow, CarePlanVersionRow.care_plan_id == CarePlanRow.id)
        .where(CarePlanVersionRow.created_at >= start, CarePlanVersionRow.created_at < end)
    )
    return union(visits, plans).subquery()


class QualityRecords:
    """The records of the patients seen in a period, read as they stood up to its last day."""

    def __init__(self, database: Database) -> None:
        self._engine = database.engine

    def records(self, first: date, last: date) -> list[PatientRecord]:
        start, end = datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)
        seen = _seen(start, end)
        with reading(self._engine) as connection:
            names = self._names(connection, seen)
            visits = self._visits(connection, seen, end)
            screenings = self._screenings(connection, seen, end)
            actions = self._actions(connection, seen)
            plans = self._plans(connection, seen, end)
        return [
            PatientRecord(pid, name, cpr, tuple(visits[pid]), tuple(screenings[pid]), actions[pid], tuple(plans[pid]))
            for pid, (name, cpr) in sorted(names.items())
        ]

    @staticmethod
    def _names(connection: Connection, seen: Any) -> dict[int, tuple[str, str | None]]:
        statement = select(PatientRow.id, PatientRow.given_name, PatientRow.family_name, PatientRow.cpr).where(
            PatientRow.id.in_(select(seen.c.patient_id))
        )
        return {pid: (f"{given} {family}", cpr) for pid, given, family, cpr in connection.execute(statement)}

    @staticmethod
    def _visits(connection: Connection, seen: Any, end: datetime) -> defaultdict[int, list[date]]:
        statement = (
            select(EncounterRow.patient_id, EncounterRow.started_at)
            .where(EncounterRow.patient_id.in_(select(seen.c.patient_id)), EncounterRow.started_at < end)
            .order_by(EncounterRow.started_at)
        )
        found: defaultdict[int, list[date]] = defaultdict(list)
        for pid, started in connection.execute(statement):
            found[pid].append(started.date())
        return found

    @staticmethod
    def _screenings(connection: Connection, seen: Any, end: datetime) -> defaultdict[int, list[Screening]]:
        statement: Select[Any] = (
            select(EncounterRow.patient_id, ResponseRow.id, ResponseRow.form_id, ResponseRow.completed_at,
                   ResponseRow.band, type_coerce(ResponseRow.results, Text), type_coerce(ResponseRow.flags, Text))
            .join(EncounterRow, EncounterRow.id == ResponseRow.encounter_id)
            .where(EncounterRow.patient_id.in_(select(seen.c.patient_id)), ResponseRow.status == "complete",
                   ResponseRow.completed_at < end)
            .order_by(ResponseRow.completed_at, ResponseRow.id)
        )  # fmt: skip
        found: defaultdict[int, list[Screening]] = defaultdict(list)
        empty: frozenset[str] = frozenset()
        for pid, rid, form_id, completed, band, results, flags in connection.execute(statement):
            total = _decoded(results).get("total") if form_id in TOTAL_FORMS and results else None
            flagged = frozenset(_decoded(flags)) if flags and "suicide" in str(flags) else empty
            found[pid].append(Screening(rid, form_id, completed, band, total, flagged))
        return found

    @staticmethod
    def _actions(connection: Connection, seen: Any) -> defaultdict[int, dict[tuple[int, str], datetime]]:
        statement = (
            select(EncounterRow.patient_id, SafetyActionRow.response_id, SafetyActionRow.flag,
                   func.min(SafetyActionRow.at))
            .join(ResponseRow, ResponseRow.id == SafetyActionRow.response_id)
            .join(EncounterRow, EncounterRow.id == ResponseRow.encounter_id)
            .where(EncounterRow.patient_id.in_(select(seen.c.patient_id)))
            .group_by(EncounterRow.patient_id, SafetyActionRow.response_id, SafetyActionRow.flag)
        )  # fmt: skip
        found: defaultdict[int, dict[tuple[int, str], datetime]] = defaultdict(dict)
        for pid, rid, flag, first in connection.execute(statement):
            found[pid][(rid, flag)] = first
        return found

    @staticmethod
    def _plans(connection: Connection, seen: Any, end: datetime) -> defaultdict[int, list[CarePlan]]:
        statement = (
            select(CarePlanRow.patient_id, CarePlanVersionRow)
            .join(CarePlanVersionRow, CarePlanVersionRow.care_plan_id == CarePlanRow.id)
            .where(CarePlanRow.patient_id.in_(select(seen.c.patient_id)), CarePlanVersionRow.created_at < end)
            .order_by(CarePlanVersionRow.created_at, CarePlanVersionRow.number)
        )
        rows = list(connection.execute(statement))
        drugs = _medications(connection, (row.id for row in rows))
        found: defaultdict[int, list[CarePlan]] = defaultdict(list)
        for row in rows:
            found[row.patient_id].append(_plan(row, tuple(drugs.get(row.id, ()))))
        return found


def _medications(connection: Connection, version_ids: Iterable[int]) -> dict[int, list[PlannedMedication]]:
    wanted = list(version_ids)
    found: dict[int, list[PlannedMedication]] = defaultdict(list)
    for chunk in range(0, len(wanted), 500):
        statement = (
            select(PlanMedicationRow)
            .where(PlanMedicationRow.plan_version_id.in_(wanted[chunk : chunk + 500]))
            .order_by(PlanMedicationRow.plan_version_id, PlanMedicationRow.position)
        )
        for row in connection.execute(statement):
            found[row.plan_version_id].append(medication_from_row(row))
    return found


def _plan(row: Any, medications: tuple[PlannedMedication, ...]) -> CarePlan:
    """The fields of a plan version the checkpoints read (goals and actions are not among them)."""
    return CarePlan(
        row.patient_id, number=row.number, status=row.status, medications=medications, follow_up_on=row.follow_up_on,
        consent_given=row.consent_given, medication_reviewed=row.medication_reviewed, abuse_stance=row.abuse_stance,
        created_at=row.created_at, consent=consent_from_row(row), medication_reviewed_on=row.medication_reviewed_on,
        letters=letters_from_json(row.letters),
    )  # fmt: skip
