"""Clinician accounts as the core sees them: who is logged in and what their role lets them do.

Roles (issue 6): a clinician works with patients, screenings and plans; an administrator also manages
accounts, settings and the user forms folder. The patient's self-completion mode is a third, minimal role
that never logs in: it can only answer the questionnaires handed to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import N_, _

ADMINISTRATOR, CLINICIAN, PATIENT = "administrator", "clinician", "patient"
ROLES = {ADMINISTRATOR: N_("Administrator"), CLINICIAN: N_("Clinician")}
MIN_PASSWORD_LENGTH = 10  # a pass phrase, as the Danish Agency for Digital Government advises
FREE_FAILURES, BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS = 3, 5, 15 * 60


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    active: bool = True

    @property
    def is_administrator(self) -> bool:
        return self.role == ADMINISTRATOR


class AccountError(SmerteAgentError):
    """An account that cannot be made or changed as asked; the message says why."""


class LoginFailed(SmerteAgentError):
    """Wrong user name or password: deliberately the same message for both."""

    def __init__(self) -> None:
        super().__init__(_("Wrong user name or password"))


class LoginThrottled(LoginFailed):
    """Too many failed logins in a row for this user name: the next try must wait (exponential back-off)."""

    def __init__(self, seconds: int) -> None:
        SmerteAgentError.__init__(
            self,
            _("Too many failed logins with this user name; try again in {seconds} seconds").format(seconds=seconds),
        )
        self.seconds = seconds


def backoff_seconds(failures: int) -> float:
    """The wait after ``failures`` failed logins in a row: none for the first few typos, then doubling up
    to a cap, so that guessing online costs days while a clinician who mistypes loses seconds."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(BACKOFF_BASE_SECONDS * 2 ** (failures - FREE_FAILURES), BACKOFF_CAP_SECONDS))


class NotAllowed(SmerteAgentError):
    """The logged-in user's role does not allow this."""

    def __init__(self, what: str) -> None:
        super().__init__(_("Only an administrator may {what}").format(what=what))


def password_problem(password: str, username: str) -> str | None:
    """Why a new password is refused (None when it is fine): spaces at the ends do not count towards its
    length, and a password on the shipped list of common ones (or one character repeated) is refused."""
    stripped = password.strip()
    if not stripped:
        return _("The password must not be only spaces")
    if len(stripped) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least {count} characters").format(count=MIN_PASSWORD_LENGTH)
    if stripped.casefold() == username.strip().casefold():
        return _("The password must not be the user name")
    if stripped.casefold() in common_passwords() or len(set(stripped.casefold())) == 1:
        return _("The password is one of the most common passwords; choose another (several unrelated words "
                 "are both strong and easy to type)")  # fmt: skip
    return None


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list (resources/accounts/common-passwords.txt), read once, compared case-insensitively."""
    from smerteagent.paths import bundled_resources_dir

    text = (bundled_resources_dir() / "accounts" / "common-passwords.txt").read_text(encoding="utf-8")
    lines = (line.strip().casefold() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def username_problem(username: str) -> str | None:
    cleaned = username.strip()
    if not cleaned or len(cleaned) > 100 or any(c.isspace() for c in cleaned):
        return _("A user name is 1 to 100 characters without spaces")
    return None
