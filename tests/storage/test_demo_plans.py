"""Demo patients come with care plans, made through the real care-plan service, so a new user sees the
editor, the warnings and the PDF filled in."""

from __future__ import annotations

from smerteagent.core.careplan.plan import problems
from smerteagent.core.careplan.suggestions import Recommendations
from smerteagent.paths import bundled_resources_dir
from smerteagent.storage.demo import PLANS, load_demo
from smerteagent.storage.services import Services


def test_the_first_demo_patients_have_plans_matched_to_their_screening(services: Services) -> None:
    assert load_demo(services, PLANS + 5, seed=4) == PLANS + 5
    recommendations = Recommendations.load(bundled_resources_dir() / "careplan" / "recommendations.yaml")
    with_plans = 0
    tapering = 0
    for patient_id in range(1, PLANS + 6):
        plan = services.careplans.current(patient_id)
        if plan is None:
            continue
        with_plans += 1
        startback = [
            r for r in services.screenings.responses(patient_id, status="complete") if r.form_id == "startback"
        ]
        band = startback[-1].score.band if startback and startback[-1].score else None
        matched = [s.text for s in recommendations.suggest([], band, "da") if s.kind == "matched"]
        assert list(plan.treatments) == matched
        assert plan.goals and all(goal.value_domain in plan.chosen_domains for goal in plan.goals)
        tapering += any(m.tapering is not None for m in plan.medications)
    assert with_plans >= PLANS, "the first patients through the service; others in bulk, dated"
    assert tapering > 0, "some demo patients are on an opioid with a tapering plan"


def test_every_demo_plan_version_can_be_saved_again(services: Services) -> None:
    """A clinician opening a demo patient can save the plan: a later version plans the tapering on from the
    step reached (a first step above the dose now taken is refused at saving), and every version is sound."""
    load_demo(services, 200, seed=5)
    versions = [v for pid in range(1, 201) for v in services.careplans.versions(pid)]
    assert sum(v.number > 1 for v in versions) > 5, "tapering patients have a later version"
    assert [(v.patient_id, v.number, problems(v)) for v in versions if problems(v)] == []
