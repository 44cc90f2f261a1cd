"""Encounters and questionnaire responses: every answer is committed the moment it is given.

A response stays a resumable draft until it is completed; completing scores it with the form version it
was started with and stores the snapshot (results, band, flags) beside the answers, which stay exactly
as given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.errors import ConflictError, SmerteAgentError
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.safety import SAFETY_ACTIONS, SafetyAction
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.core.vocabulary import SETTINGS
from smerteagent.i18n import _
from smerteagent.storage.audit import record_event
from smerteagent.storage.database import reading_session, writing_session
from smerteagent.storage.models import EncounterRow, ResponseRow, SafetyActionRow
from smerteagent.storage.patients import NotFound, PatientService

IMPORTED = "imported"  # the setting of an encounter that holds responses imported from a file


@dataclass(frozen=True)
class OpenAlert:
    """A critical flag of a completed response that no clinician has yet recorded an action for."""

    response_id: int
    form_id: str
    flag: str
    completed_at: datetime | None


class ResponseClosed(SmerteAgentError):
    """A completed response is a record; it takes no further answers."""


UNCHECKED: Any = object()  # ``answer(seen=...)`` not given: no check (answers carried by the program itself)


class AnswerConflict(ConflictError):
    """Another workstation answered the same item after this one last saw it; nothing was overwritten.

    Both answers are in the audit trail: the stored one as its ``answer`` event, the refused one as an
    ``answer`` event with ``"saved": false``.
    """

    def __init__(self, response_id: int, form_id: str, item: str, stored: object, attempted: object) -> None:
        SmerteAgentError.__init__(
            self,
            _("Item {item} of {form} (questionnaire {id}) was answered on another workstation meanwhile "
              "(now: {stored}; yours, not saved: {attempted}). Check the answer and give it again if it should "
              "change; both answers are in the audit trail.").format(
                item=item, form=form_id, id=response_id, stored=_shown(stored), attempted=_shown(attempted)),
        )  # fmt: skip
        self.response_id, self.form_id, self.item = response_id, form_id, item
        self.stored, self.attempted = stored, attempted


def _shown(value: object) -> str:
    return _("no answer") if value is None else str(value)


@dataclass(frozen=True)
class Encounter:
    id: int
    patient_id: int
    started_at: datetime
    clinician: str | None
    setting: str
    battery_id: str | None
    context: dict[str, Any] = field(default_factory=dict)
    note: str | None = None  # for imported responses: where they came from


@dataclass(frozen=True)
class ResponseRecord:
    """A questionnaire as stored: answers exactly as given and, once complete, the score snapshot."""

    id: int
    encounter_id: int
    patient_id: int
    form_id: str
    form_version: str
    status: str
    answers: dict[str, int | str]
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    score: ScoreResult | None = None
    origins: dict[str, str] = field(default_factory=dict)  # pre-filled answers: item -> context/previous/carried


def _score_from_row(row: ResponseRow) -> ScoreResult | None:
    if row.status != "complete" or row.results is None:
        return None
    return ScoreResult(row.form_id, row.form_version, dict(row.results), row.band, tuple(row.flags or ()),
                       tuple(row.missing or ()), dict(row.flag_severity or {}),
                       tuple(row.undecided_flags or ()))  # fmt: skip


def _record(row: ResponseRow, patient_id: int) -> ResponseRecord:
    return ResponseRecord(
        id=row.id, encounter_id=row.encounter_id, patient_id=patient_id, form_id=row.form_id,
        form_version=row.form_version, status=row.status, answers=dict(row.answers), created_at=row.created_at,
        updated_at=row.updated_at, completed_at=row.completed_at, score=_score_from_row(row),
        origins=dict(row.answer_origins or {}),
    )  # fmt: skip


class ScreeningService:
    """Start encounters, answer questionnaires item by item, complete and read them back."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        forms: FormLibrary,
        patients: PatientService,
        actor: Callable[[], str],
    ) -> None:
        self._sessions = sessions
        self._forms = forms
        self._patients = patients
        self._actor = actor

    def start_encounter(
        self,
        patient_id: int,
        setting: str,
        battery_id: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> Encounter:
        if setting not in SETTINGS:
            raise SmerteAgentError(f"setting must be one of {', '.join(SETTINGS)}, not {setting!r}")
        with writing_session(self._sessions) as session:
            self._patients._row(session, patient_id)
            row = EncounterRow(patient_id=patient_id, started_at=datetime.now(), clinician=self._actor(),
                               setting=setting, battery_id=battery_id, context=dict(context or {}))  # fmt: skip
            session.add(row)
            session.flush()
            self._patients.touch(session, patient_id)
            record_event(session, self._actor(), "create", "encounter", row.id, {"patient": patient_id})
            return Encounter(row.id, patient_id, row.started_at, row.clinician, setting, battery_id, row.context)

    def start_response(self, encounter_id: int, form_id: str) -> ResponseRecord:
        form = self._forms.get(form_id)
        now = datetime.now()
        with writing_session(self._sessions) as session:
            encounter = self._encounter(session, encounter_id)
            row = ResponseRow(encounter_id=encounter_id, form_id=form.id, form_version=form.version, status="draft",
                              answers={}, created_at=now, updated_at=now)  # fmt: skip
            session.add(row)
            session.flush()
            record_event(session, self._actor(), "create", "response", row.id, {"form": form.id})
            return _record(row, encounter.patient_id)

    def answer(
        self, response_id: int, item_id: str, value: object, origin: str | None = None, *, seen: object = UNCHECKED
    ) -> ResponseRecord:
        """Store one answer (``None`` clears it) with its audit event, in its own committed transaction.

        ``origin`` marks a pre-filled answer (context, previous, carried); a changed answer loses its mark.
        ``seen`` is the item's answer as this workstation last saw it (``None``: unanswered). If another
        workstation stored a different answer since, :class:`AnswerConflict` is raised and nothing is
        overwritten; the refused answer is audited too, so both stay on record.
        """
        with writing_session(self._sessions) as session:
            row = self._draft(session, response_id)
            form = self._forms.get(row.form_id)
            answers = dict(row.answers)
            previous = answers.get(item_id)
            origins = dict(row.answer_origins or {})
            if origin is not None:
                origins[item_id] = origin
            elif previous != value:
                origins.pop(item_id, None)
            if value is None:
                form.check_answers({item_id: None})
                answers.pop(item_id, None)
            else:
                answers.update(form.check_answers({item_id: value}))
            given = answers.get(item_id)
            if seen is UNCHECKED or previous in (seen, given):
                row.answers = answers
                row.answer_origins = origins or None
                row.updated_at = datetime.now()
                row.version += 1
                record_event(session, self._actor(), "answer", "response", row.id,
                             {"form": row.form_id, "item": item_id, "value": given, "previous": previous})  # fmt: skip
                return _record(row, self._encounter(session, row.encounter_id).patient_id)
            conflict = AnswerConflict(response_id, row.form_id, item_id, previous, given)
        self._record_refused(conflict)
        raise conflict

    def _record_refused(self, conflict: AnswerConflict) -> None:
        """The answer that lost a conflict is kept in the audit trail, though not in the response."""
        detail = {"form": conflict.form_id, "item": conflict.item, "value": conflict.attempted,
                  "stored": conflict.stored, "saved": False, "conflict": True}  # fmt: skip
        with writing_session(self._sessions) as session:
            record_event(session, self._actor(), "answer", "response", conflict.response_id, detail)

    def complete(self, response_id: int, sex: str | None) -> ResponseRecord:
        """Score with the form and store the snapshot; the response becomes read-only."""
        with writing_session(self._sessions) as session:
            row = self._draft(session, response_id)
            form = self._forms.get(row.form_id)
            result = form.score(row.answers, sex)
            row.status, row.sex, row.completed_at = "complete", sex, datetime.now()
            row.results, row.band = dict(result.results), result.band
            row.flags, row.missing = list(result.flags), list(result.missing)
            row.flag_severity = dict(result.flag_severity)
            row.undecided_flags = list(result.undecided_flags) or None
            row.updated_at = row.completed_at
            patient_id = self._encounter(session, row.encounter_id).patient_id
            self._patients.touch(session, patient_id)
            record_event(session, self._actor(), "complete", "response", row.id, {"flags": row.flags})
            return _record(row, patient_id)

    def import_completed(
        self, patient_id: int, form_id: str, answers: Mapping[str, int | str], authored: datetime, source: str
    ) -> ResponseRecord | None:
        """A response answered elsewhere, stored complete with its own date and scored now; None when the
        patient already has it (same form, answers and time), so that importing a file twice stores it once."""
        form = self._forms.get(form_id)
        checked = form.check_answers(answers)
        with writing_session(self._sessions) as session:
            patient = self._patients._row(session, patient_id)
            if self._already_stored(session, patient_id, form.id, checked, authored):
                return None
            result = form.score(checked, patient.sex)
            encounter = EncounterRow(patient_id=patient_id, started_at=authored, clinician=self._actor(),
                                     setting=IMPORTED, context={}, note=source)  # fmt: skip
            session.add(encounter)
            session.flush()
            row = ResponseRow(encounter_id=encounter.id, form_id=form.id, form_version=form.version, status="complete",
                              answers=dict(checked), sex=patient.sex, results=dict(result.results), band=result.band,
                              flags=list(result.flags), missing=list(result.missing),
                              flag_severity=dict(result.flag_severity), created_at=authored, updated_at=authored,
                              completed_at=authored)  # fmt: skip
            session.add(row)
            session.flush()
            self._patients.touch(session, patient_id)
            record_event(session, self._actor(), "create", "response", row.id,
                         {"form": form.id, "flags": row.flags, "imported_from": source})  # fmt: skip
            return _record(row, patient_id)

    def _already_stored(
        self, session: Session, patient_id: int, form_id: str, answers: Mapping[str, int | str], authored: datetime
    ) -> bool:
        statement = (
            select(ResponseRow)
            .join(EncounterRow, EncounterRow.id == ResponseRow.encounter_id)
            .where(
                EncounterRow.patient_id == patient_id, ResponseRow.form_id == form_id, ResponseRow.status == "complete"
            )
        )
        second = authored.replace(microsecond=0)
        return any(
            row.completed_at is not None
            and row.completed_at.replace(microsecond=0) == second
            and row.answers == answers
            for row in session.scalars(statement)
        )

    def open_alerts(self, patient_id: int) -> list[OpenAlert]:
        """Critical flags still waiting for a recorded action — in completed questionnaires and in drafts
        (a 'yes' to a suicide question counts the moment it is given); the red banner stays while any exist."""
        statement = (
            select(ResponseRow)
            .join(EncounterRow, EncounterRow.id == ResponseRow.encounter_id)
            .where(EncounterRow.patient_id == patient_id)
            .order_by(ResponseRow.created_at, ResponseRow.id)
        )
        with reading_session(self._sessions) as session:
            done = {(a.response_id, a.flag) for a in session.scalars(select(SafetyActionRow))}
            alerts = []
            for row in session.scalars(statement):
                for flag in self._critical_flags(row):
                    if (row.id, flag) not in done:
                        alerts.append(OpenAlert(row.id, row.form_id, flag, row.completed_at or row.updated_at))
            return alerts

    def _critical_flags(self, row: ResponseRow) -> list[str]:
        if row.status == "complete":
            return [flag for flag, severity in (row.flag_severity or {}).items() if severity == "critical"]
        form = self._forms.forms.get(row.form_id)
        if form is None or not row.answers:
            return []
        return list(form.score(row.answers, row.sex).critical_flags)

    def record_safety_action(self, response_id: int, flag: str, action: str, note: str | None = None) -> None:
        """Record what was done about a critical flag, in the audit trail too."""
        self.record_safety_actions([(response_id, flag)], action, note)

    def record_safety_actions(self, flags: Sequence[tuple[int, str]], action: str, note: str | None = None) -> None:
        """One action on several critical flags (an encounter's PHQ-9 item 9 and C-SSRS): one assessment,
        written for every flag at the same moment, all or none."""
        if action not in SAFETY_ACTIONS:
            raise SmerteAgentError(f"unknown safety action {action!r}")
        now, actor = datetime.now(), self._actor()
        with writing_session(self._sessions) as session:
            for response_id, flag in flags:
                if session.get(ResponseRow, response_id) is None:
                    raise NotFound("response", response_id)
                session.add(SafetyActionRow(response_id=response_id, flag=flag, action=action, note=note,
                                            actor=actor, at=now))  # fmt: skip
                record_event(session, actor, "update", "response", response_id,
                             {"safety_action": action, "flag": flag})  # fmt: skip

    def safety_actions(self, patient_id: int) -> list[SafetyAction]:
        """Every action recorded on the patient's critical flags, oldest first (for the journal note)."""
        statement = (
            select(SafetyActionRow, ResponseRow.form_id)
            .join(ResponseRow, ResponseRow.id == SafetyActionRow.response_id)
            .join(EncounterRow, EncounterRow.id == ResponseRow.encounter_id)
            .where(EncounterRow.patient_id == patient_id)
            .order_by(SafetyActionRow.at, SafetyActionRow.id)
        )
        with reading_session(self._sessions) as session:
            return [SafetyAction(a.response_id, form_id, a.flag, a.action, a.note, a.actor, a.at)
                    for a, form_id in session.execute(statement)]  # fmt: skip

    def get(self, response_id: int) -> ResponseRecord:
        with reading_session(self._sessions) as session:
            row = session.get(ResponseRow, response_id)
            if row is None:
                raise NotFound("response", response_id)
            return _record(row, self._encounter(session, row.encounter_id).patient_id)

    def responses(self, patient_id: int, *, status: str | None = None) -> list[ResponseRecord]:
        """A patient's responses, oldest first (drafts included unless a status is given)."""
        statement = (
            select(ResponseRow)
            .join(EncounterRow, EncounterRow.id == ResponseRow.encounter_id)
            .where(EncounterRow.patient_id == patient_id)
            .order_by(ResponseRow.created_at, ResponseRow.id)
        )
        if status is not None:
            statement = statement.where(ResponseRow.status == status)
        with reading_session(self._sessions) as session:
            return [_record(row, patient_id) for row in session.scalars(statement)]

    def latest_answers(self, patient_id: int, form_ids: Iterable[str]) -> dict[str, dict[str, int | str]]:
        """The answers of the patient's most recent completed response to each form (for carry-forward items)."""
        wanted = set(form_ids)
        latest: dict[str, dict[str, int | str]] = {}
        for record in self.responses(patient_id, status="complete"):
            if record.form_id in wanted:
                latest[record.form_id] = record.answers  # oldest first: the last one wins
        return latest

    def encounters(self, patient_id: int) -> list[Encounter]:
        statement = select(EncounterRow).where(EncounterRow.patient_id == patient_id).order_by(EncounterRow.started_at)
        with reading_session(self._sessions) as session:
            return [
                Encounter(
                    r.id, r.patient_id, r.started_at, r.clinician, r.setting, r.battery_id, dict(r.context), r.note
                )
                for r in session.scalars(statement)
            ]

    def _encounter(self, session: Session, encounter_id: int) -> EncounterRow:
        row = session.get(EncounterRow, encounter_id)
        if row is None:
            raise NotFound("encounter", encounter_id)
        return row

    def _draft(self, session: Session, response_id: int) -> ResponseRow:
        statement = select(ResponseRow).where(ResponseRow.id == response_id).with_for_update()
        row = session.execute(statement).scalar_one_or_none()
        if row is None:
            raise NotFound("response", response_id)
        if row.status != "draft":
            raise ResponseClosed(f"response {response_id} ({row.form_id}) is complete and takes no more answers")
        return row
