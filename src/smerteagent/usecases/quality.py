"""The clinic's quality report over the supervision checkpoints, written once for both faces: read the
records of the period, apply the rules, draw the sample, and audit who asked for which report."""

from __future__ import annotations

import gc
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.quality.outcomes import OUTCOME_FORMS
from smerteagent.core.quality.report import QualityReport, build_report, check_day, check_period
from smerteagent.core.quality.rules import RuleSet, bundled_rules
from smerteagent.core.quality.summary import summary_request
from smerteagent.private_files import write_private_bytes
from smerteagent.storage.quality import QualityRecords, QualitySummaries
from smerteagent.storage.services import Services


def default_period(today: date, months: int = 12) -> tuple[date, date]:
    """The last ``months`` months up to and including ``today`` (12 months: 365 or 366 days)."""
    year, month = divmod(today.month - 1 - months, 12)
    first = today.replace(year=today.year + year, month=month + 1, day=1)
    try:
        first = first.replace(day=today.day)
    except ValueError:  # 29-31 March minus a month: the month's end, then the day after it
        first = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first + timedelta(days=1), today


def new_seed() -> int:
    """A seed for a sample the user did not seed: printed with the sample so it can be drawn again."""
    return secrets.randbelow(1_000_000)


@contextmanager
def bulk_objects() -> Iterator[None]:
    """No cyclic garbage collection while a whole register becomes objects: the collector would walk every
    object made so far again and again (most of the time a 100,000-patient report took); none are cycles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def plans_at_end(services: Services, start: date, end: date) -> list[tuple[int, str | None, CarePlan]]:
    """The care plans as they stood at ``end``, of the patients seen in the period: (patient id, CPR, plan)."""
    found = QualityRecords(services.database).records(start, end, frozenset())
    return [(r.patient_id, r.cpr, plan) for r in found if (plan := r.plan_on(end)) is not None]


def compute_report(services: Services, start: date, end: date, rules: RuleSet, language: str = "da",
                   sample: int | None = None, seed: int | None = None) -> QualityReport:  # fmt: skip
    """The report itself, read and computed (not audited: the benchmark times this): SQL summarises each
    patient's screenings for this period's rules, Python reads one summary per patient."""
    check_period(start, end)
    with bulk_objects():
        summaries = QualitySummaries(services.database).summaries(summary_request(rules, start, end))
        report = build_report(summaries, rules, start, end, language, sample, seed)
        del summaries  # freed before the collector is back on, or its first pass walks every one of them
    return report


def compute_report_from_records(services: Services, start: date, end: date, rules: RuleSet, language: str = "da",
                                sample: int | None = None, seed: int | None = None) -> QualityReport:  # fmt: skip
    """The same report from every patient's full record (each screening an object): slower, kept as the
    oracle the summarised path is tested against."""
    with bulk_objects():
        records = QualityRecords(services.database).records(start, end, rules.forms() | OUTCOME_FORMS)
        return build_report(records, rules, start, end, language, sample, seed)


def quality_report(services: Services, start: date | None = None, end: date | None = None, *,
                   sample: int | None = None, seed: int | None = None, language: str = "da",
                   output: str = "view", rules: RuleSet | None = None,
                   today: date | None = None) -> QualityReport:  # fmt: skip
    """The report over the period (default: the last 12 months), audited with who, the period and the sample."""
    report = _made(services, start, end, sample, seed, language, rules, today)
    _audit(services, report, output, sample)
    return report


def export_quality_pdf(services: Services, path: Path, start: date | None = None, end: date | None = None, *,
                       sample: int | None = None, seed: int | None = None, language: str = "da",
                       with_cpr: bool = False, today: date | None = None) -> tuple[QualityReport, int]:  # fmt: skip
    """The PDF for the supervisory visit written to ``path`` (owner-only: it names patients), then audited
    with whether CPR numbers are in it and where it went — a write that fails leaves no export event.
    Returns the report and the PDF's size."""
    report = _made(services, start, end, sample, seed, language, None, today)
    pdf = quality_pdf(services, report, language, with_cpr=with_cpr)
    write_private_bytes(path, pdf)
    _audit(services, report, "pdf", sample, with_cpr=with_cpr, file=str(path))
    return report, len(pdf)


def _made(services: Services, start: date | None, end: date | None, sample: int | None, seed: int | None,
          language: str, rules: RuleSet | None, today: date | None) -> QualityReport:  # fmt: skip
    rules = rules or bundled_rules()
    end = end or today or date.today()
    check_day(end)  # before the default start is counted back from it
    start = start or default_period(end, rules.period_months)[0]
    check_period(start, end)
    if sample is not None and seed is None:
        seed = new_seed()
    return compute_report(services, start, end, rules, language, sample, seed)


def _audit(services: Services, report: QualityReport, output: str, sample: int | None, **extra: object) -> None:
    """Who asked for which report: the period, the output, the sample asked for (and the patients drawn)."""
    detail = {"from": report.start.isoformat(), "to": report.end.isoformat(), "output": output,
              "patients": report.patients, "sample": sample, "seed": report.seed, **extra}  # fmt: skip
    if report.sample is not None:
        detail["sampled"] = [s.patient_id for s in report.sample]
    services.audit.record("export" if output == "pdf" else "view", "quality_report", None, detail)


def quality_pdf(services: Services, report: QualityReport, language: str, *, with_cpr: bool = False) -> bytes:
    """The report as a PDF with the clinic's name (CPR numbers in the sample only when asked for), the same
    from both faces; the report was audited when it was made."""
    from smerteagent.reports.quality_pdf import quality_report_pdf

    return quality_report_pdf(report, services.settings.load(), language, with_cpr=with_cpr)
