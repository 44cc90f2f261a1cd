"""How tests/data/schema-0001.sqlite was made (run once, at schema 0001; the file is kept as released).

.venv/bin/python tests/data/make_schema_0001.py
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from smerteagent.storage.database import Database
from smerteagent.storage.migrate import upgrade

TARGET = Path(__file__).with_name("schema-0001.sqlite")
NOW = "2026-11-23 10:00:00.000000"


def main(revision: str = "0001", target: Path = TARGET) -> None:
    target.unlink(missing_ok=True)
    database = Database.connect(f"sqlite:///{target}")
    upgrade(database, revision)
    database.dispose()
    connection = sqlite3.connect(target)
    with connection:
        people = [
            ("0101804321", "Åse", "Søndergård", "1980-01-01", "female", " aase soendergaard 0101804321 "),
            ("1203551235", "Bjørn", "Ærenlund", "1955-03-12", "male", " bjoern aerenlund 1203551235 "),
            (None, "Anonym", "Patient", None, None, " anonym patient  "),
        ]
        for cpr, given, family, born, sex, key in people:
            connection.execute(
                "INSERT INTO patients (cpr, given_name, family_name, birth_date, sex, no_cpr, search_text, given_key,"
                " family_key, created_at, updated_at, last_activity_at, version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (cpr, given, family, born, sex, cpr is None, key, key.split()[0], key.split()[1], NOW, NOW, NOW),
            )
        connection.execute(
            "INSERT INTO encounters (patient_id, started_at, clinician, setting, context)"
            " VALUES (1, ?, 'læge', 'gp', '{}')",
            (NOW,),
        )
        answers = {f"q{i}": 1 for i in range(1, 10)}
        connection.execute(
            "INSERT INTO responses (encounter_id, form_id, form_version, status, answers, sex, results, band, flags,"
            " flag_severity, missing, created_at, updated_at, completed_at, version)"
            " VALUES (1, 'phq9', '1.0', 'complete', ?, 'female', ?, 'mild', ?, ?, '[]', ?, ?, ?, 1)",
            (json.dumps(answers), json.dumps({"total": 9}), json.dumps(["suicide_risk"]),
             json.dumps({"suicide_risk": "critical"}), NOW, NOW, NOW),
        )  # fmt: skip
        connection.execute(
            "INSERT INTO responses (encounter_id, form_id, form_version, status, answers, created_at, updated_at,"
            " version) VALUES (1, 'peg', '1.0', 'draft', ?, ?, ?, 1)",
            (json.dumps({"q1": 7}), NOW, NOW),
        )
        connection.execute(
            "INSERT INTO audit_events (at, actor, action, record_type, record_id, detail, previous_hash, hash)"
            " VALUES (?, 'læge', 'create', 'patient', '1', '{}', ?, ?)",
            (NOW, "0" * 64, "1" * 64),
        )
    connection.close()
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("VACUUM")
    connection.close()


if __name__ == "__main__":
    import sys

    chosen = sys.argv[1] if len(sys.argv) > 1 else "0001"
    main(chosen, Path(__file__).with_name(f"schema-{chosen}.sqlite"))
