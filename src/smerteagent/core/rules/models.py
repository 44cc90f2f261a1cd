"""The typed shape of every rules file: what the loader validates and the published JSON Schemas describe.

Each model forbids unknown fields, so a misspelt key is named instead of silently ignored. Safety rules that a
clinic's copy must not weaken are checked here too: every warning keeps a severity (the suicide-risk one stays
critical), the emergency number stays in the safety plan, and the suicide-risk checkpoint stays on the checklist.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DrugClass = Literal["opioid", "benzodiazepine", "z_drug", "gabapentinoid", "other_analgesic", "other"]
DrugForm = Literal["oral_ir", "oral_depot", "oral", "transdermal", "buccal", "sublingual", "nasal", "rectal",
                   "parenteral"]  # fmt: skip
Severity = Literal["critical", "warning", "notice"]
WarningKind = Literal[
    "opioid_with_benzodiazepine", "opioid_with_gabapentinoid", "several_opioids", "high_daily_mme",
    "reassess_daily_mme", "long_term_without_plan", "opioid_not_counted", "unclassified_drug",
    "hypnotic_beyond_2_weeks", "benzodiazepine_beyond_4_weeks", "immediate_release_opioid_long_term",
    "suicide_risk_with_addictive_drugs",
]  # fmt: skip
ThresholdKey = Literal["reassess_daily_mme", "high_daily_mme", "long_term_days", "hypnotic_days", "anxiolytic_days",
                       "immediate_release_days"]  # fmt: skip
ChecklistId = Literal["psychiatric_comorbidity", "suicide_risk", "abuse_stance", "medication_review",
                      "tapering_plan", "consent", "follow_up"]  # fmt: skip
PainType = Literal["generalised", "low_back_new", "lumbar_radiculopathy", "shoulder", "neck_new"]
Strength = Literal["strong_for", "weak_for", "good_practice", "weak_against"]
StartBackBand = Literal["low", "medium", "high"]

NEVER_BELOW_CRITICAL = ("suicide_risk_with_addictive_drugs", "opioid_with_benzodiazepine")
FORM_ID = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(Strict):
    da: str = Field(min_length=1)
    en: str = Field(min_length=1)


# -- medication/medication.yaml ------------------------------------------------------------------------------


class FormFactorModel(Strict):
    factor: float | None = Field(default=None, gt=0)
    source: str | None = None


class ProductModel(Strict):
    name: str = Field(min_length=1)
    form: DrugForm
    strengths: tuple[float, ...] = ()
    forms: tuple[DrugForm, ...] = ()


class DrugModel(Strict):
    substance: str = Field(min_length=1)
    class_: DrugClass = Field(alias="class")
    names: tuple[str, ...] = ()
    default_form: DrugForm | None = None
    forms: dict[DrugForm, FormFactorModel | None] = Field(min_length=1)
    products: tuple[ProductModel, ...] = ()

    @model_validator(mode="after")
    def _named(self) -> DrugModel:
        if not self.names and not self.products:
            raise ValueError("a drug needs names or products to be recognised by")
        return self


class FormInfo(Strict):
    unit: Literal["mg", "microgram_per_hour"]
    label: str


class WarningRule(Strict):
    severity: Severity
    source: str


class MedicationFile(Strict):
    """The drug catalogue: sources, forms, the words naming a form, every warning's severity, the drugs by ATC."""

    sources: dict[str, str] = Field(min_length=1)
    forms: dict[DrugForm, FormInfo]
    form_words: dict[DrugForm, tuple[str, ...]]
    warnings: dict[WarningKind, WarningRule]
    drugs: dict[str, DrugModel] = Field(min_length=1)

    @field_validator("warnings")
    @classmethod
    def _safety_kept(cls, warnings: dict[str, WarningRule]) -> dict[str, WarningRule]:
        missing = sorted(set(get_args(WarningKind)) - set(warnings))
        if missing:
            raise ValueError(f"every warning needs a severity; missing: {', '.join(missing)}")
        for kind in NEVER_BELOW_CRITICAL:
            if warnings[kind].severity != "critical":
                raise ValueError(f"{kind} must stay critical")
        return warnings


