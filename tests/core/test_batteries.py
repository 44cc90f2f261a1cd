"""Batteries: base instruments in order, follow-ups added where the answers call for them."""

from __future__ import annotations

from pathlib import Path

import yaml

from smerteagent.core.batteries import plan_battery
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir


def ids(library: FormLibrary, battery: str, finished: dict, context: dict | None = None) -> list[str]:
    planned = plan_battery(library.batteries[battery], finished, context or {})
    return [p.form_id for p in planned]


def test_gp_battery_without_findings(library: FormLibrary) -> None:
    assert ids(library, "gp_first_back", {}) == ["startback", "peg", "psfs", "phq4"]


def test_positive_phq4_adds_phq9_then_item9_adds_cssrs(library: FormLibrary) -> None:
    phq4 = library.get("phq4").score({"q1": 0, "q2": 0, "q3": 2, "q4": 2})
    finished = {"phq4": phq4}
    assert ids(library, "gp_first_back", finished) == ["startback", "peg", "psfs", "phq4", "phq9"]
    phq9 = library.get("phq9").score({**{f"q{i}": 1 for i in range(1, 9)}, "q9": 1})
    finished["phq9"] = phq9
    planned = plan_battery(library.batteries["gp_first_back"], finished, {})
    assert [p.form_id for p in planned][-2:] == ["phq9", "cssrs_screener"]
    assert planned[-1].reason is not None and "PHQ-9" in planned[-1].reason.da


def test_anxiety_adds_gad7_right_after_phq4(library: FormLibrary) -> None:
    phq4 = library.get("phq4").score({"q1": 2, "q2": 2, "q3": 0, "q4": 0})
    assert ids(library, "follow_up", {"phq4": phq4}) == ["peg", "psfs", "phq4", "gad7"]


def test_unanswered_item9_also_adds_cssrs(library: FormLibrary) -> None:
    phq9 = library.get("phq9").score({f"q{i}": 0 for i in range(1, 9)})
    assert "cssrs_screener" in ids(library, "pain_clinic_intake", {"phq9": phq9})


def test_medication_context_adds_abuse_instruments(library: FormLibrary) -> None:
    assert ids(library, "gp_first_back", {}, {"on_opioids": True})[-2:] == ["ort", "cage_aid"]
    assert ids(library, "gp_first_back", {}, {"on_benzodiazepines": True})[-2:] == ["ort", "cage_aid"]
    assert "ort" not in ids(library, "gp_first_back", {}, {"on_opioids": False})


def test_the_drug_on_the_plan_adds_the_abuse_instruments_by_its_catalogue_class(library: FormLibrary) -> None:
    """Issue 12: Ketogan (ketobemidone, ATC N02AG02) is an opioid by the catalogue, so ORT and CAGE-AID follow."""
    from smerteagent.core.careplan.medication import battery_context, bundled_catalogue

    keys = battery_context(["Ketogan 60 mg"], bundled_catalogue())
    assert ids(library, "gp_first_back", {}, dict.fromkeys(keys, True))[-2:] == ["ort", "cage_aid"]
    sedative = battery_context(["Imozop 7,5 mg"], bundled_catalogue())
    assert ids(library, "gp_first_back", {}, dict.fromkeys(sedative, True))[-2:] == ["ort", "cage_aid"]
    assert battery_context(["Panodil 500 mg", "Zyxomol"], bundled_catalogue()) == set()


def test_high_startback_adds_psychosocial_screens(library: FormLibrary) -> None:
    answers = {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 4}
    startback = library.get("startback").score(answers)
    assert ids(library, "physio_first_visit", {"startback": startback})[:3] == ["startback", "pcs", "phq4"]


def test_battery_naming_an_unknown_flag_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "batteries"
    folder.mkdir()
    battery = yaml.safe_load((bundled_forms_dir() / "batteries" / "follow_up.yaml").read_text(encoding="utf-8"))
    battery["id"] = "broken"
    battery["follow_ups"][0]["when"] = "flag(depresion_positive)"
    (folder / "broken.yaml").write_text(yaml.safe_dump(battery, allow_unicode=True), encoding="utf-8")
    library = FormLibrary.load([bundled_forms_dir(), tmp_path])
    assert "broken" not in library.batteries
    [error] = library.errors
    assert error.field_path == "follow_ups[0].when"
    assert "depresion_positive" in error.problem
