"""What ships with a release agrees with itself: one version everywhere, the licence notice, the desktop entry
and icon, and the PyInstaller bundle laid out like the wheel (so one path lookup serves both)."""

from __future__ import annotations

import configparser
import re
import shutil
import struct
import subprocess
import tomllib
from pathlib import Path

import pytest

from smerteagent import __version__
from smerteagent.cli.main import main
from smerteagent.paths import bundled_resources_dir, package_folder
from smerteagent.storage.database import MIGRATIONS

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "pyinstaller" / "smerteagent.spec"
DESKTOP = ROOT / "packaging" / "linux" / "smerteagent.desktop"


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_version_option_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"smerteagent {__version__}"


def test_the_version_is_kept_once_and_the_changelog_has_it() -> None:
    assert pyproject()["tool"]["hatch"]["version"] == {"path": "src/smerteagent/__init__.py"}  # type: ignore[index]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, flags=re.MULTILINE)
    assert releases and releases[0] == __version__, "a new version needs its CHANGELOG section"
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{__version__}]")


def test_notice_excludes_instrument_wording_from_the_licence() -> None:
    notice = " ".join((ROOT / "NOTICE").read_text(encoding="utf-8").split())
    assert "GPL-3.0-or-later" in notice and pyproject()["project"]["license"] == "GPL-3.0-or-later"  # type: ignore[index]
    assert "Their wording, names and any official translations are excluded from SmerteAgent's licence" in notice
    assert "GNU GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text(encoding="utf-8")[:200]


def test_desktop_entry_starts_the_command_with_the_shipped_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    fields = entry["Desktop Entry"]
    assert fields["Type"] == "Application" and fields["Exec"] == "smerteagent" and fields["Terminal"] == "false"
    assert fields["StartupWMClass"] == "SmerteAgent"  # the app's applicationName, Qt's X11 window class
    assert (bundled_resources_dir() / "icons" / f"{fields['Icon']}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_icon_png_is_256_pixels_square() -> None:
    header = (bundled_resources_dir() / "icons" / "smerteagent.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (256, 256)


def test_bundle_puts_data_where_the_wheel_does() -> None:
    """paths.py looks in smerteagent/_bundled/...; the spec must use the wheel's destinations."""
    spec = SPEC.read_text(encoding="utf-8")
    force_include = pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]  # type: ignore[index]
    for source, destination in force_include.items():
        assert f'files_under(ROOT / "{source}", "{destination}")' in spec
    assert package_folder("smerteagent.storage", "migrations") == MIGRATIONS and MIGRATIONS.is_dir()
    assert '"smerteagent/storage/migrations"' in spec


def test_install_script_is_valid_shell() -> None:
    script = ROOT / "packaging" / "linux" / "install.sh"
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    assert subprocess.run(["sh", str(script), str(ROOT)], capture_output=True).returncode == 2  # no bundle here
