"""The published JSON Schema of each rules file, generated from its model (``packaging/rules_schemas.py`` writes
them beside the bundled files; a test checks that they are current)."""

from __future__ import annotations

import json

from smerteagent.core.rules.library import RULE_FILES, RuleFile


def schema_text(rule: RuleFile) -> str:
    return json.dumps(rule.model.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def published() -> dict[str, str]:
    """Each schema file (relative to the resources folder) with the text it must hold."""
    return {rule.schema_file: schema_text(rule) for rule in RULE_FILES.values()}
