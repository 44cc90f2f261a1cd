"""Clinic settings: what they are, their defaults, and how a typed value is read from text."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, get_args

from smerteagent.core.errors import SmerteAgentError

PIN_ROUNDS = 100_000
Language = Literal["da", "en"]  # the languages the app and its documents are written in
LANGUAGES: tuple[Language, ...] = get_args(Language)
PIN_LENGTHS = range(4, 13)  # what a clinic may require as the PIN's minimum length; a PIN has at most 12 digits


class SettingError(SmerteAgentError):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"setting {key!r}: {problem}")
        self.key = key


@dataclass(frozen=True)
class Settings:
    """Settings shared by every workstation on one database."""

    clinic_name: str = ""
    clinic_address: str = ""
    clinic_phone: str = ""
    logo_path: str = ""
    default_battery: str = "gp_first_back"
    language: Language = "da"
    mask_cpr_in_lists: bool = False
    inactivity_lock_minutes: int = 10
    self_completion_pin: str = ""
    pin_min_length: int = 6
    clinic_details_asked: bool = False  # the first-start question about the clinic was answered or skipped

    @classmethod
    def keys(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Settings:
        """Known keys only; a stored value of the wrong type (or a language the app does not speak) falls back
        to the default."""
        values = {}
        for item in fields(cls):
            value = stored.get(item.name)
            if value is not None and isinstance(value, type(getattr(cls(), item.name))):
                values[item.name] = value
        if values.get("language", "da") not in LANGUAGES:
            del values["language"]
        return cls(**values)

    def with_text(self, key: str, text: str) -> Settings:
        """A copy with ``key`` set from user text (true/false, numbers), checked."""
        if key not in self.keys():
            raise SettingError(key, f"unknown; known settings: {', '.join(self.keys())}")
        current = getattr(self, key)
        value: Any = text
        if isinstance(current, bool):
            if text.lower() not in ("true", "false", "yes", "no", "ja", "nej", "1", "0"):
                raise SettingError(key, "expected true or false")
            value = text.lower() in ("true", "yes", "ja", "1")
        elif isinstance(current, int):
            try:
                value = int(text)
            except ValueError:
                raise SettingError(key, "expected a whole number") from None
            if value < 1:
                raise SettingError(key, "must be at least 1")
        if key == "language" and value not in LANGUAGES:
            raise SettingError(key, "expected da or en")
        if key == "pin_min_length" and value not in PIN_LENGTHS:
            raise SettingError(key, f"a PIN's minimum length is {PIN_LENGTHS[0]} to {PIN_LENGTHS[-1]} digits")
        if key == "clinic_phone":
            value = check_phone(text)
        if key == "self_completion_pin":
            value = hash_pin(text, self.pin_min_length)
        return replace(self, **{key: value})


PHONE = re.compile(r"\+?[0-9 ]*")
PHONE_DIGITS = range(3, 16)  # 112 up to the 15 digits of an international number (E.164)


def check_phone(text: str) -> str:
    """A phone number as printed on the handout, checked loosely: digits and spaces, a leading + for a country
    code; empty means not set. Runs of spaces are made single."""
    phone = " ".join(text.split())
    if not phone:
        return ""
    digits = sum(c.isdigit() for c in phone)
    if not PHONE.fullmatch(phone) or digits not in PHONE_DIGITS:
        raise SettingError("clinic_phone", "a phone number is digits and spaces, with a leading + for a country code")
    return phone


def hash_pin(pin: str, min_length: int = 6) -> str:
    """A salted PBKDF2 hash; the PIN itself is never stored, its length is (so a clinic that raises the
    minimum knows which PIN no longer meets it)."""
    if not (min_length <= len(pin) <= PIN_LENGTHS[-1] and pin.isascii() and pin.isdigit()):
        raise SettingError("self_completion_pin", f"a PIN is {min_length} to {PIN_LENGTHS[-1]} digits")
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ROUNDS).hex()
    return f"pbkdf2${salt}${digest}${len(pin)}"


def pin_length(stored: str) -> int | None:
    """The stored PIN's length; None for a PIN stored before lengths were kept (or none at all)."""
    parts = stored.split("$")
    return int(parts[3]) if len(parts) == 4 and parts[3].isdigit() else None


def pin_meets_minimum(stored: str, min_length: int) -> bool:
    """Whether the clinic's PIN may still open the patient's mode under today's minimum length."""
    length = pin_length(stored)
    return length is not None and length >= min_length


def verify_pin(pin: str, stored: str) -> bool:
    try:
        _scheme, salt, digest = stored.split("$")[:3]
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ROUNDS).hex()
    return hmac.compare_digest(candidate, digest)
