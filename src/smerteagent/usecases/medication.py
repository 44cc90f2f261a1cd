"""The medication check, written once for both faces: a list of prescriptions in, each drug classified by the
catalogue with its daily morphine equivalent, the total, the warnings and the drugs the catalogue does not
know out. ``smerteagent medication check`` and the care plan's medication tab both call :func:`check`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from smerteagent.core.careplan.medication import (
    CLASSES,
    FORM_LABELS,
    SEVERITIES,
    UNITS,
    Acknowledgement,
    Catalogue,
    Classification,
    Medication,
    MedicationWarning,
    Mme,
    bundled_catalogue,
)
from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.text import clean_text
from smerteagent.i18n import _

if TYPE_CHECKING:  # the check itself needs no database: the CLI's check starts without SQLAlchemy
    from smerteagent.storage.services import Services

REQUIRED = ("drug", "daily_dose", "unit")
OPTIONAL = ("started_on", "re_evaluate_on", "tapering")


class PrescriptionError(SmerteAgentError):
    """A prescription that cannot be checked, named by its place in the list (item 1 is the first)."""


@dataclass(frozen=True)
class CheckedDrug:
    medication: Medication
    classification: Classification
    mme: Mme


@dataclass(frozen=True)
class MedicationCheck:
    """What the check found: every drug, the total MME/day of the counted opioids, the warnings."""

    drugs: tuple[CheckedDrug, ...]
    total_mme: float
    warnings: tuple[MedicationWarning, ...]
    catalogue: Catalogue

    @property
    def unclassified(self) -> list[str]:
        return [d.medication.name for d in self.drugs if not d.classification.known]

    def text(self, warning: MedicationWarning) -> str:
        return self.catalogue.warning_text(warning)

    def severity(self, warning: MedicationWarning) -> str:
        return self.catalogue.severity(warning.kind)

    def to_json(self) -> dict[str, Any]:
        """The CLI contract: drugs, total_mme, warnings (id, drugs, text, severity), unclassified."""
        return {
            "drugs": [
                {
                    "input": d.medication.name,
                    "substance": d.classification.substance,
                    "atc": d.classification.atc,
                    "class": d.classification.drug_class,
                    "form": d.classification.form,
                    "daily_mme": d.mme.value,
                    "counted": d.mme.counted,
                }
                for d in self.drugs
            ],
            "total_mme": self.total_mme,
            "warnings": [
                {"id": w.kind, "drugs": list(w.drugs), "text": self.text(w), "severity": self.severity(w)}
                for w in self.warnings
            ],
            "unclassified": self.unclassified,
        }


def check(
    medications: Sequence[Medication],
    today: date,
    *,
    suicide_risk_open: bool = False,
    catalogue: Catalogue | None = None,
) -> MedicationCheck:
    """Classify every prescription, add up the morphine equivalents and find every warning."""
    catalogue = catalogue or bundled_catalogue()
    drugs = tuple(CheckedDrug(m, catalogue.classify(m.name, m.unit), catalogue.mme(m)) for m in medications)
    total = catalogue.total_mme(medications)
    warnings = catalogue.warnings(list(medications), today, suicide_risk_open=suicide_risk_open)
    return MedicationCheck(drugs, total, tuple(warnings), catalogue)


def _date(value: object, where: str, key: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PrescriptionError(f"{where}: {key} must be a date as YYYY-MM-DD (got {value!r})")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PrescriptionError(f"{where}: {key} must be a date as YYYY-MM-DD (got {value!r})") from None


def prescription(item: object, number: int, catalogue: Catalogue | None = None) -> Medication:
    """One prescription of the CLI contract as a core :class:`Medication`; what is wrong names item and key."""
    where = f"item {number}"
    if not isinstance(item, Mapping):
        raise PrescriptionError(f"{where}: must be an object with drug, daily_dose and unit")
    unknown = sorted(set(item) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise PrescriptionError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(REQUIRED + OPTIONAL)})")
    missing = [key for key in REQUIRED if key not in item]
    if missing:
        raise PrescriptionError(f"{where}: {missing[0]} is missing")
    drug, dose, unit = item["drug"], item["daily_dose"], item["unit"]
    if not isinstance(drug, str) or not drug.strip():
        raise PrescriptionError(f"{where}: drug must be a non-empty text")
    if isinstance(dose, bool) or not isinstance(dose, (int, float)) or not math.isfinite(dose) or dose <= 0:
        raise PrescriptionError(f"{where} ({drug}): daily_dose must be a number above 0 (got {dose!r})")
    if unit not in UNITS:
        raise PrescriptionError(f"{where} ({drug}): unit must be 'mg' or 'microgram_per_hour' (got {unit!r})")
    tapering = item.get("tapering")
    tapering = False if tapering is None else tapering  # null is the same as leaving it out, like the dates
    if not isinstance(tapering, bool):
        raise PrescriptionError(f"{where} ({drug}): tapering must be true or false (got {tapering!r})")
    started = _date(item.get("started_on"), where, "started_on")
    re_evaluate = _date(item.get("re_evaluate_on"), where, "re_evaluate_on")
    medication = Medication(drug.strip(), float(dose), started, re_evaluate, tapering, unit)
    found = (catalogue or bundled_catalogue()).classify(medication.name, unit)
    if found.unit_conflict:
        unit_text = "µg/h" if unit == "microgram_per_hour" else "mg"
        raise PrescriptionError(
            f"{where} ({drug}): unit {unit_text} does not fit {found.substance} "
            + ("(not a patch)" if unit == "microgram_per_hour" else "(a patch: use microgram_per_hour)")
        )
    return medication


def prescriptions(document: object, catalogue: Catalogue | None = None) -> list[Medication]:
    """The CLI contract's input: a JSON list of prescriptions."""
    if not isinstance(document, list):
        raise PrescriptionError("the input must be a JSON list of prescriptions")
    return [prescription(item, number, catalogue) for number, item in enumerate(document, start=1)]


