"""Where bundled data and the user's own files live, for a wheel, a frozen app and a checkout alike."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

APP_NAME = "SmerteAgent"
FORMS_DIR_VARIABLE = "SMERTEAGENT_FORMS_DIR"


def package_folder(package: str, *parts: str) -> Path:
    """A folder shipped inside ``package``, as a real path (gettext, Alembic and ReportLab open files by name).

    ``importlib.resources`` answers alike for a checkout, an installed wheel and the PyInstaller bundle, whose
    spec (packaging/pyinstaller/smerteagent.spec) puts the data where the wheel has it.
    """
    return Path(str(files(package).joinpath(*parts)))


def _bundled(name: str) -> Path:
    """A bundled folder: inside the installed package or the frozen app, or at the top of a source checkout."""
    packaged = package_folder("smerteagent", "_bundled", name)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def bundled_forms_dir() -> Path:
    return _bundled("forms")


def bundled_resources_dir() -> Path:
    return _bundled("resources")


def user_data_dir() -> Path:
    """The per-user data folder (database, user forms); imported lazily to keep start-up light."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_forms_dirs(extra: Path | None = None) -> list[Path]:
    """User form folders in override order: the data folder, then SMERTEAGENT_FORMS_DIR, then ``extra``."""
    folders = [user_data_dir() / "forms"]
    if os.environ.get(FORMS_DIR_VARIABLE):
        folders.append(Path(os.environ[FORMS_DIR_VARIABLE]))
    if extra is not None:
        folders.append(extra)
    return folders


def form_folders(extra: Path | None = None) -> list[Path]:
    """Every folder forms are read from, bundled first so that user folders override it."""
    return [bundled_forms_dir(), *user_forms_dirs(extra)]


def rules_folders(extra: Path | None = None) -> list[Path]:
    """The clinic's rules folders (``rules`` inside each user forms folder), in override order."""
    return [folder / "rules" for folder in user_forms_dirs(extra)]
