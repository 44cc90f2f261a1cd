"""Encryption at rest: no clear text in the file, its WAL or its backups; a missing or wrong passphrase
changes nothing; conversion, re-keying and restore keep every row; search works on the encrypted file."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage import backup, conversion, encryption
from smerteagent.storage.database import ENCRYPTED_CACHE_KIB, Database
from smerteagent.storage.demo import load_demo
from smerteagent.storage.list_reader import open_list_reader
from smerteagent.storage.services import Services, open_services

PASSPHRASE = "blå hest æbletræ 42"
SECRETS = ["Søren".encode(), "Ærø".encode(), "Østergård".encode(), b"0707614285", b"070761-4285", b"1502804211"]


@pytest.fixture(autouse=True)
def no_passphrase_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(encryption.PASSPHRASE_VARIABLE, raising=False)


@pytest.fixture(scope="module")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("encrypted") / "template.sqlite"
    shutil.copy(sqlite_template, path)
    conversion.encrypt(path, PASSPHRASE)
    shutil.rmtree(backup.backups_dir(path))
    return path


@pytest.fixture
def encrypted(tmp_path: Path, encrypted_template: Path) -> Path:
    path = tmp_path / "klinik.sqlite"
    shutil.copy(encrypted_template, path)
    return path


def add_patients(services: Services) -> None:
    services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    services.patients.add(PatientInput("Åse", "Østergård", cpr="150280-4211"))


def leaks(folder: Path) -> dict[str, list[bytes]]:
    """The files under ``folder`` (database, -wal, -shm, backups) that hold clear text, with what they hold."""
    found = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = file.read_bytes()
        held = [secret for secret in SECRETS if secret in content]
        if held:
            found[file.name] = held
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("passphrase", [PASSPHRASE, None])
def test_no_clear_text_in_the_file_its_wal_or_its_backups(tmp_path: Path, forms: FormLibrary,
                                                          passphrase: str | None) -> None:  # fmt: skip
    path = tmp_path / "klinik.sqlite"
    services = open_services(str(path), forms, passphrase=passphrase)  # a new file: encrypted when keyed
    try:
        add_patients(services)
        taken = backup.backup(path, "manual", passphrase=passphrase)
        assert Path(f"{path}-wal").stat().st_size > 0  # the answers are still in the WAL here
        assert {p.name for p in tmp_path.rglob("*")} >= {path.name, f"{path.name}-wal", taken.name}
        if passphrase is None:  # the control: the same check does find the plain file's clear text
            assert {f"{path.name}-wal", taken.name} <= set(leaks(tmp_path))
        else:
            assert leaks(tmp_path) == {}
            assert [p.name for p in services.patients.search("ærø")] == ["Søren Ærø"]
            assert [p.name for p in services.patients.search("oesterg")] == ["Åse Østergård"]  # FTS5 trigram
    finally:
        services.close()
    assert encryption.is_encrypted(path) is (passphrase is not None)
    assert encryption.is_encrypted(taken) is (passphrase is not None)


def test_a_backup_opens_with_the_passphrase_only(encrypted: Path, forms: FormLibrary) -> None:
    services = open_services(str(encrypted), forms, passphrase=PASSPHRASE)
    add_patients(services)
    services.close()
    taken = backup.backup(encrypted, "manual", passphrase=PASSPHRASE)
    assert backup.check_file(taken, PASSPHRASE) == []
    with pytest.raises(StorageUnavailable) as needed:
        backup.check_file(taken)
    with pytest.raises(StorageUnavailable) as wrong:
        backup.check_file(taken, "not the passphrase at all")
    assert (needed.value.reason, wrong.value.reason) == ("passphrase_needed", "wrong_passphrase")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(taken).execute("SELECT count(*) FROM patients").fetchone()


@pytest.mark.parametrize(
    ("passphrase", "reason"), [(None, "passphrase_needed"), ("wrong but long", "wrong_passphrase")]
)
def test_no_or_a_wrong_passphrase_is_refused_and_the_file_untouched(
    encrypted: Path, forms: FormLibrary, passphrase: str | None, reason: str
) -> None:  # fmt: skip
    before, files = digest(encrypted), sorted(encrypted.parent.iterdir())
    with pytest.raises(StorageUnavailable) as refused:
        open_services(str(encrypted), forms, passphrase=passphrase)
    assert refused.value.reason == reason
    assert PASSPHRASE not in str(refused.value) and "wrong but long" not in str(refused.value)
    assert digest(encrypted) == before and sorted(encrypted.parent.iterdir()) == files


def test_the_passphrase_comes_from_the_environment_too(
    encrypted: Path, forms: FormLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    monkeypatch.setenv(encryption.PASSPHRASE_VARIABLE, PASSPHRASE)
    services = open_services(str(encrypted), forms)
    assert services.database.encrypted and services.patients.count() == 0
    services.close()


def test_the_key_comes_before_our_pragmas_and_is_never_shown(encrypted: Path) -> None:
    database = Database.connect(str(encrypted), passphrase=PASSPHRASE)
    try:
        assert database.integrity_problems() == []  # it shrinks the page cache for its scan, then restores it
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -ENCRYPTED_CACHE_KIB
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA cipher_version").scalar()
        shown = [database.url, database.display_name, repr(database), str(database.engine.url), repr(database.engine)]
        raw_key = encryption.file_key(encrypted, PASSPHRASE)
        assert not [text for text in shown if PASSPHRASE in text or raw_key[2:-1] in text]
    finally:
        database.dispose()


def test_a_plain_database_opens_as_it_is_without_sqlcipher(tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "plain.sqlite"
    shutil.copy(sqlite_template, path)
    program = (
        "import sys; from smerteagent.storage.database import ENCRYPTED_CACHE_KIB, Database; "
        f"d = Database.connect({str(path)!r}, passphrase='ignored for a plain file'); "
        "d.integrity_problems(); print(d.encrypted, 'sqlcipher3' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_encrypting_keeps_every_row_and_shreds_the_plain_backups(
    tmp_path: Path, sqlite_template: Path, forms: FormLibrary
) -> None:  # fmt: skip
    path = tmp_path / "klinik.sqlite"
    shutil.copy(sqlite_template, path)
    services = open_services(str(path), forms)
    add_patients(services)
    load_demo(services, 15, seed=5)
    services.close()
    plain_backup = backup.backup(path, "manual")
    plain = sqlite3.connect(path)
    before = conversion.row_counts(plain)
    plain.close()
    result = conversion.encrypt(path, PASSPHRASE)
    assert plain_backup in result.removed and not [p for p in result.removed if p.exists()]
    assert backup.list_backups(path) == [result.backup]
    assert result.backup is not None and encryption.is_encrypted(result.backup)
    assert encryption.is_encrypted(path) and leaks(tmp_path) == {}
    keyed = encryption.connect(path, PASSPHRASE)
    try:
        assert conversion.row_counts(keyed) == before and before["patients"] == 17
    finally:
        keyed.close()
    services = open_services(str(path), forms, passphrase=PASSPHRASE)
    # The demo's names depend on the day it runs, so the check is on what the search must and may return.
    names = [p.name for p in services.patients.search("søren")]
    assert "Søren Ærø" in names and all("søren" in name.lower() for name in names)
    services.close()


def test_decrypting_gives_the_same_rows_back(encrypted: Path, forms: FormLibrary) -> None:
    services = open_services(str(encrypted), forms, passphrase=PASSPHRASE)
    add_patients(services)
    services.close()
    keyed = encryption.connect(encrypted, PASSPHRASE)
    before = conversion.row_counts(keyed)
    keyed.close()
    conversion.decrypt(encrypted, PASSPHRASE)
    assert not encryption.is_encrypted(encrypted)
    plain = sqlite3.connect(encrypted)
    assert conversion.row_counts(plain) == before
    plain.close()


def test_rekey_changes_the_passphrase_of_the_database_and_its_backups(encrypted: Path, forms: FormLibrary) -> None:
    taken = backup.backup(encrypted, "manual", passphrase=PASSPHRASE)
    new = "en helt anden lang frase"
    result = conversion.rekey(encrypted, PASSPHRASE, new)
    assert result.rekeyed == [taken]
    for file in (encrypted, taken):
        with pytest.raises(StorageUnavailable) as refused:
            encryption.connect(file, PASSPHRASE)
        assert refused.value.reason == "wrong_passphrase"
        encryption.connect(file, new).close()
    open_services(str(encrypted), forms, passphrase=new).close()


def test_weak_passphrases_and_wrong_forms_are_refused_untouched(tmp_path: Path, sqlite_template: Path,
                                                                 encrypted: Path) -> None:  # fmt: skip
    plain = tmp_path / "plain.sqlite"
    shutil.copy(sqlite_template, plain)
    before = digest(plain)
    with pytest.raises(encryption.PassphraseError, match="at least 12 characters"):
        conversion.encrypt(plain, "kort")
    with pytest.raises(conversion.ConversionError, match="not a plain SQLite database"):
        conversion.encrypt(encrypted, PASSPHRASE)
    with pytest.raises(conversion.ConversionError, match="not an encrypted database"):
        conversion.rekey(plain, PASSPHRASE, "en helt anden lang frase")
    assert digest(plain) == before


HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("SELECT count(*) FROM patients").fetchone()
print("open", flush=True)
sys.stdin.readline()
"""