def catalogue_rows(drug_class: str | None = None, catalogue: Catalogue | None = None) -> list[dict[str, Any]]:
    """The catalogue as rows for ``medication list``: ATC, substance, class, forms with factor and source,
    products with their strengths."""
    if drug_class is not None and drug_class not in CLASSES:
        raise PrescriptionError(f"--class must be one of {', '.join(CLASSES)} (got {drug_class!r})")
    catalogue = catalogue or bundled_catalogue()
    rows = []
    for entry in sorted(catalogue.entries.values(), key=lambda e: (CLASSES.index(e.drug_class), e.atc)):
        if drug_class is not None and entry.drug_class != drug_class:
            continue
        rows.append(
            {
                "atc": entry.atc,
                "substance": entry.substance,
                "class": entry.drug_class,
                "names": list(entry.names),
                "forms": [
                    {
                        "form": f.form,
                        "unit": "microgram_per_hour" if f.form == "transdermal" else "mg",
                        "factor": f.factor,
                        "source": f.source,
                    }
                    for f in entry.forms.values()
                ],
                "products": [{"name": p.name, "form": p.form, "strengths": list(p.strengths)} for p in entry.products],
            }
        )
    return rows


def form_label(form: str | None) -> str:
    return _(FORM_LABELS[form]) if form in FORM_LABELS else "—"


def planned_medications(items: Iterable[Any]) -> list[Medication]:
    """The care plan's drugs as the check reads them (``PlannedMedication.as_medication``)."""
    return [item.as_medication() for item in items]


# -- the patient's current medication, with acknowledgements (the patient page and the care plan's tab) --------


@dataclass(frozen=True)
class ShownWarning:
    """A warning as a face shows it: its text, its severity, and its acknowledgement if one was given."""

    warning: MedicationWarning
    text: str
    severity: str
    acknowledged: Acknowledgement | None = None


def shown_warnings(result: MedicationCheck, acknowledgements: Mapping[str, Acknowledgement]) -> list[ShownWarning]:
    """Every warning, most severe first, with its acknowledgement (acknowledged warnings are still shown)."""
    shown = [ShownWarning(w, result.text(w), result.severity(w), acknowledgements.get(w.key)) for w in result.warnings]
    return sorted(shown, key=lambda s: SEVERITIES.index(s.severity) if s.severity in SEVERITIES else len(SEVERITIES))


def patient_warnings(services: Services, patient_id: int, today: date) -> list[ShownWarning]:
    """The warnings of the patient's current care plan, with an open suicide-risk flag taken into account."""
    plan = services.careplans.current(patient_id)
    if plan is None or not plan.medications:
        return []
    open_risk = bool(services.screenings.open_alerts(patient_id))
    result = check(planned_medications(plan.medications), today, suicide_risk_open=open_risk)
    return shown_warnings(result, services.medication_acks.for_patient(patient_id))


def acknowledge(services: Services, patient_id: int, warning: MedicationWarning, reason: str) -> Acknowledgement:
    """Record that the clinician goes on despite ``warning``, and why; the reason is required (audited)."""
    cleaned = clean_text(_("reason"), reason, limit=2000, multiline=True)
    if not cleaned:
        raise PrescriptionError(_("An acknowledgement needs a reason"))
    return services.medication_acks.acknowledge(patient_id, warning, cleaned)
