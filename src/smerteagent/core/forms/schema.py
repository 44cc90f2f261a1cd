"""The published JSON Schemas of form and battery files, generated from the typed models."""

from __future__ import annotations

import json

from smerteagent.core.forms.model import Battery, Form

FORM_SCHEMA_FILE = "form.schema.json"
BATTERY_SCHEMA_FILE = "battery.schema.json"


def _dump(schema: dict[str, object], title: str) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": title}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def form_schema() -> str:
    return _dump(Form.model_json_schema(), "SmerteAgent form")


def battery_schema() -> str:
    return _dump(Battery.model_json_schema(), "SmerteAgent battery")
