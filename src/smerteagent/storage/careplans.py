"""Care plans in numbered versions: the draft is edited and saved; printing freezes a version, and the next
edit starts a new draft from it. Optimistic locking stops two workstations overwriting each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from smerteagent.core.careplan.plan import (
    Action,
    CarePlan,
    Goal,
    InformedConsent,
    PlannedMedication,
    ReceivedLetter,
    SafetyPlan,
    TaperingPlan,
    ValueRating,
    problems,
)
from smerteagent.core.careplan.tapering import TaperStep
from smerteagent.core.errors import ConflictError, SmerteAgentError
from smerteagent.i18n import N_
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import (
    CarePlanRow,
    CarePlanVersionRow,
    PlanActionRow,
    PlanGoalRow,
    PlanMedicationRow,
)
from smerteagent.storage.patients import PatientService


class PlanProblem(SmerteAgentError):
    """A plan that cannot be saved as it is; the message lists what to correct."""


def _tapering_to_json(plan: TaperingPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    document = asdict(plan)
    for key in ("starts_on", "follow_up_on"):
        document[key] = document[key].isoformat() if document[key] else None
    document["steps"] = [{"starts_on": s.starts_on.isoformat(), "daily_dose": s.daily_dose} for s in plan.steps]
    return document


def tapering_from_json(document: dict[str, Any] | None) -> TaperingPlan | None:
    if not document:
        return None
    values = dict(document)
    for key in ("starts_on", "follow_up_on"):
        values[key] = date.fromisoformat(values[key]) if values.get(key) else None
    steps = values.pop("steps", None) or []  # plans saved before edited schedules have none
    edited = tuple(TaperStep(date.fromisoformat(s["starts_on"]), s["daily_dose"]) for s in steps)
    values["strengths"] = tuple(values.get("strengths") or ())  # plans saved before issue 12 have none
    return TaperingPlan(**values, steps=edited)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _letters_to_json(letters: tuple[ReceivedLetter, ...]) -> list[dict[str, Any]]:
    found = []
    for letter in letters:
        assessed = letter.assessed_on.isoformat() if letter.assessed_on else None
        found.append({**asdict(letter), "received_on": letter.received_on.isoformat(), "assessed_on": assessed})
    return found


def letters_from_json(documents: list[Any] | None) -> tuple[ReceivedLetter, ...]:
    return tuple(ReceivedLetter(**{**d, "received_on": date.fromisoformat(d["received_on"]),
                                   "assessed_on": _day(d.get("assessed_on"))}) for d in documents or ())  # fmt: skip


def consent_from_row(row: CarePlanVersionRow) -> InformedConsent | None:
    """The detailed consent, when one was recorded (a plan from before it has only the tick)."""
    if row.consent_on is None:
        return None
    return InformedConsent(row.consent_on, row.consent_covers or "", tuple(row.consent_risks or ()), row.consent_by)


def medication_from_row(m: PlanMedicationRow) -> PlannedMedication:
    return PlannedMedication(m.drug, m.dose, m.daily_dose_mg, m.started_on, m.re_evaluate_on,
                             tapering_from_json(m.tapering), m.indication, m.evaluated_on,
                             m.evaluation_result)  # fmt: skip


def _plan_from_rows(patient_id: int, row: CarePlanVersionRow, session: Session) -> CarePlan:
    def children(model: Any) -> list[Any]:
        statement = select(model).where(model.plan_version_id == row.id).order_by(model.position)
        return list(session.scalars(statement))

    safety = SafetyPlan(**{k: tuple(v) for k, v in row.safety_plan.items()}) if row.safety_plan else None
    return CarePlan(
        patient_id=patient_id, number=row.number, status=row.status,
        values=tuple(ValueRating(**v) for v in row.values), treatments=tuple(row.treatment),
        goals=tuple(Goal(g.value_domain, g.description, g.measure, g.baseline, g.target, g.target_date, g.attainment)
                    for g in children(PlanGoalRow)),
        actions=tuple(Action(a.what, a.who, a.due) for a in children(PlanActionRow)),
        medications=tuple(medication_from_row(m) for m in children(PlanMedicationRow)),
        safety_plan=safety, follow_up_on=row.follow_up_on, follow_up_by=row.follow_up_by,
        consent_given=row.consent_given, medication_reviewed=row.medication_reviewed, abuse_stance=row.abuse_stance,
        notes=row.notes, created_at=row.created_at, frozen_at=row.frozen_at, revision=row.version,
        consent=consent_from_row(row), medication_reviewed_on=row.medication_reviewed_on,
        letters=letters_from_json(row.letters), own_words=row.own_words, charts=tuple(row.charts or ()),
    )  # fmt: skip


def content_columns(plan: CarePlan) -> dict[str, Any]:
    """A plan version's own columns from the core plan (also the demo's bulk rows)."""
    consent = plan.consent
    return {
        "values": [asdict(v) for v in plan.values], "treatment": list(plan.treatments),
        "safety_plan": {k: list(v) for k, v in asdict(plan.safety_plan).items()} if plan.safety_plan else None,
        "follow_up_on": plan.follow_up_on, "follow_up_by": plan.follow_up_by,
        "consent_given": plan.consent_given or consent is not None,  # a dated consent is a consent
        "medication_reviewed": plan.medication_reviewed or plan.medication_reviewed_on is not None,
        "abuse_stance": plan.abuse_stance, "notes": plan.notes,
        "consent_on": consent.given_on if consent else None, "consent_by": consent.by if consent else None,
        "consent_covers": consent.covers if consent else None,
        "consent_risks": list(consent.risks) if consent else None,
        "medication_reviewed_on": plan.medication_reviewed_on, "letters": _letters_to_json(plan.letters),
        "own_words": plan.own_words, "charts": list(plan.charts),
    }  # fmt: skip


def child_rows(plan: CarePlan, version_id: int) -> list[tuple[Any, dict[str, Any]]]:
    """The goals, actions and medications of a plan version as (table, columns)."""
    found: list[tuple[Any, dict[str, Any]]] = []
    for position, goal in enumerate(plan.goals):
        found.append((PlanGoalRow, {"plan_version_id": version_id, "position": position, **asdict(goal)}))
    for position, action in enumerate(plan.actions):
        found.append((PlanActionRow, {"plan_version_id": version_id, "position": position, "what": action.what,
                                      "who": action.who, "due": action.due}))  # fmt: skip
    for position, m in enumerate(plan.medications):
        found.append((PlanMedicationRow, {
            "plan_version_id": version_id, "position": position, "drug": m.name, "drug_class": "",
            "dose": m.dose_text, "daily_dose_mg": m.daily_dose, "route": None, "started_on": m.started_on,
            "re_evaluate_on": m.re_evaluate_on, "tapering": _tapering_to_json(m.tapering), "indication": m.indication,
            "evaluated_on": m.evaluated_on, "evaluation_result": m.evaluation_result,
        }))  # fmt: skip
    return found


def _write_content(session: Session, row: CarePlanVersionRow, plan: CarePlan) -> None:
    columns = content_columns(plan)
    if columns["consent_given"] and not row.consent_given:
        row.consent_at = datetime.now()
    for name, value in columns.items():
        setattr(row, name, value)
    for model in (PlanGoalRow, PlanActionRow, PlanMedicationRow):
        for child in session.scalars(select(model).where(model.plan_version_id == row.id)):
            session.delete(child)
    session.flush()
    for model, values in child_rows(plan, row.id):
        session.add(model(**values))


class CarePlanService:
    def __init__(self, sessions: sessionmaker[Session], patients: PatientService, actor: Callable[[], str]) -> None:
        self._sessions = sessions
        self._patients = patients
        self._actor = actor

    def versions(self, patient_id: int) -> list[CarePlan]:
        """Every version of the patient's plan, oldest first."""
        with reading_session(self._sessions) as session:
            return [_plan_from_rows(patient_id, row, session) for row in self._version_rows(session, patient_id)]

    def current(self, patient_id: int) -> CarePlan | None:
        found = self.versions(patient_id)
        return found[-1] if found else None

    def save(self, plan: CarePlan) -> CarePlan:
        """Save the draft; editing a frozen (printed) version starts the next version instead."""
        found = problems(plan)
        if found:
            raise PlanProblem("; ".join(found))
        try:
            with writing_session(self._sessions) as session:
                self._patients._row(session, plan.patient_id)
                rows = self._version_rows(session, plan.patient_id)
                latest = rows[-1] if rows else None
                stale_draft = latest is not None and latest.status == "draft" and latest.version != plan.revision
                if latest is not None and (latest.number != plan.number or stale_draft):
                    raise ConflictError(N_("care plan"), plan.patient_id)
                if latest is None or latest.status == "frozen":
                    container = self._container(session, plan.patient_id)
                    number = latest.number + 1 if latest else 1
                    latest = CarePlanVersionRow(care_plan_id=container.id, number=number, status="draft",
                                                created_at=datetime.now(), created_by=self._actor())  # fmt: skip
                    session.add(latest)
                    session.flush()
                _write_content(session, latest, plan)
                session.flush()
                self._patients.touch(session, plan.patient_id)
                record_event(session, self._actor(), "update", "care_plan", latest.id, {"number": latest.number})
                return _plan_from_rows(plan.patient_id, latest, session)
        except StaleDataError:
            raise ConflictError(N_("care plan"), plan.patient_id) from None

    def freeze(self, patient_id: int, action: str = "print", document: str = "patient_plan",
               printed: CarePlan | None = None) -> CarePlan:  # fmt: skip
        """Freeze the latest version (it was printed or exported); the audit trail records the action.

        ``printed``: the version on the paper; if another workstation saved a newer one meanwhile, nothing
        is frozen (the record must match the paper) and a conflict is raised."""
        with writing_session(self._sessions) as session:
            latest = self._latest(session, patient_id)
            if printed is not None and (latest.number, latest.version) != (printed.number, printed.revision):
                raise ConflictError(N_("care plan"), patient_id)
            if latest.status != "frozen":
                latest.status, latest.frozen_at = "frozen", datetime.now()
            self._record_output(session, patient_id, latest, action, document)
            session.flush()
            return _plan_from_rows(patient_id, latest, session)

    def record_output(self, patient_id: int, action: str, document: str) -> int:
        """Audit a document made from the plan without freezing it (the clinician summary); its version number."""
        with writing_session(self._sessions) as session:
            latest = self._latest(session, patient_id)
            self._record_output(session, patient_id, latest, action, document)
            return latest.number

    def _record_output(self, session: Session, patient_id: int, row: CarePlanVersionRow, action: str,
                       document: str) -> None:  # fmt: skip
        detail = {"number": row.number, "patient": patient_id, "document": document}
        record_event(session, self._actor(), action, "care_plan", row.id, detail)

    def _latest(self, session: Session, patient_id: int) -> CarePlanVersionRow:
        rows = self._version_rows(session, patient_id)
        if not rows:
            raise PlanProblem(f"patient {patient_id} has no care plan")
        return rows[-1]

    def _container(self, session: Session, patient_id: int) -> CarePlanRow:
        container = session.scalars(select(CarePlanRow).where(CarePlanRow.patient_id == patient_id)).first()
        if container is None:
            now = datetime.now()
            container = CarePlanRow(patient_id=patient_id, created_at=now, updated_at=now)
            session.add(container)
            session.flush()
        return container

    @staticmethod
    def _version_rows(session: Session, patient_id: int) -> list[CarePlanVersionRow]:
        statement = (
            select(CarePlanVersionRow)
            .join(CarePlanRow, CarePlanRow.id == CarePlanVersionRow.care_plan_id)
            .where(CarePlanRow.patient_id == patient_id)
            .order_by(CarePlanVersionRow.number)
        )
        return list(session.scalars(statement))
