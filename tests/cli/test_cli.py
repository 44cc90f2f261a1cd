"""The CLI contract: commands, JSON shapes, exit codes and messages that name the item."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent import __version__
from smerteagent.cli.main import main
from smerteagent.paths import bundled_forms_dir


def run(
    *arguments: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_version_and_help() -> None:
    version = run("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"smerteagent {__version__}")
    help_text = run("--help").stdout
    assert "forms" in help_text and "score" in help_text


def test_score_json_shape() -> None:
    answers = [f"q{i}=2" for i in range(1, 10)]
    result = run("score", "phq9", *answers, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "form": "phq9",
        "version": "1.0",
        "status": "scored",
        "results": {"total": 18},
        "band": "moderately_severe",
        "flags": ["suicide_risk"],
        "missing": [],
    }


def test_score_reads_answers_file_and_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "answers.json"
    file.write_text(json.dumps({"q1": 1, "q2": 1, "q3": 1, "q5": 0, "q6": 0, "q7": 0, "q8": 0, "q9": 3}))
    assert main(["score", "startback", "--answers", str(file), "q4=1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["results"]["total"], result["band"]) == (5, "medium")
    piped = run("score", "auditc", "--answers", "-", "--sex", "female", "--json", stdin='{"q1": 1, "q2": 1, "q3": 1}')
    assert json.loads(piped.stdout)["band"] == "positive"


def test_score_accepts_request_shaped_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "request.json"
    file.write_text(json.dumps({"answers": {"q1": 1, "q2": 1, "q3": 1}, "sex": "male"}))
    assert main(["score", "auditc", "--answers", str(file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["band"] == "negative"


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["score", "phq9", "q11=1", "--json"], "q11"),
        (["score", "phq9", "q3=7", "--json"], "q3"),
        (["score", "phq9", "q3=x", "--json"], "q3"),
        (["score", "nosuchform", "--json"], "nosuchform"),
        (["score", "phq9", "q3", "--json"], "q3"),
    ],
)
def test_invalid_input_exits_2_with_one_line(arguments: list[str], named: str) -> None:
    result = run(*arguments)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert named in result.stderr


def test_null_value_is_unanswered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "peg", "q1=2", "q2=null", "q3=4", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["results"]["total"] is None and result["missing"] == ["q2"]


def test_batch_scores_in_order_and_survives_bad_lines() -> None:
    lines = [
        {"form": "phq2", "answers": {"q1": 2, "q2": 1}},
        "not json",
        {"form": "ort", "answers": {f"q{i}": 1 for i in range(1, 11)}, "sex": "female"},
        {"form": "phq9", "answers": {"q99": 1}},
        {"form": "peg", "answers": {"q1": 1, "q2": None, "q3": 2}},
        {"form": "nosuch"},
        [1, 2],
    ]
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    result = run("score", "--batch", "-", stdin=text)
    assert result.returncode == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert (out[0]["band"], out[2]["results"]["total"], out[4]["missing"]) == ("positive", 26, ["q2"])
    for index in (1, 3, 5, 6):
        assert set(out[index]) == {"error"}, out[index]
    assert "q99" in out[3]["error"]


def test_batch_from_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "batch.jsonl"
    file.write_text('{"form": "was", "answers": {"q1": 8}}\n{"form": "was", "answers": {"q1": 10}}\n')
    assert main(["score", "--batch", str(file)]) == 0
    assert [json.loads(x)["band"] for x in capsys.readouterr().out.splitlines()] == ["good", "excellent"]


def test_forms_list_shows_licence_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "list", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["phq9"]["licence"] == "official wording"
    assert rows["startback"]["licence"] == "own labels"
    assert rows["startback"]["title"].startswith("STarT Back")


def test_forms_list_says_who_answers_each_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "list", "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert {i for i, row in rows.items() if row["audience"] == "clinician"} == {
        "asq", "cssrs_screener", "ort", "ort_oud", "cage_aid", "dast10"
    }  # fmt: skip
    assert rows["phq9"]["audience"] == "both" and rows["startback"]["audience"] == "patient"


def test_forms_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "show", "phq9", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Kroenke" in text and "Nearly every day" in text
    assert main(["forms", "show", "phq9", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "phq9"


def test_forms_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "validate", str(bundled_forms_dir())]) == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (bundled_forms_dir() / "gad7.yaml").read_text(encoding="utf-8").replace("total <= 4", "totl <= 4")
    )
    assert main(["forms", "validate", str(bundled_forms_dir() / "phq9.yaml"), str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"invalid  {broken}: scoring.bands[0].when" in out and "'totl'" in out


def test_forms_validate_checks_a_clinics_rules_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from smerteagent.paths import bundled_resources_dir

    (tmp_path / "rules").mkdir()
    thresholds = (bundled_resources_dir() / "medication" / "thresholds.yaml").read_text(encoding="utf-8")
    (tmp_path / "rules" / "thresholds.yaml").write_text(thresholds.replace("{value: 90", "{value: 80"), "utf-8")
    assert main(["forms", "validate", str(tmp_path)]) == 0
    (tmp_path / "rules" / "thresholds.yaml").write_text(thresholds.replace("{value: 90", "{value: nitti"), "utf-8")
    assert main(["forms", "validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"invalid  {tmp_path / 'rules' / 'thresholds.yaml'}: thresholds.high_daily_mme.value" in out


def test_forms_dir_overrides_and_env_variable(tmp_path: Path) -> None:
    text = (bundled_forms_dir() / "was.yaml").read_text(encoding="utf-8")
    (tmp_path / "was.yaml").write_text(text.replace('version: "1.0"', 'version: "clinic-2"'), encoding="utf-8")
    by_option = run("score", "was", "q1=3", "--json", "--forms-dir", str(tmp_path))
    assert json.loads(by_option.stdout)["version"] == "clinic-2"
    by_env = run("score", "was", "q1=3", "--json", env={"SMERTEAGENT_FORMS_DIR": str(tmp_path)})
    assert json.loads(by_env.stdout)["version"] == "clinic-2"


def test_broken_user_form_is_reported_and_the_rest_works(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("id: mine\nitems: [", encoding="utf-8")
    result = run("score", "phq2", "q1=0", "q2=0", "--json", "--forms-dir", str(tmp_path))
    assert result.returncode == 0
    assert json.loads(result.stdout)["band"] == "negative"
    assert "mine.yaml" in result.stderr


@pytest.mark.parametrize("arguments", [["--version"], ["forms", "list"], ["score", "phq2", "q1=1", "q2=1", "--json"]])
def test_light_commands_import_no_qt_or_database(arguments: list[str]) -> None:
    program = (
        "import sys\nfrom smerteagent.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "heavy = sorted(roots & {'PySide6', 'sqlalchemy', 'alembic', 'reportlab'})\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", program, *arguments], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stderr


def test_score_partial_answers_report_what_they_decide() -> None:
    result = run("score", "phq4", "q1=0", "q2=0", "q3=3", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "form": "phq4",
        "version": "1.0",
        "status": "withheld",
        "results": {"total": None, "anxiety": 0, "depression": None},
        "band": None,
        "flags": ["depression_positive", "incomplete"],
        "missing": ["q4"],
    }
    text = run("score", "phq4", "q1=0", "q2=0", "q3=1").stdout
    assert "status: withheld" in text and "undecided until answered: depression_positive" in text
