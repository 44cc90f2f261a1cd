"""Fills a database with synthetic demo patients, visits and scored screenings, in bulk.

Rows go in with executemany in large batches (100,000 patients in well under a minute on SQLite);
each batch is one audit event, written in the batch's own transaction: a load stopped part-way leaves
only batches that are audited (which patients, encounters and responses each one added).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from smerteagent.core import demo
from smerteagent.core.careplan.medication import bundled_catalogue
from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.text import fold
from smerteagent.storage.audit import record_event
from smerteagent.storage.careplans import child_rows, content_columns
from smerteagent.storage.database import reading, storage_errors
from smerteagent.storage.models import (
    CarePlanRow,
    CarePlanVersionRow,
    EncounterRow,
    PatientRow,
    PlanActionRow,
    PlanGoalRow,
    PlanMedicationRow,
    ResponseRow,
    SafetyActionRow,
)
from smerteagent.storage.search import search_key
from smerteagent.storage.services import Services

BATCH = 5_000
PLANS = 20  # the first demo patients' care plans go through the real service (one by one)
PLAN_SHARE = {"pain_clinic": 1.0, "gp": 0.3, "physiotherapy": 0.3}  # the others' plans go in in bulk, dated
ACTED_ON = 0.85  # share of the demo's suicide-risk flags with a recorded action (the rest: work to do)
BULK_TABLES = (PatientRow, EncounterRow, ResponseRow, SafetyActionRow, CarePlanRow, CarePlanVersionRow, PlanGoalRow,
               PlanActionRow, PlanMedicationRow)  # fmt: skip


def _item_values(form: CompiledForm) -> dict[str, list[int]]:
    values = {}
    for item_id, rule in form.items.items():
        if rule.allowed is not None:
            values[item_id] = sorted(rule.allowed)
        elif rule.low is not None and rule.high is not None:
            values[item_id] = list(range(rule.low, rule.high + 1))
    return values


class _Responder:
    """Answers a form as a patient with a given burden would, and scores it."""

    def __init__(self, form: CompiledForm) -> None:
        self.form = form
        self.values = _item_values(form)
        results = form.definition.scoring.results
        self.better_high = bool(results) and results[0].higher_is == "better"

    def respond(self, burden: float, sex: str, rng: random.Random) -> dict[str, Any]:
        level = 1 - burden if self.better_high else burden
        answers: dict[str, object] = {}
        for item_id, values in self.values.items():
            answers[item_id] = demo.answer(values, level, rng)
        for item_id, rule in self.form.items.items():
            if rule.is_text:
                answers[item_id] = rng.choice(("Gå en tur", "Arbejde i haven", "Løfte barnebarn", "Cykle"))
        result = self.form.score(answers, sex)
        return {
            "form_id": self.form.id, "form_version": self.form.version, "status": "complete", "answers": answers,
            "sex": sex, "results": result.results, "band": result.band, "flags": list(result.flags),
            "flag_severity": result.flag_severity, "missing": list(result.missing), "version": 1,
        }  # fmt: skip


class _Ids:
    """The next free id of each bulk table (explicit ids link the rows before they are written)."""

    def __init__(self, engine: Any) -> None:
        with reading(engine) as connection:
            self.next = {t: connection.execute(select(func.coalesce(func.max(t.id), 0))).scalar_one()
                         for t in BULK_TABLES if t is not PatientRow}  # fmt: skip

    def take(self, table: Any) -> int:
        self.next[table] += 1
        return int(self.next[table])


def load_demo(
    services: Services,
    count: int,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    *,
    with_visits: bool = True,
) -> int:
    """Add ``count`` demo patients (with their visits unless told not to); returns how many were added."""
    rng = random.Random(seed)
    now = datetime.now()
    forms: FormLibrary = services.forms
    responders = {form_id: _Responder(forms.get(form_id)) for ids in demo.VISIT_FORMS.values() for form_id in ids}
    engine = services.database.engine
    with reading(engine) as connection:
        start_id = connection.execute(select(func.coalesce(func.max(PatientRow.id), 0))).scalar_one()
    ids = _Ids(engine)
    existing = _existing_cprs(services)
    rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in BULK_TABLES}
    added = 0
    planned: list[tuple[int, float, str | None]] = []  # (patient id, burden, latest STarT Back band)
    for offset, person in enumerate(demo.patients(count + len(existing), seed, now.date())):
        if person.cpr in existing or added >= count:
            continue
        patient_id = start_id + offset + 1
        visits = demo.visits(person, rng, now)
        rows[PatientRow].append(_patient_row(patient_id, person, visits[0].started_at, visits[-1].started_at))
        band: str | None = None
        for visit in visits if with_visits else ():
            encounter_id = ids.take(EncounterRow)
            rows[EncounterRow].append({"id": encounter_id, "patient_id": patient_id, "started_at": visit.started_at,
                                       "clinician": "demo", "setting": visit.setting, "battery_id": None,
                                       "context": {}, "note": None})  # fmt: skip
            for form_id in demo.VISIT_FORMS[visit.setting]:
                row = responders[form_id].respond(visit.burden, person.sex, rng)
                stamp = visit.started_at
                response = {**row, "id": ids.take(ResponseRow), "encounter_id": encounter_id, "created_at": stamp,
                            "updated_at": stamp, "completed_at": stamp}  # fmt: skip
                rows[ResponseRow].append(response)
                rows[SafetyActionRow] += _safety_actions(response, ids, rng)
                band = row["band"] if form_id == "startback" else band
        if with_visits and len(planned) < PLANS:
            planned.append((patient_id, visits[-1].burden, band))
        elif with_visits and rng.random() < PLAN_SHARE.get(visits[0].setting, 0.0):
            _bulk_plan(rows, ids, patient_id, visits, band, rng, now)
        added += 1
        if len(rows[ResponseRow]) >= BATCH or len(rows[PatientRow]) >= BATCH:
            _flush(services, seed, rows)
            if progress:
                progress(added)
    _flush(services, seed, rows)
    _add_care_plans(services, planned, rng, now.date())
    return added


def _safety_actions(response: dict[str, Any], ids: _Ids, rng: random.Random) -> list[dict[str, Any]]:
    """Most critical flags of the demo got their action within hours to days; some are still waiting."""
    found = []
    for flag, severity in (response["flag_severity"] or {}).items():
        if severity == "critical" and rng.random() < ACTED_ON:
            at = response["completed_at"] + timedelta(hours=rng.uniform(0.2, 72))
            found.append({"id": ids.take(SafetyActionRow), "response_id": response["id"], "flag": flag,
                          "action": "assessed_no_acute_risk", "note": None, "actor": "demo", "at": at})  # fmt: skip
    return found


def _matched(band: str | None) -> tuple[str, ...]:
    return tuple(s.text for s in bundled_recommendations().suggest([], band, "da") if s.kind == "matched")


def _classes(plan: CarePlan) -> dict[str, str]:
    catalogue = bundled_catalogue()
    return {m.name: catalogue.drug_class(m.name) for m in plan.medications}


def _bulk_plan(rows: dict[Any, list[dict[str, Any]]], ids: _Ids, patient_id: int, visits: list[demo.DemoVisit],
               band: str | None, rng: random.Random, now: datetime) -> None:  # fmt: skip
    """A dated care plan made at the first visit (and, when tapering, a second version at the last)."""
    made = visits[0].started_at
    plan = demo.care_plan(patient_id, visits[0].burden, _matched(band), rng, made.date())
    plan = demo.record_details(plan, _classes(plan), rng, made.date(), now.date())
    versions = [(made, plan)]
    if len(visits) > 1 and any(m.tapering for m in plan.medications):
        versions.append((visits[-1].started_at, demo.tapered(plan, visits[-1].started_at.date())))
    container = ids.take(CarePlanRow)
    rows[CarePlanRow].append({"id": container, "patient_id": patient_id, "created_at": made,
                              "updated_at": versions[-1][0], "version": 1})  # fmt: skip
    for number, (at, version) in enumerate(versions, start=1):
        frozen = number < len(versions)
        version_id = ids.take(CarePlanVersionRow)
        rows[CarePlanVersionRow].append({
            **content_columns(version), "id": version_id, "care_plan_id": container, "number": number,
            "status": "frozen" if frozen else "draft", "based_on_response_ids": [], "created_at": at,
            "created_by": "demo", "frozen_at": at if frozen else None, "consent_at": at if version.consent else None,
            "version": 1,
        })  # fmt: skip
        for table, values in child_rows(version, version_id):
            rows[table].append({**values, "id": ids.take(table)})


def _add_care_plans(services: Services, planned: list[tuple[int, float, str | None]], rng: random.Random,
                    today: date) -> None:  # fmt: skip
    """Care plans for the first demo patients, through the real service: versions, audit and all."""
    recommendations = bundled_recommendations()
    for patient_id, burden, band in planned:
        matched = tuple(s.text for s in recommendations.suggest([], band, "da") if s.kind == "matched")
        plan = demo.care_plan(patient_id, burden, matched, rng, today)
        services.careplans.save(demo.record_details(plan, _classes(plan), rng, today, today))


def _advance_sequences(session: Session) -> None:
    """PostgreSQL: explicit ids do not move the id sequences, so move them past the demo rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in (t.__tablename__ for t in BULK_TABLES):
        session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")
        )


