"""Settings parse user text into typed values and refuse what they cannot use."""

from __future__ import annotations

import pytest

from smerteagent.core.settings import SettingError, Settings


def test_text_is_typed() -> None:
    settings = Settings().with_text("mask_cpr_in_lists", "ja").with_text("inactivity_lock_minutes", "5")
    assert (settings.mask_cpr_in_lists, settings.inactivity_lock_minutes) == (True, 5)
    assert Settings().with_text("clinic_name", "Smerteklinikken Århus").clinic_name == "Smerteklinikken Århus"


@pytest.mark.parametrize(
    ("key", "text"),
    [("nope", "1"), ("mask_cpr_in_lists", "maybe"), ("inactivity_lock_minutes", "0"), ("language", "fr")],
)
def test_bad_values_are_refused(key: str, text: str) -> None:
    with pytest.raises(SettingError):
        Settings().with_text(key, text)


def test_stored_values_of_the_wrong_type_fall_back_to_defaults() -> None:
    loaded = Settings.from_stored({"mask_cpr_in_lists": "yes", "clinic_name": "Klinik", "unknown": 1})
    assert (loaded.mask_cpr_in_lists, loaded.clinic_name) == (False, "Klinik")


@pytest.mark.parametrize(
    ("text", "stored"),
    [("86 12 34 56", "86 12 34 56"), ("+45  86123456 ", "+45 86123456"), ("112", "112"), ("", "")],
)
def test_the_clinics_phone_is_checked_loosely(text: str, stored: str) -> None:
    assert Settings().with_text("clinic_phone", text).clinic_phone == stored


@pytest.mark.parametrize("text", ["86-12-34-56", "tlf 86123456", "45+86123456", "12", "+45 1234 5678 9012 3456"])
def test_a_phone_that_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(SettingError, match="phone"):
        Settings().with_text("clinic_phone", text)
