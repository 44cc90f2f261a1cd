"""``smerteagent medication check`` / ``list``: the JSON contract of issue 12, exit codes and one-line messages.
Factors: CDC 2022 (fentanyl patch 2.4 per µg/h, oxycodone 1.5) and Helsedirektoratet's OMEQ table
(ketobemidone oral 1); thresholds CDC 2022 (50 / 90 MME/day)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smerteagent.cli.main import main

Runner = Callable[..., tuple[int, Any, str]]


@pytest.fixture
def run_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Runner:
    def run(prescriptions: object, *extra: str) -> tuple[int, Any, str]:
        path = tmp_path / "medication.json"
        path.write_text(prescriptions if isinstance(prescriptions, str) else json.dumps(prescriptions), "utf-8")
        code = main(["medication", "check", str(path), "--today", "2026-12-03", "--json", *extra])
        captured = capsys.readouterr()
        return code, json.loads(captured.out) if captured.out else None, captured.err

    return run


def test_the_issue_example_gives_the_contract_shape(run_check: Runner) -> None:
    code, out, _ = run_check([
        {"drug": "Ketogan 60 mg", "daily_dose": 60, "unit": "mg"},
        {"drug": "Stesolid 10 mg", "daily_dose": 10, "unit": "mg"},
    ])  # fmt: skip
    assert code == 0
    assert set(out) == {"drugs", "total_mme", "warnings", "unclassified"}
    assert out["drugs"][0] == {"input": "Ketogan 60 mg", "substance": "ketobemidone and antispasmodics",
                               "atc": "N02AG02", "class": "opioid", "form": "oral_ir", "daily_mme": 60,
                               "counted": True}  # fmt: skip
    assert out["drugs"][1]["class"] == "benzodiazepine" and out["drugs"][1]["daily_mme"] is None
    assert out["total_mme"] == 60
    ids = [w["id"] for w in out["warnings"]]
    assert ids == ["opioid_with_benzodiazepine", "reassess_daily_mme"]
    assert out["warnings"][0]["drugs"] == ["Ketogan 60 mg", "Stesolid 10 mg"] and out["warnings"][0]["text"]
    assert out["unclassified"] == []


def test_patch_in_micrograms_per_hour_counts(run_check: Runner) -> None:
    code, out, _ = run_check([{"drug": "Fentanyl 25 mikrogram/time", "daily_dose": 50, "unit": "microgram_per_hour"}])
    assert code == 0 and out["drugs"][0]["daily_mme"] == 120 and out["drugs"][0]["form"] == "transdermal"
    assert [w["id"] for w in out["warnings"]] == ["high_daily_mme"]


def test_threshold_sides(run_check: Runner) -> None:
    below = run_check([{"drug": "Morfin", "daily_dose": 89.99, "unit": "mg"}])[1]
    at = run_check([{"drug": "Oxycodon", "daily_dose": 60, "unit": "mg"}])[1]
    assert [w["id"] for w in below["warnings"]] == ["reassess_daily_mme"] and below["total_mme"] == 89.99
    assert [w["id"] for w in at["warnings"]] == ["high_daily_mme"] and at["total_mme"] == 90


def test_unknown_and_uncounted_drugs_are_said_out_loud(run_check: Runner) -> None:
    code, out, _ = run_check([
        {"drug": "Zyxomol", "daily_dose": 10, "unit": "mg"},
        {"drug": "Fentanyl", "daily_dose": 0.4, "unit": "mg"},
    ])  # fmt: skip
    assert code == 0 and out["unclassified"] == ["Zyxomol"]
    assert out["drugs"][0]["class"] is None and out["drugs"][0]["counted"] is False
    assert out["drugs"][1] | {"daily_mme": None, "counted": False} == out["drugs"][1]
    assert {w["id"] for w in out["warnings"]} == {"unclassified_drug", "opioid_not_counted"}


def test_dates_and_tapering(run_check: Runner) -> None:
    old = {"drug": "Lyrica", "daily_dose": 300, "unit": "mg", "started_on": "2026-09-03"}  # 91 days before
    assert [w["id"] for w in run_check([old])[1]["warnings"]] == ["long_term_without_plan"]
    assert run_check([old | {"tapering": True}])[1]["warnings"] == []
    assert [w["id"] for w in run_check([old | {"tapering": None, "re_evaluate_on": None}])[1]["warnings"]] == [
        "long_term_without_plan"
    ]
    assert run_check([old | {"re_evaluate_on": "2027-01-01"}])[1]["warnings"] == []
    assert run_check([old | {"started_on": "2026-09-04"}])[1]["warnings"] == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("", "empty"),
        ("{]", "invalid JSON"),
        ({"drug": "Morfin"}, "JSON list"),
        ([{"drug": "Morfin", "unit": "mg"}], "item 1: daily_dose is missing"),
        ([{"drug": "Morfin", "daily_dose": -1, "unit": "mg"}], "item 1 (Morfin): daily_dose"),
        ([{"drug": "Morfin", "daily_dose": "10", "unit": "mg"}], "daily_dose"),
        ([{"drug": "Morfin", "daily_dose": True, "unit": "mg"}], "daily_dose"),
        ([{"drug": "Morfin", "daily_dose": 10, "unit": "g"}], "unit"),
        ([{"drug": "", "daily_dose": 10, "unit": "mg"}], "drug"),
        ([{"drug": "Morfin", "daily_dose": 10, "unit": "mg", "started_on": "1.1.2026"}], "started_on"),
        ([{"drug": "Morfin", "daily_dose": 10, "unit": "mg", "tapering": "yes"}], "tapering"),
        ([{"drug": "Morfin", "daily_dose": 10, "unit": "mg", "dose": 3}], "unknown key 'dose'"),
        ([{"drug": "Norspan", "daily_dose": 20, "unit": "mg"}], "patch"),
        ([{"drug": "Oxycodon", "daily_dose": 20, "unit": "microgram_per_hour"}], "not a patch"),
    ],
)
def test_bad_input_exits_2_with_one_line(run_check: Runner, document: object, message: str) -> None:
    code, out, err = run_check(document)
    assert code == 2 and out is None
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_bad_today_and_stdin() -> None:
    result = subprocess.run([sys.executable, "-m", "smerteagent.cli.main", "medication", "check", "-", "--json"],
                            input='[{"drug": "Contalgin", "daily_dose": 30, "unit": "mg"}]', capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0 and json.loads(result.stdout)["total_mme"] == 30
    bad = subprocess.run([sys.executable, "-m", "smerteagent.cli.main", "medication", "check", "-", "--today", "x"],
                         input="[]", capture_output=True, text=True, timeout=60)  # fmt: skip
    assert bad.returncode == 2 and "--today" in bad.stderr


def test_list_by_class(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["medication", "list", "--class", "opioid", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(row["class"] == "opioid" for row in rows)
    ketobemidone = next(row for row in rows if row["atc"] == "N02AG02")
    assert ketobemidone["products"][0]["name"] == "Ketogan"
    assert {"form": "oral_ir", "unit": "mg", "factor": 1, "source": "hdir_omeq"} in ketobemidone["forms"]
    assert main(["medication", "list"]) == 0 and "Stesolid" in capsys.readouterr().out
    assert main(["medication", "list", "--class", "sedative"]) == 2
