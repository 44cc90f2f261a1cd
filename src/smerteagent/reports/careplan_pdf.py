"""The care plan the patient takes home: A4, in plain words, in Danish or English, with whose plan it is on every
page. Takes core objects and returns PDF bytes; nothing here knows about Qt or the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
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
    SHADE,
    WIDTH,
    RunningHeader,
    amount,
    build_pdf,
    bullets,
    clinic_header,
    day,
    grid,
    para,
)
from smerteagent.reports.layout import table as plain_table
from smerteagent.reports.medicine import actor, daily_mme, dose
from smerteagent.reports.safety import safety_box

__all__ = ["chartable", "charted", "plan_story", "render_clinician_summary", "render_patient_plan"]


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
    """The plan's flowables in the current program language (the benchmark lays them out bare, too); laid out
    tightly, so that a full plan fits on two pages."""
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
    story += _charts(plan, histories) + _follow_up(plan) + _signatures()
    return story


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Flowable:
    """The handout's tables: tighter than the clinic's own papers."""
    return plain_table(header, rows, widths, padding=(2, 2.5))


def _section(title: str, *content: Flowable) -> list[Flowable]:
    """A heading that is never left alone at the foot of a page."""
    return [CondPageBreak(25 * mm), para(title, "section"), *content]


def _values(plan: CarePlan) -> list[Flowable]:
    chosen = [v for v in plan.values if v.chosen]
    words = _own_words(plan.own_words)
    if not chosen:
        return _section(_("What matters to you"), *(words or [para(_("No values chosen yet."), "compact")]))
    rows = [
        [
            [para(_(LIFE_DOMAINS.get(v.domain, v.domain)), "cell"), *([para(v.note, "small")] if v.note else [])],
            f"{v.importance} / 10",
            f"{v.current} / 10",
        ]
        for v in chosen
    ]
    header = [_("Part of life"), _("How important it is"), _("How it goes now")]
    intro = para(_("These are the parts of life you want to work on. Your goals serve them."), "compact")
    values = table(header, rows, [WIDTH - 80 * mm, 40 * mm, 40 * mm])
    return _section(_("What matters to you"), intro, *words, values)


def _own_words(words: str | None) -> list[Flowable]:
    """What matters, as the patient said it: printed as written, in a shaded box."""
    if not words or not words.strip():
        return []
    box = grid(
        [[[para(_("In your own words"), "head"), para(words.strip(), "words")]]],
        [WIDTH],
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    )
    return [box, Spacer(1, 2 * mm)]


def _goals(goals: tuple[Goal, ...]) -> list[Flowable]:
    if not goals:
        return _section(_("Your goals"), para(_("No goals set yet."), "compact"))

    def goal_cell(goal: Goal) -> list[Flowable]:
        serves = _("For: {value}").format(value=_(LIFE_DOMAINS.get(goal.value_domain, goal.value_domain)))
        cell = [para(goal.description, "cell"), para(serves, "small")]
        if goal.attainment is not None:
            rated = _(GOAL_ATTAINMENT[goal.attainment])
            cell.append(para(_("At follow-up: {rating}").format(rating=rated), "small"))
        return cell

    rows = [[goal_cell(g), g.measure or "—", amount(g.baseline), amount(g.target), day(g.target_date)] for g in goals]
    header = [_("Goal"), _("How we measure it"), _("At the start"), _("Target"), _("Reached by")]
    widths = [WIDTH - 104 * mm, 34 * mm, 18 * mm, 24 * mm, 28 * mm]
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
    return _section(_("Your treatment"), *bullets(texts, "compact_bullet")) if texts else []


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
    if any(catalogue.mme(m.as_medication()).value is not None for m in medications):
        explained = _(
            "The morphine equivalent tells how strong a daily dose of a strong painkiller (opioid) is, "
            "compared with morphine taken by mouth."
        )
        found.append(para(explained, "small"))
    for medication in medications:
        if medication.tapering is not None:
            found += _tapering(medication.name, medication.tapering, catalogue)
    return found


TAPER_COLUMNS = 3  # the schedule's rows side by side: a long taper takes a few lines, not half a page


def _tapering(name: str, plan: TaperingPlan, catalogue: Catalogue) -> list[Flowable]:
    """The schedule as the patient follows it: from this date, take this much a day (read down each column)."""
    steps = plan.schedule()
    cells = [(day(s.starts_on), dose(s.daily_dose, name, catalogue) if s.daily_dose else _("Stop")) for s in steps]
    if plan.steps:  # edited by hand: the steps need not be equally long
        intro = _("We lower the dose step by step. Take the dose in the row until the next date.")
    else:
        intro = _(
            "We lower the dose step by step. Each step lasts {days} days; take the dose in the row until the next date."
        ).format(days=plan.interval_days)
    if plan.followed_up_by or plan.follow_up_on:
        intro += " " + _("Followed up by: {who}, {date}").format(
            who=actor(plan.followed_up_by), date=day(plan.follow_up_on)
        )
    columns = min(TAPER_COLUMNS, len(cells))
    height = -(-len(cells) // columns)  # rows per column, rounded up
    rows = []
    for line in range(height):
        row: list[str] = []
        for column in range(columns):
            index = column * height + line
            row += list(cells[index]) if index < len(cells) else ["", ""]
        rows.append(row)
    pair = [_("From date"), _("Daily dose")]
    widths = [24 * mm, WIDTH / columns - 24 * mm] * columns
    title = para(_("Lowering the dose of {name}").format(name=name), "h2")
    return [CondPageBreak(35 * mm), title, para(intro, "compact"), table(pair * columns, rows, widths)]


# Never charted for the patient, whatever was chosen or handed over: suicide, abuse and alcohol instruments
# (their results stay on the clinician summary).
NEVER_CHARTED = frozenset({"asq", "cssrs_screener", "ort", "ort_oud", "cage_aid", "dast10", "audit", "auditc"})
CHART_HEIGHT = 46 * mm


def chartable(histories: Sequence[InstrumentHistory]) -> list[InstrumentHistory]:
    """The histories the patient may choose to see charted: built for the patient's eyes, never an abuse, alcohol
    or suicide instrument, and only a course (screenings on two days or more), never a single dot (nor a stack of
    dots on one day)."""
    found = []
    for history in histories:
        if history.reader != "patient" or history.form_id in NEVER_CHARTED:
            continue
        if any(len({p.when.date() for p in s.points}) >= 2 for s in history.series):  # two days: a course
            found.append(replace(history, series=tuple(s for s in history.series if s.points)))
    return found


def charted(plan: CarePlan, histories: Sequence[InstrumentHistory]) -> list[InstrumentHistory]:
    """What the handout charts: the chartable histories the patient chose, in the order chosen."""
    offered = {h.form_id: h for h in chartable(histories)}
    return [offered[f] for f in dict.fromkeys(plan.charts) if f in offered]


def _charts(plan: CarePlan, histories: Sequence[InstrumentHistory]) -> list[Flowable]:
    shown = charted(plan, histories)
    if not shown:
        return []
    half = WIDTH / 2
    drawn = [[para(h.title, "head"), history_chart(h, half - 3 * mm, CHART_HEIGHT)] for h in shown]
    rows = [drawn[i : i + 2] + ([""] if len(drawn[i : i + 2]) == 1 else []) for i in range(0, len(drawn), 2)]
    pad = ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")
    heading = [para(_("Your results over time"), "section")]
    heading.append(para(_("Dashed lines mark where the questionnaire's bands begin and end."), "small"))
    charts = [grid([row], [half, half], *pad) for row in rows]
    return [KeepTogether([*heading, charts[0]]), *charts[1:]]


def _follow_up(plan: CarePlan) -> list[Flowable]:
    if plan.follow_up_on is None and not plan.follow_up_by:
        return _section(_("Follow-up"), para(_("The next appointment has not been set yet."), "compact"))
    text = _("Next appointment: {date}, with {who}.").format(
        date=day(plan.follow_up_on), who=actor(plan.follow_up_by, in_sentence=True)
    )
    return _section(_("Follow-up"), para(text, "compact"))


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
        rowHeights=[11 * mm, None],
    )
    return [KeepTogether([Spacer(1, 4 * mm), para(_("We agree on this plan."), "compact"), lines])]
