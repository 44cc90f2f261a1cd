"""Issue 18 item 2: one implementation per concept. Each concept has its one home, and the old copies are gone
from the rest of the package (a new copy makes these fail)."""

from __future__ import annotations

import re
from pathlib import Path

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.forms.titles import form_title
from smerteagent.paths import form_folders

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "smerteagent"


def sources_matching(pattern: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    compiled = re.compile(pattern)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in allowed:
            continue
        found += [f"{relative}:{n}" for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                  if compiled.search(line)]  # fmt: skip
    return found


def test_a_forms_title_is_chosen_in_one_place() -> None:
    forms = FormLibrary.load(form_folders()).forms
    assert form_title(forms["phq9"], "phq9", "da") == forms["phq9"].definition.short_title.get("da")  # type: ignore[union-attr]
    assert form_title(None, "removed_form", "da") == "removed_form"
    untitled = forms["gad7"].definition.model_copy(update={"short_title": None})
    assert untitled.display_title("en") == untitled.title.get("en") != forms["gad7"].definition.display_title("en")
    assert sources_matching(r"short_title or", allowed=("core/forms/model.py",)) == []


def test_the_settings_and_the_drug_context_keys_are_defined_once() -> None:
    from smerteagent.core.batteries import CONTEXT_NAMES
    from smerteagent.core.forms.model import Battery
    from smerteagent.core.vocabulary import CONTEXT_OF_CLASS, DRUG_CONTEXT_LABELS, DRUG_CONTEXTS, SETTINGS

    assert set(DRUG_CONTEXTS) <= CONTEXT_NAMES and set(CONTEXT_OF_CLASS.values()) == set(DRUG_CONTEXTS)
    assert list(DRUG_CONTEXT_LABELS) == list(DRUG_CONTEXTS)
    assert set(Battery.model_json_schema()["properties"]["setting"]["enum"]) == {*SETTINGS, "any"}
    assert (
        sources_matching(r"\"on_(opioids|benzodiazepines|z_drugs|gabapentinoids)\"", allowed=("core/vocabulary.py",))
        == []
    )
    # the demo's weighted mix of settings is data of the demo, not a definition of the settings
    assert (
        sources_matching(r"\"physiotherapy\"", allowed=("core/vocabulary.py", "core/demo.py", "storage/demo.py")) == []
    )


def test_the_cli_and_storage_accept_the_same_settings() -> None:
    from smerteagent.cli.main import build_parser
    from smerteagent.core.vocabulary import SETTINGS

    parser = build_parser()
    for setting in SETTINGS:
        assert (
            parser.parse_args(["screening", "start", "--patient", "1", "--form", "phq9", "--setting", setting]).setting
            == setting
        )
