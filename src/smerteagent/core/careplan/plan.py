"""The shared care plan as the core sees it: values, value-based goals, actions, treatment, medication with
tapering, a safety plan, follow-up and consent. Plain data, checked by :func:`problems`; storage keeps it
in numbered versions, and a printed version is frozen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from smerteagent.core.careplan.medication import Medication
from smerteagent.core.careplan.tapering import TaperingError, TaperStep, check_schedule, taper_schedule
from smerteagent.i18n import N_, _, number

LIFE_DOMAINS = {
    "family": N_("Family"),
    "relationships": N_("Relationships"),
    "work_education": N_("Work or education"),
    "leisure": N_("Leisure"),
    "health_body": N_("Health and body"),
    "community": N_("Community"),
    "other": N_("Other"),
}
ACTORS = {
    "patient": N_("Patient"),
    "gp": N_("GP"),
    "physiotherapist": N_("Physiotherapist"),
    "psychologist": N_("Psychologist"),
    "municipality": N_("Municipality"),
    "pain_centre": N_("Pain centre"),
}

# The risks an informed consent to dependence-forming drugs must have covered (VEJ nr. 9523 af 2019).
CONSENT_RISKS = {
    "dependence": N_("Dependence"),
    "tolerance_withdrawal": N_("Tolerance and withdrawal"),
    "driving": N_("Driving"),
    "overdose_naloxone": N_("Overdose and naloxone"),
    "combination": N_("Combination with alcohol or benzodiazepines"),
}
LETTER_KINDS = {"discharge_summary": N_("Discharge summary"), "letter": N_("Letter")}

# Goal Attainment Scaling (Kiresuk & Sherman 1968; Turner-Stokes 2009): rated at follow-up, 0 = the goal as set.
GOAL_ATTAINMENT = {
    -2: N_("much less than expected"),
    -1: N_("somewhat less than expected"),
    0: N_("as expected"),
    1: N_("somewhat more than expected"),
    2: N_("much more than expected"),
}


@dataclass(frozen=True)
class ValueRating:
    """A life domain: how important it is and how well life matches it now (0-10); chosen to work on."""

    domain: str
    importance: int
    current: int
    chosen: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Goal:
    """A concrete, measurable goal serving a chosen value (a PSFS activity: today's rating -> target)."""

    value_domain: str
    description: str
    measure: str | None = None
    baseline: float | None = None
    target: float | None = None
    target_date: date | None = None
    attainment: int | None = None  # rated at follow-up, -2..+2 (GOAL_ATTAINMENT)


@dataclass(frozen=True)
class Action:
    what: str
    who: str
    due: str | None = None


@dataclass(frozen=True)
class TaperingPlan:
    """How the dose comes down; ``steps`` holds the clinician's edited rows when the computed schedule was
    changed by hand (empty: the schedule follows from the parameters)."""

    start_dose: float
    step: float
    interval_days: int
    starts_on: date
    floor: float = 0.0
    step_is_percent: bool = True
    round_to: float | None = None
    followed_up_by: str | None = None
    follow_up_on: date | None = None
    steps: tuple[TaperStep, ...] = ()
    strengths: tuple[float, ...] = ()  # the product's tablet/patch strengths every dose is made from

    def schedule(self) -> list[TaperStep]:
        if self.steps:
            return list(self.steps)
        return taper_schedule(self.start_dose, self.step, self.interval_days, self.starts_on, floor=self.floor,
                              step_is_percent=self.step_is_percent, round_to=self.round_to,
                              strengths=self.strengths)  # fmt: skip


@dataclass(frozen=True)
class PlannedMedication:
    name: str
    dose_text: str | None = None
    daily_dose: float | None = None
    started_on: date | None = None
    re_evaluate_on: date | None = None  # the next effect evaluation
    tapering: TaperingPlan | None = None
    indication: str | None = None
    evaluated_on: date | None = None  # the last effect evaluation
    evaluation_result: str | None = None

    def tapering_problem(self) -> str | None:
        """Why the tapering plan cannot be followed (None when it can): the schedule's own rules, and a first
        step no higher than the dose the patient takes now."""
        if self.tapering is None:
            return None
        try:
            schedule = self.tapering.schedule()
            check_schedule(schedule, self.tapering.floor)
        except TaperingError as error:
            return str(error)
        if self.daily_dose is not None and schedule[0].daily_dose > self.daily_dose:
            return _("the first step ({first}) is above the current daily dose ({dose})").format(
                first=number(schedule[0].daily_dose), dose=number(self.daily_dose)
            )
        return None

    def as_medication(self) -> Medication:
        """The catalogue's view: for morphine equivalents, warnings and the completeness check."""
        return Medication(self.name, self.daily_dose, self.started_on, self.re_evaluate_on, self.tapering is not None)


@dataclass(frozen=True)
class SafetyPlan:
    """The patient's own safety plan, made together when a suicide-risk flag was raised."""

    warning_signs: tuple[str, ...] = ()
    coping: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    professionals: tuple[str, ...] = ()


@dataclass(frozen=True)
class InformedConsent:
    """What the patient consented to, when, with which risks explained (CONSENT_RISKS ids) and by whom."""

    given_on: date
    covers: str
    risks: tuple[str, ...] = ()
    by: str | None = None


@dataclass(frozen=True)
class ReceivedLetter:
    """A discharge summary or letter received about the patient, and how the clinic assessed it."""

    received_on: date
    sender: str
    kind: str = "discharge_summary"
    assessed_by: str | None = None
    assessed_on: date | None = None
    action: str | None = None


@dataclass(frozen=True)
class CarePlan:
    patient_id: int
    number: int = 1
    status: str = "draft"
    values: tuple[ValueRating, ...] = ()
    goals: tuple[Goal, ...] = ()
    actions: tuple[Action, ...] = ()
    treatments: tuple[str, ...] = ()
    medications: tuple[PlannedMedication, ...] = ()
    safety_plan: SafetyPlan | None = None
    follow_up_on: date | None = None
    follow_up_by: str | None = None
    consent_given: bool = False
    medication_reviewed: bool = False
    abuse_stance: str | None = None
    notes: str | None = None
    created_at: datetime = field(default_factory=datetime.now)
    frozen_at: datetime | None = None
    revision: int = 0  # the stored version this was read from (0: never saved), for conflict detection
    consent: InformedConsent | None = None
    medication_reviewed_on: date | None = None
    letters: tuple[ReceivedLetter, ...] = ()
    own_words: str | None = None  # what matters to the patient, in the patient's own words ("lege med børnebørnene")
    charts: tuple[str, ...] = ()  # form ids the patient chose to follow as charts on the handout (default: none)

    @property
    def frozen(self) -> bool:
        return self.status == "frozen"

    @property
    def chosen_domains(self) -> list[str]:
        return [v.domain for v in self.values if v.chosen]


def problems(plan: CarePlan) -> list[str]:
    """What must be corrected before the plan can be saved, in the current language (empty when fine)."""
    found = []
    for value in plan.values:
        if value.domain not in LIFE_DOMAINS:
            found.append(_("unknown life domain {domain}").format(domain=value.domain))
        if not (0 <= value.importance <= 10 and 0 <= value.current <= 10):
            found.append(_("{domain}: ratings are 0 to 10").format(domain=value.domain))
    chosen = set(plan.chosen_domains)
    for goal in plan.goals:
        if goal.value_domain not in chosen:
            found.append(_("the goal '{goal}' must serve a chosen value").format(goal=goal.description))
        if goal.attainment is not None and not -2 <= goal.attainment <= 2:
            found.append(_("the goal '{goal}': attainment is -2 to +2").format(goal=goal.description))
    for medication in plan.medications:
        problem = medication.tapering_problem()
        if problem:
            found.append(_("tapering of {name}: {problem}").format(name=medication.name, problem=problem))
    for action in plan.actions:
        if action.who not in ACTORS:
            found.append(_("the action '{action}' needs who does it").format(action=action.what))
    return found + _record_problems(plan)


def _record_problems(plan: CarePlan) -> list[str]:
    """The supervision fields: known consent risks, and a letter not assessed before it arrived."""
    found = []
    if plan.consent is not None:
        for risk in plan.consent.risks:
            if risk not in CONSENT_RISKS:
                found.append(_("unknown consent risk {risk}").format(risk=risk))
    for letter in plan.letters:
        if letter.kind not in LETTER_KINDS:
            found.append(_("unknown kind of letter {kind}").format(kind=letter.kind))
        if letter.assessed_on is not None and letter.assessed_on < letter.received_on:
            found.append(_("the letter from {sender} is assessed before it was received").format(sender=letter.sender))
    for medication in plan.medications:
        last, following = medication.evaluated_on, medication.re_evaluate_on
        if last and following and following < last:
            found.append(_("{name}: the next evaluation is before the last one").format(name=medication.name))
    return found
