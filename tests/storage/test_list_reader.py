"""The app's first screen reads the list and its search with the standard library: the same patients as the
patient service, read-only, and only when every cheap check of opening passes (else the services decide)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.core.text import TextError
from smerteagent.storage import integrity
from smerteagent.storage.audit_key import KEY_VARIABLE, AuditKeyProblem, create_key, fingerprint
from smerteagent.storage.list_reader import ListReader, open_list_reader
from smerteagent.storage.services import Services, open_services

DATA = Path(__file__).resolve().parents[1] / "data"
NAMES = [("Søren", "Ærø", "070761-4285"), ("Åse", "Øst", None), ("Bjørn Søren", "Olsen", "010203-4005"),
         ("Anne", "Hansen", "111111-1118"), ("Ole", "Aagaard", None), ("Mette", "Kjær", "240576-1235")]  # fmt: skip
QUERIES = ["", "  ", "s", "sø", "soeren", "søren", "SØREN ærø", "aa", "aagaard", "åse øst", "0707", "070761-4285",
           "070761-", "01", "han", "o", "x", "ø", "kjær mette", "%", "_", '"', "a b c", "1111"]  # fmt: skip


@pytest.fixture
def clinic(sqlite_template: Path, tmp_path: Path, forms: FormLibrary) -> Path:
    path = tmp_path / "clinic.sqlite"
    shutil.copy(sqlite_template, path)
    services = open_services(f"sqlite:///{path}", forms)
    for index in range(70):  # more than a page of the list
        given, family, cpr = NAMES[index % len(NAMES)]
        first = index < len(NAMES)
        services.patients.add(PatientInput(given, f"{family}{index // len(NAMES) or ''}", cpr=cpr if first else None,
                                           no_cpr=cpr is None or not first))  # fmt: skip
    services.close()
    return path


def _reader(path: Path) -> ListReader:
    reader = open_list_reader(f"sqlite:///{path}")
    assert reader is not None
    return reader


def test_the_reader_finds_what_the_patient_service_finds(clinic: Path, forms: FormLibrary) -> None:
    services = open_services(f"sqlite:///{clinic}", forms)
    services.settings.save(services.settings.load().with_text("mask_cpr_in_lists", "true"))
    reader = _reader(clinic)
    try:
        for query in QUERIES:
            for limit in (1, 5, 50, 1000):
                assert reader.search(query, limit) == services.patients.search(query, limit), (query, limit)
        for limit, offset in ((50, 0), (50, 50), (10, 65), (0, 0), (2**70, 3)):
            assert reader.recent(limit, offset) == services.patients.recent(limit, offset)
        assert reader.settings() == services.settings.load() and reader.settings().mask_cpr_in_lists
        found = reader.search("070761-4285")
        assert found and found[0].birth_date is not None and found[0].name == "Søren Ærø"
        # A change saved by the services (or another workstation) is seen by the next search.
        services.patients.add(PatientInput("Søren", "Nyby", no_cpr=True))
        assert [p.family_name for p in reader.search("nyby")] == ["Nyby"]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):  # the reader never writes
            reader._connection.execute("DELETE FROM patients")
    finally:
        reader.close()
        services.close()


def test_the_reader_refuses_bad_input_as_the_service_does(clinic: Path, forms: FormLibrary) -> None:
    services = open_services(f"sqlite:///{clinic}", forms)
    reader = _reader(clinic)
    try:
        for call in (lambda s: s.search("so\x00ren"), lambda s: s.search("x", -1), lambda s: s.recent(5, -2),
                     lambda s: s.search("\udcff"), lambda s: s.search("a" * 201)):  # fmt: skip
            with pytest.raises(TextError) as from_service:
                call(services.patients)
            with pytest.raises(TextError) as from_reader:
                call(reader)
            assert str(from_reader.value) == str(from_service.value)
    finally:
        reader.close()
        services.close()


def _refused(url: str, forms: FormLibrary) -> str:
    with pytest.raises((StorageUnavailable, AuditKeyProblem)) as refused:
        open_services(url, forms, daily_backup=False).close()
    return str(refused.value)


def test_no_reader_unless_every_cheap_check_passes(
    clinic: Path, tmp_path: Path, forms: FormLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each case the reader declines is one the services refuse (with their message) or must prepare first."""
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database" * 100)
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    old = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-0001.sqlite", old)
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(clinic.read_bytes()[: 4096 * 3 + 100])
    for path in (garbage, empty, old, cut, tmp_path / "missing.sqlite"):
        assert open_list_reader(f"sqlite:///{path}") is None, path
    assert open_list_reader("postgresql+psycopg://user@server/db") is None
    assert garbage.read_bytes() == b"not a database" * 100 and empty.read_bytes() == b""
    assert "truncated" in _refused(f"sqlite:///{cut}", forms)

    damaged = tmp_path / "damaged.sqlite"
    shutil.copy(clinic, damaged)
    integrity.record(damaged, ["row 7 missing from index sqlite_autoindex_patients_1"])
    assert open_list_reader(f"sqlite:///{damaged}") is None
    assert "row 7 missing" in _refused(f"sqlite:///{damaged}", forms)

    converting = tmp_path / "converting.sqlite"
    shutil.copy(clinic, converting)
    Path(f"{converting}.converting").write_bytes(b"a killed conversion's copy")
    assert open_list_reader(f"sqlite:///{converting}") is None

    sealed = tmp_path / "sealed.sqlite"
    shutil.copy(clinic, sealed)
    create_key(tmp_path / "right.key")
    monkeypatch.setenv(KEY_VARIABLE, str(tmp_path / "right.key"))
    services: Services = open_services(f"sqlite:///{sealed}", forms)
    services.patients.add(PatientInput("Sealed", "Event", no_cpr=True))  # an event sealed with the right key
    services.close()
    assert open_list_reader(f"sqlite:///{sealed}") is not None
    wrong = create_key(tmp_path / "wrong.key")
    monkeypatch.setenv(KEY_VARIABLE, str(tmp_path / "wrong.key"))
    assert open_list_reader(f"sqlite:///{sealed}") is None
    assert fingerprint(wrong) in _refused(f"sqlite:///{sealed}", forms)
    monkeypatch.setenv(KEY_VARIABLE, str(tmp_path / "no-such.key"))
    assert open_list_reader(f"sqlite:///{sealed}") is None
    assert "no-such.key" in _refused(f"sqlite:///{sealed}", forms)


