"""Clinician accounts: Argon2id hashes, the first account is the administrator, only administrators manage
accounts, and every login, failed login and lock is in the audit trail under the clinician's name."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from smerteagent.core.accounts import ADMINISTRATOR, CLINICIAN, AccountError, LoginFailed, NotAllowed
from smerteagent.core.patients import PatientInput
from smerteagent.storage.models import AuditEventRow, UserRow
from smerteagent.storage.services import Services

PASSWORD = "rød-kaffe-på-kanden"


def events(services: Services) -> list[AuditEventRow]:
    with Session(services.database.engine) as session:
        return list(session.scalars(select(AuditEventRow).order_by(AuditEventRow.id)))


def test_first_account_is_the_administrator_and_the_hash_is_argon2id(services: Services) -> None:
    assert services.accounts.count() == 0
    first = services.accounts.create("mette", "Mette Kjær", PASSWORD, CLINICIAN)
    assert first.role == ADMINISTRATOR, "the first account always administers"
    with services.database.engine.connect() as connection:
        stored = connection.execute(select(UserRow.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_names_the_clinician_in_every_audit_event(services: Services) -> None:
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    account = services.accounts.log_in("Mette", PASSWORD)  # user names are not case-sensitive
    assert account.username == "mette" and services.actor == "mette"
    services.patients.add(PatientInput("Åse", "Ærø", cpr="070761-4285"))
    trail = events(services)
    assert (trail[-2].action, trail[-2].actor, trail[-2].detail) == ("login", "mette", {"ok": True})
    assert (trail[-1].action, trail[-1].actor) == ("create", "mette")
    services.accounts.lock()
    assert events(services)[-1].action == "lock" and services.accounts.identity.account is None


@pytest.mark.parametrize(("username", "password"), [("mette", "forkert-kodeord"), ("ukendt", PASSWORD)])
def test_wrong_password_and_unknown_user_fail_alike_and_are_recorded(
    services: Services, username: str, password: str
) -> None:
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    with pytest.raises(LoginFailed) as caught:
        services.accounts.log_in(username, password)
    assert "user name or password" in str(caught.value) or "brugernavn eller adgangskode" in str(caught.value)
    last = events(services)[-1]
    expected = "mette" if username == "mette" else "?"  # an unknown name may be a mistyped password
    assert (last.action, last.actor, last.detail) == ("login", expected, {"ok": False})
    assert services.accounts.identity.account is None


def test_only_an_administrator_manages_accounts(services: Services) -> None:
    admin = services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    services.accounts.log_in("mette", PASSWORD)
    clinician = services.accounts.create("lars", "Lars Bæk", PASSWORD + "!", CLINICIAN)
    services.accounts.lock()
    services.accounts.log_in("lars", PASSWORD + "!")
    with pytest.raises(NotAllowed):
        services.accounts.create("søs", "Søs", PASSWORD, CLINICIAN)
    with pytest.raises(NotAllowed):
        services.accounts.update(admin.id, active=False)
    services.accounts.set_password(clinician.id, "et-nyt-langt-kodeord")  # one's own password
    with pytest.raises(NotAllowed):
        services.accounts.set_password(admin.id, "et-nyt-langt-kodeord")


def test_the_last_administrator_cannot_be_removed(services: Services) -> None:
    admin = services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    services.accounts.log_in("mette", PASSWORD)
    with pytest.raises(AccountError):
        services.accounts.update(admin.id, role=CLINICIAN)
    with pytest.raises(AccountError):
        services.accounts.update(admin.id, active=False)
    assert services.accounts.list()[0].role == ADMINISTRATOR


@pytest.mark.parametrize(("username", "password"), [("mette", "kort"), ("mette", "Mette"), ("to ord", PASSWORD)])
def test_weak_passwords_and_bad_names_are_refused(services: Services, username: str, password: str) -> None:
    with pytest.raises(AccountError):
        services.accounts.create(username, "Mette", password, ADMINISTRATOR)
    assert services.accounts.count() == 0


def test_a_deactivated_account_cannot_log_in(services: Services) -> None:
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    services.accounts.log_in("mette", PASSWORD)
    lars = services.accounts.create("lars", "Lars Bæk", PASSWORD, CLINICIAN)
    services.accounts.update(lars.id, active=False)
    with pytest.raises(LoginFailed):
        services.accounts.log_in("lars", PASSWORD)


def test_danish_capital_letters_in_user_names(services: Services) -> None:
    services.accounts.create("Åse", "Åse Ærø", PASSWORD, ADMINISTRATOR)
    assert services.accounts.log_in("åse", PASSWORD).username == "Åse"
    with pytest.raises(AccountError):
        services.accounts.create("ÅSE", "En anden", PASSWORD + "x", CLINICIAN)


def test_demoting_oneself_applies_at_once(services: Services) -> None:
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    services.accounts.log_in("mette", PASSWORD)
    lars = services.accounts.create("lars", "Lars Bæk", PASSWORD, ADMINISTRATOR)
    mette = services.accounts.identity.account
    assert mette is not None and lars.role == ADMINISTRATOR
    services.accounts.update(mette.id, role=CLINICIAN)
    assert services.accounts.identity.account is not None
    assert not services.accounts.identity.account.is_administrator
    with pytest.raises(NotAllowed):
        services.accounts.create("søs", "Søs", PASSWORD, CLINICIAN)


def test_a_clinician_cannot_change_the_settings(services: Services) -> None:
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    services.accounts.log_in("mette", PASSWORD)
    services.accounts.create("lars", "Lars Bæk", PASSWORD, CLINICIAN)
    services.accounts.lock()
    services.accounts.log_in("lars", PASSWORD)
    with pytest.raises(NotAllowed):
        services.settings.save(services.settings.load().with_text("self_completion_pin", "123456"))
    assert not services.settings.load().self_completion_pin