def _patient_row(patient_id: int, person: demo.DemoPatient, first: datetime, last: datetime) -> dict[str, Any]:
    return {
        "id": patient_id, "cpr": person.cpr, "given_name": person.given_name, "family_name": person.family_name,
        "birth_date": person.birth_date, "sex": person.sex, "no_cpr": False, "contact": None,
        "note": "Demopatient (syntetisk)", "search_text": search_key(person.given_name, person.family_name, person.cpr),
        "given_key": fold(person.given_name), "family_key": fold(person.family_name), "created_at": first,
        "updated_at": first, "last_activity_at": last, "version": 1,
    }  # fmt: skip


def _existing_cprs(services: Services) -> set[str]:
    with reading(services.database.engine) as connection:
        found = connection.execute(select(PatientRow.cpr).where(PatientRow.cpr.is_not(None))).scalars()
        return {cpr for cpr in found if cpr is not None}


def _flush(services: Services, seed: int, rows: dict[Any, list[dict[str, Any]]]) -> None:
    """One batch of rows and its audit event, committed together or not at all."""
    if not any(rows.values()):
        return
    patients = rows[PatientRow]
    detail = {"seed": seed, "patients": len(patients),
              "patient_ids": [patients[0]["id"], patients[-1]["id"]] if patients else [],
              "encounters": len(rows[EncounterRow]), "responses": len(rows[ResponseRow]),
              "care_plans": len(rows[CarePlanRow])}  # fmt: skip
    with storage_errors(), services.sessions() as session, session.begin():
        for table, batch in rows.items():
            if batch:
                session.execute(insert(table.__table__), batch)
        _advance_sequences(session)
        record_event(session, services.actor, "create", "demo", None, detail)
    for batch in rows.values():
        batch.clear()
