"""The patient's own mode (self-completion): handing over, the clinic PIN that ends it, and the return.

The PIN is shared by the clinic and may be seen typed, so it never opens a clinician's session: it only
ends the patient's mode, and the faces then show the lock. Wrong PINs wait longer each time and, after
``MAX_FAILURES``, the PIN is refused until a clinician's own password lifts the lockout. Every hand-over,
wrong PIN, lockout, lift and return is in the audit trail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smerteagent.core.accounts import Account
from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.settings import pin_meets_minimum, verify_pin
from smerteagent.i18n import _

if TYPE_CHECKING:
    from smerteagent.storage.services import Services

MAX_FAILURES = 5
FIRST_WAIT_SECONDS = 2.0  # after the first wrong PIN; doubles with each further one (2, 4, 8, 16 s)


class PinNotReady(SmerteAgentError):
    """The clinic has no PIN, or one shorter than its minimum length: the patient's mode cannot be left."""


@dataclass(frozen=True)
class PinOutcome:
    """What one PIN attempt came to; ``wait_seconds`` > 0 means not checked at all (too soon)."""

    accepted: bool
    failures: int = 0
    wait_seconds: float = 0.0
    locked_out: bool = False
    checked: bool = True  # False: refused unchecked (too soon after a wrong one, or locked out)

    @property
    def tries_left(self) -> int:
        """Wrong PINs still allowed before only a clinician's password lifts the lockout."""
        return max(0, MAX_FAILURES - self.failures)


def wait_after(failures: int) -> float:
    """The back-off after ``failures`` wrong PINs in a row (0 before the first)."""
    return 0.0 if failures <= 0 else FIRST_WAIT_SECONDS * 2 ** (failures - 1)


class PatientMode:
    """One per workstation: the wrong-PIN count and the lockout survive from one hand-over to the next."""

    def __init__(self, services: Services, clock: Callable[[], float] = time.monotonic) -> None:
        self.services = services
        self.clock = clock
        self.failures = 0
        self.not_before = 0.0
        self.locked_out = False

    def check_ready(self) -> None:
        """Refuse a hand-over that could not be ended: no PIN, or a PIN below the clinic's minimum length."""
        settings = self.services.settings.load()
        if not settings.self_completion_pin:
            raise PinNotReady(_("Set a clinician PIN in Settings; it is needed to leave the patient's mode."))
        if not pin_meets_minimum(settings.self_completion_pin, settings.pin_min_length):
            raise PinNotReady(_("The clinician PIN is shorter than the clinic's minimum of {length} digits (or was "
                                "set before the minimum was kept); set a new one in Settings.")
                              .format(length=settings.pin_min_length))  # fmt: skip

    def hand_over(self, patient_id: int, encounter_id: int | None = None) -> int:
        """The device goes to the patient: checked, then audited (a hand-over that cannot be audited fails);
        the audit event's id."""
        self.check_ready()
        return self.services.audit.record("handover", "patient", patient_id, {"encounter": encounter_id})

    def try_pin(self, pin: str) -> PinOutcome:
        """Check one PIN; too soon after a wrong one or while locked out it is not even checked."""
        if self.locked_out:
            return PinOutcome(False, self.failures, locked_out=True, checked=False)
        wait = self.not_before - self.clock()
        if wait > 0:
            return PinOutcome(False, self.failures, wait_seconds=wait, checked=False)
        stored = self.services.settings.load().self_completion_pin
        if stored and verify_pin(pin, stored):
            self.failures, self.not_before = 0, 0.0
            return PinOutcome(True)
        self.failures += 1
        self.locked_out = self.failures >= MAX_FAILURES
        self.not_before = self.clock() + wait_after(self.failures)
        # The PIN typed is never recorded: a wrong one may be one digit off the right one.
        self.services.audit.record("pin_failed", "patient_mode", None,
                                   {"failures": self.failures, "locked_out": self.locked_out})  # fmt: skip
        wait = 0.0 if self.locked_out else wait_after(self.failures)
        return PinOutcome(False, self.failures, wait_seconds=wait, locked_out=self.locked_out)

    def lift_lockout(self, username: str, password: str) -> Account:
        """A clinician's own password (with the account service's own back-off) ends the lockout."""
        account = self.services.accounts.log_in(username, password)
        self.services.audit.record("pin_unlocked", "patient_mode", None, {"failures": self.failures})
        self.failures, self.not_before, self.locked_out = 0, 0.0, False
        return account

    def hand_back(self, patient_id: int, by: str) -> None:
        """The patient's mode ended (``by`` "pin" or "password"); the faces show the lock next."""
        self.services.audit.record("return", "patient", patient_id, {"by": by})
