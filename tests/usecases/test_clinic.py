"""The clinic's details: asked once at first start of an administrator, stored as settings, skippable."""

from __future__ import annotations

import pytest

from smerteagent.core.settings import SettingError
from smerteagent.storage.services import Services
from smerteagent.usecases.clinic import (
    ClinicDetails,
    clinic_details,
    set_clinic_details,
    should_ask,
    skip_clinic_details,
)


def test_asked_of_an_administrator_until_answered(services: Services) -> None:
    assert should_ask(services, administrator=True)
    assert not should_ask(services, administrator=False), "only an administrator may change settings"
    typed = ClinicDetails("Lægerne  i Åbyhøj", "Åbyhøjgade 12, 8230 Åbyhøj", " 86 15 22 33")
    stored = set_clinic_details(services, typed)
    assert stored == ClinicDetails("Lægerne i Åbyhøj", "Åbyhøjgade 12, 8230 Åbyhøj", "86 15 22 33")
    assert clinic_details(services) == stored
    assert not should_ask(services, administrator=True)
    changes = [e.detail["changed"] for e in services.audit.events() if e.record_type == "settings"]
    assert ["clinic_address", "clinic_details_asked", "clinic_name", "clinic_phone"] in changes, "audited"


def test_skipped_it_is_not_asked_again(services: Services) -> None:
    skip_clinic_details(services)
    assert not should_ask(services, administrator=True)
    assert clinic_details(services) == ClinicDetails()


def test_a_phone_that_is_not_a_number_stores_nothing(services: Services) -> None:
    with pytest.raises(SettingError):
        set_clinic_details(services, ClinicDetails("Klinikken", "", "ring til Jens"))
    assert clinic_details(services) == ClinicDetails() and should_ask(services, administrator=True)
