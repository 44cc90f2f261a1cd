"""Is the plan complete? The checkpoints from the Danish Patient Safety Authority's supervisory visits to
pain clinics (2023-24): psychiatric comorbidity screened, suicide risk assessed, a stance on abuse for
patients on dependence-forming drugs, medication reviewed, a tapering plan, informed consent, follow-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from smerteagent.core.careplan.medication import ADDICTIVE, Catalogue, Medication
from smerteagent.core.rules.models import ChecklistFile
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.i18n import N_, _

# Which checkpoints, in which order, and which forms count for each: resources/careplan/checklist.yaml (or the
# clinic's copy), read through checklist().

CHECKPOINTS = {
    "psychiatric_comorbidity": N_("Depression and anxiety screened"),
    "suicide_risk": N_("Suicide risk assessed"),
    "abuse_stance": N_("Stance on abuse taken (patient on dependence-forming drugs)"),
    "medication_review": N_("Medication reviewed"),
    "tapering_plan": N_("Tapering plan or re-evaluation date for each dependence-forming drug"),
    "consent": N_("Informed consent recorded"),
    "follow_up": N_("Follow-up date set"),
}


@dataclass(frozen=True)
class PlanFacts:
    """What the checklist reads: recent screening results by form id and the plan's own fields."""

    results: Mapping[str, ScoreResult]
    medications: tuple[Medication, ...] = ()
    medication_reviewed: bool = False
    abuse_stance: str | None = None
    consent_given: bool = False
    follow_up_on: date | None = None
    open_safety_alerts: int = 0


@dataclass(frozen=True)
class Checkpoint:
    id: str
    done: bool
    applies: bool = True

    @property
    def label(self) -> str:
        return _(CHECKPOINTS[self.id])


def checklist() -> ChecklistFile:
    """The checklist in use: the shipped one or the clinic's copy."""
    from smerteagent.core.rules.library import rules_library

    return rules_library().model("checklist.yaml", ChecklistFile)


def _suicide_assessed(results: Mapping[str, ScoreResult], open_alerts: int, forms: frozenset[str]) -> bool:
    phq9 = results.get("phq9")
    item9_answered = phq9 is not None and "suicide_item_missing" not in phq9.flags
    return (item9_answered or bool(forms & set(results))) and open_alerts == 0


def check(facts: PlanFacts, catalogue: Catalogue, rules: ChecklistFile | None = None) -> list[Checkpoint]:
    """Every checkpoint of the checklist, done or not; those that do not apply to this patient are marked so."""
    rules = rules or checklist()
    addictive = [m for m in facts.medications if catalogue.drug_class(m.name) in ADDICTIVE]
    screened = set(facts.results)
    planned = all(m.has_tapering_plan or m.re_evaluate_on for m in addictive)
    found = {
        "psychiatric_comorbidity": Checkpoint(
            "psychiatric_comorbidity", bool(rules.forms("psychiatric_comorbidity") & screened)
        ),
        "suicide_risk": Checkpoint(
            "suicide_risk", _suicide_assessed(facts.results, facts.open_safety_alerts, rules.forms("suicide_risk"))
        ),
        "abuse_stance": Checkpoint(
            "abuse_stance",
            bool(rules.forms("abuse_stance") & screened) or bool(facts.abuse_stance),
            applies=bool(addictive),
        ),
        "medication_review": Checkpoint("medication_review", facts.medication_reviewed),
        "tapering_plan": Checkpoint("tapering_plan", planned, applies=bool(addictive)),
        "consent": Checkpoint("consent", facts.consent_given),
        "follow_up": Checkpoint("follow_up", facts.follow_up_on is not None),
    }
    return [found[item.id] for item in rules.checkpoints]


def missing(checkpoints: list[Checkpoint]) -> list[Checkpoint]:
    return [c for c in checkpoints if c.applies and not c.done]


def needs_safety_plan(results: Mapping[str, ScoreResult]) -> bool:
    """A safety plan belongs in every plan where a suicide-risk flag was raised."""
    return any("suicide_risk" in r.flags or "suicide_risk_imminent" in r.flags for r in results.values())