def test_an_encrypted_file_is_read_once_its_passphrase_is_known(
    tmp_path: Path, forms: FormLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3")
    monkeypatch.delenv("SMERTEAGENT_DB_PASSPHRASE", raising=False)
    path, passphrase = tmp_path / "encrypted.sqlite", "en lang nok passphrase"
    url = f"sqlite:///{path}"
    services = open_services(url, forms, passphrase=passphrase)
    services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    assert open_list_reader(url) is None  # the app asks for it first
    assert open_list_reader(url, passphrase="en forkert passphrase") is None
    reader = open_list_reader(url, passphrase=passphrase)
    assert reader is not None
    try:
        assert reader.search("søren") == services.patients.search("søren") and len(reader.search("søren")) == 1
        assert reader.recent(50, 0) == services.patients.recent(50, 0)
    finally:
        reader.close()
        services.close()


def test_the_reader_imports_no_sqlalchemy(clinic: Path) -> None:
    program = (
        "import sys\n"
        "from smerteagent.usecases.list_reader import open_list_reader\n"
        f"reader = open_list_reader({f'sqlite:///{clinic}'!r})\n"
        "print(len(reader.search('søren')), len(reader.recent(50, 0)), reader.settings().mask_cpr_in_lists)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'pydantic', 'alembic')))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["24 50 False", "[]"]
