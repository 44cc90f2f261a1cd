"""Builds the storage services once, after the database has been checked, backed up and migrated.

``open_services`` is the only way the UI and CLI reach the database: it refuses a damaged database or
one from a newer SmerteAgent before anything writes to it.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.storage import backup, migrate
from smerteagent.storage.accounts import AccountService, Identity
from smerteagent.storage.audit import KEY_INFO, AuditService, check_key
from smerteagent.storage.audit_key import load_key
from smerteagent.storage.careplans import CarePlanService
from smerteagent.storage.database import Database, reading_session
from smerteagent.storage.exports import ExportService
from smerteagent.storage.kept_drafts import KeptDraftService
from smerteagent.storage.medication_acks import MedicationAckService
from smerteagent.storage.patients import PatientService
from smerteagent.storage.screenings import ScreeningService
from smerteagent.storage.settings import SettingsService


def default_actor() -> str:
    """Before a login (the command line): the operating-system account, marked as such and read from the
    system's user database rather than $USER, which anyone can set to a clinician's name."""
    if sys.platform != "win32":  # Windows has no user database module; its login name comes from getpass
        import pwd

        try:
            return f"os:{pwd.getpwuid(os.getuid()).pw_name}"
        except (KeyError, OSError):
            pass
    try:
        return f"os:{getpass.getuser()}"
    except (ImportError, KeyError, OSError):  # Python < 3.13 on Windows without USERNAME: it tries pwd
        return "os:unknown"


@dataclass
class Services:
    """Everything a face (UI, CLI) needs, over one checked database."""

    database: Database
    forms: FormLibrary
    patients: PatientService
    screenings: ScreeningService
    settings: SettingsService
    careplans: CarePlanService
    exports: ExportService
    accounts: AccountService
    audit: AuditService
    medication_acks: MedicationAckService
    sessions: sessionmaker[Session]  # for bulk paths (demo) that write rows and their audit event together
    kept_drafts: KeptDraftService  # a clinician's unsaved work kept private at a switch of user

    @property
    def actor(self) -> str:
        """Who acts now: the logged-in clinician (or, before a login, the operating-system user)."""
        return self.accounts.identity.actor()

    def close(self) -> None:
        self.database.dispose()


def prepare(database: Database, *, upgrade: bool = True, daily_backup: bool = True) -> Path | None:
    """The cheap checks (header and size at connect, the last full check's result, schema), backup and
    migration; returns the backup taken, if any. The full integrity check runs before every backup, in
    ``db check``, and in the app's background after start (``daily_backup=False``: the app backs up there)."""
    database.refuse_known_damage()
    current = migrate.check_schema(database)
    taken = None
    path = database.sqlite_path
    needs = current != migrate.head_revision()
    if not needs:
        migrate.check_tables(database)  # before the daily backup: a mismatched file is not kept as a sound copy
    if path is not None and path.exists() and database.has_data():
        if needs and upgrade:
            taken = backup.backup(path, f"before-upgrade-to-{migrate.head_revision()}", passphrase=database.passphrase)
        elif daily_backup and backup.daily_backup_due(path):
            taken = backup.backup(path, "daily", passphrase=database.passphrase)
    if needs:
        if not upgrade:
            raise StorageUnavailable("older_schema", f"schema {current or 'none'}, this program's is {migrate.HEAD}")
        migrate.upgrade(database)
        migrate.check_tables(database)
    return taken


def open_services(
    url: str | None, forms: FormLibrary, actor: str | None = None, *, upgrade: bool = True,
    passphrase: str | None = None, daily_backup: bool = True, audit_key_file: Path | None = None,
) -> Services:  # fmt: skip
    """The services over a checked database; ``passphrase`` opens (or creates) an encrypted SQLite file;
    the audit key (``audit_key_file``, else the environment or the default file) seals every audit event."""
    audit_key = load_key(audit_key_file)
    database = Database.connect(url, passphrase=passphrase)
    try:
        prepare(database, upgrade=upgrade, daily_backup=daily_backup)
        sessions = sessionmaker(database.engine, expire_on_commit=False, info={KEY_INFO: audit_key})
        with reading_session(sessions) as session:
            check_key(session, audit_key)
    except BaseException:
        database.dispose()
        raise
    identity = Identity(actor or default_actor())
    current = identity.actor
    patients = PatientService(sessions, current)
    screenings = ScreeningService(sessions, forms, patients, current)
    careplans = CarePlanService(sessions, patients, current)
    settings = SettingsService(sessions, current, identity.may_administer)
    exports = ExportService(sessions, current)
    accounts, audit = AccountService(sessions, identity), AuditService(sessions, current)
    acks = MedicationAckService(sessions, current)
    return Services(database, forms, patients, screenings, settings, careplans, exports, accounts, audit, acks,
                    sessions, KeptDraftService(sessions, current))  # fmt: skip
