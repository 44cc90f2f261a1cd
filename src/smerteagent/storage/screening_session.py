"""A running screening: the Qt-free flow plus storage, so every answer is saved the moment it is given.

The desk UI and the patient's self-completion mode drive the same session object; a session can be
resumed from its encounter at any time (after switching patient, a crash, or on another workstation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from smerteagent.core.expr import Value
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import Patient, age_on
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.core.screening_flow import ScreeningFlow
from smerteagent.storage.patients import NotFound
from smerteagent.storage.screenings import AnswerConflict, Encounter, ResponseRecord
from smerteagent.storage.services import Services


def patient_context(patient: Patient, context: Mapping[str, Value] | None) -> dict[str, Value]:
    """What follow-up rules and context-answered items read: the register's sex and age, plus the given."""
    return {"sex": patient.sex, "age": age_on(patient.birth_date, date.today()), **dict(context or {})}


def carry_forward_forms(forms: FormLibrary) -> list[str]:
    """Forms with items pre-filled from the patient's previous response (PSFS activities)."""
    return [f.id for f in forms.forms.values() if any(i.carry_forward for i in f.definition.items)]


@dataclass
class ScreeningSession:
    services: Services
    patient: Patient
    encounter: Encounter
    flow: ScreeningFlow
    responses: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        services: Services,
        patient: Patient,
        setting: str,
        *,
        battery_id: str | None = None,
        form_id: str | None = None,
        context: Mapping[str, Value] | None = None,
    ) -> ScreeningSession:
        """A new encounter running a battery (with the patient's context) or one instrument."""
        forms = services.forms
        full_context = patient_context(patient, context)
        if battery_id is not None:
            flow = ScreeningFlow.for_battery(forms, battery_id, full_context)
        else:
            assert form_id is not None
            flow = ScreeningFlow.for_form(forms, form_id, full_context)
        flow.previous = services.screenings.latest_answers(patient.id, carry_forward_forms(forms))
        encounter = services.screenings.start_encounter(patient.id, setting, battery_id, dict(context or {}))
        session = cls(services, patient, encounter, flow)
        session.store_carried(flow.prefill())
        flow.position = flow.first_open()
        return session

    @classmethod
    def resume(cls, services: Services, patient: Patient, encounter_id: int) -> ScreeningSession:
        """Rebuild a session from what is stored: completed instruments and drafts with their answers."""
        encounter = next((e for e in services.screenings.encounters(patient.id) if e.id == encounter_id), None)
        stored = [r for r in services.screenings.responses(patient.id) if r.encounter_id == encounter_id]
        if encounter is None or not stored:
            raise NotFound("screening", encounter_id)
        if encounter.battery_id is not None and encounter.battery_id not in services.forms.batteries:
            raise NotFound("battery", encounter.battery_id)
        context = patient_context(patient, encounter.context)
        if encounter.battery_id is not None:
            flow = ScreeningFlow.for_battery(services.forms, encounter.battery_id, context)
        else:
            flow = ScreeningFlow.for_form(services.forms, stored[0].form_id, context)
        flow.previous = services.screenings.latest_answers(patient.id, carry_forward_forms(services.forms))
        responses = {}
        for record in stored:
            responses[record.form_id] = record.id
            flow.answers[record.form_id] = dict(record.answers)
            flow.origins[record.form_id] = dict(record.origins)
            if record.score is not None:
                flow.finished[record.form_id] = record.score
        flow.replan()
        session = cls(services, patient, encounter, flow, responses)
        session.store_carried(flow.carry_answers())  # if the app stopped between an instrument and its carry
        flow.position = flow.first_open()
        return session

    def store_carried(self, carried: list[tuple[str, str, int | str]]) -> None:
        """Store pre-filled and carried answers with their origin, like any answer."""
        for form_id, item, value in carried:
            origin = self.flow.origins.get(form_id, {}).get(item)
            self.services.screenings.answer(self._response_id(form_id), item, value, origin)

    def response(self, form_id: str | None = None) -> ResponseRecord:
        """The stored response of ``form_id`` (default: the instrument on screen), started if need be."""
        return self.services.screenings.get(self._response_id(form_id))

    def _response_id(self, form_id: str | None = None) -> int:
        form_id = form_id or self.flow.form.id
        if form_id not in self.responses:
            self.responses[form_id] = self.services.screenings.start_response(self.encounter.id, form_id).id
        return self.responses[form_id]

    def answer(self, value: int | str | None) -> None:
        """Store the current item's answer (None clears it); raises AnswerError and keeps the old one, or
        AnswerConflict when another workstation answered the item meanwhile (the flow then holds theirs)."""
        form_id = self.flow.form.id
        try:
            record = self.services.screenings.answer(self._response_id(), self.flow.item.id, value,
                                                     seen=self.flow.current_answer())  # fmt: skip
        except AnswerConflict as conflict:
            self.flow.set_answer(conflict.stored)  # type: ignore[arg-type]  # shown as now stored
            raise
        self.flow.answers[form_id] = dict(record.answers)  # with other workstations' answers to other items

    def advance(self) -> ScoreResult | None:
        """Move to the next item; at the end of an instrument complete it and return its result."""
        following = self.flow.next_position()
        if following is not None:
            self.flow.position = following
            return None
        if self.flow.leaves_to_clinician(self.flow.form):  # the patient's part is done; the desk finishes it
            self.flow.position = self.flow.first_open(start=self.flow.position.instrument)
            return None
        record = self.services.screenings.complete(self._response_id(), self.patient.sex)
        assert record.score is not None
        self.store_carried(self.flow.finish_current(record.score))  # stored like any answer
        return record.score

    def back(self) -> bool:
        previous = self.flow.previous_position()
        if previous is None:
            return False
        self.flow.position = previous
        return True

    @property
    def done(self) -> bool:
        return self.flow.done
