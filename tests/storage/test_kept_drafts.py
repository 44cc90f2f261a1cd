"""Work kept private to one clinician at a switch of user: every field of the plan comes back exactly, only
for its owner, once; keeping and handing back are audited."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smerteagent.core.accounts import ADMINISTRATOR, CLINICIAN
from smerteagent.core.careplan.snapshot import SnapshotError, plan_from_json, plan_to_json
from smerteagent.core.patients import PatientInput
from smerteagent.storage.patients import NotFound
from smerteagent.storage.services import Services
from tests.storage.test_careplans import full_plan


def test_a_snapshot_keeps_every_field_of_a_plan() -> None:
    plan = replace(full_plan(7), revision=3, number=2)
    assert plan_from_json(plan_to_json(plan)) == plan
    assert plan.medications[0].tapering is not None


def test_a_snapshot_that_does_not_read_back_is_refused() -> None:
    data = plan_to_json(full_plan(7))
    data["plan"]["goals"][0]["surprise"] = 1
    with pytest.raises(SnapshotError):
        plan_from_json(data)
    with pytest.raises(SnapshotError):
        plan_from_json({"format": 99, "plan": {}})


def test_kept_work_is_its_owners_alone_and_comes_back_once(services: Services) -> None:
    mette = services.accounts.create("mette", "Mette Kjær", "rød-kaffe-på-kanden", ADMINISTRATOR)
    services.accounts.identity.account = mette
    jonas = services.accounts.create("jonas", "Jonas Ølgaard", "blå-hest-på-taget-9", CLINICIAN)
    patient, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    plan = full_plan(patient.id)
    kept_id = services.kept_drafts.keep_plan(mette.id, plan)
    assert services.kept_drafts.kept_plans(jonas.id) == []
    [kept] = services.kept_drafts.kept_plans(mette.id)
    assert kept.id == kept_id and kept.plan == plan
    assert services.careplans.current(patient.id) is None, "kept is not a shared version"
    with pytest.raises(NotFound):
        services.kept_drafts.take(kept_id, jonas.id)
    services.kept_drafts.take(kept_id, mette.id)
    assert services.kept_drafts.kept_plans(mette.id) == []
    events = [(e.action, e.record_type) for e in services.audit.events() if e.record_type == "kept_draft"]
    assert events == [("create", "kept_draft"), ("delete", "kept_draft")]
