"""Clinician accounts as the core sees them: who is logged in and what their role lets them do.

Roles (issue 6): a clinician works with patients, screenings and plans; an administrator also manages
accounts, settings and the user forms folder. The patient's self-completion mode is a third, minimal role
that never logs in: it can only answer the questionnaires handed to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import N_, _

ADMINISTRATOR, CLINICIAN, PATIENT = "administrator", "clinician", "patient"
ROLES = {ADMINISTRATOR: N_("Administrator"), CLINICIAN: N_("Clinician")}
MIN_PASSWORD_LENGTH = 10  # a pass phrase, as the Danish Agency for Digital Government advises


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


class NotAllowed(SmerteAgentError):
    """The logged-in user's role does not allow this."""

    def __init__(self, what: str) -> None:
        super().__init__(_("Only an administrator may {what}").format(what=what))


def password_problem(password: str, username: str) -> str | None:
    """Why a new password is refused (None when it is fine)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least {count} characters").format(count=MIN_PASSWORD_LENGTH)
    if password.strip().casefold() == username.strip().casefold():
        return _("The password must not be the user name")
    return None


def username_problem(username: str) -> str | None:
    cleaned = username.strip()
    if not cleaned or len(cleaned) > 100 or any(c.isspace() for c in cleaned):
        return _("A user name is 1 to 100 characters without spaces")
    return None
