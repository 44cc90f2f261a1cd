"""String choices are typed as Literal (not listed in a comment), and what the code produces stays inside them."""

from __future__ import annotations

from typing import get_args, get_type_hints

import pytest

from smerteagent.core.careplan.suggestions import Suggestion, SuggestionKind, bundled_recommendations
from smerteagent.core.cpr import CprError, CprProblem, parse_cpr
from smerteagent.core.interop.fhir_enable import ImportedKind, ImportedQuestion, Question, QuestionKind
from smerteagent.core.settings import LANGUAGES, Language, SettingError, Settings


def test_the_choices_are_literal_types() -> None:
    assert get_args(SuggestionKind) == ("matched", "guideline", "offer")
    assert get_type_hints(Suggestion)["kind"] == SuggestionKind
    assert get_args(QuestionKind) == ("choice", "integer", "text")
    assert get_type_hints(Question)["kind"] == QuestionKind
    assert get_args(ImportedKind) == ("choice", "boolean", "integer", "text")
    assert get_type_hints(ImportedQuestion)["kind"] == ImportedKind
    assert get_args(CprProblem) == ("format", "date")
    assert LANGUAGES == get_args(Language) == ("da", "en")
    assert get_type_hints(Settings)["language"] == Language


def test_suggestions_have_only_the_listed_kinds() -> None:
    made = bundled_recommendations().suggest(bundled_recommendations().pain_types, "high", "da")
    assert {s.kind for s in made} == set(get_args(SuggestionKind))


@pytest.mark.parametrize(("text", "kind"), [("12345", "format"), ("320199-1234", "date")])
def test_a_cpr_error_names_one_of_its_kinds(text: str, kind: str) -> None:
    with pytest.raises(CprError) as caught:
        parse_cpr(text)
    assert caught.value.kind == kind


def test_a_stored_language_the_app_does_not_speak_falls_back_to_danish() -> None:
    assert Settings.from_stored({"language": "fr"}).language == "da"
    assert Settings.from_stored({"language": "en"}).language == "en"
    with pytest.raises(SettingError):
        Settings().with_text("language", "fr")
