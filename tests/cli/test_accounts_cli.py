"""`smerteagent accounts`: the way back in when the administrator's password is forgotten; passwords only
from a file or the terminal, and every change in the audit trail under the operating-system user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smerteagent.cli.main import main
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import open_services


def password_file(folder: Path, name: str, password: str) -> str:
    path = folder / name
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


def test_add_list_reset_and_deactivate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "klinik.sqlite")
    first = password_file(tmp_path, "a.txt", "glemt-igen-og-igen")
    assert main(["--db", db, "accounts", "add", "--username", "Åse", "--name", "Åse Ærø", "--password-file",
                 first]) == 0  # fmt: skip
    assert main(["--db", db, "accounts", "add", "--username", "lars", "--name", "Lars Bæk", "--password-file",
                 first]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["--db", db, "accounts", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["username"], a["role"]) for a in listed] == [("lars", "clinician"), ("Åse", "administrator")]
    new = password_file(tmp_path, "b.txt", "et-helt-nyt-kodeord")
    assert main(["--db", db, "accounts", "set-password", "--username", "åse", "--password-file", new]) == 0
    assert main(["--db", db, "accounts", "deactivate", "--username", "lars"]) == 0
    services = open_services(db, FormLibrary.load([bundled_forms_dir()]))
    try:
        assert services.accounts.log_in("Åse", "et-helt-nyt-kodeord").is_administrator
        events = services.audit.events()
        assert all(e.actor.startswith("os:") for e in events if e.action == "update")
    finally:
        services.close()


def test_a_short_password_and_an_unknown_user_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "klinik.sqlite")
    short = password_file(tmp_path, "kort.txt", "kort")
    assert main(["--db", db, "accounts", "add", "--username", "mette", "--name", "Mette", "--password-file",
                 short]) == 2  # fmt: skip
    assert "10" in capsys.readouterr().err
    assert main(["--db", db, "accounts", "set-password", "--username", "ingen", "--password-file", short]) == 2
    assert "no account 'ingen'" in capsys.readouterr().err
