"""FHIR files from outside, as a tester would throw them at the command line: limits, hostile ids,
--forms-dir, no partial files; and ``import fhir-responses`` with its exit codes and JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "smerteagent.cli.main", *arguments], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)  # fmt: skip


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def hostile() -> dict[str, Any]:
    options = [{"valueCoding": {"system": "urn:x", "code": str(n), "display": f"answer {n}\x07"},
                "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": n}]}
               for n in range(3)]  # fmt: skip
    expression = {"language": "text/fhirpath", "expression": "%resource.item.answer.weight().sum()"}
    total = {"linkId": "total\n- id: evil", "type": "integer", "readOnly": True, "text": "Sum",
             "extension": [{"url": SDC, "valueExpression": expression}]}  # fmt: skip
    return {"resourceType": "Questionnaire", "id": "hostile", "status": "active", "title": "T\x00: : [ {{",
            "item": [{"linkId": "a\nscoring: {results: []}\n: : [ {{", "type": "choice", "text": "A\x1b[2J?",
                      "answerOption": options}, total]}  # fmt: skip


def test_hostile_link_ids_cannot_inject_yaml_and_the_file_reads_back(tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    result = run("forms", "import-fhir", str(write(tmp_path / "h.json", hostile())), "--forms-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in folder.iterdir()] == ["hostile.yaml"]  # in --forms-dir, and no partial file
    written = (folder / "hostile.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(written)
    assert [i["id"] for i in document["items"]] == ["a_scoring_results"] and document["scoring"]["results"]
    assert [r["id"] for r in document["scoring"]["results"]] == ["total"]
    assert document["fhir"]["link_ids"]["total"] == "total\\n- id: evil"  # a quoted string, escaped
    assert not any(ch in written for ch in "\x00\x07\x1b")
    score = run("score", "hostile", "a_scoring_results=2", "--forms-dir", str(folder), "--json")
    assert json.loads(score.stdout)["results"]["total"] == 2


def test_size_and_depth_limits_are_one_line_errors_with_exit_2(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"resourceType": "Questionnaire", "x": "' + "a" * (5 * 1024 * 1024) + '"}', encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text('{"resourceType": "Questionnaire", "item": ' + "[" * 10_000 + "]" * 10_000 + "}", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"resourceType": : [ {{', encoding="utf-8")
    for path, message in ((big, "at most 5,242,880 bytes"), (deep, "nested more than 100 levels"),
                          (broken, "not JSON")):  # fmt: skip
        result = run("forms", "import-fhir", str(path), "--forms-dir", str(tmp_path / "forms"))
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "forms").exists()


def test_import_fhir_responses_takes_refuses_and_reports_json(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite")
    assert (
        run("--db", db, "patients", "add", "--given", "Åse", "--family", "Ærø", "--cpr", "070761-4285").returncode == 0
    )
    good = {"resourceType": "QuestionnaireResponse", "status": "completed", "authored": "2025-01-02T10:00:00+01:00",
            "questionnaire": "urn:smerteagent:form:peg|1.0",
            "item": [{"linkId": f"q{n}", "answer": [{"valueInteger": 6}]} for n in (1, 2, 3)]}  # fmt: skip
    bad = {**good, "item": [{"linkId": "q1", "answer": [{"valueInteger": 11}]}]}
    path = write(tmp_path / "b.json", {"resourceType": "Bundle", "type": "collection",
                                       "entry": [{"resource": good}, {"resource": bad}]})  # fmt: skip
    result = run("--db", db, "import", "fhir-responses", str(path), "--patient", "070761-4285", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [(t["where"], t["form"], t["results"]) for t in report["taken"]] == [("entry[0]", "peg", {"total": 6})]
    assert report["refused"][0]["where"] == "entry[1]" and "allowed range" in report["refused"][0]["reason"]
    again = run("--db", db, "import", "fhir-responses", str(write(tmp_path / "g.json", good)), "--patient",
                "070761-4285")  # fmt: skip
    assert again.returncode == 0 and "already stored" in again.stdout
    shown = run("--db", db, "export", "fhir", "--patient", "070761-4285")
    responses = [e["resource"] for e in json.loads(shown.stdout)["entry"]
                 if e["resource"]["resourceType"] == "QuestionnaireResponse"]  # fmt: skip
    assert len(responses) == 1 and responses[0]["authored"].startswith("2025-01-02")


def test_import_fhir_responses_bad_input_exits_2_and_stores_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite")
    assert run("--db", db, "patients", "add", "--given", "A", "--family", "B", "--cpr", "070761-4285").returncode == 0
    for arguments, message in (
        (["--patient", "070761-4285", str(tmp_path / "missing.json")], "no such file"),
        (["--patient", "070761-4285", str(write(tmp_path / "q.json", {"resourceType": "Questionnaire"}))],
         "no QuestionnaireResponse"),
        (["--patient", "010101-0101", str(tmp_path / "q.json")], "patient"),
    ):  # fmt: skip
        result = run("--db", db, "import", "fhir-responses", *arguments)
        assert result.returncode == 2 and message in result.stderr, (arguments, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_score_read_as_intended_is_a_warning_on_stderr_and_in_the_form_file(tmp_path: Path) -> None:
    from tests.core.interop.test_published_forms import CURRENT, sdc_phq9

    folder = tmp_path / "forms"
    path = write(tmp_path / "sdc-phq9.json", sdc_phq9(CURRENT))
    result = run("forms", "import-fhir", str(path), "--id", "sdc_phq9", "--forms-dir", str(folder))
    assert result.returncode == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "READ AS INTENDED" in line]
    assert warning.startswith("WARNING: H1/TS: score total:") and "0 for every response" in warning
    written = (folder / "sdc_phq9.yaml").read_text(encoding="utf-8")
    assert "READ AS INTENDED" in yaml.safe_load(written)["source"]
    score = run("score", "sdc_phq9", *[f"h1_t1_q{n}=1" for n in range(1, 10)], "--forms-dir", str(folder), "--json")
    assert json.loads(score.stdout)["results"]["total"] == 9


def test_an_lforms_total_read_by_its_loinc_code_is_a_warning_on_stderr_and_scores(tmp_path: Path) -> None:
    from tests.core.interop.test_published_forms import PHQ9_LOINC, lforms, lforms_total

    folder = tmp_path / "forms"
    path = write(tmp_path / "lforms-phq9.json", lforms(PHQ9_LOINC, "44249-1", lforms_total("44261-6"), difficulty=True))
    result = run("forms", "import-fhir", str(path), "--id", "lf_phq9", "--forms-dir", str(folder))
    assert result.returncode == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "READ BY ITS LOINC CODE" in line]
    assert warning.startswith("WARNING: /44261-6: score total:") and "LOINC 44261-6" in warning
    written = yaml.safe_load((folder / "lf_phq9.yaml").read_text(encoding="utf-8"))
    assert "READ BY THEIR LOINC CODE" in written["source"]
    ids = [item["id"] for item in written["items"]][:9]
    score = run("score", "lf_phq9", *[f"{i}=2" for i in ids], "--forms-dir", str(folder), "--json")
    assert json.loads(score.stdout)["results"]["total"] == 18
