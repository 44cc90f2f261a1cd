"""The patient register on SQLite and PostgreSQL: add, validate, refuse duplicates, edit with locking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from smerteagent.core.patients import PatientError, PatientInput
from smerteagent.storage.audit import events_for
from smerteagent.storage.models import PatientRow
from smerteagent.storage.patients import ConflictError, DuplicateCpr
from smerteagent.storage.services import Services, open_services


def anne(**changes: object) -> PatientInput:
    values: dict[str, object] = {"given_name": "Anne", "family_name": "Ærbøl", "cpr": "150872-1234"}
    values.update(changes)
    return PatientInput(**values)  # type: ignore[arg-type]


def test_add_derives_birth_date_and_sex_from_cpr(services: Services) -> None:
    patient, warnings = services.patients.add(anne(cpr="150872-1236"))
    assert (patient.birth_date, patient.sex, patient.cpr) == (date(1972, 8, 15), "female", "1508721236")
    assert patient.cpr_text() == "150872-1236" and patient.cpr_text(masked=True) == "150872-xxxx"
    assert warnings  # 1508721236 fails modulus 11: a warning, not an error
    stored = services.patients.get(patient.id)
    assert (stored.given_name, stored.family_name) == ("Anne", "Ærbøl")


def test_sex_override_is_kept(services: Services) -> None:
    patient, _ = services.patients.add(anne(sex="male"))
    assert services.patients.get(patient.id).sex == "male"


def test_duplicate_cpr_names_the_existing_patient(services: Services) -> None:
    first, _ = services.patients.add(anne())
    with pytest.raises(DuplicateCpr) as caught:
        services.patients.add(anne(given_name="Other", cpr="1508721234"))
    assert caught.value.existing.id == first.id
    assert "Anne Ærbøl" in str(caught.value) and f"patient {first.id}" in str(caught.value)
    assert services.patients.count() == 1


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (anne(cpr="310272-1234"), "cpr"),
        (anne(cpr="12345"), "cpr"),
        (anne(cpr=None), "cpr"),
        (anne(given_name="A" * 10_000), "given_name"),
        (anne(family_name="Ærbøl\x00; DROP TABLE patients"), "family_name"),
        (anne(given_name="bad \udcff byte"), "given_name"),
        (anne(given_name="", family_name=" "), "family_name"),
        (anne(sex="unknown"), "sex"),
        (anne(cpr="010130-4000"), "cpr"),  # 2030: a birth date in the future
        (anne(birth_date=date(1972, 8, 16)), "birth_date"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(services: Services, details: PatientInput, field: str) -> None:
    services.patients.add(anne(cpr="010101-0001", given_name="Kept"))
    with pytest.raises(PatientError) as caught:
        services.patients.add(details)
    assert caught.value.field == field
    [kept] = services.patients.recent()
    assert kept.given_name == "Kept" and services.patients.count() == 1


def test_sql_metacharacters_are_stored_exactly(services: Services) -> None:
    name = "O'Brien\"; DROP TABLE patients; -- %_\\"
    patient, _ = services.patients.add(anne(family_name=name))
    assert services.patients.get(patient.id).family_name == name
    assert [p.id for p in services.patients.search("brien")] == [patient.id]
    assert [p.id for p in services.patients.search("%_")] == []


def test_patient_without_cpr(services: Services) -> None:
    patient, warnings = services.patients.add(
        PatientInput("Jane", "Doe", no_cpr=True, birth_date=date(1980, 2, 29), sex="female")
    )
    assert (patient.cpr, patient.no_cpr, warnings) == (None, True, ())
    other, _ = services.patients.add(PatientInput("John", "Doe", no_cpr=True))
    assert other.birth_date is None
    assert services.patients.count() == 2


def test_edit_with_the_version_read_succeeds(services: Services) -> None:
    patient, _ = services.patients.add(anne())
    edited, _ = services.patients.update(patient.id, anne(note="Ny note"), expected_version=patient.version)
    assert edited.note == "Ny note" and edited.version == patient.version + 1


def test_second_workstation_gets_a_conflict(database_url: str, services: Services) -> None:
    patient, _ = services.patients.add(anne())
    other = open_services(database_url, services.forms, actor="other-workstation")
    try:
        opened_here = services.patients.get(patient.id)
        opened_there = other.patients.get(patient.id)
        other.patients.update(patient.id, anne(note="saved there"), expected_version=opened_there.version)
        with pytest.raises(ConflictError, match="patient 1"):
            services.patients.update(patient.id, anne(note="saved here"), expected_version=opened_here.version)
    finally:
        other.close()
    assert services.patients.get(patient.id).note == "saved there"


def test_changes_and_views_are_audited(services: Services) -> None:
    patient, _ = services.patients.add(anne())
    services.patients.get(patient.id)
    services.patients.update(patient.id, anne(note="x"), expected_version=patient.version)
    with services.database.engine.connect() as connection:
        from sqlalchemy.orm import Session

        events = events_for(Session(bind=connection), "patient", patient.id)
    assert [e.action for e in events] == ["create", "view", "update"]
    assert {e.actor for e in events} == {"test-clinician"}


def test_delete_removes_the_patient_and_search_entry(services: Services) -> None:
    patient, _ = services.patients.add(anne())
    services.patients.delete(patient.id, patient.version)
    assert services.patients.search("ærbøl") == []
    with services.database.engine.connect() as connection:
        assert connection.execute(select(PatientRow.id)).all() == []


def test_settings_are_shared_and_audited(database_url: str, services: Services) -> None:
    services.settings.save(services.settings.load().with_text("mask_cpr_in_lists", "true"))
    other = open_services(database_url, services.forms, actor="other")
    try:
        assert other.settings.load().mask_cpr_in_lists is True
    finally:
        other.close()
