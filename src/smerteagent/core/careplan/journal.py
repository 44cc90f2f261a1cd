"""The plain-text journal note for the practice's own record system: scores and flags, what was done
about them, and the plan in short — pasted, so it keeps to plain lines without layout."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from smerteagent.core.careplan.medication import (
    ADDICTIVE,
    Acknowledgement,
    Catalogue,
    acknowledgement_text,
    display_mme,
)
from smerteagent.core.careplan.plan import (
    ACTORS,
    CONSENT_RISKS,
    GOAL_ATTAINMENT,
    LETTER_KINDS,
    LIFE_DOMAINS,
    CarePlan,
    PlannedMedication,
)
from smerteagent.core.cpr import format_cpr
from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.patients import PatientSummary
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.i18n import _, day, split_unit
from smerteagent.i18n import number as format_number

DayFormat = Callable[[date | None], str]


@dataclass(frozen=True)
class ScoreLine:
    """One scored questionnaire as the note tells it, with labels already in the note's language."""

    title: str
    result: ScoreResult
    band_label: str | None = None
    flag_texts: tuple[str, ...] = ()
    result_labels: dict[str, str] | None = None  # result id -> label; None: the ids (a form no longer known)


def number(value: float) -> str:
    """As the reader writes numbers: a decimal comma in Danish."""
    return format_number(value)


def _named_value(name: str, value: float, title: str) -> str:
    """'ODI (%)' 16 in the ODI line reads 'ODI: 16 %'; 'PHQ-9 sum' 4 in the PHQ-9 line reads 'sum 4'."""
    base, unit = split_unit(name)
    prefix = f"{title} "  # only a whole word: "PEG-score" stays as it is
    base = "" if base == title else base.removeprefix(prefix) if base.startswith(prefix) else base
    return f"{base} {format_number(value, unit)}".strip()


def _score_line(line: ScoreLine) -> str:
    labels = line.result_labels
    shown = [(labels.get(name, name) if labels is not None else name, value)
             for name, value in line.result.results.items()
             if value is not None and (labels is None or name in labels)]  # fmt: skip
    values = ", ".join(_named_value(name, value, line.title) for name, value in shown)
    parts = [f"{line.title}: {values}" if values else line.title]  # C-SSRS and the like: told by their band
    if line.band_label:
        parts.append(line.band_label)
    flags = line.flag_texts or line.result.flags
    if flags:
        parts.append(_("flags: {flags}").format(flags="; ".join(flags)))
    return " · ".join(parts)


def journal_note(
    patient: PatientSummary,
    scores: Sequence[ScoreLine],
    safety_actions: Sequence[str],
    plan: CarePlan | None,
    catalogue: Catalogue,
    today: date,
    open_alerts: int = 0,
    acknowledgements: Mapping[str, Acknowledgement] | None = None,
) -> str:
    """``scores``: the latest visit's questionnaires, in order; ``safety_actions`` in words, dated;
    ``open_alerts``: critical flags (suicide risk) still without a recorded action — always told;
    ``acknowledgements``: medication warnings acknowledged, by warning key (they are still told)."""
    lines = [f"SmerteAgent {day(today)} — {patient.name}, {format_cpr(patient.cpr) or _('no CPR number')}"]
    if scores:
        lines.append(_("Screening:"))
        lines += [f"- {_score_line(line)}" for line in scores]
    if open_alerts:
        lines.append(_("SUICIDE RISK: flags WITHOUT a recorded action: {count}").format(count=open_alerts))
    if safety_actions:
        lines.append(_("Suicide risk, action taken: {actions}").format(actions="; ".join(safety_actions)))
    if plan is not None:
        lines += _plan_lines(plan, catalogue, today, open_alerts, acknowledgements or {})
    return "\n".join(lines) + "\n"


def _plan_lines(
    plan: CarePlan, catalogue: Catalogue, today: date, open_alerts: int, acks: Mapping[str, Acknowledgement]
) -> list[str]:
    lines = [_("Care plan (version {number}):").format(number=plan.number)]
    if plan.chosen_domains:
        lines.append(_("Values: {values}").format(values=", ".join(_(LIFE_DOMAINS[d]) for d in plan.chosen_domains)))
    if plan.own_words:  # what matters, as the patient said it, on one line
        lines.append(_("In the patient's words: {words}").format(words=" / ".join(plan.own_words.split("\n"))))
    for goal in plan.goals:
        target = (
            f" ({number(goal.baseline)} → {number(goal.target)})"
            if goal.baseline is not None and goal.target is not None
            else ""
        )
        when = f" {day(goal.target_date)}" if goal.target_date else ""
        rated = f" — {_(GOAL_ATTAINMENT[goal.attainment])}" if goal.attainment is not None else ""
        lines.append(_("Goal: {goal}").format(goal=f"{goal.description}{target}{when}{rated}"))
    for action in plan.actions:
        lines.append(_("Action: {action}").format(action=f"{action.what} ({_(ACTORS[action.who])})"))
    if plan.treatments:
        lines.append(_("Treatment: {treatment}").format(treatment="; ".join(plan.treatments)))
    medications = [m.as_medication() for m in plan.medications]
    for planned, medication in zip(plan.medications, medications, strict=True):
        mme = catalogue.mme(medication)
        unit = "µg/h" if catalogue.unit_of(medication) == "microgram_per_hour" else "mg/d"
        daily = f"{number(planned.daily_dose)} {unit}" if planned.daily_dose is not None else ""
        dose = f"{planned.dose_text} ({daily})" if planned.dose_text and daily else planned.dose_text or daily
        if mme.value is not None:
            extra = ", " + _("morphine equivalent {value} mg/day").format(value=number(display_mme(mme.value)))
        else:
            extra = ", " + _("morphine equivalent NOT counted") if mme.reason else ""
        taper = _(", tapering from {date}").format(date=day(planned.tapering.starts_on)) if planned.tapering else ""
        lines.append(_("Medication: {medication}").format(medication=f"{planned.name} {dose}{extra}{taper}".strip()))
    for warning in catalogue.warnings(medications, today, suicide_risk_open=open_alerts > 0):
        text = catalogue.warning_text(warning)
        done = acks.get(warning.key)
        lines.append(
            _("Medication warning: {kind}").format(kind=f"{text} ({acknowledgement_text(done)})" if done else text)
        )
    if plan.follow_up_on:
        lines.append(_("Follow-up: {date}").format(date=f"{day(plan.follow_up_on)} {plan.follow_up_by or ''}".strip()))
    lines += record_lines(plan, catalogue)
    return lines


