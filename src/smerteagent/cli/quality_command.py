"""``smerteagent quality report``: the clinic's quality report over the supervision checkpoints, as a table,
as JSON (``--json``) or as the PDF for the supervisory visit (``--out``); ``--sample N --seed S`` draws records
as the Authority would. Every report is audited."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smerteagent.cli.common import EXIT_OK, InputError, open_services_for, storage_command

if TYPE_CHECKING:
    from smerteagent.core.quality.report import QualityReport


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    quality = commands.add_parser("quality", help="the clinic's quality report over the supervision checkpoints")
    actions = quality.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)
    report = actions.add_parser("report", help="checkpoints, worklists and outcomes over a period (default: 12 months)")
    report.add_argument("--from", dest="start", type=_day, metavar="DATE", help="first day (default: 12 months back)")
    report.add_argument("--to", dest="end", type=_day, metavar="DATE", help="last day (default: today)")
    report.add_argument("--sample", type=_count, metavar="N", help="draw N records at random, as the Authority does")
    report.add_argument("--seed", type=_seed, metavar="S", help="the sample's seed (the same seed, the same records)")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the report as JSON")
    output.add_argument("--out", type=Path, metavar="FILE.pdf", help="write the PDF for the supervisory visit")
    report.add_argument("--cpr", action="store_true", help="print CPR numbers in the PDF's worklists and sample")
    report.add_argument("--lang", choices=("da", "en"), default=argparse.SUPPRESS,
                        help="language of the PDF and table (default: the PDF Danish, the table English)")  # fmt: skip
    add_common(report)
    report.set_defaults(handler=storage_command(run_report))


def run_report(arguments: argparse.Namespace) -> int:
    from smerteagent.i18n import speaking
    from smerteagent.usecases.quality import export_quality_pdf, quality_report

    if arguments.seed is not None and arguments.sample is None:
        raise InputError("--seed needs --sample N")
    if arguments.out is not None and arguments.out.suffix.lower() != ".pdf":
        raise InputError(f"--out {arguments.out}: the report is written as a PDF (FILE.pdf)")
    if arguments.cpr and arguments.out is None:
        raise InputError("--cpr prints CPR numbers in the PDF: it needs --out FILE.pdf")
    chosen = getattr(arguments, "lang", None)
    language = "da" if arguments.json else chosen or ("da" if arguments.out else "en")
    output = "json" if arguments.json else "pdf" if arguments.out else "table"
    size = 0
    with open_services_for(arguments) as services, speaking(language):
        if arguments.out is not None:  # written, then audited (with whether CPR numbers are in it)
            report, size = export_quality_pdf(services, arguments.out, arguments.start, arguments.end,
                                              sample=arguments.sample, seed=arguments.seed, language=language,
                                              with_cpr=arguments.cpr)  # fmt: skip
        else:
            report = quality_report(services, arguments.start, arguments.end, sample=arguments.sample,
                                    seed=arguments.seed, language=language, output=output)  # fmt: skip
    if arguments.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    elif arguments.out is not None:
        print(f"wrote {arguments.out} ({size} bytes)")
    else:
        print(_table(report))
    return EXIT_OK


def _table(report: QualityReport) -> str:
    lines = [f"Quality report {report.start.isoformat()} to {report.end.isoformat()}: {report.patients} patients",
             f"{'no':>3}  {'checkpoint':<24} {'applicable':>10} {'fulfilled':>9} {'not':>5} {'n/a':>6}"]  # fmt: skip
    for c in report.checkpoints:
        lines.append(f"{c.number:>3}  {c.id:<24} {c.applicable:>10} {c.fulfilled:>9} {c.not_fulfilled:>5} "
                     f"{c.not_relevant:>6}  {c.title}")  # fmt: skip
    lines.append("outcomes:")
    lines += [f"  {name}: {'-' if value is None else f'{value:g}'}" for name, value in report.outcomes.items()]
    if report.sample is not None:
        lines.append(f"sample of {len(report.sample)} records (seed {report.seed}):")
        for record in report.sample:
            lines.append(f"  patient {record.patient_id} {record.name}")
            for finding in record.findings:
                why = f": {'; '.join(finding.reasons)}" if finding.reasons else ""
                lines.append(f"    {finding.checkpoint}: {finding.status}{why}")
    return "\n".join(lines)
