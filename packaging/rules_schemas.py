"""Write the JSON Schema of every rules file beside it in resources/ (run after changing core/rules/models.py or
core/quality/rules.py; tests/core/test_rules_files.py fails while one is out of date)."""

from __future__ import annotations

from pathlib import Path

from smerteagent.core.rules.schemas import published

RESOURCES = Path(__file__).resolve().parents[1] / "resources"

if __name__ == "__main__":
    for name, text in published().items():
        (RESOURCES / name).write_text(text, encoding="utf-8")
        print(f"wrote resources/{name}")
