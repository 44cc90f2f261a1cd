"""Passwords a guesser tries first are refused, and failed logins slow the next try down, exponentially,
for the login page and the unlock dialog alike (both go through the account service)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from smerteagent.core.accounts import (
    ADMINISTRATOR,
    FREE_FAILURES,
    AccountError,
    LoginFailed,
    LoginThrottled,
    backoff_seconds,
    common_passwords,
    password_problem,
)
from smerteagent.storage.services import Services

PASSWORD = "rød-kaffe-på-kanden"


@pytest.mark.parametrize("password", [" " * 10, "\t" * 12, " \u00a0 " * 5, "    a     ", "1234567890", "Qwertyuiop",
                                      "  adgangskode  ", "zzzzzzzzzzzz", "PASSWORD123"])  # fmt: skip
def test_blank_common_and_one_letter_passwords_are_refused(services: Services, password: str) -> None:
    assert password_problem(password, "mette") is not None
    with pytest.raises(AccountError):
        services.accounts.create("mette", "Mette Kjær", password, ADMINISTRATOR)
    assert services.accounts.count() == 0


def test_the_shipped_list_is_read_and_good_passwords_pass() -> None:
    assert len(common_passwords()) > 100 and "1234567890" in common_passwords()
    assert password_problem(PASSWORD, "mette") is None
    assert password_problem("  " + PASSWORD + "  ", "mette") is None


def test_failed_logins_make_the_next_try_wait_twice_as_long_each_time(services: Services) -> None:
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    now = [datetime.now()]
    services.accounts._clock = lambda: now[0]
    for _ in range(FREE_FAILURES):  # a few typos cost nothing
        with pytest.raises(LoginFailed) as caught:
            services.accounts.log_in("mette", "forkert-kodeord")
        assert not isinstance(caught.value, LoginThrottled)
    with pytest.raises(LoginThrottled) as throttled:
        services.accounts.log_in("mette", PASSWORD)  # even the right password waits
    first_wait = throttled.value.seconds
    assert first_wait >= backoff_seconds(FREE_FAILURES) - 1 > 0
    now[0] += timedelta(seconds=first_wait + 1)
    with pytest.raises(LoginFailed):
        services.accounts.log_in("mette", "forkert-igen-her")  # one more failure: the wait doubles
    with pytest.raises(LoginThrottled) as throttled:
        services.accounts.log_in("mette", PASSWORD)
    assert throttled.value.seconds >= 2 * first_wait - 1
    trail = [e.detail for e in services.audit.events() if e.action == "login"]
    assert trail == [{"ok": False}] * FREE_FAILURES + [{"ok": False, "throttled": True}, {"ok": False},
                                                        {"ok": False, "throttled": True}]  # fmt: skip
    now[0] += timedelta(seconds=throttled.value.seconds + 1)
    assert services.accounts.log_in("mette", PASSWORD).username == "mette"
    services.accounts.lock()
    with pytest.raises(LoginFailed) as caught:  # a success resets the count
        services.accounts.log_in("mette", "forkert-kodeord")
    assert not isinstance(caught.value, LoginThrottled)


def test_the_back_off_holds_on_another_workstation_and_for_unknown_names(services: Services) -> None:
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    for name in ("mette", "ukendt"):
        for _ in range(FREE_FAILURES):
            with pytest.raises(LoginFailed):
                services.accounts.log_in(name, "forkert-kodeord")
        with pytest.raises(LoginThrottled):
            services.accounts.log_in(name, "forkert-kodeord")
    from smerteagent.storage.services import open_services

    other = open_services(services.database.url, services.forms, actor="other-desk")
    try:
        with pytest.raises(LoginThrottled):
            other.accounts.log_in("Mette", PASSWORD)  # the count is in the audit trail, not in one process
    finally:
        other.close()


def test_the_waits_double_up_to_a_cap() -> None:
    waits = [backoff_seconds(n) for n in range(12)]
    assert waits[:FREE_FAILURES] == [0] * FREE_FAILURES
    assert all(b in (2 * a, waits[-1]) for a, b in itertools.pairwise(waits[FREE_FAILURES:]))
    assert waits[-1] == backoff_seconds(1000)