def test_encrypting_waits_for_every_other_program_to_close_the_database(
    tmp_path: Path, sqlite_template: Path
) -> None:  # fmt: skip
    path = tmp_path / "klinik.sqlite"
    shutil.copy(sqlite_template, path)
    before = digest(path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StorageUnavailable, match="close SmerteAgent on every workstation") as refused:
            conversion.encrypt(path, PASSPHRASE)
        assert refused.value.reason == "locked"
    finally:
        holder.communicate("\n", timeout=30)
    assert not encryption.is_encrypted(path) and digest(path) == before
    assert not path.with_name(f"{path.name}.converting").exists()


def test_a_damaged_encrypted_database_is_restored_from_its_encrypted_backup(
    encrypted: Path, forms: FormLibrary
) -> None:  # fmt: skip
    services = open_services(str(encrypted), forms, passphrase=PASSPHRASE)
    add_patients(services)
    services.close()
    good = backup.backup(encrypted, "manual", passphrase=PASSPHRASE)
    content = bytearray(encrypted.read_bytes())
    content[5000:5100] = bytes(100)  # a page in the middle fails its HMAC
    encrypted.write_bytes(bytes(content))
    with pytest.raises(StorageUnavailable) as damaged:
        open_services(str(encrypted), forms, passphrase=PASSPHRASE)
    assert damaged.value.reason == "corrupt"
    kept = backup.restore(encrypted, good, passphrase=PASSPHRASE)
    assert kept is not None and kept.read_bytes() == bytes(content)
    services = open_services(str(encrypted), forms, passphrase=PASSPHRASE)
    assert services.patients.count() == 2
    services.close()
    assert encryption.is_encrypted(encrypted)


