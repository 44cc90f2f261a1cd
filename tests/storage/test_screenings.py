"""Screenings: every answer committed as given, drafts resumable, completion stores the score snapshot."""

from __future__ import annotations

import pytest

from smerteagent.core.errors import AnswerError
from smerteagent.core.patients import PatientInput
from smerteagent.storage.patients import NotFound
from smerteagent.storage.screenings import ResponseClosed
from smerteagent.storage.services import Services, open_services


@pytest.fixture
def patient_id(services: Services) -> int:
    patient, _ = services.patients.add(PatientInput("Karen", "Bæk", cpr="121255-1234"))
    return patient.id


def test_answers_are_visible_to_another_connection_at_once(
    services: Services, patient_id: int, database_url: str
) -> None:
    encounter = services.screenings.start_encounter(patient_id, "gp", "gp_first_back", {"on_opioids": True})
    draft = services.screenings.start_response(encounter.id, "phq9")
    services.screenings.answer(draft.id, "q1", 2)
    services.screenings.answer(draft.id, "q9", 0)
    other = open_services(database_url, services.forms, actor="someone-else")
    try:
        assert other.screenings.get(draft.id).answers == {"q1": 2, "q9": 0}
        assert other.screenings.encounters(patient_id)[0].context == {"on_opioids": True}
    finally:
        other.close()


def test_answer_changes_and_clears(services: Services, patient_id: int) -> None:
    encounter = services.screenings.start_encounter(patient_id, "physiotherapy")
    draft = services.screenings.start_response(encounter.id, "psfs")
    services.screenings.answer(draft.id, "q1_activity", "Gå på trapper – 2. sal")
    services.screenings.answer(draft.id, "q1", 3)
    services.screenings.answer(draft.id, "q1", 4)
    services.screenings.answer(draft.id, "q2", 5)
    services.screenings.answer(draft.id, "q2", None)
    assert services.screenings.get(draft.id).answers == {"q1_activity": "Gå på trapper – 2. sal", "q1": 4}


def test_bad_answer_is_refused_and_earlier_answers_stay(services: Services, patient_id: int) -> None:
    encounter = services.screenings.start_encounter(patient_id, "gp")
    draft = services.screenings.start_response(encounter.id, "phq9")
    services.screenings.answer(draft.id, "q1", 3)
    for item, value in (("q1", 4), ("q11", 1), ("q2", "2")):
        with pytest.raises(AnswerError):
            services.screenings.answer(draft.id, item, value)
    assert services.screenings.get(draft.id).answers == {"q1": 3}


def test_complete_stores_snapshot_with_critical_flag(services: Services, patient_id: int) -> None:
    encounter = services.screenings.start_encounter(patient_id, "pain_clinic")
    draft = services.screenings.start_response(encounter.id, "phq9")
    for index in range(1, 10):
        services.screenings.answer(draft.id, f"q{index}", 1)
    done = services.screenings.complete(draft.id, sex="female")
    assert done.status == "complete" and done.score is not None
    assert (done.score.results, done.score.band) == ({"total": 9}, "mild")
    assert done.score.critical_flags == ("suicide_risk",)
    again = services.screenings.get(draft.id)
    assert again.score == done.score and again.score.critical_flags == ("suicide_risk",)
    with pytest.raises(ResponseClosed):
        services.screenings.answer(draft.id, "q1", 0)


def test_drafts_are_listed_for_resuming(services: Services, patient_id: int) -> None:
    encounter = services.screenings.start_encounter(patient_id, "gp")
    first = services.screenings.start_response(encounter.id, "peg")
    second = services.screenings.start_response(encounter.id, "phq4")
    services.screenings.answer(first.id, "q1", 7)
    services.screenings.complete(second.id, None)
    drafts = services.screenings.responses(patient_id, status="draft")
    assert [(d.id, d.answers) for d in drafts] == [(first.id, {"q1": 7})]
    incomplete = services.screenings.get(second.id).score
    assert incomplete is not None and "incomplete" in incomplete.flags


def test_a_draft_with_a_suicide_answer_is_an_open_alert(services: Services, patient_id: int) -> None:
    encounter = services.screenings.start_encounter(patient_id, "gp")
    draft = services.screenings.start_response(encounter.id, "asq")
    assert services.screenings.open_alerts(patient_id) == []
    services.screenings.answer(draft.id, "q1", 1)
    [alert] = services.screenings.open_alerts(patient_id)
    assert (alert.response_id, alert.flag) == (draft.id, "suicide_risk")
    services.screenings.record_safety_action(draft.id, "suicide_risk", "assessed_no_acute_risk")
    assert services.screenings.open_alerts(patient_id) == []
    services.screenings.answer(draft.id, "q5", 1)
    assert [a.flag for a in services.screenings.open_alerts(patient_id)] == ["suicide_risk_imminent"]


def test_one_action_covers_every_open_flag_at_once(services: Services, patient_id: int) -> None:
    encounter = services.screenings.start_encounter(patient_id, "gp")
    phq9 = services.screenings.start_response(encounter.id, "phq9")
    for number, value in enumerate([0, 0, 0, 0, 0, 0, 0, 0, 2], start=1):
        services.screenings.answer(phq9.id, f"q{number}", value)
    services.screenings.complete(phq9.id, None)
    asq = services.screenings.start_response(encounter.id, "asq")
    services.screenings.answer(asq.id, "q1", 1)
    alerts = services.screenings.open_alerts(patient_id)
    assert {a.form_id for a in alerts} == {"phq9", "asq"}
    services.screenings.record_safety_actions([(a.response_id, a.flag) for a in alerts], "safety_plan_made", "Datter")
    assert services.screenings.open_alerts(patient_id) == []
    actions = services.screenings.safety_actions(patient_id)
    assert len(actions) == len(alerts) and len({(a.at, a.action, a.note) for a in actions}) == 1


def test_an_unknown_response_records_no_action_at_all(services: Services, patient_id: int) -> None:
    encounter = services.screenings.start_encounter(patient_id, "gp")
    asq = services.screenings.start_response(encounter.id, "asq")
    services.screenings.answer(asq.id, "q1", 1)
    with pytest.raises(NotFound):
        services.screenings.record_safety_actions([(asq.id, "suicide_risk"), (999_999, "suicide_risk")], "other", "x")
    assert [a.flag for a in services.screenings.open_alerts(patient_id)] == ["suicide_risk"]
