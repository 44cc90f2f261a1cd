"""Medication as a report prints it: doses with their unit, morphine equivalents, classes and warnings in words."""

from __future__ import annotations

from smerteagent.core.careplan.medication import Catalogue, MedicationWarning, display_mme
from smerteagent.core.careplan.plan import ACTORS, PlannedMedication
from smerteagent.i18n import N_, _
from smerteagent.reports.layout import amount

CLASSES = {
    "opioid": N_("Opioid"),
    "benzodiazepine": N_("Benzodiazepine"),
    "z_drug": N_("Z-drug (sleeping pill)"),
    "gabapentinoid": N_("Gabapentinoid"),
    "other_analgesic": N_("Other painkiller"),
    "other": N_("Other"),
    "unclassified": N_("Not in the drug catalogue"),
}


def dose(value: float | None, name: str, catalogue: Catalogue) -> str:
    """A daily dose in the drug's unit: mg per day, or µg per hour for a patch."""
    if value is None:
        return "—"
    drug = catalogue.identify(name)
    if drug is not None and drug.unit == "microgram_per_hour":
        return _("{dose} µg per hour").format(dose=amount(value))
    return _("{dose} mg per day").format(dose=amount(value))


def daily_mme(planned: PlannedMedication, catalogue: Catalogue) -> str:
    """The morphine equivalent as printed: rounded down for display (never up across a threshold), and an
    opioid that is not counted says so instead of a dash or a zero."""
    found = catalogue.mme(planned.as_medication())
    if found.value is not None:
        return amount(display_mme(found.value))
    return _("not counted") if found.reason else "—"


def total_mme(medications: tuple[PlannedMedication, ...], catalogue: Catalogue) -> str:
    return amount(display_mme(catalogue.total_mme(m.as_medication() for m in medications)))


def drug_class(name: str, catalogue: Catalogue) -> str:
    return _(CLASSES.get(catalogue.drug_class(name), CLASSES["unclassified"]))


def warning_text(warning: MedicationWarning, catalogue: Catalogue) -> str:
    return catalogue.warning_text(warning, amount)


def actor(who: str | None, *, in_sentence: bool = False) -> str:
    """Who does something, in words: a known role is translated (lower-cased inside a sentence, "egen læge",
    unless it is an abbreviation such as "GP"); anything else is printed as written."""
    if not who:
        return "—"
    if who not in ACTORS:
        return who
    role = _(ACTORS[who])
    return role[0].lower() + role[1:] if in_sentence and role[1:2].islower() else role
