"""``smerteagent screening``: answering from the command line never overwrites another desk's answer."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_storage_cli import run


def test_a_second_answer_to_the_same_item_is_a_conflict(tmp_path: Path) -> None:
    db = str(tmp_path / "klinik.sqlite")
    added = run("--db", db, "patients", "add", "--given", "Søren", "--family", "Ærø", "--cpr", "070761-4285")
    assert added.returncode == 0, added.stderr
    started = run("--db", db, "screening", "start", "--patient", "070761-4285", "--form", "phq9", "--json")
    assert started.returncode == 0, started.stderr
    response = str(json.loads(started.stdout)["id"])
    first = run("--db", db, "screening", "answer", response, "q9", "1")  # desk A: q9 unanswered -> 1
    assert first.returncode == 0, first.stderr
    second = run("--db", db, "screening", "answer", response, "q9", "0")  # desk B also saw q9 unanswered
    assert second.returncode == 1
    assert second.stderr.count("\n") == 1 and "conflict" in second.stderr and "q9" in second.stderr
    assert "--seen 1" in second.stderr  # how to change it on purpose
    shown = json.loads(run("--db", db, "screening", "show", response, "--json").stdout)
    assert shown["answers"] == {"q9": 1}  # the first answer stands
    exported = json.loads(run("--db", db, "audit", "export", "--format", "json").stdout)
    answers = [e["detail"] for e in exported["events"] if e["action"] == "answer"]
    assert [(a["value"], a.get("saved", True)) for a in answers] == [(1, True), (0, False)]
    changed = run("--db", db, "screening", "answer", response, "q9", "0", "--seen", "1")  # on purpose
    assert changed.returncode == 0, changed.stderr
    assert json.loads(run("--db", db, "screening", "show", response, "--json").stdout)["answers"] == {"q9": 0}
