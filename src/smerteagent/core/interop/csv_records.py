"""The supervision fields of the care plans as CSV, one row per item (a drug, the consent, the medication review,
a received letter), so a clinic can check them in a spreadsheet. Pseudonymised like the register: keyed
patient hashes, and no free text or names of people (indication, results, actions, who, senders)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from typing import IO

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.cpr import format_cpr
from smerteagent.core.interop.csv_export import Pseudonymiser, spreadsheet_safe
from smerteagent.core.quality.records import drug_facts

RECORD_COLUMNS = ("patient", "plan", "item", "name", "class", "date", "evaluated_or_assessed_on", "next_evaluation",
                  "codes", "text", "by")  # fmt: skip
Line = list[str | int]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def record_lines(plan: CarePlan) -> list[Line]:
    """The plan's rows without the patient column: (plan, item, name, class, date, evaluated, next, codes, text, by)."""
    lines: list[Line] = []
    for m in plan.medications:
        text = " | ".join(t for t in (m.indication, m.evaluation_result) if t)
        lines.append([plan.number, "medication", m.name, drug_facts(m).drug_class, _day(m.started_on),
                      _day(m.evaluated_on), _day(m.re_evaluate_on), "", text, ""])  # fmt: skip
    if plan.consent is not None:
        c = plan.consent
        lines.append(
            [plan.number, "consent", "", "", _day(c.given_on), "", "", ";".join(c.risks), c.covers, c.by or ""]
        )
    if plan.medication_reviewed_on is not None:
        lines.append([plan.number, "medication_review", "", "", _day(plan.medication_reviewed_on), "", "", "", "", ""])
    for x in plan.letters:
        lines.append([plan.number, "letter", x.sender, "", _day(x.received_on), _day(x.assessed_on), "", x.kind,
                      x.action or "", x.assessed_by or ""])  # fmt: skip
    return lines


def write_records(plans: Iterable[tuple[int, str | None, CarePlan]], out: IO[str], *, delimiter: str = ",",
                  pseudonymise: Pseudonymiser | None = None) -> int:  # fmt: skip
    """Write the header and every plan's rows (patient id, CPR digits or None, plan); returns the row count."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(RECORD_COLUMNS)
    count = 0
    for patient_id, cpr, plan in plans:
        if pseudonymise is not None:
            patient = pseudonymise.patient(patient_id, cpr)
        else:
            patient = format_cpr(cpr) or f"id:{patient_id}"
        for line in record_lines(plan):
            if pseudonymise is not None:
                line[2] = "" if line[1] == "letter" else line[2]
                line[8] = line[9] = ""
            writer.writerow([patient, *(spreadsheet_safe(v) if isinstance(v, str) else v for v in line)])
            count += 1
    return count
