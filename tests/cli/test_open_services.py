"""One way for every CLI command to open storage (issue 18 item 2: open/try/close was written 16 times)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

import smerteagent.cli
from smerteagent.cli import common

CLI = Path(smerteagent.cli.__file__).parent


def test_no_command_opens_or_closes_the_services_by_hand() -> None:
    pattern = re.compile(r"services\.close\(\)|open_services\(")
    by_hand = [path.name for path in CLI.glob("*.py") if path.name != "common.py" and pattern.search(path.read_text())]
    assert by_hand == []


def test_the_services_are_closed_when_the_command_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[bool] = []
    arguments = argparse.Namespace(db=str(tmp_path / "klinik.sqlite"))
    with pytest.raises(RuntimeError), common.open_services_for(arguments) as services:
        monkeypatch.setattr(services, "close", lambda: closed.append(True))
        raise RuntimeError("the command failed")
    assert closed == [True]


def test_a_command_sees_open_services(tmp_path: Path) -> None:
    with common.open_services_for(argparse.Namespace(db=str(tmp_path / "klinik.sqlite"))) as services:
        assert services.patients.count() == 0
