"""The clinic's name, address and phone, printed on the patient's handout and the clinician summary: asked
once at first start (an administrator may skip it and set them later in Settings)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from smerteagent.core.settings import check_phone

if TYPE_CHECKING:
    from smerteagent.storage.services import Services


@dataclass(frozen=True)
class ClinicDetails:
    name: str = ""
    address: str = ""
    phone: str = ""


def clinic_details(services: Services) -> ClinicDetails:
    settings = services.settings.load()
    return ClinicDetails(settings.clinic_name, settings.clinic_address, settings.clinic_phone)


def should_ask(services: Services, *, administrator: bool) -> bool:
    """Ask at first start: only an administrator may set them, only while no name is set, and only once (a
    skipped question is not asked again; Settings has the fields)."""
    settings = services.settings.load()
    return administrator and not settings.clinic_name and not settings.clinic_details_asked


def set_clinic_details(services: Services, details: ClinicDetails) -> ClinicDetails:
    """Store the details (the phone checked loosely: digits, spaces and a leading +); audited as a settings
    change. Raises SettingError for a phone that is not a number."""
    phone = check_phone(details.phone)
    stored = replace(details, name=" ".join(details.name.split()), address=" ".join(details.address.split()),
                     phone=phone)  # fmt: skip
    settings = services.settings.load()
    services.settings.save(replace(settings, clinic_name=stored.name, clinic_address=stored.address,
                                   clinic_phone=stored.phone, clinic_details_asked=True))  # fmt: skip
    return stored


def skip_clinic_details(services: Services) -> None:
    """Not now: the question is not asked again."""
    services.settings.save(replace(services.settings.load(), clinic_details_asked=True))
