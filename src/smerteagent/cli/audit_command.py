"""``smerteagent audit``: verify the hash chain of the audit trail, and export a period of it.

``verify`` exits 0 with the number of events and the head hash (write it down: a later
``verify --anchor HASH`` proves no event up to it was removed); exit 1 names the first bad event.
``export`` writes the events of a period as CSV or JSON for a supervisory visit, and is audited itself.
A broken chain makes ``export`` fail (exit 1, nothing written) unless ``--allow-broken``; then the CSV
starts with a ``#`` line and the JSON's ``chain`` says where the chain breaks, so the file cannot be
mistaken for an intact trail. Text cells that a spreadsheet would run as a formula get a leading ``'``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smerteagent.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, InputError, fail, open_storage, storage_command
from smerteagent.private_files import write_private_text

if TYPE_CHECKING:
    from smerteagent.storage.audit import AuditEvent, ChainReport

COLUMNS = ("id", "at", "actor", "action", "record_type", "record_id", "detail", "previous_hash", "hash")


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    audit = commands.add_parser("audit", help="verify or export the audit trail")
    actions = audit.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check the hash chain; exit 1 naming the first edited or missing event")
    verify.add_argument("--anchor", metavar="HASH", help="a head hash noted earlier that must still be in the chain")
    add_common(verify)
    verify.set_defaults(handler=storage_command(run_verify))
    export = actions.add_parser("export", help="the events of a period, for a supervisory visit (audited)")
    export.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD (default: the beginning)")
    export.add_argument("--to", dest="end", metavar="DATE", help="last day, YYYY-MM-DD, included (default: today)")
    export.add_argument("--allow-broken", action="store_true",
                        help="export even if the chain is broken (the file then says where it breaks)")  # fmt: skip
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (default: standard output)")
    add_common(export)
    export.set_defaults(handler=storage_command(run_export))


def run_verify(arguments: argparse.Namespace) -> int:
    services = open_storage(arguments)
    try:
        report = services.audit.verify(arguments.anchor)
    finally:
        services.close()
    if report.first_break is not None:
        return fail(f"audit trail broken at {report.first_break} ({report.count} events before it are intact)",
                    EXIT_FAILED)  # fmt: skip
    if report.anchor_found is False:
        return fail(f"the anchor {arguments.anchor} is not in the chain: events up to it were removed or the "
                    f"chain was rewritten ({report.count} events, chain otherwise intact)", EXIT_FAILED)  # fmt: skip
    print(f"{report.count} events, chain intact")
    print(_head(report))
    return EXIT_OK


def _head(report: ChainReport) -> str:
    if report.head_id is None:
        return "head: none (empty trail)"
    return f"head: event {report.head_id}, hash {report.head_hash}"


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r}: not a date; use YYYY-MM-DD") from None


def run_export(arguments: argparse.Namespace) -> int:
    first, last = _day(arguments.start, "--from"), _day(arguments.end, "--to") or date.today()
    if first and last < first:
        return fail(f"--to {last} is before --from {first}", EXIT_USAGE)
    start = datetime.combine(first, time()) if first else None
    end = datetime.combine(last + timedelta(days=1), time())
    services = open_storage(arguments)
    try:
        report = services.audit.verify()
        if report.first_break is not None and not arguments.allow_broken:
            return fail(f"audit trail broken at {report.first_break}; nothing exported (--allow-broken exports it "
                        "anyway, marked as broken; `smerteagent audit verify` tells more)", EXIT_FAILED)  # fmt: skip
        events = services.audit.export(start, end, str(arguments.out) if arguments.out else "stdout")
    finally:
        services.close()
    text = _json(events, first, last, report) if arguments.format == "json" else _csv(events, report)
    if arguments.out is None:
        sys.stdout.write(text)
    else:
        write_private_text(arguments.out, text)
        print(f"wrote {arguments.out} ({len(events)} events)", file=sys.stderr)
    if report.first_break is not None:
        print(f"warning: audit trail broken at {report.first_break}", file=sys.stderr)
    return EXIT_OK


def _row(event: AuditEvent) -> dict[str, Any]:
    return {**asdict(event), "at": event.at.isoformat(sep=" ")}


def _csv(events: list[AuditEvent], report: ChainReport) -> str:
    from smerteagent.core.interop.csv_export import spreadsheet_safe

    buffer = io.StringIO()
    if report.first_break is not None:
        buffer.write(f"# AUDIT TRAIL BROKEN at {report.first_break}; exported with --allow-broken\n")
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        row = {**_row(event), "detail": json.dumps(event.detail, ensure_ascii=False, sort_keys=True)}
        writer.writerow({key: spreadsheet_safe(v) if isinstance(v, str) else v for key, v in row.items()})
    return buffer.getvalue()


def _json(events: list[AuditEvent], first: date | None, last: date | None, report: ChainReport) -> str:
    document = {
        "from": first.isoformat() if first else None,
        "to": last.isoformat() if last else None,
        "exported_at": datetime.now().isoformat(sep=" ", timespec="seconds"),
        "chain": {
            "events": report.count,
            "intact": report.intact,
            "first_break": str(report.first_break) if report.first_break else None,
            "head_id": report.head_id,
            "head_hash": report.head_hash,
        },
        "events": [_row(event) for event in events],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
