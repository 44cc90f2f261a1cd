"""Rules as data: every rules file has a current published schema, a clinic's copy in its rules folder replaces
the bundled file, and a broken copy is named (file and field) while the bundled file stays in use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smerteagent.core.careplan import completeness
from smerteagent.core.careplan.medication import bundled_catalogue
from smerteagent.core.careplan.suggestions import bundled_recommendations
from smerteagent.core.quality.rules import bundled_rules
from smerteagent.core.rules.library import RULE_FILES, forget_loaded_rules, rules_library
from smerteagent.core.rules.schemas import published
from smerteagent.paths import bundled_resources_dir, rules_folders


@pytest.fixture(autouse=True)
def fresh_rules() -> Iterator[None]:
    forget_loaded_rules()
    yield
    forget_loaded_rules()


def clinic_copy(name: str, old: str, new: str) -> Path:
    """The bundled file with one change, as the clinic's copy in its rules folder."""
    text = (bundled_resources_dir() / RULE_FILES[name].bundled).read_text("utf-8")
    assert old in text, old
    folder = rules_folders()[0]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.replace(old, new, 1), "utf-8")
    return folder / name


def contacts() -> str:
    return str(rules_library().documents["safety_contacts.yaml"]["contacts"])


def checklist_ids() -> list[str]:
    return [c.id for c in completeness.checklist().checkpoints]


def offers() -> list[str]:
    return [s.text for s in bundled_recommendations().suggest([], None, "da") if s.kind == "offer"]


# (file, text in the bundled file, the clinic's text, what the app then reads)
OVERRIDES: list[tuple[str, str, str, Callable[[], object]]] = [
    ("medication.yaml", "{name: Contalgin,", "{name: Klinikmorfin,",
     lambda: bundled_catalogue().classify("Klinikmorfin 10 mg").substance),
    ("thresholds.yaml", "high_daily_mme: {value: 90", "high_daily_mme: {value: 80",
     lambda: bundled_catalogue().thresholds["high_daily_mme"]),
    ("recommendations.yaml", "Kommunale tilbud om sygdomsmestring og fysisk træning", "Klinikkens eget smertehold",
     lambda: "Klinikkens eget smertehold" in offers()),
    ("safety_contacts.yaml", 'number: ""\n    da: Regionens', 'number: "70 11 31 31"\n    da: Regionens',
     lambda: "70 11 31 31" in contacts()),
    ("checklist.yaml", "  - id: consent\n", "", lambda: "consent" not in checklist_ids()),
    ("checkpoints.yaml", "period_months: 12", "period_months: 6", lambda: bundled_rules().period_months),
]  # fmt: skip
EXPECTED = {"medication.yaml": "morphine", "thresholds.yaml": 80.0, "checkpoints.yaml": 6}


def test_every_rules_file_has_a_current_published_schema() -> None:
    for name, text in published().items():
        assert (bundled_resources_dir() / name).read_text("utf-8") == text, f"run packaging/rules_schemas.py ({name})"


def test_the_bundled_rules_load_without_errors() -> None:
    library = rules_library()
    assert set(library.models) == set(RULE_FILES)
    assert library.errors == [] and library.overridden() == {}


@pytest.mark.parametrize(("name", "old", "new", "read"), OVERRIDES, ids=[o[0] for o in OVERRIDES])
def test_a_clinic_copy_of_each_rules_file_takes_effect(
    name: str, old: str, new: str, read: Callable[[], object]
) -> None:
    before = read()
    copy = clinic_copy(name, old, new)
    forget_loaded_rules()
    assert read() != before
    assert read() == EXPECTED.get(name, True)
    assert rules_library().overridden() == {name: copy} and rules_library().errors == []


# (file, text in the bundled file, the broken text, the field the error names)
BROKEN = [
    ("medication.yaml", "class: opioid", "class: opiod", "drugs.N02AA01.class"),
    ("medication.yaml", "suicide_risk_with_addictive_drugs: {severity: critical",
     "suicide_risk_with_addictive_drugs: {severity: notice", "warnings"),
    ("thresholds.yaml", "high_daily_mme: {value: 90", "high_daily_mme: {value: -90", "thresholds.high_daily_mme.value"),
    ("recommendations.yaml", "strength: strong_for", "strength: strongly", "suggestions[0].strength"),
    ("safety_contacts.yaml", 'number: "112"', 'number: ""', "contacts"),
    ("checklist.yaml", "  - id: suicide_risk\n", "  - id: suicide_risks\n", "checkpoints[1].id"),
    ("checklist.yaml", "  - id: suicide_risk\n    forms: [cssrs_screener, asq]\n", "", "checkpoints"),
    ("checkpoints.yaml", "number: 9", "number: 99", "checkpoints[0].number"),
    ("checkpoints.yaml", "period_months: 12", "period_months: [12", "line"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "field"), BROKEN, ids=[f"{b[0]}-{b[3]}" for b in BROKEN])
def test_a_broken_clinic_copy_is_named_and_the_bundled_file_used(name: str, old: str, new: str, field: str) -> None:
    bundled = rules_library().models[name]
    copy = clinic_copy(name, old, new)
    forget_loaded_rules()
    library = rules_library()
    assert [(e.file, e.field_path.split(" ")[0]) for e in library.errors] == [(str(copy), field)]
    assert str(copy) in str(library.errors[0]) and "\n" not in str(library.errors[0])
    assert library.models[name] == bundled and library.overridden() == {}


def test_the_suicide_checkpoint_counts_the_clinics_forms() -> None:
    from smerteagent.core.careplan.completeness import PlanFacts, check
    from smerteagent.core.scoring.result import ScoreResult

    clinic_copy("checklist.yaml", "forms: [cssrs_screener, asq]", "forms: [cssrs_screener, asq, own_suicide_form]")
    forget_loaded_rules()
    facts = PlanFacts({"own_suicide_form": ScoreResult("own_suicide_form", "1", {}, None, (), ())})
    done = {c.id: c.done for c in check(facts, bundled_catalogue())}
    assert done["suicide_risk"] is True


def test_an_unknown_file_in_the_rules_folder_is_named() -> None:
    folder = rules_folders()[0]
    folder.mkdir(parents=True)
    (folder / "medicin.yaml").write_text("drugs: {}\n", "utf-8")
    errors = rules_library().errors
    assert (
        len(errors) == 1 and errors[0].file == str(folder / "medicin.yaml") and "medication.yaml" in errors[0].problem
    )


def test_a_later_folder_overrides_an_earlier_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clinic_copy("checkpoints.yaml", "period_months: 12", "period_months: 6")
    monkeypatch.setenv("SMERTEAGENT_FORMS_DIR", str(tmp_path))
    (tmp_path / "rules").mkdir()
    text = (bundled_resources_dir() / "quality" / "checkpoints.yaml").read_text("utf-8")
    (tmp_path / "rules" / "checkpoints.yaml").write_text(text.replace("period_months: 12", "period_months: 3"), "utf-8")
    forget_loaded_rules()
    assert bundled_rules().period_months == 3
