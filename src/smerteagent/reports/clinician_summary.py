"""The one-page summary the clinic keeps: latest scores with bands and flags, medication with morphine
equivalents and warnings, the supervision checklist with what is missing, and the plan in short.

Scores come from the latest :class:`ScoreResult` per form (not the chart histories): it carries the band and
flags, and the completeness check reads the same mapping. ``forms`` gives their titles and labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from reportlab.platypus import Flowable, KeepInFrame, Paragraph

from smerteagent.core.careplan.completeness import PlanFacts, check, missing, needs_safety_plan
from smerteagent.core.careplan.journal import record_lines
from smerteagent.core.careplan.medication import Acknowledgement, Catalogue, acknowledgement_text
from smerteagent.core.careplan.plan import LIFE_DOMAINS, CarePlan
from smerteagent.core.flag_status import FlagStatus, flag_words
from smerteagent.core.patients import Patient, PatientSummary, age_on
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ENGINE_FLAG_TEXT, ScoreResult
from smerteagent.core.settings import Settings
from smerteagent.i18n import N_, _, number, speaking, split_unit
from smerteagent.i18n import language as current_language
from smerteagent.reports.layout import (
    HEIGHT,
    WIDTH,
    RunningHeader,
    amount,
    build_pdf,
    bullets,
    day,
    para,
    styles,
    table,
)
from smerteagent.reports.medicine import actor, daily_mme, dose, drug_class, total_mme, warning_text

STATUSES = {"draft": N_("draft"), "frozen": N_("printed and frozen")}


def render_clinician_summary(
    plan: CarePlan,
    patient: Patient | PatientSummary,
    *,
    settings: Settings,
    catalogue: Catalogue,
    results: Mapping[str, ScoreResult],
    forms: Mapping[str, CompiledForm],
    language: str,
    open_safety_alerts: int = 0,
    today: date | None = None,
    acknowledgements: Mapping[str, Acknowledgement] | None = None,
    flag_statuses: Mapping[str, Sequence[FlagStatus]] | None = None,
) -> bytes:
    """One A4 page (shrunk to fit when the plan is long); ``results`` is the latest result per form id;
    ``flag_statuses``: per form id, what became of its latest result's flags (an action recorded, the
    instrument asked for completed), told instead of the flag's demand."""
    printed_on = today or date.today()
    with speaking(language):
        story = [para(_("Care plan — clinician summary"), "title"), para(_patient_line(plan, patient, printed_on))]
        story += _scores(results, forms, flag_statuses or {})
        story += _medication(plan, catalogue, printed_on, open_safety_alerts > 0, acknowledgements or {})
        story += _checklist(plan, results, catalogue, open_safety_alerts) + _plan_in_short(plan)
        story += _record(plan, catalogue)
        page = KeepInFrame(WIDTH, HEIGHT, story, mode="shrink")
        header = RunningHeader.of(patient, settings, printed_on)
        return build_pdf([page], header, _("Clinician summary for {name}").format(name=patient.name))


def _patient_line(plan: CarePlan, patient: PatientSummary, printed_on: date) -> str:
    age = age_on(patient.birth_date, printed_on)
    parts = [patient.name, patient.cpr_text() or _("no CPR number")]
    parts += [_("{age} years").format(age=age)] if age is not None else []
    parts.append(
        _("plan version {number} ({status}) of {date}").format(
            number=plan.number,
            status=_(STATUSES[plan.status]) if plan.status in STATUSES else plan.status,
            date=day(plan.created_at.date()),
        )
    )
    return " · ".join(parts)


def _flag_text(form: CompiledForm | None, flag: str, statuses: Sequence[FlagStatus]) -> str:
    if form is None:
        return _(ENGINE_FLAG_TEXT[flag]) if flag in ENGINE_FLAG_TEXT else flag
    status = next((s for s in statuses if s.flag == flag), FlagStatus(flag))
    return flag_words(form, status, current_language(), day=day)


def _labelled(label: str, value: float | None) -> str:
    """'ODI (%)' and 16 read 'ODI 16 %'."""
    base, unit = split_unit(label)
    return f"{base} {amount(value) if value is None else number(value, unit)}"


def _score_row(
    form_id: str, result: ScoreResult, form: CompiledForm | None, statuses: Sequence[FlagStatus]
) -> list[str]:
    lang = current_language()
    if form is None:
        labels: dict[str, str] = {}
        title, bands = form_id, {}
    else:
        definition = form.definition
        labels = {r.id: r.label.get(lang) for r in definition.scoring.results if r.label and not r.hidden}
        title = definition.display_title(lang)
        bands = {b.id: b.label.get(lang) for b in definition.scoring.bands}
    # As the instrument reports itself: its labelled results that have a value (C-SSRS has no total).
    shown = [(k, v) for k, v in result.results.items() if v is not None and (form is None or k in labels)]
    scores = "; ".join(_labelled(labels.get(k, k), v) for k, v in shown)
    flags = "\n".join(("⚑ " if f in result.critical_flags else "") + _flag_text(form, f, statuses)
                      for f in result.flags)  # fmt: skip
    return [title, scores or "—", bands.get(result.band or "", result.band or "—"), flags or "—"]


