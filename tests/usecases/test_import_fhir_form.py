"""The FHIR form import's safety rules live in the use-case layer (issue 18), whichever face imports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.usecases.import_fhir_form import BundledForm, CriticalFlagsLost, FormExists, check_import

PLAIN = {"id": "mood", "items": [], "scoring": {"flags": []}}


def library(folder: Path) -> FormLibrary:
    return FormLibrary.load([bundled_forms_dir(), folder])


def test_a_bundled_instrument_is_never_replaced(tmp_path: Path) -> None:
    with pytest.raises(BundledForm):
        check_import("phq9", PLAIN, tmp_path / "phq9.yaml", library(tmp_path), replace=True)


def test_an_existing_form_is_kept_unless_replacing_is_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "mood.yaml"
    out.write_text("not a form", encoding="utf-8")
    with pytest.raises(FormExists):
        check_import("mood", PLAIN, out, library(tmp_path), replace=False)
    check_import("mood", PLAIN, out, library(tmp_path), replace=True)  # a broken file guards no flag


def test_replacing_never_removes_a_critical_flag(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    shutil.copy(bundled_forms_dir() / "phq9.yaml", out)
    text = out.read_text(encoding="utf-8").replace("id: phq9", "id: mine", 1)
    out.write_text(text, encoding="utf-8")
    forms = library(tmp_path)
    assert "mine" in forms.forms, forms.errors
    with pytest.raises(CriticalFlagsLost) as refused:
        check_import("mine", PLAIN, out, forms, replace=True)
    assert refused.value.flags and refused.value.where == out
