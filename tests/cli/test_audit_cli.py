"""``smerteagent audit verify`` and ``audit export``: exit codes, the named bad event, the exported period."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from smerteagent.cli.main import main
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import open_services


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "klinik.sqlite")
    for given in ("Åse", "Søren", "Ærling"):
        assert main(["--db", path, "patients", "add", "--given", given, "--family", "Ærø", "--no-cpr"]) == 0
    assert main(["--db", path, "patients", "show", "1"]) == 0
    return path


def test_verify_intact_prints_count_and_head(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "audit", "verify"]) == 0
    out = capsys.readouterr().out.splitlines()
    head = sqlite3.connect(db).execute("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
    assert out == ["4 events, chain intact", f"head: event {head[0]}, hash {head[1]}"]
    assert main(["--db", db, "audit", "verify", "--anchor", head[1]]) == 0


def test_verify_names_an_edited_event(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE audit_events SET actor = 'mallory' WHERE id = 2")
    capsys.readouterr()
    assert main(["--db", db, "audit", "verify"]) == 1
    error = capsys.readouterr().err
    assert "broken at event 2 at " in error and "was edited" in error and "1 events before it" in error


def test_verify_names_the_event_after_a_deleted_one(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM audit_events WHERE id = 2")
    capsys.readouterr()
    assert main(["--db", db, "audit", "verify"]) == 1
    error = capsys.readouterr().err
    assert "broken at event 3 at " in error and "deleted or inserted" in error


def test_verify_with_a_lost_anchor_fails(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    head = sqlite3.connect(db).execute("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()[0]
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM audit_events WHERE hash = ?", (head,))
    capsys.readouterr()
    assert main(["--db", db, "audit", "verify"]) == 0
    assert main(["--db", db, "audit", "verify", "--anchor", head]) == 1
    assert f"the anchor {head} is not in the chain" in capsys.readouterr().err


def test_export_csv_to_a_file_is_audited(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today().isoformat()
    out = tmp_path / "tilsyn.csv"
    assert main(["--db", db, "audit", "export", "--from", today, "--to", today, "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["id"], r["action"], r["record_type"]) for r in rows] == [
        ("1", "create", "patient"), ("2", "create", "patient"), ("3", "create", "patient"), ("4", "view", "patient"),
    ]  # fmt: skip
    assert rows[1]["previous_hash"] == rows[0]["hash"] and json.loads(rows[0]["detail"]) == {}
    capsys.readouterr()
    assert main(["--db", db, "audit", "export", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["chain"]["intact"] and document["chain"]["events"] == 5
    assert document["events"][-1]["action"] == "export" and document["events"][-1]["detail"]["to_file"] == str(out)


def test_export_of_an_empty_period(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", db, "audit", "export", "--from", "2001-01-01", "--to", "2001-12-31"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "id,at,actor,action,record_type,record_id,detail,previous_hash,hash"
    ]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--from", "2025-13-01"], "--from '2025-13-01': not a date"),
        (["--to", "i går"], "--to 'i går': not a date"),
        (["--from", "2025-02-01", "--to", "2025-01-01"], "--to 2025-01-01 is before --from 2025-02-01"),
    ],
)
def test_export_refuses_bad_dates(
    db: str, arguments: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--db", db, "audit", "export", *arguments]) == 2
    error = capsys.readouterr().err
    assert named in error and error.count("\n") == 1


def test_export_of_a_broken_chain_fails_unless_allowed(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE audit_events SET actor = 'mallory' WHERE id = 2")
    out = tmp_path / "tilsyn.csv"
    capsys.readouterr()
    assert main(["--db", db, "audit", "export", "--out", str(out)]) == 1
    assert "broken at event 2" in capsys.readouterr().err and not out.exists()
    assert main(["--db", db, "audit", "export", "--out", str(out), "--allow-broken"]) == 0
    first, *rest = out.read_text(encoding="utf-8").splitlines()
    assert first.startswith("# AUDIT TRAIL BROKEN at event 2 at ") and "was edited" in first
    assert [r["actor"] for r in csv.DictReader(rest)][1] == "mallory"
    capsys.readouterr()
    assert main(["--db", db, "audit", "export", "--format", "json", "--allow-broken"]) == 0
    chain = json.loads(capsys.readouterr().out)["chain"]
    assert chain["intact"] is False and chain["first_break"].startswith("event 2 at ")


def test_export_ends_today_unless_told(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(db) as connection:  # a clock set wrong once: an event dated in the future
        connection.execute("UPDATE audit_events SET at = '2999-01-01 12:00:00' WHERE id = 4")
    capsys.readouterr()
    assert main(["--db", db, "audit", "export", "--format", "json", "--allow-broken"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["to"] == date.today().isoformat() and [e["id"] for e in document["events"]] == [1, 2, 3]
    assert main(["--db", db, "audit", "export", "--format", "json", "--allow-broken", "--to", "2999-12-31"]) == 0
    assert 4 in [e["id"] for e in json.loads(capsys.readouterr().out)["events"]]


def test_typed_names_cannot_inject_formulas(tmp_path: Path) -> None:
    db, out = str(tmp_path / "klinik.sqlite"), tmp_path / "tilsyn.csv"
    # A user name is typed by a person (no spaces, anything else allowed): it reaches the audit export.
    services = open_services(db, FormLibrary.load([bundled_forms_dir()]), actor='=HYPERLINK("http://x";"klik")')
    services.patients.add(PatientInput("-Åse", "@Ærø", no_cpr=True))
    services.close()
    assert main(["--db", db, "audit", "export", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["actor"] == '\'=HYPERLINK("http://x";"klik")' and rows[0]["id"] == "1"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_create_key_seals_the_trail_and_verify_reports_a_forged_event(tmp_path: Path) -> None:
    import subprocess
    import sys
    from datetime import datetime

    from sqlalchemy import create_engine, insert, select

    from smerteagent.storage.audit import event_hash
    from smerteagent.storage.models import AuditEventRow

    db, key = str(tmp_path / "klinik.sqlite"), tmp_path / "usb" / "audit.key"

    def cli(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "smerteagent.cli.main", "--db", db, *arguments],
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    assert cli("patients", "add", "--given", "Åse", "--family", "Ærø", "--no-cpr").returncode == 0
    created = cli("audit", "create-key", "--out", str(key))
    assert created.returncode == 0, created.stderr
    assert key.is_file() and (key.stat().st_mode & 0o077) == 0
    assert cli("audit", "create-key", "--out", str(tmp_path / "second.key")).returncode == 1  # sealed already
    refused = cli("patients", "add", "--given", "Bo", "--family", "Bæk", "--no-cpr")  # no key: nothing saved
    assert refused.returncode != 0 and "audit key" in refused.stderr and refused.stderr.count("\n") == 1
    assert cli("--audit-key-file", str(key), "patients", "add", "--given", "Bo", "--family", "Bæk",
               "--no-cpr").returncode == 0  # fmt: skip
    verified = cli("audit", "verify", "--audit-key-file", str(key))
    assert verified.returncode == 0 and "all checked with the audit key" in verified.stdout
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        head = connection.execute(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)).scalar_one()
        at = datetime.now()
        connection.execute(insert(AuditEventRow).values(at=at, actor="mallory", action="view", record_type="patient",
                           record_id="1", detail={}, previous_hash=head, seal="00" * 32,
                           hash=event_hash(head, at, "mallory", "view", ("patient", "1"), {})))  # fmt: skip
    engine.dispose()
    assert cli("audit", "verify").returncode == 0  # without the key a made-up seal cannot be told
    broken = cli("audit", "verify", "--audit-key-file", str(key))
    assert broken.returncode == 1 and "seal does not match" in broken.stderr