def _scores(
    results: Mapping[str, ScoreResult], forms: Mapping[str, CompiledForm], statuses: Mapping[str, Sequence[FlagStatus]]
) -> list[Flowable]:
    title = para(_("Latest scores"), "h1")
    if not results:
        return [title, para(_("No completed screenings."))]
    rows = [_score_row(form_id, r, forms.get(form_id), statuses.get(form_id, ())) for form_id, r in results.items()]
    widths = [WIDTH * share for share in (0.19, 0.29, 0.21, 0.31)]
    return [title, table([_("Questionnaire"), _("Scores"), _("Band"), _("Flags")], rows, widths)]


def _medication(
    plan: CarePlan, catalogue: Catalogue, today: date, suicide_risk_open: bool, acks: Mapping[str, Acknowledgement]
) -> list[Flowable]:
    title = para(_("Medication"), "h1")
    if not plan.medications:
        return [title, para(_("No current medication recorded."))]
    rows = [
        [
            m.name,
            drug_class(m.name, catalogue),
            dose(m.daily_dose, m.name, catalogue),
            daily_mme(m, catalogue),
            _("yes") if m.tapering else _("no"),
        ]
        for m in plan.medications
    ]
    header = [_("Drug"), _("Class"), _("Daily dose"), _("MME per day"), _("Tapering plan")]
    found = [title, table(header, rows, [WIDTH * s for s in (0.24, 0.22, 0.2, 0.14, 0.2)])]
    total = _("Total morphine equivalent: {value} mg per day").format(value=total_mme(plan.medications, catalogue))
    found.append(para(total, "note"))
    medications = [m.as_medication() for m in plan.medications]
    warnings = catalogue.warnings(medications, today, suicide_risk_open=suicide_risk_open)
    marked = []
    for warning in warnings:  # an acknowledged warning still prints, with who acknowledged it and why
        text = ("⚑ " if catalogue.severity(warning.kind) == "critical" else "") + warning_text(warning, catalogue)
        done = acks.get(warning.key)
        marked.append(f"{text} ({acknowledgement_text(done)})" if done else text)
    return found + bullets(marked, "cell_bullet")


def _checklist(plan: CarePlan, results: Mapping[str, ScoreResult], catalogue: Catalogue, alerts: int) -> list[Flowable]:
    facts = PlanFacts(
        results,
        tuple(m.as_medication() for m in plan.medications),
        plan.medication_reviewed,
        plan.abuse_stance,
        plan.consent_given,
        plan.follow_up_on,
        alerts,
    )
    checkpoints = check(facts, catalogue)
    lines = [_check_line(c.label, c.done, c.applies) for c in checkpoints]
    if needs_safety_plan(results) and plan.safety_plan is None:
        lines.append(_check_line(_("A suicide-risk flag was raised, but the plan has no safety plan"), False))
    gaps = missing(checkpoints)
    summary = _("Missing: {items}").format(items=", ".join(c.label for c in gaps)) if gaps else _("Nothing missing.")
    return [para(_("Completeness"), "h1"), *lines, para(summary, "h2")]


def _check_line(label: str, done: bool, applies: bool = True) -> Paragraph:
    """A tick, a red cross, or a grey dash for a checkpoint that does not apply to this patient."""
    text = escape(label, quote=False)
    if not applies:
        not_applying = escape(_("(does not apply)"))  # outside the f-string, where extraction sees it
        markup = f'<font color="#5b6670">– {text} {not_applying}</font>'
    else:
        markup = f"✓ {text}" if done else f'<font color="#b00020">✗</font> {text}'
    return Paragraph(markup, styles()["cell"])


def _plan_in_short(plan: CarePlan) -> list[Flowable]:
    values = ", ".join(_(LIFE_DOMAINS.get(d, d)) for d in plan.chosen_domains) or "—"
    lines = [_("Values: {values}").format(values=values)]
    lines += [
        _("Goal: {goal} ({baseline} → {target} by {date})").format(
            goal=g.description, baseline=amount(g.baseline), target=amount(g.target), date=day(g.target_date)
        )
        for g in plan.goals
    ]
    lines += [
        _("Action: {what} — {who}, {when}").format(what=a.what, who=actor(a.who), when=a.due or "—")
        for a in plan.actions
    ]
    lines += [_("Treatment: {text}").format(text=t) for t in plan.treatments]
    lines.append(_("Safety plan: {answer}").format(answer=_("yes") if plan.safety_plan else _("no")))
    lines.append(_("Follow-up: {date}, {who}").format(date=day(plan.follow_up_on), who=actor(plan.follow_up_by)))
    return [para(_("Plan in short"), "h1"), *bullets(lines, "cell_bullet")]


def _record(plan: CarePlan, catalogue: Catalogue) -> list[Flowable]:
    """Consent, stance on abuse, medication review, evaluation and taper dates: the journal note's lines."""
    return [para(_("Record"), "h1"), *bullets(record_lines(plan, catalogue, day), "cell_bullet")]
