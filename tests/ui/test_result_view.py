"""What the desk reads of one result: numbers as the note and the PDF write them (a decimal comma in Danish)."""

from __future__ import annotations

from smerteagent import i18n
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.ui.result_view import result_html


def test_a_psfs_mean_has_a_decimal_comma_in_danish(forms: FormLibrary) -> None:
    form = forms.forms["psfs"]
    answers = {"q1_activity": "Gå tur", "q1": 8, "q2_activity": "Cykle", "q2": 8, "q3_activity": "Løfte", "q3": 9}
    result = form.score(answers)
    previous = i18n.language()
    try:
        i18n.set_language("da")
        danish = result_html(form, result)
        i18n.set_language("en")
        english = result_html(form, result)
    finally:
        i18n.set_language(previous)
    assert "8,33" in danish and "8.33" not in danish
    assert "8.33" in english
