"""``smerteagent demo`` killed part-way: what it committed is audited, batch by batch, and the chain holds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select

from smerteagent.storage.models import AuditEventRow, PatientRow, ResponseRow
from tests.cli.test_storage_cli import run


def test_a_killed_demo_load_leaves_only_audited_rows(tmp_path: Path) -> None:
    db = str(tmp_path / "klinik.sqlite")
    command = [sys.executable, "-m", "smerteagent.cli.main", "--db", db, "demo", "--patients", "20000"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=os.environ.copy())
    assert process.stderr is not None
    seen = b""
    while b"patients" not in seen:  # the first batch is committed when its progress is printed
        character = process.stderr.read(1)
        assert character, "demo ended before its first batch"
        seen += character
    process.kill()
    process.wait(timeout=60)
    process.stderr.close()
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        patients = connection.scalar(select(func.count()).select_from(PatientRow))
        responses = connection.scalar(select(func.count()).select_from(ResponseRow))
        batches = select(AuditEventRow.detail).where(AuditEventRow.record_type == "demo")
        demo = connection.execute(batches).scalars().all()
    engine.dispose()
    assert 0 < patients < 20000
    assert (sum(d["patients"] for d in demo), sum(d["responses"] for d in demo)) == (patients, responses)
    verified = run("--db", db, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
