"""Who reads what: clinician-administered forms and clinician texts never reach the patient's own screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from smerteagent.core.errors import FormError
from smerteagent.core.forms.loader import FormLibrary, load_form
from smerteagent.core.screening_flow import ScreeningFlow
from smerteagent.paths import bundled_forms_dir

CLINICIAN_ADMINISTERED = {"asq", "cssrs_screener", "ort", "ort_oud", "cage_aid", "dast10"}
# Results the patient's paper must not show: suicide, abuse, alcohol and psychiatric scores and band names.
CLINICIAN_RESULTS = CLINICIAN_ADMINISTERED | {"phq9", "phq4", "phq2", "gad7", "gad2", "auditc", "audit", "pcs"}


def test_the_clinician_administered_forms_are_never_for_the_patient(library: FormLibrary) -> None:
    for form_id, form in library.forms.items():
        assert form.definition.for_patient == (form_id not in CLINICIAN_ADMINISTERED), form_id
        if form_id in CLINICIAN_RESULTS:
            assert not any(form.definition.result_for_patient(r) for r in form.definition.scoring.results), form_id


def test_a_form_without_an_audience_is_treated_as_clinician_administered(tmp_path: Path) -> None:
    document = yaml.safe_load((bundled_forms_dir() / "peg.yaml").read_text(encoding="utf-8"))
    del document["audience"], document["results_audience"]
    (tmp_path / "peg.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    form = load_form(tmp_path / "peg.yaml").definition
    assert not form.for_patient and not form.result_for_patient(form.scoring.results[0])


def test_a_patient_item_in_a_clinician_form_is_refused(tmp_path: Path) -> None:
    document = yaml.safe_load((bundled_forms_dir() / "asq.yaml").read_text(encoding="utf-8"))
    document["items"][0]["audience"] = "patient"
    (tmp_path / "asq.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FormError, match=r"items\[0\]\.audience"):
        load_form(tmp_path / "asq.yaml")


def walk_patient_view(flow: ScreeningFlow, library: FormLibrary, value: int = 1) -> list[str]:
    """Answer every question the patient is shown (the same value where allowed); the forms shown, in order."""
    shown: list[str] = []
    while not flow.done:
        form, item = flow.form, flow.item
        assert flow.reader == "clinician" or form.definition.item_for_patient(item), (form.id, item.id)
        shown.append(form.id)
        options = form.options.get(item.id)
        answer: int | str = "Gå tur" if item.type == "text" else (item.min or 0) + value
        if options is not None:
            answer = value if value in [o.value for o in options] else options[0].value
        flow.set_answer(answer)
        following = flow.next_position()
        if following is not None:
            flow.position = following
        elif flow.leaves_to_clinician(form):
            flow.position = flow.first_open(start=flow.position.instrument)
        else:
            flow.finish_current(library.get(form.id).score(flow.form_answers(), "female"))
    return list(dict.fromkeys(shown))


@pytest.mark.parametrize("battery_id", ["gp_first_back", "physio_first_visit", "pain_clinic_intake", "follow_up"])
def test_self_completion_of_each_battery_offers_only_patient_forms(library: FormLibrary, battery_id: str) -> None:
    context = {"sex": "female", "on_opioids": True, "on_benzodiazepines": True}
    flow = ScreeningFlow.for_battery(library, battery_id, context)
    flow.read_by("patient")
    shown = walk_patient_view(flow, library)  # answers 1 everywhere: every follow-up rule fires
    assert flow.place()[1] == len(shown), "the patient counts only the questionnaires they are given"
    assert shown and not set(shown) & CLINICIAN_ADMINISTERED
    left = [p.form_id for p in flow.planned if p.form_id not in flow.finished]
    assert set(left) == {p.form_id for p in flow.planned} & CLINICIAN_ADMINISTERED
    flow.read_by("clinician")
    if left:
        assert not flow.done and flow.form.id in CLINICIAN_ADMINISTERED, "the desk asks what the patient was not"
        walk_patient_view(flow, library)
    assert flow.done


def test_a_clinician_item_of_a_patient_form_is_left_for_the_desk(tmp_path: Path) -> None:
    shutil.copytree(bundled_forms_dir(), tmp_path / "forms")
    path = tmp_path / "forms" / "peg.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["items"][1]["audience"] = "clinician"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    library = FormLibrary.load([tmp_path / "forms"])
    flow = ScreeningFlow.for_form(library, "peg")
    flow.read_by("patient")
    assert walk_patient_view(flow, library) == ["peg"]
    assert flow.done and "peg" not in flow.finished and set(flow.form_answers("peg")) == {"q1", "q3"}
    flow.read_by("clinician")
    assert not flow.done and flow.item.id == "q2"
