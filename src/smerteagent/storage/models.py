"""The database tables (SQLAlchemy 2, typed). Only the storage package sees these rows.

Every table that two workstations may edit carries a ``version`` column used for optimistic locking: an
update names the version it read, and a stale one fails with a conflict instead of overwriting.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class PatientRow(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cpr: Mapped[str | None] = mapped_column(String(10), unique=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(6))
    no_cpr: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, doc="folded names and CPR digits, for search")
    given_key: Mapped[str] = mapped_column(String(200), doc="folded given name, for 1-2 letter prefixes")
    family_key: Mapped[str] = mapped_column(String(200), doc="folded family name, for 1-2 letter prefixes")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_patients_last_activity", "last_activity_at"),
        Index("ix_patients_given_key", "given_key"),
        Index("ix_patients_family_key", "family_key"),
    )


class UserRow(Base):
    """A clinician account; passwords and roles are used by the data-protection issue."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="clinician")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class EncounterRow(Base):
    __tablename__ = "encounters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    clinician: Mapped[str | None] = mapped_column(String(200))
    setting: Mapped[str] = mapped_column(String(20))
    battery_id: Mapped[str | None] = mapped_column(String(64))
    context: Mapped[dict[str, Any]] = mapped_column(default=dict, doc="e.g. on_opioids for follow-up rules")
    note: Mapped[str | None] = mapped_column(Text)


class ResponseRow(Base):
    """One questionnaire in an encounter: the answers exactly as given, and the scored snapshot."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    answer_origins: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, doc="item -> context/previous/carried, for answers pre-filled and not changed since"
    )
    sex: Mapped[str | None] = mapped_column(String(6), doc="the sex the scoring used")
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    band: Mapped[str | None] = mapped_column(String(64))
    flags: Mapped[list[Any] | None] = mapped_column(JSON)
    flag_severity: Mapped[dict[str, Any] | None] = mapped_column(JSON, doc="flag id -> info/warning/critical")
    missing: Mapped[list[Any] | None] = mapped_column(JSON)
    undecided_flags: Mapped[list[Any] | None] = mapped_column(
        JSON, doc="flags the missing answers could still raise; safety follow-up rules read them"
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_responses_form", "form_id", "status"),)


class ScreeningFactRow(Base):
    """A completed questionnaire as the quality report reads it: narrow (no answers), with its patient, total
    and flags at hand. Kept by database triggers on ``responses`` and ``encounters`` (migration 0007i16), so
    every write — screenings, imports, demo data, corrections — updates it in its own transaction; the
    program never writes it."""

    __tablename__ = "screening_facts"

    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    patient_id: Mapped[int] = mapped_column(Integer)
    form_id: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(DateTime)
    total: Mapped[float | None] = mapped_column(Float, doc="results.total, as the report reads it")
    band: Mapped[str | None] = mapped_column(String(64))
    item9_missing: Mapped[bool] = mapped_column(Boolean, doc="the flags hold suicide_item_missing")
    suicide_flags: Mapped[str | None] = mapped_column(Text, doc="the flags (JSON) when a suicide-risk flag is one")

    __table_args__ = (
        Index("ix_screening_facts_form", "form_id", "patient_id", "completed_at", "response_id", "total", "band",
              "item9_missing"),  # read in its order (no sorting) and nothing else: the report's rows
        Index("ix_screening_facts_suicide", "completed_at", sqlite_where=text("suicide_flags IS NOT NULL"),
              postgresql_where=text("suicide_flags IS NOT NULL")),
    )  # fmt: skip


class SafetyActionRow(Base):
    """What the clinician did about a critical flag (suicide risk); the red banner stays until one exists."""

    __tablename__ = "safety_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    flag: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime)


class CarePlanRow(Base):
    """A patient's care plan; its content lives in numbered versions (a printed version is frozen)."""

    __tablename__ = "care_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CarePlanVersionRow(Base):
    __tablename__ = "care_plan_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    care_plan_id: Mapped[int] = mapped_column(ForeignKey("care_plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="draft", doc="draft or frozen (printed)")
    based_on_response_ids: Mapped[list[Any]] = mapped_column(default=list)
    values: Mapped[list[Any]] = mapped_column(default=list, doc="life domains: importance, current, chosen")
    treatment: Mapped[list[Any]] = mapped_column(default=list, doc="chosen treatment suggestions")
    safety_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_by: Mapped[str | None] = mapped_column(String(200))
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime)
    medication_reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    abuse_stance: Mapped[str | None] = mapped_column(Text)
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_covers: Mapped[str | None] = mapped_column(Text)
    consent_risks: Mapped[list[Any] | None] = mapped_column(JSON, doc="CONSENT_RISKS ids explained")
    consent_by: Mapped[str | None] = mapped_column(String(200))
    medication_reviewed_on: Mapped[date | None] = mapped_column(Date)
    letters: Mapped[list[Any] | None] = mapped_column(JSON, doc="received discharge summaries and letters")
    own_words: Mapped[str | None] = mapped_column(Text, doc="what matters, in the patient's own words")
    charts: Mapped[list[Any] | None] = mapped_column(JSON, doc="form ids charted on the patient's handout")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str | None] = mapped_column(String(200))
    frozen_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("care_plan_id", "number"),)


class PlanGoalRow(Base):
    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("care_plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    value_domain: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(Text)
    baseline: Mapped[float | None] = mapped_column()
    target: Mapped[float | None] = mapped_column()
    target_date: Mapped[date | None] = mapped_column(Date)
    attainment: Mapped[int | None] = mapped_column(Integer, doc="goal attainment rated at follow-up")


class PlanActionRow(Base):
    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("care_plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(40))
    due: Mapped[str | None] = mapped_column(String(200))


class PlanMedicationRow(Base):
    __tablename__ = "plan_medications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("care_plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    drug: Mapped[str] = mapped_column(String(200))
    drug_class: Mapped[str] = mapped_column(String(40))
    dose: Mapped[str | None] = mapped_column(String(200))
    daily_dose_mg: Mapped[float | None] = mapped_column()
    route: Mapped[str | None] = mapped_column(String(40))
    started_on: Mapped[date | None] = mapped_column(Date)
    re_evaluate_on: Mapped[date | None] = mapped_column(Date)
    tapering: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    indication: Mapped[str | None] = mapped_column(Text)
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    evaluation_result: Mapped[str | None] = mapped_column(Text)


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class AuditEventRow(Base):
    """Append-only log; each event carries the hash of the one before it."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str | None] = mapped_column(String(64), doc="HMAC of the hash with the clinic's audit key, if kept")

    # A record's events newest first without reading the whole trail (the login back-off reads them per login).
    __table_args__ = (Index("ix_audit_events_record", "record_type", "record_id", "id"),)


class MedicationAcknowledgementRow(Base):
    """A clinician's acknowledgement of a medication warning, with the reason (the warning still prints)."""

    __tablename__ = "medication_acknowledgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    warning_key: Mapped[str] = mapped_column(String(1000))
    warning_id: Mapped[str] = mapped_column(String(64))
    drugs: Mapped[list[Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime)


class KeptDraftRow(Base):
    """A clinician's unsaved work kept when another clinician switched user at the lock: private to that
    clinician (never listed for anyone else) until they take it back at their next login."""

    __tablename__ = "kept_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    kept_at: Mapped[datetime] = mapped_column(DateTime)
