"""Storage commands that cannot do what was asked: one line, the right exit code, nothing created or leaked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.cli.common import database_label, hide_passwords
from smerteagent.cli.main import main


def run(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", "--lang", "en", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "klinik.sqlite")


@pytest.mark.parametrize("action", [["check"], ["backup"], ["backups"]])
def test_db_commands_create_nothing_where_there_is_no_database(tmp_path: Path, action: list[str]) -> None:
    missing = tmp_path / "nowhere" / "dir" / "x.sqlite"
    message = one_line(run("--db", str(missing), "db", *action), 1)
    assert f"no database file at {missing}" in message
    assert not (tmp_path / "nowhere").exists()


def test_restore_makes_a_new_database_from_a_backup(db: str, tmp_path: Path) -> None:
    run("--db", db, "patients", "add", "--given", "Flyttet", "--family", "Med", "--no-cpr")
    copy = tmp_path / "copy.sqlite"
    assert run("--db", db, "db", "backup", "--to", str(copy)).returncode == 0
    new = tmp_path / "new machine" / "klinik.sqlite"
    assert run("--db", str(new), "db", "restore", str(copy)).returncode == 0
    assert [p["given_name"] for p in json.loads(run("--db", str(new), "patients", "list", "--json").stdout)] == [
        "Flyttet"
    ]


@pytest.mark.parametrize("content", [b"this is not a database", b""])
def test_damaged_backup_is_named_and_the_database_is_untouched(db: str, tmp_path: Path, content: bytes) -> None:
    run("--db", db, "patients", "add", "--given", "Bliver", "--family", "Her", "--no-cpr")
    before = Path(db).read_bytes()
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(content)
    message = one_line(run("--db", db, "db", "restore", str(broken)), 1)
    assert f"backup {broken} is damaged" in message and "not changed" in message
    assert Path(db).read_bytes() == before


def test_restore_of_a_missing_backup_names_it(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "db", "restore", str(tmp_path / "nosuch.sqlite")]) == 2
    assert "nosuch.sqlite" in capsys.readouterr().err
    assert not Path(db).exists()


@pytest.mark.parametrize("url", ["mysql://x", "foo://"])
@pytest.mark.parametrize("command", [["patients", "list"], ["db", "check"], ["db", "backups"], ["settings", "show"]])
def test_unsupported_database_address_is_one_line(url: str, command: list[str]) -> None:
    assert url in one_line(run("--db", url, *command), 1)


def test_database_password_is_never_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "mysql://klinik:s3cr@t@server/smerte", "patients", "list"]) == 1
    err = capsys.readouterr().err
    assert "s3cr" not in err and "mysql://klinik:***@server/smerte" in err
    result = run("db", "check", env={"SMERTEAGENT_DB_URL": "foo://klinik:hemmelig@server/x"})
    assert "hemmelig" not in one_line(result, 1) and "foo://klinik:***@server/x" in result.stderr


def test_without_db_the_message_names_the_database_in_use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert database_label(None).endswith("smerteagent.sqlite")
    monkeypatch.setenv("SMERTEAGENT_DB_URL", str(tmp_path / "fra-miljø.sqlite"))
    assert database_label(None) == str(tmp_path / "fra-miljø.sqlite")
    assert hide_passwords("postgresql+psycopg://u:p@ss/w:rd@h:5432/db and x://y") == (
        "postgresql+psycopg://u:***@h:5432/db and x://y"
    )
    assert (
        hide_passwords("postgresql+psycopg://u@h/db sqlite:////a:b@c") == "postgresql+psycopg://u@h/db sqlite:////a:b@c"
    )


@pytest.mark.parametrize("count", ["0", "-5"])
def test_demo_needs_at_least_one_patient(db: str, count: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "demo", "--patients", count]) == 2
    assert "--patients" in capsys.readouterr().err
    assert not Path(db).exists()


def test_demo_refuses_a_database_with_patients_unless_forced(db: str) -> None:
    run("--db", db, "patients", "add", "--given", "Rigtig", "--family", "Patient", "--cpr", "070761-4285")
    message = one_line(run("--db", db, "demo", "--patients", "3"), 2)
    assert "not empty" in message and "--force" in message and "--db" in message
    assert len(json.loads(run("--db", db, "patients", "list", "--json").stdout)) == 1
    assert run("--db", db, "demo", "--patients", "3", "--force").returncode == 0
    assert len(json.loads(run("--db", db, "patients", "list", "--json").stdout)) == 4


def test_default_battery_must_be_a_known_battery(db: str) -> None:
    message = one_line(run("--db", db, "settings", "set", "default_battery", "no_such_battery"), 2)
    assert "no_such_battery" in message and "gp_first_back" in message
    assert run("--db", db, "settings", "set", "default_battery", "follow_up").returncode == 0
    assert json.loads(run("--db", db, "settings", "show", "--json").stdout)["default_battery"] == "follow_up"
