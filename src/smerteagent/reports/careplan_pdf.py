"""The care plan the patient takes home: A4, in plain words, in Danish or English, with whose plan it is on every
page. Takes core objects and returns PDF bytes; nothing here knows about Qt or the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import (
    GOAL_ATTAINMENT,
    LIFE_DOMAINS,
    CarePlan,
    Goal,
    PlannedMedication,
    TaperingPlan,
)
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.history import InstrumentHistory
from smerteagent.core.patients import Patient, PatientSummary
from smerteagent.core.settings import Settings
from smerteagent.i18n import _, speaking
from smerteagent.reports.charts import history_chart
from smerteagent.reports.clinician_summary import render_clinician_summary
from smerteagent.reports.layout import (
    INK,
    WIDTH,
    RunningHeader,
    amount,
    build_pdf,
    bullets,
    clinic_header,
    day,
    grid,
    para,
    table,
)
from smerteagent.reports.medicine import actor, daily_mme, dose
from smerteagent.reports.safety import safety_box

__all__ = ["plan_story", "render_clinician_summary", "render_patient_plan"]


def render_patient_plan(
    plan: CarePlan,
    patient: Patient | PatientSummary,
    *,
    settings: Settings,
    catalogue: Catalogue,
    histories: list[InstrumentHistory],
    safety_contacts: list[dict[str, Any]],
    language: str,
    today: date | None = None,
) -> bytes:
    """The patient's printed plan; ``today`` is the print date (default: today)."""
    with speaking(language):
        story = plan_story(
            plan,
            settings=settings,
            catalogue=catalogue,
            histories=histories,
            safety_contacts=safety_contacts,
            language=language,
        )
        header = RunningHeader.of(patient, settings, today or date.today())
        return build_pdf(story, header, _("Care plan for {name}").format(name=patient.name))


def plan_story(
    plan: CarePlan,
    *,
    settings: Settings,
    catalogue: Catalogue,
    histories: Sequence[InstrumentHistory],
    safety_contacts: Sequence[Mapping[str, Any]],
    language: str,
) -> list[Flowable]:
    """The plan's flowables in the current program language (the benchmark lays them out bare, too)."""
    story = [*clinic_header(settings), para(_("Your care plan"), "title")]
    story.append(
        para(
            _("Made together on {date} · version {number}").format(
                date=day(plan.created_at.date()), number=plan.number
            ),
            "small",
        )
    )
    story += _values(plan) + _goals(plan.goals) + _actions(plan) + _treatment(plan, language)
    story += _medication(plan.medications, catalogue)
    if plan.safety_plan is not None:
        story += safety_box(plan.safety_plan, safety_contacts, language)
    story += _charts(histories) + _follow_up(plan) + _signatures()
    return story


def _section(title: str, *content: Flowable) -> list[Flowable]:
    """A heading that is never left alone at the foot of a page."""
    return [CondPageBreak(30 * mm), para(title, "h1"), *content]


def _values(plan: CarePlan) -> list[Flowable]:
    chosen = [v for v in plan.values if v.chosen]
    if not chosen:
        return _section(_("What matters to you"), para(_("No values chosen yet.")))
    rows = [
        [
            [para(_(LIFE_DOMAINS.get(v.domain, v.domain)), "cell"), *([para(v.note, "small")] if v.note else [])],
            f"{v.importance} / 10",
            f"{v.current} / 10",
        ]
        for v in chosen
    ]
    header = [_("Part of life"), _("How important it is"), _("How it goes now")]
    intro = para(_("These are the parts of life you want to work on. Your goals serve them."))
    return _section(_("What matters to you"), intro, table(header, rows, [WIDTH - 80 * mm, 40 * mm, 40 * mm]))


def _goals(goals: tuple[Goal, ...]) -> list[Flowable]:
    if not goals:
        return _section(_("Your goals"), para(_("No goals set yet.")))

    def goal_cell(goal: Goal) -> list[Flowable]:
        serves = _("For: {value}").format(value=_(LIFE_DOMAINS.get(goal.value_domain, goal.value_domain)))
        cell = [para(goal.description, "cell"), para(serves, "small")]
        if goal.attainment is not None:
            rated = _(GOAL_ATTAINMENT[goal.attainment])
            cell.append(para(_("At follow-up: {rating}").format(rating=rated), "small"))
        return cell

    rows = [[goal_cell(g), g.measure or "—", amount(g.baseline), amount(g.target), day(g.target_date)] for g in goals]
    header = [_("Goal"), _("How we measure it"), _("At the start"), _("Target"), _("Reached by")]
    widths = [WIDTH - 118 * mm, 48 * mm, 18 * mm, 23 * mm, 29 * mm]
    return _section(_("Your goals"), table(header, rows, widths))


