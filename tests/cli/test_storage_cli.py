"""The storage commands of the CLI: patients, demo and db, with --db and SMERTEAGENT_DB_URL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.core.cpr import parse_cpr
from smerteagent.storage.revisions import HEAD


def run(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "klinik.sqlite")


def test_patients_add_list_search_show(db: str) -> None:
    added = run("--db", db, "patients", "add", "--given", "Søren", "--family", "Ærø", "--cpr", "070761-4285", "--json")
    assert added.returncode == 0, added.stderr
    patient = json.loads(added.stdout)
    assert (patient["cpr"], patient["birth_date"], patient["sex"], patient["warnings"]) == (
        "070761-4285", "1961-07-07", "male", [],
    )  # fmt: skip
    run("patients", "add", "--given", "Åse", "--family", "Holm", "--no-cpr", env={"SMERTEAGENT_DB_URL": db})
    listed = json.loads(run("--db", db, "patients", "list", "--json").stdout)
    assert [p["given_name"] for p in listed] == ["Åse", "Søren"]
    for row in listed:
        assert {"id", "cpr", "given_name", "family_name", "birth_date", "sex"} <= set(row)
    found = json.loads(run("patients", "search", "aeroe", "--limit", "5", "--json", "--db", db).stdout)
    assert [p["family_name"] for p in found] == ["Ærø"]
    shown = run("--db", db, "patients", "show", "070761-4285")
    assert shown.returncode == 0 and "Søren Ærø" in shown.stdout and "070761-4285" in shown.stdout


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--cpr", "310261-4285"], "cpr"),
        (["--cpr", "abc"], "cpr"),
        ([], "cpr"),
    ],
)
def test_patients_add_refuses_bad_input(db: str, arguments: list[str], named: str) -> None:
    result = run("--db", db, "patients", "add", "--given", "A", "--family", "B", *arguments)
    assert result.returncode == 2
    assert named in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_duplicate_cpr_is_refused_naming_the_patient(db: str) -> None:
    run("--db", db, "patients", "add", "--given", "Første", "--family", "Person", "--cpr", "0707614285")
    second = run("--db", db, "patients", "add", "--given", "Anden", "--family", "Person", "--cpr", "070761-4285")
    assert second.returncode == 2 and "Første Person" in second.stderr


def test_demo_fills_a_living_clinic(db: str) -> None:
    result = run("--db", db, "demo", "--patients", "60", "--seed", "5")
    assert result.returncode == 0, result.stderr
    listed = json.loads(run("--db", db, "patients", "list", "--limit", "100", "--json").stdout)
    assert len(listed) == 60
    for row in listed:
        cpr = parse_cpr(row["cpr"])
        assert (cpr.birth_date.isoformat(), cpr.sex) == (row["birth_date"], row["sex"])
    shown = json.loads(run("--db", db, "patients", "show", str(listed[0]["id"]), "--json").stdout)
    assert shown["responses"] and all(r["status"] == "complete" for r in shown["responses"])
    assert all(r["score"]["form"] == r["form"] for r in shown["responses"])


def test_db_check_backup_restore(db: str, tmp_path: Path) -> None:
    run("--db", db, "patients", "add", "--given", "Gemt", "--family", "Før", "--no-cpr")
    assert run("--db", db, "db", "check").stdout.startswith("ok:")
    copy = tmp_path / "copy.sqlite"
    assert run("--db", db, "db", "backup", "--to", str(copy)).returncode == 0
    run("--db", db, "patients", "add", "--given", "Tilføjet", "--family", "Efter", "--no-cpr")
    restored = run("--db", db, "db", "restore", str(copy))
    assert restored.returncode == 0 and "kept as" in restored.stdout
    names = [p["given_name"] for p in json.loads(run("--db", db, "patients", "list", "--json").stdout)]
    assert names == ["Gemt"]


def test_damaged_database_gives_a_clear_message_and_stays(db: str) -> None:
    Path(db).write_bytes(b"this is not a database")
    for arguments in (["patients", "list"], ["db", "check"]):
        result = run("--db", db, *arguments)
        assert result.returncode == 1
        assert "damaged" in result.stderr and "Traceback" not in result.stderr
    assert Path(db).read_bytes() == b"this is not a database"


def test_db_upgrade_old_schema(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "schema-0001.sqlite", old)
    result = run("--db", str(old), "db", "upgrade")
    assert result.returncode == 0 and f"0001 -> {HEAD}" in result.stdout and "backup:" in result.stdout
    assert "current" in run("--db", str(old), "db", "check").stdout


def test_cpr_masked_in_lists_when_settings_ask(db: str) -> None:
    run("--db", db, "patients", "add", "--given", "Maske", "--family", "Test", "--cpr", "070761-4285")
    assert json.loads(run("--db", db, "patients", "list", "--json").stdout)[0]["cpr"] == "070761-4285"
    assert run("--db", db, "settings", "set", "mask_cpr_in_lists", "true").returncode == 0
    assert json.loads(run("--db", db, "patients", "list", "--json").stdout)[0]["cpr"] == "070761-xxxx"
    assert "070761-xxxx" in run("--db", db, "patients", "search", "maske").stdout
    assert run("--db", db, "settings", "set", "colour", "red").returncode == 2


def test_non_utf8_argument_is_refused_clearly(db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", "--lang", "en", "--db", db, "patients", "add",
         "--given", b"Bj\xf8rn", "--family", "Latin1", "--no-cpr"],
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert b"not valid UTF-8" in result.stderr
    assert json.loads(run("--db", db, "patients", "list", "--json").stdout) == []


def test_the_clinics_phone_is_set_and_checked_from_the_command_line(db: str) -> None:
    assert run("--db", db, "settings", "set", "clinic_phone", "+45 86 15  22 33").returncode == 0
    assert json.loads(run("--db", db, "settings", "show", "--json").stdout)["clinic_phone"] == "+45 86 15 22 33"
    refused = run("--db", db, "settings", "set", "clinic_phone", "ring til Jens")
    assert refused.returncode == 2 and "phone" in refused.stderr
    assert json.loads(run("--db", db, "settings", "show", "--json").stdout)["clinic_phone"] == "+45 86 15 22 33"
