"""The keyed chain: with the clinic's audit key (kept outside the database) every event is sealed, so an
event appended with a valid hash by someone without the key is detected — which the hash chain alone cannot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, update

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.storage.audit import BAD_SEAL, NO_SEALS, UNSEALED, event_hash
from smerteagent.storage.audit_key import AuditKeyProblem, create_key, fingerprint
from smerteagent.storage.models import AuditEventRow, PatientRow
from smerteagent.storage.services import Services, open_services


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "audit.key"
    create_key(path)
    return path


@pytest.fixture
def sealed(database_url: str, forms: FormLibrary, key_file: Path) -> Iterator[Services]:
    services = open_services(database_url, forms, actor="test-clinician", audit_key_file=key_file)
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", no_cpr=True))
    services.patients.get(patient.id)
    yield services
    services.close()


def forge(url: str, seal: str | None) -> int:
    """What someone with write access to the database but not the key can do: append a valid-hash event."""
    engine = create_engine(url)
    with engine.begin() as connection:
        head = connection.execute(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)).scalar_one()
        at = datetime.now()
        detail = {"document": "patient_plan"}
        digest = event_hash(head, at, "mallory", "print", ("care_plan", "1"), detail)
        row = connection.execute(insert(AuditEventRow).values(at=at, actor="mallory", action="print",
                                 record_type="care_plan", record_id="1", detail=detail, previous_hash=head,
                                 hash=digest, seal=seal).returning(AuditEventRow.id))  # fmt: skip
        forged = int(row.scalar_one())
    engine.dispose()
    return forged


def without_key(url: str, forms: FormLibrary) -> Services:
    return open_services(url, forms, actor="someone")


def test_every_event_is_sealed_and_the_chain_verifies_with_the_key(sealed: Services) -> None:
    report = sealed.audit.verify()
    assert report.intact and report.key_checked and report.sealed == report.count == 2
    assert all(event.seal for event in sealed.audit.events())


@pytest.mark.parametrize(("seal", "problem"), [(None, UNSEALED), ("ab" * 32, BAD_SEAL)])
def test_an_appended_event_with_a_valid_hash_is_detected_with_the_key(
    sealed: Services, database_url: str, forms: FormLibrary, seal: str | None, problem: str
) -> None:
    forged = forge(database_url, seal)
    report = sealed.audit.verify()
    assert report.first_break is not None and not report.intact
    assert (report.first_break.event_id, report.first_break.problem) == (forged, problem)
    keyless = without_key(database_url, forms)
    try:  # without the key: an unsealed event after sealed ones still shows; a made-up seal cannot be told
        assert keyless.audit.verify().intact is (seal is not None)
    finally:
        keyless.close()


def test_removing_every_seal_is_detected_with_the_key(sealed: Services, database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(update(AuditEventRow).values(seal=None))
    engine.dispose()
    report = sealed.audit.verify()
    assert report.first_break is not None and report.first_break.problem == NO_SEALS


def test_a_workstation_without_the_key_saves_nothing_and_a_wrong_key_is_refused(
    sealed: Services, database_url: str, forms: FormLibrary, tmp_path: Path
) -> None:
    keyless = without_key(database_url, forms)
    try:
        with pytest.raises(AuditKeyProblem):
            keyless.patients.add(PatientInput("Bo", "Bæk", no_cpr=True))
    finally:
        keyless.close()
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(select(PatientRow.family_name)).scalars().all() == ["Ærø"]
    engine.dispose()
    other = tmp_path / "other.key"
    with pytest.raises(AuditKeyProblem, match=fingerprint(create_key(other))):
        open_services(database_url, forms, audit_key_file=other)


def test_an_unreadable_key_file_is_named(database_url: str, forms: FormLibrary, tmp_path: Path) -> None:
    bad = tmp_path / "audit.key"
    bad.write_text("not a key\n")
    with pytest.raises(AuditKeyProblem, match=str(bad)):
        open_services(database_url, forms, audit_key_file=bad)
    with pytest.raises(AuditKeyProblem, match=str(bad)):
        create_key(bad)
    assert bad.read_text() == "not a key\n"  # never overwritten
