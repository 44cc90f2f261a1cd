"""The quality report as a PDF for the supervisory visit: Danish by default, the period and the clinic on every
page, the checkpoint table, the outcomes with monthly charts, the worklists and the sample; CPR numbers only when
asked for (a name and the patient number find the record)."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from smerteagent.core.cpr import format_cpr
from smerteagent.core.quality.outcomes import TREND_KEYS, MonthTrend, outcome_label, outcome_text
from smerteagent.core.quality.report import QualityReport
from smerteagent.core.quality.rules import RuleSet, bundled_rules
from smerteagent.core.settings import Settings
from smerteagent.i18n import _
from smerteagent.reports.fonts import REGULAR
from smerteagent.reports.layout import (
    MUTED,
    WIDTH,
    RunningHeader,
    build_pdf,
    bullets,
    clinic_header,
    day,
    grid,
    para,
    table,
)

WORKLIST_LIMIT = 200  # rows per checkpoint on paper; the app and --json list them all
CHARTED = ("share_on_opioids", "share_mme_90_plus", "median_mme", "median_peg")
BAR = colors.HexColor("#1a5fb4")


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


def _checkpoint_table(report: QualityReport) -> Flowable:
    header = [_("No."), _("Checkpoint"), _("Applicable"), _("Fulfilled"), _("Not fulfilled"), _("Not relevant"),
              _("Fulfilled %")]  # fmt: skip
    rows = [[str(c.number), c.title, str(c.applicable), str(c.fulfilled), str(c.not_fulfilled), str(c.not_relevant),
             _percent(c.fulfilled, c.applicable)] for c in report.checkpoints]  # fmt: skip
    return table(header, rows, [9 * mm, WIDTH - 115 * mm, 22 * mm, 19 * mm, 22 * mm, 24 * mm, 19 * mm])


def _bar_chart(trends: tuple[MonthTrend, ...], key: str) -> Drawing:
    """One outcome month by month as bars, the value above each bar (— for a month without any)."""
    width, height, bottom = WIDTH / 2 - 4 * mm, 44 * mm, 12
    drawing = Drawing(width, height)
    title = simpleSplit(outcome_label(key), REGULAR, 8, width - 4)  # a long title wraps instead of running on
    for line, text in enumerate(title):
        drawing.add(String(0, height - 10 - 9 * line, text, fontName=REGULAR, fontSize=8))
    top = 13 + 9 * len(title)  # the title and the value above the highest bar
    values = [t.values.get(key) for t in trends]
    peak = max((v for v in values if v is not None), default=0) or 1
    step = width / max(len(trends), 1)
    drawing.add(Line(0, bottom, width, bottom, strokeColor=MUTED, strokeWidth=0.5))
    for index, (trend, value) in enumerate(zip(trends, values, strict=True)):
        x = index * step
        bar = 0 if value is None else (height - bottom - top) * value / peak
        drawing.add(Rect(x + step * 0.15, bottom, step * 0.7, bar, fillColor=BAR, strokeColor=None))
        label = outcome_text(key, value).replace(" %", "%")
        drawing.add(String(x + step / 2, bottom + bar + 2, label, fontName=REGULAR, fontSize=5, textAnchor="middle"))
        drawing.add(String(x + step / 2, 3, trend.month[2:], fontName=REGULAR, fontSize=5, textAnchor="middle",
                           fillColor=MUTED))  # fmt: skip
    return drawing


def _outcomes(report: QualityReport) -> list[Flowable]:
    rows = [[outcome_label(name), outcome_text(name, value)] for name, value in report.outcomes.items()]
    story: list[Flowable] = [para(_("Clinic outcomes"), "h1"), table([_("Outcome"), _("Value")], rows,
                                                                     [WIDTH - 35 * mm, 35 * mm])]  # fmt: skip
    if report.trends:
        charts = [_bar_chart(report.trends, key) for key in CHARTED if key in TREND_KEYS]
        pairs = [charts[i : i + 2] for i in range(0, len(charts), 2)]
        story.append(para(_("Month by month (patients seen that month)"), "h2"))
        story += [KeepTogether([_pair(pair)]) for pair in pairs]
    return story


def _pair(charts: list[Drawing]) -> Flowable:
    return grid([charts], [WIDTH / 2] * len(charts))


def _who(report: QualityReport, patient_id: int, with_cpr: bool) -> str:
    name = report.names.get(patient_id, "")
    cpr = format_cpr(report.cprs.get(patient_id)) if with_cpr else None
    which = _("patient {id}").format(id=patient_id)  # outside the f-string, so the extractor sees it
    return f"{name} ({which}{', ' + cpr if cpr else ''})"


def _worklists(report: QualityReport, with_cpr: bool) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), para(_("Worklists: records that would not pass"), "h1")]
    for row in report.checkpoints:
        if not row.failing:
            continue
        story.append(para(f"{row.number}. {row.title} ({row.not_fulfilled})", "h2"))
        reasons = report.reasons.get(row.id, {})
        lines = [[_who(report, p, with_cpr), "; ".join(reasons.get(p, ()))] for p in row.failing[:WORKLIST_LIMIT]]
        story.append(table([_("Patient"), _("What is missing")], lines, [60 * mm, WIDTH - 60 * mm]))
        if row.not_fulfilled > WORKLIST_LIMIT:
            more = row.not_fulfilled - WORKLIST_LIMIT
            story.append(para(_("… and {count} more (the app and the JSON list them all)").format(count=more), "small"))
    return story


def _sample(report: QualityReport, with_cpr: bool) -> list[Flowable]:
    if report.sample is None:
        return []
    story: list[Flowable] = [PageBreak(), para(_("Record sample"), "h1"),
                             para(_("{count} records drawn at random (seed {seed}); the same seed draws the same "
                                    "records.").format(count=len(report.sample), seed=report.seed))]  # fmt: skip
    titles = {c.id: f"{c.number}. {c.title}" for c in report.checkpoints}
    statuses = {"fulfilled": _("fulfilled"), "not_fulfilled": _("NOT fulfilled"), "not_relevant": _("not relevant")}
    for record in report.sample:
        lines = [[titles[f.checkpoint], statuses[f.status] + (": " + "; ".join(f.reasons) if f.reasons else "")]
                 for f in record.findings]  # fmt: skip
        story.append(para(_who(report, record.patient_id, with_cpr), "h2"))
        story.append(table([_("Checkpoint"), _("Result")], lines, [WIDTH - 75 * mm, 75 * mm]))
    return story


def _sources(rules: RuleSet, language: str) -> list[Flowable]:
    story: list[Flowable] = [para(_("What each checkpoint reads, and its source"), "h1")]
    story += bullets([f"{c.number}. {c.label(language)}: {c.guidance_text(language)}" for c in rules.checkpoints])
    story.append(para(" ".join(rules.source.split()), "small"))
    return story


def quality_report_pdf(report: QualityReport, settings: Settings, language: str = "da", *, with_cpr: bool = False,
                       rules: RuleSet | None = None,
                       printed_on: date | None = None) -> bytes:  # fmt: skip
    """The report as PDF bytes; CPR numbers beside the names only ``with_cpr``."""
    rules = rules or bundled_rules()
    period = _("Period {start} to {end}").format(start=day(report.start), end=day(report.end))
    header = RunningHeader(_("Clinic quality report"), period, printed_on or date.today(),
                           settings.clinic_name or _("(clinic name not set)"))  # fmt: skip
    story: list[Flowable] = [*clinic_header(settings), para(_("Clinic quality report"), "title"),
                             para(_("{period}; {count} patients seen (a visit or a care plan in the period).").format(
                                 period=period, count=report.patients)),
                             para(_("Supervision checkpoints"), "h1"), _checkpoint_table(report)]  # fmt: skip
    story += _outcomes(report) + _worklists(report, with_cpr) + _sample(report, with_cpr)
    story += _sources(rules, language)
    return build_pdf(story, header, _("Clinic quality report"))
