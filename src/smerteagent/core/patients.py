"""Patients as the rest of the program sees them, and the rules for entering one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from smerteagent.core.cpr import Cpr, CprError, format_cpr, parse_cpr
from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.text import TextError, clean_text
from smerteagent.i18n import N_, _

SEXES = ("female", "male")
NAME_LIMIT = 200
CONTACT_LIMIT = 500
NOTE_LIMIT = 10_000


FIELD_LABELS = {
    "given_name": N_("Given name"), "family_name": N_("Family name"), "cpr": N_("CPR number"),
    "sex": N_("Sex"), "birth_date": N_("Birth date"), "contact": N_("Contact"), "note": N_("Note"),
}  # fmt: skip


class PatientError(SmerteAgentError):
    """Patient details that cannot be saved: names the field (label and id) and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{_(FIELD_LABELS.get(field, field))} ({field}): {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class PatientInput:
    """What a clinician typed; :func:`validate_patient` turns it into :class:`ValidPatient`."""

    given_name: str
    family_name: str
    cpr: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    no_cpr: bool = False
    contact: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ValidPatient:
    """Checked details ready to store; ``warnings`` are worth showing but do not stop saving."""

    given_name: str
    family_name: str
    cpr: str | None
    sex: str | None
    birth_date: date | None
    no_cpr: bool
    contact: str | None
    note: str | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PatientSummary:
    """One row of the patient list."""

    id: int
    cpr: str | None
    given_name: str
    family_name: str
    birth_date: date | None
    sex: str | None
    last_activity_at: datetime

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def cpr_text(self, *, masked: bool = False) -> str | None:
        return format_cpr(self.cpr, masked=masked)

    def to_json(self, *, masked: bool = False) -> dict[str, object]:
        return {
            "id": self.id,
            "cpr": self.cpr_text(masked=masked),
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "last_activity_at": self.last_activity_at.isoformat(),
        }


@dataclass(frozen=True)
class Patient(PatientSummary):
    """A patient with everything stored about the person (not the screenings)."""

    no_cpr: bool = False
    contact: str | None = None
    note: str | None = None
    created_at: datetime = field(default_factory=datetime.now)
    updated_at: datetime = field(default_factory=datetime.now)
    version: int = 1

    def to_json(self, *, masked: bool = False) -> dict[str, object]:
        return {
            **super().to_json(masked=masked),
            "no_cpr": self.no_cpr,
            "contact": self.contact,
            "note": self.note,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "version": self.version,
        }


def age_on(birth_date: date | None, day: date) -> int | None:
    """Whole years on ``day``."""
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _texts(details: PatientInput) -> tuple[str, str, str | None, str | None]:
    try:
        given = clean_text("given_name", details.given_name, limit=NAME_LIMIT) or ""
        family = clean_text("family_name", details.family_name, limit=NAME_LIMIT) or ""
        contact = clean_text("contact", details.contact, limit=CONTACT_LIMIT, multiline=True)
        note = clean_text("note", details.note, limit=NOTE_LIMIT, multiline=True)
    except TextError as error:
        raise PatientError(error.field, error.problem) from None
    if not given and not family:
        raise PatientError("family_name", _("a patient needs a name"))
    return given, family, contact or None, note or None


def validate_patient(details: PatientInput, *, today: date | None = None) -> ValidPatient:
    """Check and normalise entered details; a valid CPR gives the birth date and (unless set) the sex."""
    given, family, contact, note = _texts(details)
    if details.sex is not None and details.sex not in SEXES:
        raise PatientError("sex", _("must be 'female' or 'male' (or left empty)"))
    cpr_text = (details.cpr or "").strip()
    if not cpr_text:
        if not details.no_cpr:
            raise PatientError("cpr", _("enter a CPR number, or mark the patient as having none"))
        if details.birth_date is not None and details.birth_date > (today or date.today()):
            raise PatientError("birth_date", _("lies in the future"))
        return ValidPatient(given, family, None, details.sex, details.birth_date, True, contact, note)

    try:
        cpr: Cpr = parse_cpr(cpr_text)
    except CprError as error:
        raise PatientError("cpr", error.problem) from None
    if cpr.birth_date > (today or date.today()):
        raise PatientError(
            "cpr", _("gives a birth date in the future ({date})").format(date=cpr.birth_date.isoformat())
        )
    if details.birth_date is not None and details.birth_date != cpr.birth_date:
        problem = _("does not match the CPR number ({date})").format(date=cpr.birth_date.isoformat())
        raise PatientError("birth_date", problem)
    warnings = (cpr.warning,) if cpr.warning else ()
    sex = details.sex or cpr.sex
    return ValidPatient(given, family, cpr.digits, sex, cpr.birth_date, False, contact, note, warnings)
