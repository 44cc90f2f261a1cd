"""Each checkpoint rule read against one patient's record at the end of the period: fulfilled, not fulfilled
(with the reasons, in the current language) or not relevant for this patient."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from smerteagent.core.careplan.plan import CONSENT_RISKS, LETTER_KINDS, CarePlan, PlannedMedication
from smerteagent.core.quality.records import (
    SUICIDE_FLAGS,
    DrugFacts,
    PlanDrugsMemo,
    RecordView,
    addictive,
    long_term,
)
from smerteagent.core.quality.rules import CheckpointRule, RuleSet
from smerteagent.i18n import _, day

FULFILLED, NOT_FULFILLED, NOT_RELEVANT = "fulfilled", "not_fulfilled", "not_relevant"


@dataclass(frozen=True)
class Finding:
    checkpoint: str
    status: str
    reasons: tuple[str, ...] = ()


class Context(NamedTuple):
    """What every rule reads: the record, the end of the period and the plan that stood then (a tuple: one
    is made per patient and report)."""

    record: RecordView
    day: date
    plan: CarePlan | None
    rules: RuleSet
    drugs: list[tuple[PlannedMedication, DrugFacts]]  # the addictive ones

    def recent(self, forms: tuple[str, ...], within_days: int | None) -> bool:
        start = self.day - timedelta(days=within_days) if within_days else date.min
        return self.record.recent(forms, start, self.day)


def _applies(rule: CheckpointRule, context: Context) -> bool:
    if rule.applies_to == "all":
        return True
    if context.plan is None:  # every other rule concerns what a plan holds
        return False
    if rule.applies_to == "letters":
        return context.plan is not None and any(x.received_on <= context.day for x in context.plan.letters)
    drugs = context.drugs
    if rule.applies_to == "long_term_addictive_drug":
        return any(long_term(m, context.day, context.rules.long_term_days) for m, _facts in drugs)
    return bool(drugs)


def _no_plan(context: Context) -> list[str]:
    return [] if context.plan is not None else [_("no care plan")]


def indication_follow_up(rule: CheckpointRule, context: Context) -> list[str]:
    reasons = []
    for medication, _facts in context.drugs:
        name, evaluated = medication.name, medication.evaluated_on
        if not (medication.indication or "").strip():
            reasons.append(_("{drug}: no indication").format(drug=name))
        if evaluated is None or evaluated > context.day or not (medication.evaluation_result or "").strip():
            reasons.append(_("{drug}: no dated effect evaluation with its result").format(drug=name))
        if medication.re_evaluate_on is None or medication.re_evaluate_on < context.day:
            reasons.append(_("{drug}: no next evaluation planned (or it has passed)").format(drug=name))
    return reasons


def screened(rule: CheckpointRule, context: Context) -> list[str]:
    if context.recent(rule.parameters.forms, rule.parameters.within_days):
        return []
    return [_("no depression or anxiety screening within {days} days").format(days=rule.parameters.within_days)]


def suicide_risk(rule: CheckpointRule, context: Context) -> list[str]:
    reasons = []
    start = context.day - timedelta(days=rule.parameters.within_days or 36500)
    assessed = context.recent(rule.parameters.forms, rule.parameters.within_days) or (
        context.record.suicide_item_answered(start, context.day)
    )
    if not assessed:
        reasons.append(_("suicide risk not assessed within {days} days").format(days=rule.parameters.within_days))
    for at, form_id in open_flags(context.record, context.day):
        reasons.append(_("suicide-risk flag of {day} ({form}) without a recorded action").format(
            day=day(at), form=form_id))  # fmt: skip
    return reasons


def open_flags(record: RecordView, day: date) -> tuple[tuple[date, str], ...]:
    """Each suicide-risk flag raised by ``day`` without an action recorded by then: the day, and on which
    form (all the rules read of the flags and their actions)."""
    found = []
    for screening in record.flagged_until(day):
        for flag in SUICIDE_FLAGS:
            acted = record.actions.get((screening.response_id, flag))
            if flag in screening.flags and (acted is None or acted.date() > day):
                found.append((screening.at.date(), screening.form_id))
    return tuple(found)


def abuse_stance(rule: CheckpointRule, context: Context) -> list[str]:
    stance = context.plan is not None and bool((context.plan.abuse_stance or "").strip())
    if stance or context.recent(rule.parameters.forms, rule.parameters.within_days):
        return []
    return [_("no stance on abuse and no abuse screening")]


def medication_review(rule: CheckpointRule, context: Context) -> list[str]:
    if _reviewed_within(rule, context.plan.medication_reviewed_on if context.plan else None, context.day):
        return []
    days = rule.parameters.within_days or 36500
    return _no_plan(context) or [_("no medication review within {days} days").format(days=days)]


def tapering_plan(rule: CheckpointRule, context: Context) -> list[str]:
    return [
        _("{drug}: used more than {days} days without a tapering plan or re-evaluation date").format(
            drug=m.name, days=context.rules.long_term_days)
        for m, _facts in context.drugs
        if long_term(m, context.day, context.rules.long_term_days) and m.tapering is None and m.re_evaluate_on is None
    ]  # fmt: skip


def consent(rule: CheckpointRule, context: Context) -> list[str]:
    plan = context.plan
    if plan is None or plan.consent is None or plan.consent.given_on > context.day:
        return _no_plan(context) or [_("no dated informed consent")]
    reasons = []
    if not plan.consent.covers.strip():
        reasons.append(_("the consent does not say what it covers"))
    if not (plan.consent.by or "").strip():
        reasons.append(_("the consent does not say who obtained it"))
    drugs = context.drugs
    needed = list(rule.parameters.risks_addictive) if drugs else []
    needed += list(rule.parameters.risks_opioid) if any(f.drug_class == "opioid" for _m, f in drugs) else []
    missing = [risk for risk in needed if risk not in plan.consent.risks]
    if missing:
        named = (_(CONSENT_RISKS[risk]).lower() if risk in CONSENT_RISKS else risk for risk in missing)
        reasons.append(_("risks not explained: {risks}").format(risks=", ".join(named)))
    return reasons


def letters_assessed(rule: CheckpointRule, context: Context) -> list[str]:
    assert context.plan is not None  # the rule applies only where letters were received
    return [
        _("{kind} of {day} from {sender} not assessed").format(
            kind=_(LETTER_KINDS.get(letter.kind, letter.kind)), day=day(letter.received_on), sender=letter.sender)
        for letter in context.plan.letters
        if letter.received_on <= context.day and not (
            letter.assessed_on is not None and letter.assessed_on <= context.day
            and (letter.assessed_by or "").strip() and (letter.action or "").strip())
    ]  # fmt: skip


RULE_FUNCTIONS: dict[str, Callable[[CheckpointRule, Context], list[str]]] = {
    "indication_follow_up": indication_follow_up,
    "screened": screened,
    "suicide_risk": suicide_risk,
    "abuse_stance": abuse_stance,
    "medication_review": medication_review,
    "tapering_plan": tapering_plan,
    "consent": consent,
    "letters_assessed": letters_assessed,
}


# The rule functions that read the record (its screenings, flags and actions) and never the plan: for
# records with the same ``memo_key`` and the same ``open_flags`` they find alike, whatever the plan, when the
# rule applies to all patients (whom the others apply to is read from the plan). Keep in step with them.
RECORD_RULES = frozenset({"screened", "suicide_risk"})


class _Step(NamedTuple):
    """A checkpoint ready to read records: its rule function, its findings without reasons (shared), and
    whether it reads the record only (``RECORD_RULES``)."""

    rule: CheckpointRule
    check: Callable[[CheckpointRule, Context], list[str]]
    fulfilled: Finding
    not_relevant: Finding
    record_only: bool


def _steps(rules: RuleSet) -> list[_Step]:
    return [_Step(rule, RULE_FUNCTIONS[rule.rule], Finding(rule.id, FULFILLED), Finding(rule.id, NOT_RELEVANT),
                  rule.rule in RECORD_RULES and rule.applies_to == "all")
            for rule in rules.checkpoints]  # fmt: skip


def evaluate(record: RecordView, rules: RuleSet, day: date, facts: PlanDrugsMemo | None = None,
             steps: list[_Step] | None = None) -> list[Finding]:  # fmt: skip
    """Every checkpoint for one patient, as the record stood at the end of ``day``. ``facts``: the report's
    plan facts (read once per plan); ``steps``: the rules made ready once per report."""
    plan = record.plan_on(day)
    drugs = (facts(plan).drugs if facts is not None else addictive(plan)) if plan is not None else []
    return _evaluated(Context(record, day, plan, rules, drugs), _steps(rules) if steps is None else steps)


def _evaluated(context: Context, steps: list[_Step], known: dict[object, Finding] | None = None,
               record_key: object | None = None) -> list[Finding]:  # fmt: skip
    """The findings of every step; with a ``record_key``, those of the record-only steps are taken from (and
    kept in) ``known``, shared by the records with that key."""
    findings = []
    for rule, check, fulfilled, not_relevant, record_only in steps:
        if rule.applies_to != "all" and not _applies(rule, context):
            findings.append(not_relevant)
            continue
        if record_only and known is not None and record_key is not None:
            finding = known.get((rule.id, record_key))
            if finding is not None:
                findings.append(finding)
                continue
        reasons = check(rule, context)
        finding = Finding(rule.id, NOT_FULFILLED, tuple(reasons)) if reasons else fulfilled
        if record_only and known is not None and record_key is not None:
            known[rule.id, record_key] = finding
        findings.append(finding)
    return findings


def _reviewed_within(rule: CheckpointRule, reviewed: date | None, day: date) -> bool:
    days = rule.parameters.within_days or 36500
    return reviewed is not None and 0 <= (day - reviewed).days <= days


def plan_key(plan: CarePlan, rules: RuleSet, day: date,
             drugs: list[tuple[PlannedMedication, DrugFacts]]) -> object | None:  # fmt: skip
    """What the rule functions above read of a plan at ``day``, when it holds no dependence-forming drug and
    no letter received by then (None otherwise: such a plan is read on its own): whether it takes a stance on
    abuse, whether each medication-review rule finds a review in its window, and whether a consent dated by
    then says what it covers and who obtained it (the risks explained are read only for dependence-forming
    drugs). Plans with the same key evaluate alike under every rule, whatever its parameters and whatever
    it applies to; keep it in step with the rule functions."""
    if drugs or any(letter.received_on <= day for letter in plan.letters):
        return None
    consent = plan.consent
    given = None
    if consent is not None and consent.given_on <= day:
        given = (bool(consent.covers.strip()), bool((consent.by or "").strip()))
    reviewed = tuple(_reviewed_within(rule, plan.medication_reviewed_on, day)
                     for rule in rules.checkpoints if rule.rule == "medication_review")  # fmt: skip
    return bool((plan.abuse_stance or "").strip()), reviewed, given


def evaluate_all(records: Iterable[RecordView], rules: RuleSet, day: date,
                 facts: PlanDrugsMemo | None = None) -> dict[int, list[Finding]]:  # fmt: skip
    """Every checkpoint for each patient; records with the same ``memo_key`` (the same inputs to every rule
    but their plan and flags: the same screenings in reach), the same ``open_flags`` and no plan, or plans
    alike by ``plan_key``, are evaluated once; with other plans, their record-only rules (``RECORD_RULES``)
    are."""
    found: dict[int, list[Finding]] = {}
    known: dict[object, list[Finding]] = {}
    record_findings: dict[object, Finding] = {}
    facts = PlanDrugsMemo() if facts is None else facts
    steps = _steps(rules)
    for record in records:
        key = record.memo_key(day)
        if key is not None and record.flagged_until(day):
            key = (key, open_flags(record, day))
        plan = record.plan_on(day) if record.plans else None
        drugs = facts(plan).drugs if plan is not None else []
        if key is not None and plan is not None:
            alike = plan_key(plan, rules, day, drugs)
            if alike is None:  # a plan read on its own, the record's screenings and flags as others'
                context = Context(record, day, plan, rules, drugs)
                found[record.patient_id] = _evaluated(context, steps, record_findings, key)
                continue
            key = (key, alike)
        if key is None:
            found[record.patient_id] = _evaluated(Context(record, day, plan, rules, drugs), steps)
            continue
        findings = known.get(key)
        if findings is None:
            findings = known[key] = _evaluated(Context(record, day, plan, rules, drugs), steps)
        found[record.patient_id] = findings
    return found


def screening_windows(rules: RuleSet, day: date) -> tuple[tuple[tuple[str, ...], date], ...]:
    """Every (forms, first day) a rule asks ``recent`` about when read at ``day`` (as ``Context.recent``)."""
    return tuple(dict.fromkeys(
        (c.parameters.forms, day - timedelta(days=c.parameters.within_days) if c.parameters.within_days else date.min)
        for c in rules.checkpoints if c.parameters.forms))  # fmt: skip


def suicide_item_windows(rules: RuleSet, day: date) -> tuple[date, ...]:
    """Every first day the suicide-risk rule reads PHQ-9 item 9 from (as ``suicide_risk``)."""
    return tuple(dict.fromkeys(day - timedelta(days=c.parameters.within_days or 36500)
                               for c in rules.checkpoints if c.rule == "suicide_risk"))  # fmt: skip
