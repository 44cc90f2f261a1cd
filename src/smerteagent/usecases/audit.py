"""Exporting the audit trail for a supervisory visit: the broken-chain policy and the file formats, written
once for every face.

Policy: the chain is verified first; a broken chain exports nothing (:class:`BrokenTrail`) unless the caller
allows it, and then the file itself says where it breaks (a ``#`` first line in CSV, ``chain`` in JSON), so
an export can never be mistaken for an intact trail. The export is audited. Text cells that a spreadsheet
would run as a formula get a leading ``'``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.interop.csv_export import spreadsheet_safe
from smerteagent.private_files import publish_private
from smerteagent.storage.audit import AuditEvent, ChainReport
from smerteagent.storage.services import Services

Format = Literal["csv", "json"]
COLUMNS = ("id", "at", "actor", "action", "record_type", "record_id", "detail", "previous_hash", "hash")
SEALED_COLUMNS = (*COLUMNS, "seal")  # when the trail is sealed with an audit key

__all__ = ["AuditEvent", "AuditExport", "BrokenTrail", "ChainReport", "Format", "export_trail"]


class BrokenTrail(SmerteAgentError):
    """The chain is broken and a broken export was not allowed: nothing was exported."""

    def __init__(self, report: ChainReport) -> None:
        super().__init__(f"audit trail broken at {report.first_break}; nothing exported")
        self.report = report


@dataclass(frozen=True)
class AuditExport:
    text: str
    events: int
    report: ChainReport


def export_trail(services: Services, first: date | None, last: date, form: Format, *, allow_broken: bool,
                 target: str, out: Path | None = None) -> AuditExport:  # fmt: skip
    """The events from ``first`` (None: the beginning) to ``last`` inclusive, as CSV or JSON text; ``target``
    (where it goes) is recorded in the export's own audit event. With ``out`` the text is written there
    (owner-only) before the event is recorded: a file that cannot be written leaves no export event."""
    start = datetime.combine(first, time()) if first else None
    end = datetime.combine(last + timedelta(days=1), time())
    report = services.audit.verify()
    if report.first_break is not None and not allow_broken:
        raise BrokenTrail(report)
    if out is None:
        events = services.audit.export(start, end, target)
        return AuditExport(_text(events, first, last, report, form), len(events), report)
    events = services.audit.events_between(start, end)
    text = _text(events, first, last, report, form)
    publish_private(out, text.encode("utf-8"), lambda: services.audit.record_export(start, end, len(events), target))
    return AuditExport(text, len(events), report)


def _text(events: list[AuditEvent], first: date | None, last: date, report: ChainReport, form: Format) -> str:
    return _json(events, first, last, report) if form == "json" else _csv(events, report)


def _row(event: AuditEvent) -> dict[str, Any]:
    return {**asdict(event), "at": event.at.isoformat(sep=" ")}


def _csv(events: list[AuditEvent], report: ChainReport) -> str:
    buffer = io.StringIO()
    if report.first_break is not None:
        buffer.write(f"# AUDIT TRAIL BROKEN at {report.first_break}; exported with --allow-broken\n")
    sealed = any(event.seal for event in events)
    writer = csv.DictWriter(buffer, SEALED_COLUMNS if sealed else COLUMNS, lineterminator="\n", extrasaction="ignore")
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
            "sealed": report.sealed,
            "sealed_from": report.sealed_from,
            "seals_checked": report.key_checked,
        },
        "events": [_row(event) for event in events],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
