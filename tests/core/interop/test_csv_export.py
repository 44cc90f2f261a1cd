"""The CSV register: no cell runs as a spreadsheet formula, and a pseudonymised export names nobody."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.interop.csv_export import Pseudonymiser, RegisterRow, spreadsheet_safe, write_register

KEY, OTHER_KEY = b"a clinic secret of enough bytes", b"another secret of enough bytes"
ACTIVITY = "Gå tur med hunden hos Ærø-familien"
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def psfs_row(activity: str = ACTIVITY, clinician: str = "dr. Søren Østergaard") -> RegisterRow:
    answers = {"q1_activity": activity, "q1": 3, "q2_activity": '=HYPERLINK("http://x")', "q2": 7}
    return RegisterRow(
        response_id=41, patient_id=5, cpr="0707614285", birth_date=date(1961, 7, 7), sex="female", encounter_id=17,
        setting="gp", clinician=clinician, form_id="psfs", form_version="1.0", status="complete",
        created_at=datetime(2025, 3, 1, 10, 31, 7), completed_at=datetime(2025, 3, 1, 10, 42, 55), answers=answers,
        results={"total": 5, "activities_rated": 2}, band=None, flags=[], missing=[],
    )  # fmt: skip


def written(
    rows: list[RegisterRow], library: FormLibrary, pseudonymise: Pseudonymiser | None = None
) -> tuple[str, list[dict[str, str]]]:
    out = io.StringIO()
    write_register(rows, out, pseudonymise=pseudonymise, form=library.get("psfs"))
    return out.getvalue(), list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_is_guarded(start: str) -> None:
    assert spreadsheet_safe(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_text_is_unchanged() -> None:
    assert spreadsheet_safe("Gå tur") == "Gå tur" and spreadsheet_safe("") == "" and spreadsheet_safe("1-2") == "1-2"


def test_free_text_and_clinician_cannot_inject_formulas(library: FormLibrary) -> None:
    _, (row,) = written([psfs_row(activity="-2+3", clinician="@SUM(A1:A9)")], library)
    assert row["item.q1_activity"] == "'-2+3" and row["item.q2_activity"] == '\'=HYPERLINK("http://x")'
    assert row["clinician"] == "'@SUM(A1:A9)"
    assert row["item.q1"] == "3" and row["total"] == "5"  # numbers stay numbers
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


def test_negative_numbers_are_written_as_numbers(library: FormLibrary) -> None:
    answers = {"q1": -1}  # a numeric answer (the register keeps what was stored)
    row = replace(psfs_row(), answers=answers, results={"total": -1.0})
    _, (line,) = written([row], library)
    assert line["item.q1"] == "-1" and line["total"] == "-1"


def test_pseudonymised_export_carries_no_free_text_clinician_ids_or_times(library: FormLibrary) -> None:
    plain_text, (plain,) = written([psfs_row()], library)
    assert ACTIVITY in plain_text and plain["clinician"] == "dr. Søren Østergaard"
    assert (plain["response_id"], plain["encounter_id"], plain["started_at"]) == ("41", "17", "2025-03-01T10:31:07")
    text, (row,) = written([psfs_row()], library, Pseudonymiser(KEY))
    assert "Ærø" not in text and "HYPERLINK" not in text and "Søren" not in text and "0707614285" not in text
    assert row["item.q1_activity"] == row["item.q2_activity"] == "" and row["item.q1"] == "3"
    assert row["answers"] == '{"q1": 3, "q2": 7}' and row["clinician"] == ""
    assert (row["started_at"], row["completed_at"]) == ("2025-03-01", "2025-03-01")
    assert all(HEX64.match(row[column]) for column in ("patient", "response_id", "encounter_id"))
    assert len({row["patient"], row["response_id"], row["encounter_id"]}) == 3
    _, (again,) = written([psfs_row()], library, Pseudonymiser(KEY))
    _, (other,) = written([psfs_row()], library, Pseudonymiser(OTHER_KEY))
    assert again["response_id"] == row["response_id"]  # stable under one key: follow-up stays possible
    assert other["response_id"] != row["response_id"] and other["encounter_id"] != row["encounter_id"]
