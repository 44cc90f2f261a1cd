"""Clinic settings: what they are, their defaults, and how a typed value is read from text."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, fields, replace
from typing import Any

from smerteagent.core.errors import SmerteAgentError

PIN_ROUNDS = 100_000


class SettingError(SmerteAgentError):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"setting {key!r}: {problem}")
        self.key = key


@dataclass(frozen=True)
class Settings:
    """Settings shared by every workstation on one database."""

    clinic_name: str = ""
    clinic_address: str = ""
    logo_path: str = ""
    default_battery: str = "gp_first_back"
    language: str = "da"
    mask_cpr_in_lists: bool = False
    inactivity_lock_minutes: int = 10
    self_completion_pin: str = ""

    @classmethod
    def keys(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> Settings:
        """Known keys only; a stored value of the wrong type falls back to the default."""
        values = {}
        for item in fields(cls):
            value = stored.get(item.name)
            if value is not None and isinstance(value, type(getattr(cls(), item.name))):
                values[item.name] = value
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
        if key == "language" and value not in ("da", "en"):
            raise SettingError(key, "expected da or en")
        if key == "self_completion_pin":
            value = hash_pin(text)
        return replace(self, **{key: value})


def hash_pin(pin: str) -> str:
    """A salted PBKDF2 hash; the PIN itself is never stored."""
    if not (4 <= len(pin) <= 12 and pin.isdigit()):
        raise SettingError("self_completion_pin", "a PIN is 4 to 12 digits")
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ROUNDS).hex()
    return f"pbkdf2${salt}${digest}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        _scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ROUNDS).hex()
    return hmac.compare_digest(candidate, digest)
