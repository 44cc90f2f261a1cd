"""The patient's mode: the PIN only ends it, wrong PINs back off and lock out, a clinician's own password
lifts the lockout, and every hand-over, wrong PIN and return is audited (the PIN itself never)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smerteagent.core.accounts import ADMINISTRATOR, LoginFailed
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.core.settings import SettingError, Settings, pin_length, pin_meets_minimum
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.database import Database
from smerteagent.storage.migrate import upgrade
from smerteagent.storage.services import Services, open_services
from smerteagent.usecases.patient_mode import MAX_FAILURES, PatientMode, PinNotReady, wait_after

PIN = "471108"
PASSWORD = "rød-kaffe-på-kanden"


class Clock:
    """A clock the test moves by hand: back-off is checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite'}"
    database = Database.connect(url)
    upgrade(database)
    database.dispose()
    opened = open_services(url, FormLibrary.load([bundled_forms_dir()]), actor="test")
    opened.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    opened.accounts.log_in("mette", PASSWORD)
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mode(services: Services, clock: Clock) -> PatientMode:
    services.settings.save(services.settings.load().with_text("self_completion_pin", PIN))
    return PatientMode(services, clock)


def actions(services: Services) -> list[str]:
    return [event.action for event in services.audit.events()]


def test_the_pin_minimum_is_the_clinics_and_six_by_default() -> None:
    assert Settings().pin_min_length == 6
    with pytest.raises(SettingError, match="6 to 12"):
        Settings().with_text("self_completion_pin", "4711")
    assert pin_length(Settings().with_text("self_completion_pin", "123456").self_completion_pin) == 6
    shorter = Settings().with_text("pin_min_length", "4").with_text("self_completion_pin", "4711")
    assert pin_length(shorter.self_completion_pin) == 4
    for bad in ("3", "13", "seks"):
        with pytest.raises(SettingError):
            Settings().with_text("pin_min_length", bad)
    with pytest.raises(SettingError):
        Settings().with_text("self_completion_pin", "１２３４５６")  # full-width digits are not digits 0-9


def test_a_pin_below_a_raised_minimum_cannot_start_a_hand_over(services: Services, mode: PatientMode) -> None:
    mode.check_ready()
    services.settings.save(services.settings.load().with_text("pin_min_length", "8"))
    assert not pin_meets_minimum(services.settings.load().self_completion_pin, 8)
    with pytest.raises(PinNotReady, match="8"):
        mode.hand_over(1)
    services.settings.save(Settings(self_completion_pin="pbkdf2$00$00"))  # stored before lengths were kept
    with pytest.raises(PinNotReady):
        mode.check_ready()
    assert "handover" not in actions(services)


def test_no_pin_no_hand_over(services: Services, clock: Clock) -> None:
    with pytest.raises(PinNotReady):
        PatientMode(services, clock).hand_over(1)


def test_hand_over_and_return_are_audited(services: Services, mode: PatientMode) -> None:
    patient, _ = services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    mode.hand_over(patient.id, 7)
    assert mode.try_pin(PIN).accepted
    mode.hand_back(patient.id, "pin")
    events = services.audit.events()[-2:]
    assert [(e.action, e.record_id, e.detail, e.actor) for e in events] == [
        ("handover", str(patient.id), {"encounter": 7}, "mette"),
        ("return", str(patient.id), {"by": "pin"}, "mette"),
    ]


def test_wrong_pins_back_off_then_lock_out_and_are_audited_without_the_pin(
    services: Services, mode: PatientMode, clock: Clock
) -> None:
    waits = []
    for attempt in range(1, MAX_FAILURES + 1):
        outcome = mode.try_pin("000000")
        assert not outcome.accepted and outcome.failures == attempt
        waits.append(outcome.wait_seconds)
        if attempt < MAX_FAILURES:
            early = mode.try_pin(PIN)
            assert not early.accepted and early.wait_seconds > 0, "too soon: not even the right PIN is checked"
            clock.now += outcome.wait_seconds
    assert waits == [wait_after(n) for n in range(1, MAX_FAILURES)] + [0.0]
    assert waits[:-1] == sorted(set(waits[:-1])), "each wrong PIN waits longer than the one before"
    assert outcome.locked_out
    clock.now += 10_000
    assert mode.try_pin(PIN).locked_out, "a lockout does not time out: the right PIN is refused"
    failed = [e for e in services.audit.events() if e.action == "pin_failed"]
    assert [e.detail for e in failed] == [
        {"failures": n, "locked_out": n == MAX_FAILURES} for n in range(1, MAX_FAILURES + 1)
    ]
    assert all("000000" not in str(e.detail) and PIN not in str(e.detail) for e in services.audit.events())


def test_only_a_clinicians_password_lifts_the_lockout(services: Services, mode: PatientMode, clock: Clock) -> None:
    for _ in range(MAX_FAILURES):
        clock.now += 100  # each attempt after the back-off
        mode.try_pin("111111")
    assert mode.locked_out
    with pytest.raises(LoginFailed):
        mode.lift_lockout("mette", PIN)
    assert mode.locked_out
    assert mode.lift_lockout("mette", PASSWORD).username == "mette"
    assert not mode.locked_out and mode.failures == 0
    assert mode.try_pin(PIN).accepted
    assert "pin_unlocked" in actions(services)


def test_a_right_pin_resets_the_count(mode: PatientMode, clock: Clock) -> None:
    for _ in range(MAX_FAILURES - 1):
        clock.now += 100
        mode.try_pin("999999")
    clock.now += 100
    assert mode.try_pin(PIN).accepted
    clock.now += 100
    assert mode.try_pin("999999").failures == 1