# -- medication/thresholds.yaml ------------------------------------------------------------------------------


class MmeThreshold(Strict):
    value: float = Field(gt=0)
    unit: Literal["MME/day", "days"]
    source: str
    note: str = ""


class ThresholdsFile(Strict):
    """The limits the medication warnings are decided on (MME/day and days of use)."""

    thresholds: dict[ThresholdKey, MmeThreshold]

    @field_validator("thresholds")
    @classmethod
    def _complete(cls, thresholds: dict[str, MmeThreshold]) -> dict[str, MmeThreshold]:
        missing = sorted(set(get_args(ThresholdKey)) - set(thresholds))
        if missing:
            raise ValueError(f"every threshold needs a value; missing: {', '.join(missing)}")
        if thresholds["reassess_daily_mme"].value > thresholds["high_daily_mme"].value:
            raise ValueError("reassess_daily_mme must not be above high_daily_mme")
        return thresholds


# -- careplan/recommendations.yaml ---------------------------------------------------------------------------


class Wording(Texts):
    """The clinician's wording (da/en) and what the patient's paper says instead."""

    patient: Texts


class GuidelineSuggestion(Wording):
    id: str = Field(pattern=FORM_ID)
    pain_types: tuple[PainType, ...] = Field(min_length=1)
    strength: Strength


class Offer(Wording):
    id: str = Field(pattern=FORM_ID)


class RecommendationsFile(Strict):
    """Treatment suggestions by pain type, STarT Back matched treatment, and municipal/regional offers."""

    source: Texts | str
    pain_types: dict[PainType, Texts]
    suggestions: tuple[GuidelineSuggestion, ...]
    startback: dict[StartBackBand, Wording]
    offers: tuple[Offer, ...] = ()


# -- careplan/safety_contacts.yaml ---------------------------------------------------------------------------


class Contact(Texts):
    id: str = Field(pattern=FORM_ID)
    number: str = ""
    note: str = ""


class SafetyContactsFile(Strict):
    """The phone numbers printed in a safety plan; a contact without a number gets a line to write it on."""

    source: str
    contacts: tuple[Contact, ...] = Field(min_length=1)

    @field_validator("contacts")
    @classmethod
    def _emergency_kept(cls, contacts: tuple[Contact, ...]) -> tuple[Contact, ...]:
        emergency = [c for c in contacts if c.id == "emergency"]
        if not emergency or not emergency[0].number.strip():
            raise ValueError("the 'emergency' contact must stay, with its number (112)")
        return contacts


# -- careplan/checklist.yaml ---------------------------------------------------------------------------------


class ChecklistItem(Strict):
    id: ChecklistId
    forms: tuple[str, ...] = ()  # a completed screening with one of these forms counts for the checkpoint

    @field_validator("forms")
    @classmethod
    def _forms_are_ids(cls, forms: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [f for f in forms if not re.match(FORM_ID, f)]
        if wrong:
            raise ValueError(f"not a form id: {', '.join(wrong)}")
        return forms


class ChecklistFile(Strict):
    """The care plan's completeness checklist: which checkpoints, in which order, and which forms count."""

    source: str
    checkpoints: tuple[ChecklistItem, ...] = Field(min_length=1)

    @field_validator("checkpoints")
    @classmethod
    def _suicide_kept(cls, checkpoints: tuple[ChecklistItem, ...]) -> tuple[ChecklistItem, ...]:
        ids = [c.id for c in checkpoints]
        if len(set(ids)) != len(ids):
            raise ValueError("checkpoint ids must be unique")
        if "suicide_risk" not in ids:
            raise ValueError("the suicide_risk checkpoint cannot be left out")
        return checkpoints

    def forms(self, checkpoint: str) -> frozenset[str]:
        return frozenset(next((c.forms for c in self.checkpoints if c.id == checkpoint), ()))
