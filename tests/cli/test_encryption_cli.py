"""``db create --encrypted``, ``db encrypt``, ``db rekey``, ``db decrypt`` and ``--passphrase-file`` on every
command: the passphrase opens the database, is never printed, and a missing one is one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smerteagent.storage.encryption import PASSPHRASE_VARIABLE, is_encrypted

PASSPHRASE = "rød kaffe på bordet"
NEW = "grøn te i koppen nu"


def run(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != PASSPHRASE_VARIABLE}
    result = subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", "--lang", "en", *arguments],
        capture_output=True, text=True, env={**environment, **(env or {})}, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert PASSPHRASE not in result.stdout + result.stderr and NEW not in result.stdout + result.stderr
    return result


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, Path, Path]:
    key, new = tmp_path / "key.txt", tmp_path / "new.txt"
    key.write_text(PASSPHRASE + "\n", encoding="utf-8")
    new.write_text(NEW + "\r\n", encoding="utf-8")
    return str(tmp_path / "klinik.sqlite"), key, new


def names(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [patient["family_name"] for patient in json.loads(result.stdout)]


def test_create_encrypted_then_use_it_with_the_file_or_the_environment(files: tuple[str, Path, Path]) -> None:
    db, key, _new = files
    refused = run("--db", db, "db", "create", "--encrypted")
    assert refused.returncode == 2 and "no terminal to ask on" in refused.stderr and not Path(db).exists()
    created = run("--db", db, "--passphrase-file", str(key), "db", "create", "--encrypted")
    assert created.returncode == 0 and "(encrypted)" in created.stdout and is_encrypted(Path(db))
    added = run("--db", db, "--passphrase-file", str(key), "patients", "add", "--given", "Søren", "--family", "Ærø",
                "--cpr", "070761-4285")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert names(run("--db", db, "patients", "search", "ærø", "--json", env={PASSPHRASE_VARIABLE: PASSPHRASE})) == [
        "Ærø"
    ]
    needed = run("--db", db, "patients", "list")
    assert needed.returncode == 1 and "the database is encrypted; give its passphrase" in needed.stderr
    checked = run("db", "check", "--db", db, "--passphrase-file", str(key))
    assert checked.returncode == 0 and "encrypted)" in checked.stdout
    assert b"\xc3\x86r\xc3\xb8" not in Path(db).read_bytes()


def test_encrypt_rekey_and_decrypt_an_existing_database(files: tuple[str, Path, Path]) -> None:
    db, key, new = files
    assert run("--db", db, "patients", "add", "--given", "Åse", "--family", "Østergård", "--no-cpr").returncode == 0
    assert run("--db", db, "db", "backup").returncode == 0
    encrypted = run("--db", db, "--passphrase-file", str(key), "db", "encrypt")
    assert encrypted.returncode == 0, encrypted.stderr
    assert "deleted plain backup" in encrypted.stdout and "BitLocker, FileVault, LUKS" in encrypted.stdout
    assert is_encrypted(Path(db))
    rekeyed = run("--db", db, "--passphrase-file", str(key), "db", "rekey", "--new-passphrase-file", str(new))
    assert rekeyed.returncode == 0 and "backup re-keyed" in rekeyed.stdout, rekeyed.stderr
    wrong = run("--db", db, "--passphrase-file", str(key), "patients", "list")
    assert wrong.returncode == 1 and "the passphrase does not open this encrypted database" in wrong.stderr
    assert names(run("--db", db, "--passphrase-file", str(new), "patients", "list", "--json")) == ["Østergård"]
    decrypted = run("--db", db, "--passphrase-file", str(new), "db", "decrypt")
    assert decrypted.returncode == 0 and not is_encrypted(Path(db))
    assert names(run("--db", db, "patients", "list", "--json")) == ["Østergård"]


def test_an_encrypted_backup_is_restored_with_the_passphrase(files: tuple[str, Path, Path], tmp_path: Path) -> None:
    db, key, _new = files
    keyed = ("--db", db, "--passphrase-file", str(key))
    assert run(*keyed, "db", "create").returncode == 0
    assert run(*keyed, "patients", "add", "--given", "Bo", "--family", "Holm", "--no-cpr").returncode == 0
    copy = tmp_path / "copy.sqlite"
    assert run(*keyed, "db", "backup", "--to", str(copy)).returncode == 0 and is_encrypted(copy)
    assert run(*keyed, "patients", "add", "--given", "Ib", "--family", "Lund", "--no-cpr").returncode == 0
    refused = run("--db", db, "db", "restore", str(copy))
    assert refused.returncode == 1 and "give its passphrase" in refused.stderr
    restored = run(*keyed, "db", "restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert names(run(*keyed, "patients", "list", "--json")) == ["Holm"]


@pytest.mark.parametrize(
    ("content", "problem"), [(None, "no such file"), ("", "the first line is empty"), ("\nsecond", "empty")]
)
def test_a_passphrase_file_that_cannot_be_used_is_named(tmp_path: Path, content: str | None, problem: str) -> None:
    key = tmp_path / "key.txt"
    if content is not None:
        key.write_text(content, encoding="utf-8")
    for arguments in (["patients", "list"], ["--exit-after-startup"]):
        result = run("--db", str(tmp_path / "k.sqlite"), "--passphrase-file", str(key), *arguments)
        assert result.returncode == 2 and f"--passphrase-file {key}" in result.stderr and problem in result.stderr
    assert not (tmp_path / "k.sqlite").exists()


def test_a_weak_new_passphrase_is_refused(files: tuple[str, Path, Path], tmp_path: Path) -> None:
    db, _key, _new = files
    weak = tmp_path / "weak.txt"
    weak.write_text("1234", encoding="utf-8")
    result = run("--db", db, "--passphrase-file", str(weak), "db", "create", "--encrypted")
    assert result.returncode == 2 and "at least 12 characters" in result.stderr and not Path(db).exists()
