"""Built to leave this machine: the type check covers Windows and macOS, and POSIX-only calls are guarded."""

from __future__ import annotations

import getpass
import sys

import pytest

from smerteagent.storage import services
from tests import check


def test_the_checks_type_check_src_as_windows_and_macos_see_it() -> None:
    commands = [command for name, command in check.steps([]) if name.startswith("mypy (src")]
    platforms = {command[command.index("--platform") + 1] for command in commands}
    assert {"win32", "darwin"} <= platforms and all(command[-1] == "src" for command in commands)


def test_the_command_line_actor_on_windows_comes_from_getpass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(getpass, "getuser", lambda: "klinik-pc")
    assert services.default_actor() == "os:klinik-pc"

    def no_user() -> str:
        raise OSError("no USERNAME")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert services.default_actor() == "os:unknown"
