"""The app opens no network connection: a whole consultation — start, new patient, screening, care plan,
printed PDF — runs with every Internet socket (AF_INET, AF_INET6) and name lookup made to fail.

What this covers and what not: Python-level sockets and lookups are refused as they are made (SQLAlchemy,
ReportLab, our code, any library written in Python). Sockets opened in C (Qt, libpq) bypass Python's
``socket`` module, so afterwards the test also looks in /proc for any Internet socket this process still
holds. Local sockets (AF_UNIX, e.g. Qt's D-Bus) are allowed: they never leave the machine.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import open_services
from smerteagent.ui.patient_dialog import PatientDialog
from tests.ui.conftest import ADMIN_PASSWORD
from tests.ui.helpers import Keyboard, StartMainWindow
from tests.ui.test_careplan_editor import answer_print_dialog, fill_value_goal_action

INTERNET = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every attempt to reach the network, refused and noted."""
    noted: list[str] = []
    original = socket.socket

    class NoInternetSocket(original):  # type: ignore[misc, valid-type]
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None) -> None:
            if fileno is None and (family in INTERNET or family == -1):
                noted.append(f"socket({family})")
                raise OSError("network use is forbidden in this test")
            super().__init__(family, type, proto, fileno)

    def refuse(name: str) -> object:
        def refused(*args: object, **kwargs: object) -> object:
            noted.append(f"{name}{args[:2]}")
            raise OSError(f"{name} is forbidden in this test")

        return refused

    monkeypatch.setattr(socket, "socket", NoInternetSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield noted


def internet_sockets_held() -> list[str]:
    """Internet sockets this process holds, from /proc (Linux); sockets opened in C show up here too."""
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if match := re.fullmatch(r"socket:\[(\d+)\]", target):
            inodes.add(match.group(1))
    held = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        path = Path("/proc/self/net") / table
        for line in path.read_text().splitlines()[1:] if path.exists() else []:
            fields = line.split()
            if fields[9] in inodes:
                held.append(f"{table} {fields[1]} -> {fields[2]}")
    return held


def test_a_whole_consultation_without_network(
    attempts: list[str],
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    start_main_window: StartMainWindow,
) -> None:
    if not Path("/proc/self/net/tcp").exists():
        pytest.skip("needs Linux /proc to see sockets opened in C")
    before = set(internet_sockets_held())
    path = tmp_path / "clinic.sqlite"
    path.write_bytes(template.read_bytes())
    services = open_services(f"sqlite:///{path}", FormLibrary.load([bundled_forms_dir()]), actor="offline")
    try:
        window = start_main_window(services)
        window.login_page.username.setText("mette")
        window.login_page.password.setText(ADMIN_PASSWORD)
        window.login_page.submit()
        assert window.account is not None
        accepted = iter([PatientDialog.DialogCode.Accepted])
        monkeypatch.setattr(PatientDialog, "exec", lambda self: next(accepted))
        monkeypatch.setattr(PatientDialog, "details", lambda self: PatientInput("Søren", "Ærø", cpr="070761-4285"))
        window.new_patient()
        assert window.patient is not None
        window.start_battery("gp_first_back", "gp", {"on_opioids": False})
        assert window.screening is not None
        keyboard = Keyboard(window.screening)
        for value in (1, 0, 1, 0, 1, 1, 0, 0, 3):
            keyboard.digit(value)
        keyboard.enter()
        patient_id = window.patient.id
        [startback] = [r for r in services.screenings.responses(patient_id) if r.form_id == "startback"]
        assert startback.status == "complete" and startback.score is not None and startback.score.band == "medium"
        window.open_care_plan()
        editor = window.care_plan_editor
        assert editor is not None
        fill_value_goal_action(editor)
        viewer = editor.open_pdf()
        assert viewer is not None and viewer.pdf.startswith(b"%PDF")
        assert viewer.save_to(tmp_path / "plan.pdf") is not None
        answer_print_dialog(monkeypatch, tmp_path / "printer.pdf")  # a printer that writes a file
        assert editor.print_plan() and (tmp_path / "printer.pdf").read_bytes().startswith(b"%PDF")
        editor.reject()
    finally:
        services.close()
    assert attempts == []
    assert set(internet_sockets_held()) <= before


def test_the_guard_refuses_what_it_should(attempts: list[str]) -> None:
    """The guard itself works: Internet sockets and lookups fail, local sockets do not."""
    with pytest.raises(OSError, match="forbidden"):
        socket.create_connection(("127.0.0.1", 5432))
    with pytest.raises(OSError, match="forbidden"):
        socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    local = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    local.close()
    assert attempts == ["create_connection(('127.0.0.1', 5432),)", f"socket({int(socket.AF_INET6)})"]