def _actions(plan: CarePlan) -> list[Flowable]:
    if not plan.actions:
        return []
    rows = [[a.what, actor(a.who), a.due or "—"] for a in plan.actions]
    header = [_("What"), _("Who"), _("When")]
    return _section(_("What we will do"), table(header, rows, [WIDTH - 85 * mm, 40 * mm, 45 * mm]))


def _treatment(plan: CarePlan, language: str) -> list[Flowable]:
    """Each chosen suggestion in its patient wording ("overvej tværfagligt forløb" is for the clinician)."""
    wording = bundled_recommendations()
    texts = [wording.patient_wording(t, language) for t in plan.treatments]
    return _section(_("Your treatment"), *bullets(texts)) if texts else []


def _medication(medications: tuple[PlannedMedication, ...], catalogue: Catalogue) -> list[Flowable]:
    if not medications:
        return []
    rows = [
        [
            [para(m.name, "cell"), *([para(m.dose_text, "small")] if m.dose_text else [])],
            dose(m.daily_dose, m.name, catalogue),
            daily_mme(m, catalogue),
        ]
        for m in medications
    ]
    header = [_("Medicine"), _("Dose"), _("Morphine equivalent (mg per day)")]
    found = _section(_("Your medicine"), table(header, rows, [WIDTH - 95 * mm, 45 * mm, 50 * mm]))
    found.append(
        para(
            _(
                "The morphine equivalent tells how strong a daily dose of a strong painkiller (opioid) is, "
                "compared with morphine taken by mouth."
            ),
            "small",
        )
    )
    for medication in medications:
        if medication.tapering is not None:
            found += _tapering(medication.name, medication.tapering, catalogue)
    return found


def _tapering(name: str, plan: TaperingPlan, catalogue: Catalogue) -> list[Flowable]:
    """The schedule as the patient follows it: from this date, take this much a day."""
    steps = plan.schedule()
    rows = [[day(s.starts_on), dose(s.daily_dose, name, catalogue) if s.daily_dose else _("Stop")] for s in steps]
    if plan.steps:  # edited by hand: the steps need not be equally long
        intro = _("We lower the dose step by step. Take the dose in the row until the next date.")
    else:
        intro = _(
            "We lower the dose step by step. Each step lasts {days} days; take the dose in the row until the next date."
        ).format(days=plan.interval_days)
    found: list[Flowable] = [para(intro)]
    if plan.followed_up_by or plan.follow_up_on:
        found.append(
            para(_("Followed up by: {who}, {date}").format(who=actor(plan.followed_up_by), date=day(plan.follow_up_on)))
        )
    title = para(_("Lowering the dose of {name}").format(name=name), "h2")
    return [CondPageBreak(40 * mm), title, *found, table([_("From date"), _("Daily dose")], rows, [35 * mm, 45 * mm])]


def _charts(histories: Sequence[InstrumentHistory]) -> list[Flowable]:
    # Only histories built for the patient: suicide, abuse, alcohol and psychiatric results stay off this paper.
    shown = [h for h in histories if h.reader == "patient" and any(s.points for s in h.series)]
    if not shown:
        return []
    found = [CondPageBreak(80 * mm), para(_("Your results over time"), "h1")]
    found.append(para(_("Dashed lines mark where the questionnaire's bands begin and end."), "small"))
    for history in shown:
        found.append(KeepTogether([para(history.title, "h2"), history_chart(history, WIDTH)]))
    return found


def _follow_up(plan: CarePlan) -> list[Flowable]:
    if plan.follow_up_on is None and not plan.follow_up_by:
        return _section(_("Follow-up"), para(_("The next appointment has not been set yet.")))
    text = _("Next appointment: {date}, with {who}.").format(
        date=day(plan.follow_up_on), who=actor(plan.follow_up_by, in_sentence=True)
    )
    return _section(_("Follow-up"), para(text))


def _signatures() -> list[Flowable]:
    """Two lines to sign: the plan was made together and both stand behind it."""
    who = [para(_("Date and signature: {who}").format(who=w), "small") for w in (_("Patient"), _("Clinician"))]
    line = 0.7, INK
    lines = grid(
        [["", "", ""], [who[0], "", who[1]]],
        [75 * mm, WIDTH - 150 * mm, 75 * mm],
        ("LINEBELOW", (0, 0), (0, 0), *line),
        ("LINEBELOW", (2, 0), (2, 0), *line),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        rowHeights=[16 * mm, None],
    )
    return [KeepTogether([Spacer(1, 8 * mm), para(_("We agree on this plan.")), lines])]
