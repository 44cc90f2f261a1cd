"""Hostile JSON to the command line: ``score --answers FILE`` and ``score --batch FILE`` never end in a
traceback. A single request exits 0 with a result or 2 with one line naming the problem; a batch
answers every input line with one JSON line, a result or ``{"error": "line N: ..."}``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smerteagent.cli.main import main
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir

LIBRARY = FormLibrary.load([bundled_forms_dir()])
FORMS = sorted(LIBRARY.forms)
SETTINGS = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

scalars = st.none() | st.booleans() | st.integers(-5, 12) | st.floats() | st.text(max_size=6)
values = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
                      max_leaves=6)  # fmt: skip
items = st.sampled_from(["q1", "q2", "q3", "q9", "sex", "answers", ""]) | st.text(max_size=4)
answer_objects = st.dictionaries(items, values, max_size=6)
requests = st.fixed_dictionaries(
    {}, optional={"form": st.sampled_from(FORMS) | values, "answers": answer_objects | values, "sex": values}
)
json_texts = st.one_of(
    answer_objects.map(json.dumps),
    requests.map(json.dumps),
    values.map(json.dumps),
    st.text(alphabet='{}[]":,0123456789-.eE tnruflasq\\', max_size=30),  # JSON-ish garbage
)
file_bytes = json_texts.map(str.encode) | st.binary(max_size=40)


@pytest.fixture(autouse=True, scope="module")
def quick_library() -> Iterator[None]:
    """The forms are read once, not once per example (the commands' own loading is tested elsewhere)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("smerteagent.cli.score_command.load_library", lambda arguments: LIBRARY)
        yield


@SETTINGS
@given(form=st.sampled_from(FORMS), content=file_bytes)
def test_answers_file_gives_a_result_or_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str, content: bytes
) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(content)
    code = main(["score", form, "--answers", str(path), "--json"])
    out, err = capsys.readouterr()
    if code == 0:
        assert json.loads(out)["form"] == form and err == ""
    else:
        assert code == 2 and out == ""
        assert err.startswith("smerteagent: ") and err.count("\n") == 1, err


@SETTINGS
@given(lines=st.lists(file_bytes.filter(lambda b: b"\n" not in b), min_size=1, max_size=5))
def test_batch_answers_every_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[bytes]) -> None:
    path = tmp_path / "requests.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["score", "--batch", str(path)]) == 0
    out, err = capsys.readouterr()
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == len(lines) and err == ""
    for number, answer in enumerate(answers, start=1):
        assert "form" in answer or answer["error"].startswith(f"line {number}: ")


# --- The whole command-line surface: any argv ends in a result or a message, never a traceback or a hang.

SURFACE = {
    ("forms", "list"): ["--json", "--lang"],
    ("forms", "show"): ["--json", "--lang"],
    ("forms", "schema"): ["--battery"],
    ("forms", "validate"): [],
    ("score",): ["--sex", "--answers", "--json"],
    ("patients", "add"): ["--given", "--family", "--cpr", "--no-cpr", "--sex", "--birth-date", "--note", "--json"],
    ("patients", "list"): ["--limit", "--offset", "--json"],
    ("patients", "search"): ["--limit", "--json"],
    ("patients", "show"): ["--json"],
    ("db", "check"): [],
    ("db", "backup"): ["--to"],
    ("db", "backups"): [],
    ("settings", "show"): ["--json"],
    ("settings", "set"): [],
    ("careplan", "export"): ["--patient", "--out", "--lang", "--summary"],
    ("careplan", "note"): ["--patient", "--lang"],
    ("export", "fhir"): ["--form", "--patient", "--out", "--from", "--to"],
    ("export", "csv"): ["--out", "--from", "--to", "--form", "--delimiter", "--include-drafts", "--pseudonymise"],
    ("audit", "verify"): ["--anchor"],
    ("audit", "export"): ["--from", "--to", "--format", "--out", "--allow-broken"],
    ("accounts", "list"): ["--json"],
    ("accounts", "deactivate"): ["--username"],
}
undecodable = st.binary(min_size=1, max_size=6).map(lambda raw: raw.decode("utf-8", "surrogateescape"))
numbers = st.integers(-(10**30), 10**30).map(str)
known = st.sampled_from(["1", "2", "070761-4285", "0707614285", "phq9", "2026-01-01", "2026-02-30", "json", "csv",
                         "en", "da", "female", "mask_cpr_in_lists", "true", "out/x.pdf", "/", "", "-"])  # fmt: skip
argument_values = st.text(max_size=12) | undecodable | numbers | known


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(SURFACE)))
    tokens = st.sampled_from(SURFACE[command]) | argument_values if SURFACE[command] else argument_values
    return [*command, *draw(st.lists(tokens, max_size=5))]


@pytest.fixture(scope="module")
def clinic_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fuzz") / "klinik.sqlite"
    assert main(["--db", str(path), "demo", "--patients", "25"]) == 0
    return str(path)


@settings(max_examples=200, suppress_health_check=list(HealthCheck), deadline=None)
@given(argv=command_lines())
def test_any_command_line_gives_a_result_or_a_message(
    clinic_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)  # files a command writes land here
    try:
        code = main(["--db", clinic_db, *argv])
    except SystemExit as stop:  # argparse: usage errors (2) and --help (0)
        code = stop.code if isinstance(stop.code, int) else 2
    _out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
