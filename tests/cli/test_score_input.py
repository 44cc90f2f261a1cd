"""``score`` input that cannot be used: one line naming the file, line or item, exit 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.cli import input_files
from smerteagent.cli.main import main


def score_bytes(*arguments: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", "score", *arguments],
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def refused(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``arguments``; check exit 2, nothing on stdout and one line on stderr; return that line."""
    code = main(arguments)
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, ""), captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    return lines[0]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing.json", None, "no such file"),
        ("folder", "a folder", "is a folder"),
        ("latin1.json", '{"q1": "Bjørn"}'.encode("latin-1"), "not valid UTF-8"),
        ("empty.json", b"", "invalid JSON"),
        ("garbage.json", b'{"q1": 1,\n "q2" 2}', "invalid JSON: Expecting ':' delimiter at line 2"),
    ],
)
def test_answers_file_problems_name_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes | str | None, problem: str
) -> None:
    path = tmp_path / name
    if content == "a folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    message = refused(["score", "phq9", "--answers", str(path), "--json"], capsys)
    assert str(path) in message and problem in message


@pytest.mark.parametrize(
    ("error", "code", "problem"),
    [(PermissionError(13, "Permission denied"), 2, "not readable"), (OSError(5, "Input/output error"), 1, "could not")],
)
def test_unreadable_answers_file_names_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: OSError,
    code: int,
    problem: str,
) -> None:
    """A forbidden file is the user's to fix (2), a failing disk the environment's (1); simulated, as root reads all."""
    path = tmp_path / "secret.json"
    path.write_text("{}", encoding="utf-8")

    def failing_open(*_arguments: object, **_options: object) -> None:
        raise error

    monkeypatch.setattr(input_files, "open", failing_open, raising=False)
    assert main(["score", "phq9", "--answers", str(path)]) == code
    message = capsys.readouterr().err
    assert str(path) in message and problem in message and len(message.strip().splitlines()) == 1


@pytest.mark.parametrize("folder", [False, True])
def test_missing_batch_file_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: bool) -> None:
    path = tmp_path / "requests.jsonl"
    if folder:
        path.mkdir()
    assert str(path) in refused(["score", "--batch", str(path)], capsys)


def test_batch_scores_around_bad_bytes_blank_and_garbage_lines() -> None:
    good = b'{"form": "phq2", "answers": {"q1": 2, "q2": 1}}'
    lines = [
        b"\xef\xbb\xbf" + good,  # a byte-order mark, as Windows editors write
        b'{"form": "phq2", "answers": {"q1": "Bj\xf8rn"}}',
        b"",
        b"not json",
        good + b"\r",
    ]
    result = score_bytes("--batch", "-", stdin=b"\n".join(lines) + b"\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(out) == len(lines)
    assert out[0]["band"] == out[4]["band"] == "positive"
    assert out[1] == {"error": "line 2: not valid UTF-8 text"}
    assert out[2]["error"].startswith("line 3: invalid JSON")
    assert out[3] == {"error": "line 4: invalid JSON: Expecting value at column 1"}


def test_batch_line_repeating_an_item_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "batch.jsonl"
    file.write_text(
        '{"form": "phq2", "answers": {"q1": 0, "q1": 3, "q2": 0}}\n{"form": "phq2", "answers": {"q1": 0, "q2": 0}}\n',
        encoding="utf-8",
    )
    assert main(["score", "--batch", str(file)]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert set(first) == {"error"} and first["error"].startswith("line 1:") and "'q1'" in first["error"]
    assert second["band"] == "negative"


@pytest.mark.parametrize(
    ("file_text", "pairs"),
    [
        (None, ["q1=1", "q1=3"]),
        (None, ["q1=", "q1=2"]),
        ('{"q1": 1, "q2": 0}', ["q1=3"]),
        ('{"q1": 1,\n "q1": 3}', []),
        ('{"answers": {"q1": 1, "q1": 3}}', []),
    ],
)
def test_an_answer_is_never_silently_overridden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file_text: str | None, pairs: list[str]
) -> None:
    arguments = ["score", "phq9", *pairs]
    if file_text is not None:
        (tmp_path / "answers.json").write_text(file_text, encoding="utf-8")
        arguments += ["--answers", str(tmp_path / "answers.json")]
    message = refused(arguments, capsys)
    assert "'q1'" in message and ("twice" in message or "both" in message)


def test_sex_in_the_file_and_on_the_command_line_must_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "request.json"
    file.write_text(json.dumps({"answers": {"q1": 1, "q2": 1, "q3": 1}, "sex": "male"}), encoding="utf-8")
    message = refused(["score", "auditc", "--answers", str(file), "--sex", "female"], capsys)
    assert str(file) in message and "sex" in message
    assert main(["score", "auditc", "--answers", str(file), "--sex", "male", "--json"]) == 0


@pytest.mark.parametrize("value", ["١", "+1", " 1", "1_0", "²", "1.0", "9" * 5000])
def test_item_values_are_ascii_whole_numbers(capsys: pytest.CaptureFixture[str], value: str) -> None:
    message = refused(["score", "phq9", f"q1={value}"], capsys)
    assert "'q1'" in message and len(message) < 300


def test_empty_value_is_unanswered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "peg", "q1=2", "q2=", "q3=-0", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["missing"] == ["q2"]
