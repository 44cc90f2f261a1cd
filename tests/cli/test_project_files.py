"""The README's two commands are the ones CI and a new user run; keep them consistent."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(python3 -m venv[^\n]+)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_starts_with_the_two_setup_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index(commands[1]) < readme.index("## ")


def test_ci_runs_the_readme_test_command() -> None:
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    test_command = readme_commands()[1]
    assert test_command in ci_lines
