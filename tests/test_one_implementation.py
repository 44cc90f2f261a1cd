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


def test_dates_and_decimals_follow_one_rule_on_screen_on_paper_and_in_the_note() -> None:
    from datetime import date, datetime

    from smerteagent.core.careplan.journal import _day as note_day
    from smerteagent.core.quality.outcomes import outcome_text
    from smerteagent.i18n import day, moment, number, speaking
    from smerteagent.reports.charts import _tick_label
    from smerteagent.reports.layout import amount
    from smerteagent.reports.layout import day as paper_day

    when = date(2026, 12, 3)
    for language, written, decimal in (("da", "03.12.2026", "1,5"), ("en", "2026-12-03", "1.5")):
        with speaking(language):
            assert day(when) == paper_day(when) == note_day(when) == _tick_label(float(when.toordinal())) == written
            assert moment(datetime(2026, 12, 3, 14, 5)) == f"{written} 14:05"
            assert number(1.5) == amount(1.5) == outcome_text("median_peg", 1.5) == decimal
    assert paper_day(None) == note_day(None) == "—" and day(None) == ""
    assert sources_matching(r"%d\.%m\.%Y", allowed=("i18n.py", "ui/careplan/entries.py")) == []
    assert sources_matching(r"replace\(\"\.\", \",\"\)", allowed=("i18n.py",)) == []


def test_the_editor_shows_dates_as_it_reads_them() -> None:
    from datetime import date

    from smerteagent.i18n import speaking
    from smerteagent.ui.careplan import entries

    for language in ("da", "en"):
        with speaking(language):
            assert entries.parse_date(entries.date_text(date(2026, 12, 3))) == date(2026, 12, 3)
