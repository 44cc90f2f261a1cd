"""Twenty workstations on one PostgreSQL database, answering the same questionnaires and saving the same
patients' care plans at once: every write that succeeded is stored and audited, every one that lost a race
is reported as a conflict (and its answer audited too), nothing else goes wrong, and the chain stays linear."""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import pytest

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.errors import ConflictError
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage.screenings import AnswerConflict
from smerteagent.storage.services import Services, open_services

WORKSTATIONS, PATIENTS, ANSWERS, PLAN_SAVES = 20, 4, 12, 3
ITEMS = ("q1", "q2", "q3")  # few items, so workstations meet on the same ones


@dataclass
class Tally:
    answered: list[tuple[int, str, int]] = field(default_factory=list)
    answer_conflicts: int = 0
    plans_saved: Counter[int] = field(default_factory=Counter)
    plan_conflicts: int = 0


@pytest.fixture
def pg_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("the concurrency test runs on the clinic server's database (PostgreSQL)")
    return database_url


def workstation(url: str, forms: FormLibrary, number: int, responses: list[int], patients: list[int],
                start: threading.Barrier) -> Tally:  # fmt: skip
    services = open_services(url, forms, actor=f"desk-{number}")
    tally, rng = Tally(), random.Random(number)
    try:
        start.wait()
        for _ in range(ANSWERS):
            response = rng.choice(responses)
            item, value = rng.choice(ITEMS), rng.randint(0, 3)
            seen = services.screenings.get(response).answers.get(item)  # what this desk shows
            try:
                services.screenings.answer(response, item, value, seen=seen)
                tally.answered.append((response, item, value))
            except AnswerConflict:
                tally.answer_conflicts += 1
        for save in range(PLAN_SAVES):
            patient = rng.choice(patients)
            plan = services.careplans.current(patient)
            assert plan is not None
            try:
                services.careplans.save(replace(plan, notes=f"desk {number}, save {save}"))
                tally.plans_saved[patient] += 1
            except ConflictError:
                tally.plan_conflicts += 1
    finally:
        services.close()
    return tally


def test_twenty_workstations_lose_nothing_and_report_every_conflict(
    services: Services, pg_url: str, forms: FormLibrary
) -> None:
    patients, responses, revisions = [], [], {}
    for index in range(PATIENTS):
        patient, _ = services.patients.add(PatientInput("Åse", f"Ærø {index}", no_cpr=True))
        encounter = services.screenings.start_encounter(patient.id, "gp")
        responses.append(services.screenings.start_response(encounter.id, "phq9").id)
        revisions[patient.id] = services.careplans.save(CarePlan(patient_id=patient.id)).revision
        patients.append(patient.id)
    start = threading.Barrier(WORKSTATIONS)
    with ThreadPoolExecutor(WORKSTATIONS) as pool:
        futures = [pool.submit(workstation, pg_url, forms, n, responses, patients, start) for n in range(WORKSTATIONS)]
        tallies = [future.result(timeout=300) for future in futures]
    answered = [entry for tally in tallies for entry in tally.answered]
    conflicts = sum(tally.answer_conflicts for tally in tallies)
    assert len(answered) + conflicts == WORKSTATIONS * ANSWERS
    assert conflicts > 0 and sum(t.plan_conflicts for t in tallies) > 0  # (about a third of the tries race)
    events = services.audit.events()
    saved = [e.detail for e in events if e.action == "answer" and e.detail.get("saved", True)]
    refused = [e.detail for e in events if e.action == "answer" and e.detail.get("saved") is False]
    assert (len(saved), len(refused)) == (len(answered), conflicts)
    assert Counter((d["item"], d["value"]) for d in saved) == Counter((i, v) for _, i, v in answered)
    last: dict[tuple[str, str], int] = {}
    for event in events:  # the audit trail's order is the order the answers were stored in
        if event.action == "answer" and event.detail.get("saved", True):
            last[(event.record_id or "", event.detail["item"])] = event.detail["value"]
    for response in responses:
        stored = services.screenings.get(response).answers
        assert stored == {item: value for (rid, item), value in last.items() if rid == str(response)}
    saves = Counter[int]()
    for tally in tallies:
        saves.update(tally.plans_saved)
    for patient in patients:  # every save that succeeded moved the plan on by one revision: none was lost
        plan = services.careplans.current(patient)
        assert plan is not None and plan.revision == revisions[patient] + saves[patient]
    assert sum(saves.values()) + sum(t.plan_conflicts for t in tallies) == WORKSTATIONS * PLAN_SAVES
    report = services.audit.verify()
    assert report.intact, report.first_break
