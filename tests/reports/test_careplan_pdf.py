"""The printed plan: whose it is on every page, goals and tapering rows, the safety plan only when there is one,
Danish letters intact, and every font embedded (no stray Helvetica)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from smerteagent import __version__, i18n
from smerteagent.core.careplan.medication import Catalogue
from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.careplan.tapering import TaperStep
from smerteagent.core.history import InstrumentHistory
from smerteagent.core.patients import Patient
from smerteagent.core.settings import Settings
from smerteagent.reports import render_patient_plan
from tests.reports.conftest import CPR, NAME, TODAY


@pytest.fixture
def render(
    patient: Patient,
    settings: Settings,
    catalogue: Catalogue,
    histories: list[InstrumentHistory],
    safety_contacts: list[dict[str, Any]],
) -> Any:
    def rendered(plan: CarePlan, language: str = "da", **changes: Any) -> bytes:
        options: dict[str, Any] = {
            "settings": settings,
            "catalogue": catalogue,
            "histories": histories,
            "safety_contacts": safety_contacts,
        }
        options.update(changes)
        return render_patient_plan(plan, patient, language=language, today=TODAY, **options)

    return rendered


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with line breaks and runs of spaces made single spaces (wrapping is layout's business)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_names_the_patient_and_counts_pages(render: Any, plan_with_safety: CarePlan) -> None:
    texts = page_texts(render(plan_with_safety))
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert NAME in text and f"CPR {CPR}" in text, number
        assert f"Side {number} af {len(texts)}" in text
        assert "Printet 02.03.2026" in text


def test_english_plan_counts_pages_in_english(render: Any, plan: CarePlan) -> None:
    texts = page_texts(render(plan, "en"))
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text and NAME in text and CPR in text
    assert "Your goals" in texts[0]


def test_goals_and_every_tapering_row_are_printed(render: Any, plan: CarePlan) -> None:
    text = " ".join(page_texts(render(plan)))
    assert "Gå tur med hunden på 30 min" in text and "Cykle til købmanden" in text
    assert "Dine mål" in text
    tapering = plan.medications[0].tapering
    assert tapering is not None
    steps = tapering.schedule()
    assert len(steps) == 11
    for step in steps[:-1]:
        dose = f"{step.daily_dose:g}"
        assert re.search(rf"{step.starts_on:%d.%m.%Y}\s+{dose} mg pr\. døgn", text), step
    assert re.search(rf"{steps[-1].starts_on:%d.%m.%Y}\s+Stop", text)


def test_an_edited_schedule_and_goal_attainment_are_printed(render: Any, plan: CarePlan) -> None:
    tapering = plan.medications[0].tapering
    assert tapering is not None
    start = tapering.starts_on
    held = (TaperStep(start, 20), TaperStep(start + timedelta(days=21), 15), TaperStep(start + timedelta(days=28), 0))
    medication = replace(plan.medications[0], tapering=replace(tapering, steps=held))
    goal = replace(plan.goals[0], attainment=-1)
    text = " ".join(page_texts(render(replace(plan, medications=(medication, *plan.medications[1:]),
                                              goals=(goal, *plan.goals[1:])))))  # fmt: skip
    assert re.search(rf"{start + timedelta(days=21):%d.%m.%Y}\s+15 mg pr\. døgn", text)
    assert re.search(rf"{start + timedelta(days=28):%d.%m.%Y}\s+Stop", text)
    assert "Hvert trin varer" not in text, "edited steps need not be equally long"
    assert "Ved opfølgning: lidt dårligere end forventet" in " ".join(text.split())


def test_safety_plan_box_only_when_the_plan_has_one(render: Any, plan: CarePlan, plan_with_safety: CarePlan) -> None:
    without = " ".join(page_texts(render(plan)))
    with_plan = " ".join(page_texts(render(plan_with_safety)))
    assert "Min sikkerhedsplan" not in without and "70 201 201" not in without
    assert "Min sikkerhedsplan" in with_plan
    assert "Jeg isolerer mig og sover dårligt" in with_plan and "Søster Åse" in with_plan
    assert "70 201 201" in with_plan and "112" in with_plan


def test_danish_letters_survive(render: Any, plan_with_safety: CarePlan) -> None:
    text = " ".join(page_texts(render(plan_with_safety)))
    for phrase in ("Søren Ærø", "Smerteklinikken Århus", "Nørrebrogade", "Være der for børnebørnene", "Gåtur"):
        assert phrase in text
    assert "Hvad der betyder noget for dig" in text


def _fonts(resources: DictionaryObject) -> list[DictionaryObject]:
    """Every font a page (or a form inside it) can use."""
    found = [font.get_object() for font in resources.get("/Font", {}).values()]
    for xobject in resources.get("/XObject", {}).values():
        inner = xobject.get_object().get("/Resources")
        found += _fonts(inner.get_object()) if inner is not None else []
    return found


def test_every_font_is_embedded_and_none_is_helvetica(render: Any, plan_with_safety: CarePlan) -> None:
    pdf = render(plan_with_safety)
    assert b"Helvetica" not in pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = _fonts(page["/Resources"].get_object())
        assert fonts
        for font in fonts:
            described = [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]
            descriptors = [d["/FontDescriptor"].get_object() for d in described if "/FontDescriptor" in d]
            assert "DejaVuSans" in font["/BaseFont"], font["/BaseFont"]
            assert any("/FontFile2" in descriptor for descriptor in descriptors), font["/BaseFont"]


def test_without_histories_or_values_the_plan_still_prints(render: Any, plan: CarePlan) -> None:
    from dataclasses import replace

    bare = replace(plan, values=(), goals=(), actions=(), treatments=(), medications=(), follow_up_on=None)
    text = " ".join(page_texts(render(bare, histories=[])))
    assert "Ingen værdier valgt endnu." in text and "Dine resultater over tid" not in text


def test_logo_is_drawn_and_a_broken_one_skipped(render: Any, plan: CarePlan, settings: Settings, tmp_path: Any) -> None:
    from dataclasses import replace

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), "#1a5fb4").save(logo)
    with_logo = render(plan, settings=replace(settings, logo_path=str(logo)))
    page = PdfReader(io.BytesIO(with_logo)).pages[0]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in page["/Resources"]["/XObject"].values())
    broken = tmp_path / "broken.png"
    broken.write_text("not an image", encoding="utf-8")
    assert page_texts(render(plan, settings=replace(settings, logo_path=str(broken))))[0]


def test_rendering_puts_the_program_language_back(render: Any, plan: CarePlan) -> None:
    i18n.set_language("en")
    try:
        render(plan, "da")
        assert i18n.language() == "en" and i18n._("Settings") == "Settings"
    finally:
        i18n.set_language("da")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_page_renders_to_a_picture(render: Any, plan_with_safety: CarePlan, tmp_path: Any) -> None:
    source = tmp_path / "plan.pdf"
    source.write_bytes(render(plan_with_safety))
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as picture:
        grey = picture.convert("L")
        assert grey.size[0] > 300 and grey.size[1] > 400
        dark = sum(grey.histogram()[:128])
    assert dark > 0.005 * grey.size[0] * grey.size[1]


def test_reports_load_neither_qt_nor_a_database() -> None:
    program = (
        "import sys, smerteagent.reports\n"
        "print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'sqlalchemy', 'alembic'))))"
    )
    output = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == ""


def test_every_page_says_which_version_made_it(render: Any, plan_with_safety: CarePlan) -> None:
    pdf = render(plan_with_safety)
    assert all(f"SmerteAgent {__version__}" in text for text in page_texts(pdf))
    assert PdfReader(io.BytesIO(pdf)).metadata.creator == f"SmerteAgent {__version__}"
