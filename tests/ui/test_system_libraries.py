"""A desktop without Qt's xcb libraries gets the missing packages and the command that installs them, not
Qt's "could not load the Qt platform plugin" abort."""

from __future__ import annotations

import pytest

from smerteagent.ui import app, system_libraries
from smerteagent.ui.system_libraries import XCB_LIBRARIES, explanation, missing_packages, uses_xcb

X11 = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}


def test_missing_xcb_cursor_is_named_with_its_install_command() -> None:
    missing = missing_packages(X11, load=lambda soname: soname != "libxcb-cursor.so.0")
    assert missing == ["libxcb-cursor0"]
    text = explanation(missing)
    assert "apt-get install libxcb-cursor0" in text and "libxcb-cursor0" in text.splitlines()[1]


def test_nothing_missing_says_nothing() -> None:
    assert missing_packages(X11, load=lambda soname: True) == []


@pytest.mark.parametrize(
    ("environment", "platform", "expected"),
    [
        (X11, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
        (X11, "win32", False),
        (X11, "darwin", False),
    ],
)
def test_only_an_xcb_start_is_checked(environment: dict[str, str], platform: str, expected: bool) -> None:
    assert uses_xcb(environment, platform) is expected


def test_every_library_maps_to_a_debian_package_listed_in_ci() -> None:
    """CI installs what a desktop needs; the packages named to users are the same ones."""
    from pathlib import Path

    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert [package for package in XCB_LIBRARIES.values() if package not in ci] == []


def test_the_app_stops_with_the_message_before_qt_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # fmt: skip
    monkeypatch.setattr(app.QApplication, "instance", staticmethod(lambda: None))
    monkeypatch.setattr(app, "missing_packages", lambda: ["libxcb-cursor0", "libxcb-icccm4"])
    assert app.run(language_forced="en") == 1
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4" in capsys.readouterr().err
    assert system_libraries.loadable("libc.so.6")
