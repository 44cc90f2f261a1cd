"""What the patient reads alone: second person, no clinician words, and the meaning of each item kept."""

from __future__ import annotations

import re

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.scoring.engine import CompiledForm

THIRD_PERSON = re.compile(r"\b(sig|sin|sit|sine|man|patienten|patientens|klinikerudfyldt|klinikeren)\b", re.I)
THIRD_PERSON_EN = re.compile(r"\b(the patient|patient's|one's|oneself|themselves|them|their|one should)\b", re.I)


def patient_texts(form: CompiledForm, language: str) -> list[str]:
    """Every text the patient's own screen can show for ``form``."""
    definition = form.definition
    found = [(definition.short_title or definition.title).get(language)]
    found += [t.get(language) for t in (definition.instructions, definition.timeframe) if t and t.for_patient]
    for item in definition.items:
        if not definition.item_for_patient(item):
            continue
        found += [t.get(language) for t in (item.text, item.help, item.anchors) if t and t.for_patient]
        found += [o.label(language) for o in form.options.get(item.id) or ()]
    return found


def test_self_report_forms_speak_to_the_patient_in_the_second_person(library: FormLibrary) -> None:
    for form in library.forms.values():
        if form.definition.for_patient:
            wrong = [t for t in patient_texts(form, "da") if THIRD_PERSON.search(t)]
            wrong += [t for t in patient_texts(form, "en") if THIRD_PERSON_EN.search(t)]
            assert not wrong, f"{form.id}: {wrong}"


def test_phq_and_gad_ask_how_often_you_have_been_troubled(library: FormLibrary) -> None:
    for form_id in ("phq9", "gad7", "phq4", "phq2", "gad2"):
        instructions = library.get(form_id).definition.instructions
        assert instructions is not None and "været plaget af" in instructions.da, form_id


def test_the_phq9_suicide_item_says_better_off_dead(library: FormLibrary) -> None:
    item9 = library.get("phq9").definition.items[8]
    assert "det ville være bedre, hvis du var død" in item9.text.da
    assert "hellere" not in item9.text.da, "'would rather be dead' is a different question"


def test_gad7_item6_asks_about_irritability_not_anger(library: FormLibrary) -> None:
    item6 = library.get("gad7").definition.items[5]
    assert "irritabel" in item6.text.da and "vred" not in item6.text.da


def test_odi_sections_are_questions_to_you(library: FormLibrary) -> None:
    titles = [i.text.da for i in library.get("odi").definition.items]
    assert all("?" in t or "relevant for dig" in t for t in titles)
    assert not any(t.endswith(("Gang", "Siddende", "Stående")) for t in titles)
