"""Every bundled form is complete: both languages everywhere, a source, a licence, a current schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.forms.model import Text
from smerteagent.core.forms.schema import battery_schema, form_schema
from smerteagent.paths import bundled_forms_dir

PRODUCT_INSTRUMENTS = {
    "startback", "peg", "psfs", "odi", "rmdq", "phq9", "gad7", "phq4", "phq2", "gad2", "cssrs_screener",
    "asq", "ort", "ort_oud", "cage_aid", "auditc", "audit", "dast10", "pcs", "was", "ompsq_sf",
}  # fmt: skip
REQUIRED_BATTERIES = {"gp_first_back", "physio_first_visit", "pain_clinic_intake", "follow_up"}


def texts(form_id: str, library: FormLibrary) -> list[tuple[str, Text]]:
    form = library.get(form_id)
    found: list[tuple[str, Text]] = [("title", form.definition.title)]
    for item in form.definition.items:
        found.append((f"{item.id}.text", item.text))
        for option in form.options.get(item.id, ()):
            found.append((f"{item.id}.option {option.value}", Text(da=option.da, en=option.en)))
    for band in form.definition.scoring.bands:
        found.append((f"band {band.id}", band.label))
    for flag in form.definition.scoring.flags:
        found.append((f"flag {flag.id}", flag.message))
    return found


def test_all_product_instruments_are_bundled(library: FormLibrary) -> None:
    assert set(library.forms) == PRODUCT_INSTRUMENTS
    assert set(library.batteries) >= REQUIRED_BATTERIES


@pytest.mark.parametrize("form_id", sorted(PRODUCT_INSTRUMENTS))
def test_every_item_and_option_has_danish_and_english(library: FormLibrary, form_id: str) -> None:
    for where, text in texts(form_id, library):
        assert text.da.strip() and text.en.strip(), f"{form_id} {where}"


@pytest.mark.parametrize("form_id", sorted(PRODUCT_INSTRUMENTS))
def test_source_and_licence_are_stated(library: FormLibrary, form_id: str) -> None:
    definition = library.get(form_id).definition
    assert len(definition.source) > 40, "the source must cite the publication"
    assert definition.licence.terms.strip()
    if definition.licence.wording == "own_labels" or definition.licence.danish == "unofficial_translation":
        assert definition.licence.danish in ("own_labels", "unofficial_translation")


def test_danish_letters_survive_loading(library: FormLibrary) -> None:
    danish = " ".join(t.da for form_id in library.forms for _, t in texts(form_id, library))
    assert {"æ", "ø", "å"} <= set(danish)


@pytest.mark.parametrize(
    ("file", "generate"),
    [("form.schema.json", form_schema), ("batteries/battery.schema.json", battery_schema)],
)
def test_published_schema_is_current(file: str, generate: object) -> None:
    path: Path = bundled_forms_dir() / file
    assert callable(generate)
    assert path.read_text(encoding="utf-8") == generate(), "run: smerteagent forms schema > forms/form.schema.json"
    assert json.loads(path.read_text(encoding="utf-8"))["title"].startswith("SmerteAgent")


def test_form_file_names_match_their_ids(library: FormLibrary) -> None:
    for form_id, origin in library.origins.items():
        assert origin.stem == form_id
