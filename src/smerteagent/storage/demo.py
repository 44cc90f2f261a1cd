"""Fills a database with synthetic demo patients, visits and scored screenings, in bulk.

Rows go in with executemany in large batches (100,000 patients in well under a minute on SQLite);
each batch is one audit event, written in the batch's own transaction: a load stopped part-way leaves
only batches that are audited (which patients, encounters and responses each one added).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from smerteagent.core import demo
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.text import fold
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading, storage_errors
from smerteagent.storage.models import EncounterRow, PatientRow, ResponseRow
from smerteagent.storage.search import search_key
from smerteagent.storage.services import Services

BATCH = 5_000
PLANS = 20  # demo care plans go through the real service (one by one), so only the first patients get one


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
        encounter_id = connection.execute(select(func.coalesce(func.max(EncounterRow.id), 0))).scalar_one()
    existing = _existing_cprs(services)
    patient_rows: list[dict[str, Any]] = []
    encounter_rows: list[dict[str, Any]] = []
    response_rows: list[dict[str, Any]] = []
    added = 0
    planned: list[tuple[int, float, str | None]] = []  # (patient id, burden, latest STarT Back band)
    for offset, person in enumerate(demo.patients(count + len(existing), seed, now.date())):
        if person.cpr in existing or added >= count:
            continue
        patient_id = start_id + offset + 1
        visits = demo.visits(person, rng, now)
        patient_rows.append(_patient_row(patient_id, person, visits[0].started_at, visits[-1].started_at))
        band: str | None = None
        for visit in visits if with_visits else ():
            encounter_id += 1
            encounter_rows.append({"id": encounter_id, "patient_id": patient_id, "started_at": visit.started_at,
                                   "clinician": "demo", "setting": visit.setting, "battery_id": None,
                                   "context": {}, "note": None})  # fmt: skip
            for form_id in demo.VISIT_FORMS[visit.setting]:
                row = responders[form_id].respond(visit.burden, person.sex, rng)
                stamp = visit.started_at
                response_rows.append({**row, "encounter_id": encounter_id, "created_at": stamp,
                                      "updated_at": stamp, "completed_at": stamp})  # fmt: skip
                band = row["band"] if form_id == "startback" else band
        if with_visits and len(planned) < PLANS:
            planned.append((patient_id, visits[-1].burden, band))
        added += 1
        if len(response_rows) >= BATCH or len(patient_rows) >= BATCH:
            _flush(services, seed, patient_rows, encounter_rows, response_rows)
            if progress:
                progress(added)
    _flush(services, seed, patient_rows, encounter_rows, response_rows)
    _add_care_plans(services, planned, rng, now.date())
    return added


def _add_care_plans(services: Services, planned: list[tuple[int, float, str | None]], rng: random.Random,
                    today: date) -> None:  # fmt: skip
    """Care plans for the first demo patients, through the real service: versions, audit and all."""
    recommendations = bundled_recommendations()
    for patient_id, burden, band in planned:
        matched = tuple(s.text for s in recommendations.suggest([], band, "da") if s.kind == "matched")
        services.careplans.save(demo.care_plan(patient_id, burden, matched, rng, today))


def _advance_sequences(session: Session) -> None:
    """PostgreSQL: explicit ids do not move the id sequences, so move them past the demo rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("patients", "encounters", "responses"):
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


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


def _flush(services: Services, seed: int, *batches: list[dict[str, Any]]) -> None:
    """One batch of rows and its audit event, committed together or not at all."""
    patients, encounters, responses = batches
    if not patients:
        return
    tables = [PatientRow.metadata.tables[row.__tablename__] for row in (PatientRow, EncounterRow, ResponseRow)]
    detail = {"seed": seed, "patients": len(patients), "patient_ids": [patients[0]["id"], patients[-1]["id"]],
              "encounters": len(encounters), "responses": len(responses)}  # fmt: skip
    with storage_errors(), services.sessions() as session, session.begin():
        for table, rows in zip(tables, batches, strict=True):
            if rows:
                session.execute(insert(table), rows)
        _advance_sequences(session)
        record_event(session, services.actor, "create", "demo", None, detail)
    for rows in batches:
        rows.clear()