def _day(value: date | None) -> str:
    return day(value, empty="—")


def _taper_end(planned: PlannedMedication) -> date | None:
    """The day the taper reaches its floor (its last step)."""
    if planned.tapering is None:
        return None
    try:
        steps = planned.tapering.schedule()
    except SmerteAgentError:  # a taper its own rules refuse is named by problems(), not dated here
        return None
    return steps[-1].starts_on if steps else None


def _drug_lines(plan: CarePlan, catalogue: Catalogue, day: DayFormat) -> list[str]:
    """Per drug: indication, the last effect evaluation and the next (supervision checkpoint 9), for every
    dependence-forming drug and any other with something recorded; the taper's start and end."""
    lines = []
    for planned in plan.medications:
        addictive = catalogue.drug_class(planned.name) in ADDICTIVE
        recorded = planned.indication or planned.evaluated_on or planned.re_evaluate_on
        if addictive or recorded:
            parts = [
                _("indication {text}").format(text=planned.indication)
                if planned.indication else _("indication NOT recorded"),
                _("effect last evaluated {date}: {result}").format(
                    date=day(planned.evaluated_on), result=planned.evaluation_result or "—")
                if planned.evaluated_on else _("effect NOT evaluated"),
                _("next evaluation {date}").format(date=day(planned.re_evaluate_on))
                if planned.re_evaluate_on else _("next evaluation NOT set"),
            ]  # fmt: skip
            lines.append(f"{planned.name}: {'; '.join(parts)}")
        if planned.tapering is not None:
            lines.append(_("{drug}: tapering from {start} to {end}").format(
                drug=planned.name, start=day(planned.tapering.starts_on), end=day(_taper_end(planned))))  # fmt: skip
    return lines


def record_lines(plan: CarePlan, catalogue: Catalogue, day: DayFormat = _day) -> list[str]:
    """What the supervision checkpoints read in the record: informed consent, the stance on abuse, the
    medication review with each drug's indication, effect and next evaluation, the taper's dates, and
    received letters. The journal note and the clinician summary both print these lines (``day``: how the
    document writes a date)."""
    consent = plan.consent
    if consent is not None:
        risks = ", ".join(_(CONSENT_RISKS[r]) for r in consent.risks if r in CONSENT_RISKS) or "—"
        lines = [_("Informed consent {date} ({by}): {covers}; risks explained: {risks}").format(
            date=day(consent.given_on), by=consent.by or "—", covers=consent.covers or "—", risks=risks)]  # fmt: skip
    else:
        lines = [_("Consent recorded") if plan.consent_given else _("Consent NOT recorded")]
    addictive = any(catalogue.drug_class(m.name) in ADDICTIVE for m in plan.medications)
    if plan.abuse_stance:
        lines.append(_("Stance on abuse: {text}").format(text=plan.abuse_stance))
    elif addictive:
        lines.append(_("Stance on abuse NOT recorded"))
    if plan.medication_reviewed_on:
        lines.append(_("Medication reviewed {date}").format(date=day(plan.medication_reviewed_on)))
    elif plan.medication_reviewed:
        lines.append(_("Medication reviewed"))
    elif plan.medications:
        lines.append(_("Medication review NOT recorded"))
    lines += _drug_lines(plan, catalogue, day)
    for letter in plan.letters:
        assessed = (_("assessed {date} by {who}: {action}").format(date=day(letter.assessed_on),
                    who=letter.assessed_by or "—", action=letter.action or "—")
                    if letter.assessed_on else _("NOT assessed"))  # fmt: skip
        lines.append(_("{kind} received {date} from {sender}, {assessed}").format(
            kind=_(LETTER_KINDS.get(letter.kind, letter.kind)), date=day(letter.received_on), sender=letter.sender,
            assessed=assessed))  # fmt: skip
    return lines
