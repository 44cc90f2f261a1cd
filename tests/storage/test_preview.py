"""The start-up list reader reads with the standard library only, read-only, and only when safe."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage.list_reader import open_list_reader
from smerteagent.storage.services import open_services

DATA = Path(__file__).resolve().parents[1] / "data"


def test_preview_lists_recent_patients_and_the_mask_setting(sqlite_template: Path, tmp_path: Path,
                                                            forms: FormLibrary) -> None:  # fmt: skip
    path = tmp_path / "clinic.sqlite"
    shutil.copy(sqlite_template, path)
    services = open_services(f"sqlite:///{path}", forms)
    first, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    second, _ = services.patients.add(PatientInput("Bo", "Øst", no_cpr=True))
    services.settings.save(services.settings.load().with_text("mask_cpr_in_lists", "true"))
    services.close()
    before = path.read_bytes()
    reader = open_list_reader(f"sqlite:///{path}")
    assert reader is not None
    patients, masked = reader.recent(), reader.settings().mask_cpr_in_lists
    reader.close()
    assert [p.id for p in patients] == [second.id, first.id] and masked is True
    assert patients[1].birth_date is not None and patients[1].name == "Åse Ærø"
    assert path.read_bytes() == before


def test_no_preview_when_it_is_not_safe(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database")
    old = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-0001.sqlite", old)
    for url in (f"sqlite:///{garbage}", f"sqlite:///{old}", f"sqlite:///{tmp_path / 'missing.sqlite'}",
                "postgresql+psycopg://user@server/db"):  # fmt: skip
        assert open_list_reader(url) is None, url
    assert garbage.read_bytes() == b"not a database"


def test_preview_imports_no_sqlalchemy() -> None:
    program = "import sys, smerteagent.storage.list_reader; print('sqlalchemy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", program], capture_output=True, text=True).stdout.strip() == "False"
