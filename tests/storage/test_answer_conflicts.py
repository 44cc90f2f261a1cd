"""Two workstations answering the same item: the second never overwrites the first in silence."""

from __future__ import annotations

import pytest

from smerteagent.core.errors import ConflictError
from smerteagent.core.patients import PatientInput
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.screenings import AnswerConflict
from smerteagent.storage.services import Services, open_services


@pytest.fixture
def two_desks(services: Services, database_url: str) -> tuple[Services, Services]:
    other = open_services(database_url, services.forms, actor="other-clinician")
    yield services, other  # type: ignore[misc]
    other.close()


def answer_events(services: Services, response_id: int) -> list[dict[str, object]]:
    return [e.detail for e in services.audit.events() if e.action == "answer" and e.record_id == str(response_id)]


def test_the_second_answer_to_the_same_item_is_a_conflict_and_both_are_audited(
    two_desks: tuple[Services, Services],
) -> None:
    first, second = two_desks
    patient, _ = first.patients.add(PatientInput("Karen", "Bæk", cpr="121255-1234"))
    mine = ScreeningSession.start(first, patient, "gp", form_id="phq9")
    mine.answer(1)  # creates the response; both desks now see q1 = 1
    theirs = ScreeningSession.resume(second, patient, mine.encounter.id)
    mine.advance()
    assert mine.flow.item.id == theirs.flow.item.id == "q2"
    mine.answer(2)  # q2 = 2 from this desk
    with pytest.raises(AnswerConflict) as caught:
        theirs.answer(3)  # the other desk still saw q2 unanswered
    assert isinstance(caught.value, ConflictError)
    assert (caught.value.stored, caught.value.attempted) == (2, 3)
    response_id = mine.responses["phq9"]
    assert first.screenings.get(response_id).answers == {"q1": 1, "q2": 2}
    assert theirs.flow.current_answer() == 2  # the losing desk now shows what is stored
    details = [(d["item"], d["value"], d.get("saved", True)) for d in answer_events(first, response_id)]
    assert details == [("q1", 1, True), ("q2", 2, True), ("q2", 3, False)]
    theirs.answer(3)  # having seen the stored answer, the other desk may change it on purpose
    assert first.screenings.get(response_id).answers == {"q1": 1, "q2": 3}
    assert first.audit.verify().intact


def test_answers_to_other_items_are_merged_not_refused(two_desks: tuple[Services, Services]) -> None:
    first, second = two_desks
    patient, _ = first.patients.add(PatientInput("Åse", "Ærø", no_cpr=True))
    encounter = first.screenings.start_encounter(patient.id, "gp")
    draft = first.screenings.start_response(encounter.id, "phq9")
    first.screenings.answer(draft.id, "q1", 1, seen=None)
    record = second.screenings.answer(draft.id, "q2", 2, seen=None)
    assert record.answers == {"q1": 1, "q2": 2}
    second.screenings.answer(draft.id, "q1", 1, seen=None)  # the same answer twice is no conflict
    with pytest.raises(AnswerConflict):
        second.screenings.answer(draft.id, "q1", None, seen=None)  # clearing what it never saw is refused
    assert first.screenings.get(draft.id).answers == {"q1": 1, "q2": 2}