def test_the_start_up_preview_needs_the_passphrase(encrypted: Path, forms: FormLibrary) -> None:
    services = open_services(str(encrypted), forms, passphrase=PASSPHRASE)
    add_patients(services)
    services.close()
    before = digest(encrypted)
    url = f"sqlite:///{encrypted}"
    assert open_list_reader(url) is None and open_list_reader(url, passphrase="wrong but long") is None
    reader = open_list_reader(url, passphrase=PASSPHRASE)
    assert reader is not None and [p.name for p in reader.recent()] == ["Åse Østergård", "Søren Ærø"]
    reader.close()
    assert digest(encrypted) == before


@pytest.fixture
def server_url() -> Iterator[str]:
    yield "postgresql+psycopg://klinik:hemmeligt@db.klinik.local/smerteagent?sslmode=verify-full&sslrootcert=/etc/ca.pem"


def test_a_server_url_keeps_its_tls_options(server_url: str) -> None:
    database = Database.connect(server_url)  # no connection is made until it is used
    try:
        _args, options = database.engine.dialect.create_connect_args(database.engine.url)
        assert (options["sslmode"], options["sslrootcert"]) == ("verify-full", "/etc/ca.pem")
        assert "hemmeligt" not in database.display_name and "sslmode=verify-full" in database.display_name
    finally:
        database.dispose()
