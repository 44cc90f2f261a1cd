"""Medication as a report prints it: doses with their unit, morphine equivalents, classes and warnings in words."""

from __future__ import annotations

from smerteagent.core.careplan.medication import Catalogue, Medication, MedicationWarning
from smerteagent.core.careplan.plan import ACTORS, PlannedMedication
from smerteagent.i18n import N_, _
from smerteagent.reports.layout import amount

CLASSES = {
    "opioid": N_("Opioid"),
    "benzodiazepine": N_("Benzodiazepine"),
    "z_drug": N_("Z-drug (sleeping pill)"),
    "gabapentinoid": N_("Gabapentinoid"),
    "other": N_("Other"),
}
WARNINGS = {
    "opioid_with_benzodiazepine": N_("Opioid together with a benzodiazepine or z-drug: {drugs}"),
    "several_opioids": N_("More than one opioid: {drugs}"),
    "high_daily_mme": N_("High daily morphine equivalent: {value} mg (limit {limit} mg)"),
    "reassess_daily_mme": N_("Daily morphine equivalent {value} mg: reassess benefit and risk (from {limit} mg)"),
    "long_term_without_plan": N_(
        "{drugs}: used for more than {days} days without a tapering plan or re-evaluation date"
    ),
}


def as_medication(planned: PlannedMedication) -> Medication:
    """The core's view of a planned drug, for morphine equivalents, warnings and the completeness check."""
    return Medication(
        planned.name,
        planned.daily_dose,
        planned.started_on,
        planned.re_evaluate_on,
        has_tapering_plan=planned.tapering is not None,
    )


def dose(value: float | None, name: str, catalogue: Catalogue) -> str:
    """A daily dose in the drug's unit: mg per day, or µg per hour for a patch."""
    if value is None:
        return "—"
    drug = catalogue.identify(name)
    if drug is not None and drug.unit == "microgram_per_hour":
        return _("{dose} µg per hour").format(dose=amount(value))
    return _("{dose} mg per day").format(dose=amount(value))


def daily_mme(planned: PlannedMedication, catalogue: Catalogue) -> float | None:
    return catalogue.daily_mme(as_medication(planned))


def total_mme(medications: tuple[PlannedMedication, ...], catalogue: Catalogue) -> float:
    return sum(mme for m in medications if (mme := daily_mme(m, catalogue)) is not None)


def drug_class(name: str, catalogue: Catalogue) -> str:
    return _(CLASSES.get(catalogue.drug_class(name), CLASSES["other"]))


def warning_text(warning: MedicationWarning, catalogue: Catalogue) -> str:
    """One warning in the current language, with the drugs, the value and the limit it crossed."""
    limit = catalogue.thresholds.get(warning.kind)
    return _(WARNINGS[warning.kind]).format(
        drugs=", ".join(warning.drugs),
        value=amount(warning.value),
        limit=amount(limit),
        days=amount(catalogue.thresholds["long_term_days"]),
    )


def actor(who: str | None, *, in_sentence: bool = False) -> str:
    """Who does something, in words: a known role is translated (lower-cased inside a sentence, "egen læge",
    unless it is an abbreviation such as "GP"); anything else is printed as written."""
    if not who:
        return "—"
    if who not in ACTORS:
        return who
    role = _(ACTORS[who])
    return role[0].lower() + role[1:] if in_sentence and role[1:2].islower() else role
