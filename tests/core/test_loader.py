"""Loading forms: clear errors naming file, field path and problem; one broken file never stops the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from smerteagent.core.errors import AnswerError, FormError, UnknownFormError
from smerteagent.core.forms.loader import FormLibrary, load_form
from smerteagent.paths import bundled_forms_dir

PHQ9 = bundled_forms_dir() / "phq9.yaml"


def phq9_document() -> dict:
    return yaml.safe_load(PHQ9.read_text(encoding="utf-8"))


def write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def load_error(tmp_path: Path, document: object) -> FormError:
    path = write(tmp_path, "broken.yaml", document)
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.file == str(path)
    return caught.value


def test_bundled_phq9_loads() -> None:
    form = load_form(PHQ9)
    assert form.id == "phq9"
    assert list(form.items) == [f"q{i}" for i in range(1, 11)]  # q10: the unscored difficulty question


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nitems: [\n  - : :\n", encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.field_path.startswith("line ")
    assert "invalid YAML" in caught.value.problem


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "x",\n "items": [}', encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.field_path == "line 2"


def test_not_a_mapping(tmp_path: Path) -> None:
    assert "mapping" in load_error(tmp_path, ["a", "list"]).problem


def test_missing_danish_text_names_the_field(tmp_path: Path) -> None:
    document = phq9_document()
    del document["items"][3]["text"]["da"]
    error = load_error(tmp_path, document)
    assert error.field_path == "items[3].text.da"
    assert "required" in error.problem.lower()


def test_yaml_no_read_as_false_gets_a_hint(tmp_path: Path) -> None:
    document = phq9_document()
    document["title"]["en"] = False
    error = load_error(tmp_path, document)
    assert error.field_path == "title.en"
    assert "quotes" in error.problem


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    document = phq9_document()
    document["items"][0]["colour"] = "red"
    assert load_error(tmp_path, document).field_path == "items[0].colour"


def test_duplicate_item_ids(tmp_path: Path) -> None:
    document = phq9_document()
    document["items"][4]["id"] = "q1"
    error = load_error(tmp_path, document)
    assert (error.field_path, error.problem) == ("items[4].id", "duplicate item id 'q1'")


def test_band_rule_naming_an_unknown_result(tmp_path: Path) -> None:
    document = phq9_document()
    document["scoring"]["bands"][1]["when"] = "totl <= 9"
    error = load_error(tmp_path, document)
    assert error.field_path == "scoring.bands[1].when"
    assert "'totl'" in error.problem


def test_unparsable_rule(tmp_path: Path) -> None:
    document = phq9_document()
    document["scoring"]["flags"][0]["when"] = "q9 >="
    error = load_error(tmp_path, document)
    assert error.field_path == "scoring.flags[0].when"
    assert "cannot parse" in error.problem


def test_term_on_unknown_item(tmp_path: Path) -> None:
    document = phq9_document()
    document["scoring"]["results"][0]["items"].append("q11")
    error = load_error(tmp_path, document)
    assert error.field_path == "scoring.results[0].items[9]"


def test_declared_range_must_match_the_items(tmp_path: Path) -> None:
    document = phq9_document()
    document["scoring"]["results"][0]["range"] = [0, 30]
    error = load_error(tmp_path, document)
    assert error.field_path == "scoring.results[0].range"
    assert "[0, 27]" in error.problem


def test_recode_of_a_value_the_item_cannot_take(tmp_path: Path) -> None:
    document = phq9_document()
    document["scoring"]["results"][0]["items"][0] = {"item": "q1", "points": {7: 1}}
    error = load_error(tmp_path, document)
    assert error.field_path == "scoring.results[0].items[0].points"


def test_unknown_option_set(tmp_path: Path) -> None:
    document = phq9_document()
    document["items"][2]["options"] = "frequencies"
    assert load_error(tmp_path, document).field_path == "items[2].options"


def test_otherwise_band_must_be_last(tmp_path: Path) -> None:
    document = phq9_document()
    del document["scoring"]["bands"][0]["when"]
    assert load_error(tmp_path, document).field_path == "scoring.bands[0].when"


def test_file_that_cannot_be_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Smerte på dansk".encode("latin-1"))
    with pytest.raises(FormError, match="cannot read"):
        load_form(path)


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    shutil.copy(PHQ9, tmp_path / "phq9.yaml")
    (tmp_path / "aaa_broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    library = FormLibrary.load([tmp_path])
    assert list(library.forms) == ["phq9"]
    assert len(library.errors) == 1
    assert library.errors[0].file.endswith("aaa_broken.yaml")


def test_user_folder_overrides_bundled_form(tmp_path: Path) -> None:
    document = phq9_document()
    document["version"] = "local-1"
    document["items"][0]["text"]["da"] = "Klinikkens egen autoriserede ordlyd"
    write(tmp_path, "my_phq9.yaml", document)
    library = FormLibrary.load([bundled_forms_dir(), tmp_path])
    assert library.get("phq9").version == "local-1"
    assert library.origins["phq9"] == tmp_path / "my_phq9.yaml"
    assert library.get("phq9").score({f"q{i}": 1 for i in range(1, 10)}).results["total"] == 9


def test_broken_user_override_keeps_the_bundled_form(tmp_path: Path) -> None:
    document = phq9_document()
    document["scoring"]["bands"][0]["when"] = "nonsense <= 4"
    write(tmp_path, "phq9.yaml", document)
    library = FormLibrary.load([bundled_forms_dir(), tmp_path])
    assert library.get("phq9").version == "1.0"
    assert any(e.file == str(tmp_path / "phq9.yaml") for e in library.errors)


def test_two_files_with_one_id_in_one_folder(tmp_path: Path) -> None:
    shutil.copy(PHQ9, tmp_path / "a.yaml")
    shutil.copy(PHQ9, tmp_path / "b.yaml")
    library = FormLibrary.load([tmp_path])
    assert library.origins["phq9"] == tmp_path / "a.yaml"
    assert [e.field_path for e in library.errors] == ["id"]


def test_unknown_form_lists_known_ones(library: FormLibrary) -> None:
    with pytest.raises(UnknownFormError, match="phq9"):
        library.get("phq99")


def test_answer_errors_name_the_item(library: FormLibrary) -> None:
    phq9 = library.get("phq9")
    with pytest.raises(AnswerError) as unknown:
        phq9.score({"q11": 1})
    assert unknown.value.item == "q11"
    with pytest.raises(AnswerError) as out_of_range:
        phq9.score({"q3": 4})
    assert (out_of_range.value.item, out_of_range.value.value) == ("q3", 4)
    for bad in ("2", True, 1.5, [1]):
        with pytest.raises(AnswerError):
            phq9.score({"q1": bad})
    with pytest.raises(AnswerError) as bad_sex:
        phq9.score({}, sex="f")
    assert bad_sex.value.item == "sex"


def test_answers_are_not_changed_by_scoring(library: FormLibrary) -> None:
    answers = {"q1": 3, "q9": 0, "q2": None}
    before = dict(answers)
    library.get("phq9").score(answers)
    assert answers == before
    assert library.get("phq9").check_answers(answers) == {"q1": 3, "q9": 0}


def test_an_item_may_have_its_own_stem_or_none(tmp_path: Path) -> None:
    """The PHQ-9's q10 (how difficult) does not continue "how often have you been bothered by"."""
    library = FormLibrary.load([bundled_forms_dir()])
    definition = library.get("phq9").definition
    items = {item.id: item for item in definition.items}
    assert definition.stem(items["q1"]) is definition.instructions and definition.stem(items["q10"]) is None
    document = phq9_document()
    document["items"][9]["instructions"] = {"da": "Til sidst:", "en": "Finally:"}
    own = load_form(write(tmp_path, "phq9.yaml", document)).definition
    stem = own.stem(own.items[9])
    assert stem is not None and (stem.da, stem.en) == ("Til sidst:", "Finally:")


def test_an_item_stem_of_true_is_refused(tmp_path: Path) -> None:
    document = phq9_document()
    document["items"][9]["instructions"] = True
    assert load_error(tmp_path, document).field_path.startswith("items[9].instructions")
