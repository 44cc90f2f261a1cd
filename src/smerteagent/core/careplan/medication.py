"""Dependence-forming medication: which class a drug is, its daily oral morphine equivalent, and the
warnings the supervision checkpoints ask for. Drug names, factors and thresholds live in
``resources/medication/medication.yaml``, with their source."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from smerteagent.core.text import fold
from smerteagent.i18n import N_, _, number

ADDICTIVE = frozenset({"opioid", "benzodiazepine", "z_drug", "gabapentinoid"})
WARNING_TEXT = {
    "opioid_with_benzodiazepine": N_("Opioid together with a benzodiazepine or z-drug: {drugs}"),
    "several_opioids": N_("More than one opioid: {drugs}"),
    "high_daily_mme": N_("High daily morphine equivalent: {value} mg (limit {limit} mg)"),
    "reassess_daily_mme": N_("Daily morphine equivalent {value} mg: reassess benefit and risk (from {limit} mg)"),
    "long_term_without_plan": N_(
        "{drugs}: used for more than {days} days without a tapering plan or re-evaluation date"
    ),
}


def _plain(value: float | None) -> str:
    return "—" if value is None else number(value)


@dataclass(frozen=True)
class Drug:
    """A drug the catalogue knows: its class and (opioids) its MME factor and dose unit."""

    key: str
    drug_class: str
    factor: float | None = None
    unit: str = "mg"


@dataclass(frozen=True)
class Medication:
    """A current drug as entered: name, total daily dose (mg, or µg/h for patches) and dates."""

    name: str
    daily_dose: float | None = None
    started_on: date | None = None
    re_evaluate_on: date | None = None
    has_tapering_plan: bool = False


@dataclass(frozen=True)
class MedicationWarning:
    """One finding to show beside the medication list; ``kind`` is stable for tests and translations."""

    kind: str
    drugs: tuple[str, ...]
    value: float | None = None


@dataclass(frozen=True)
class Catalogue:
    drugs: Mapping[str, Drug]
    thresholds: Mapping[str, float]
    source: str
    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Catalogue:
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        drugs: dict[str, Drug] = {}
        names: dict[str, str] = {}
        for drug_class, members in document["classes"].items():
            for key, entry in members.items():
                drugs[key] = Drug(key, drug_class, entry.get("factor"), entry.get("unit", "mg"))
                for name in entry["names"]:
                    names[fold(name)] = key
        return cls(drugs, document["thresholds"], document["source"], names)

    def identify(self, name: str) -> Drug | None:
        """The drug a free-text name refers to: the longest known name found in it (brand or generic)."""
        text = fold(name)
        matches = [known for known in self.names if known in text]
        return self.drugs[self.names[max(matches, key=len)]] if matches else None

    def drug_class(self, name: str) -> str:
        drug = self.identify(name)
        return drug.drug_class if drug else "other"

    def daily_mme(self, medication: Medication) -> float | None:
        """Oral morphine milligram equivalents per day; None when not an opioid or no factor/dose."""
        drug = self.identify(medication.name)
        if drug is None or drug.factor is None or medication.daily_dose is None:
            return None
        return medication.daily_dose * drug.factor  # for patches the factor turns µg/h into MME/day

    def total_mme(self, medications: Iterable[Medication]) -> float:
        return sum(mme for m in medications if (mme := self.daily_mme(m)) is not None)

    def warning_text(self, warning: MedicationWarning, amount: Callable[[float | None], str] = _plain) -> str:
        """One warning in the current language, with the drugs, the value and the limit it crossed."""
        return _(WARNING_TEXT[warning.kind]).format(
            drugs=", ".join(warning.drugs),
            value=amount(warning.value),
            limit=amount(self.thresholds.get(warning.kind)),
            days=amount(self.thresholds["long_term_days"]),
        )

    def warnings(self, medications: list[Medication], today: date) -> list[MedicationWarning]:
        """Opioid with benzodiazepine or z-drug, several opioids, a high daily MME, and addictive drugs
        used longer than the threshold without a tapering plan or a re-evaluation date."""
        by_class: dict[str, list[str]] = {}
        for medication in medications:
            by_class.setdefault(self.drug_class(medication.name), []).append(medication.name)
        found: list[MedicationWarning] = []
        opioids = by_class.get("opioid", [])
        sedatives = by_class.get("benzodiazepine", []) + by_class.get("z_drug", [])
        if opioids and sedatives:
            found.append(MedicationWarning("opioid_with_benzodiazepine", tuple(opioids + sedatives)))
        if len(opioids) > 1:
            found.append(MedicationWarning("several_opioids", tuple(opioids)))
        total = sum(mme for m in medications if (mme := self.daily_mme(m)) is not None)
        if total >= self.thresholds["high_daily_mme"]:
            found.append(MedicationWarning("high_daily_mme", tuple(opioids), round(total, 1)))
        elif total >= self.thresholds["reassess_daily_mme"]:
            found.append(MedicationWarning("reassess_daily_mme", tuple(opioids), round(total, 1)))
        limit = timedelta(days=self.thresholds["long_term_days"])
        for medication in medications:
            long_term = medication.started_on is not None and today - medication.started_on > limit
            planned = medication.has_tapering_plan or medication.re_evaluate_on is not None
            if self.drug_class(medication.name) in ADDICTIVE and long_term and not planned:
                found.append(MedicationWarning("long_term_without_plan", (medication.name,)))
        return found


# The batteries' context answers ("takes opioids?") that a drug class on the care plan answers.
CONTEXT_OF_CLASS = {
    "opioid": "on_opioids",
    "benzodiazepine": "on_benzodiazepines",
    "z_drug": "on_z_drugs",
    "gabapentinoid": "on_gabapentinoids",
}


def battery_context(names: Iterable[str], catalogue: Catalogue) -> set[str]:
    """The context keys the drugs on a plan answer with yes: the patient page ticks them in advance (the
    clinician can still change them), so the opioid follow-ups are not skipped for a patient on oxycodone."""
    return {CONTEXT_OF_CLASS[c] for c in (catalogue.drug_class(name) for name in names) if c in CONTEXT_OF_CLASS}


@cache
def bundled_catalogue() -> Catalogue:
    """The shipped catalogue, read once per process (the patient page and every care plan use it)."""
    from smerteagent.paths import bundled_resources_dir

    return Catalogue.load(bundled_resources_dir() / "medication" / "medication.yaml")
