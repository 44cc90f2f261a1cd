"""Starting the desktop app: paint the window first, bring storage in behind it.

Importing SQLAlchemy and reading the forms costs more than showing a window, so the main window is shown
with its login page while storage opens on a worker thread. A SQLite file that passes the cheap checks
gets the patient list and its search at once, read without SQLAlchemy (usecases.list_reader); the
services (SQLAlchemy's ORM, the forms, the audit trail) load behind it, and logging in and opening a patient
use them; an encrypted file too, once its passphrase is known. A server (PostgreSQL), or a file the reader
declines (the services then say why), gets its list once the services have loaded.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QThread, QTimer, QTranslator, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from smerteagent import __version__
from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _, set_language
from smerteagent.i18n import language as current_language
from smerteagent.paths import bundled_resources_dir
from smerteagent.ui.context import AppContext
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.passphrase_dialog import ask_passphrase
from smerteagent.ui.system_libraries import explanation, missing_packages

UNLOCK_REASONS = ("passphrase_needed", "wrong_passphrase")


def _process_start() -> float:
    """When this process started, on the perf_counter clock (Linux /proc); else when this module loaded."""
    if not sys.platform.startswith("linux"):
        return time.perf_counter()
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        started_after_boot = int(fields[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.perf_counter() - (uptime - started_after_boot)
    except (OSError, ValueError, IndexError):
        return time.perf_counter()


STARTED = _process_start()


HEAVY_MODULES = ("sqlalchemy", "sqlalchemy.orm", "smerteagent.storage.models", "pydantic")
READER_SHOWN_WAIT_S = 10.0


class StorageLoader(QThread):
    """First the list, on its checked reader (standard library only) when the file allows; then storage:
    imports, forms, and the database opened with its checks, backup and migration."""

    reader_opened = Signal(object)  # a ListReader: list and search work, before the services
    loaded = Signal(object)
    failed = Signal(str, str, str)  # message, StorageUnavailable reason (or ""), the SQLite file (or "")

    def __init__(self, db_url: str | None, forms_dir: Path | None, passphrase: str | None = None) -> None:
        super().__init__()
        self.db_url, self.forms_dir, self.passphrase = db_url, forms_dir, passphrase
        self.list_shown = threading.Event()

    def run(self) -> None:
        import smerteagent.ui.patient_list  # noqa: F401 - the list's code, loaded here and not on the GUI thread
        from smerteagent.usecases.list_reader import open_list_reader
        from smerteagent.usecases.location import describe_url, resolve_url, sqlite_file

        url = resolve_url(self.db_url)
        reader = open_list_reader(url, passphrase=self.passphrase)
        if reader is not None:
            self.reader_opened.emit(reader)
            # The list and its search are in use before the heavy imports compete with them for the GIL.
            self.list_shown.wait(timeout=READER_SHOWN_WAIT_S)
        try:
            from smerteagent.core.forms.loader import FormLibrary
            from smerteagent.paths import form_folders
            from smerteagent.usecases.services import open_services

            forms = FormLibrary.load(form_folders(self.forms_dir))
            # The full integrity check and the daily backup follow in the background (IntegrityWatcher).
            self.loaded.emit(open_services(url, forms, passphrase=self.passphrase, daily_backup=False))
        except SmerteAgentError as error:
            file = sqlite_file(url)
            message = _("{problem}\n\nDatabase: {where}").format(problem=error, where=describe_url(url))
            self.failed.emit(message, getattr(error, "reason", ""), str(file) if file else "")
        except Exception as error:  # a start that fails must say so, not hang on "loading"
            self.failed.emit(
                _("Unexpected error while opening the database: {error}").format(error=repr(error)), "", ""
            )
            raise


class IntegrityWatcher(QThread):
    """After start, off the critical path: the full integrity check, then the daily backup when due.
    Damage found stops every write at once (the services refuse them) and is shown at once."""

    damaged = Signal(str)
    backup_failed = Signal(str)

    def __init__(self, database: Any) -> None:
        super().__init__()
        self.database = database

    def run(self) -> None:
        from smerteagent.usecases.integrity import check

        try:
            report = check(self.database, backup_when_due=True)
        except SmerteAgentError as error:
            self.backup_failed.emit(str(error))
            return
        if report.problems:
            self.damaged.emit(report.problems[0])
        elif report.backup_problem:
            self.backup_failed.emit(report.backup_problem)


def show_damage(window: QWidget, where: str, problem: str) -> None:
    """The background check found damage: say so at once; nothing more is saved."""
    text = _(
        "The integrity check found damage in {where}: {problem}\n\nNothing more will be saved. Close "
        "SmerteAgent and restore a backup (offered at the next start, or: smerteagent db restore)."
    ).format(where=where, problem=problem)
    QMessageBox.critical(window, _("The database is damaged"), text)


def show_backup_failure(window: QWidget, problem: str) -> None:
    QMessageBox.warning(window, _("The daily backup was not made"), problem)


class FirstPaint(QObject):
    """Notes the time of the main window's first paint."""

    painted = Signal(float)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.painted.emit((time.perf_counter() - STARTED) * 1000)
        return False


def install_qt_translations(app: QApplication, language: str) -> None:
    """Qt's own catalogue, so standard buttons (OK, Cancel, Save) speak Danish too; removed for English."""
    for old in app.findChildren(QTranslator, "qtbase"):
        app.removeTranslator(old)
        old.deleteLater()
    if language == "da":
        translator = QTranslator(app)
        translator.setObjectName("qtbase")
        if translator.load(QLocale(QLocale.Language.Danish), "qtbase", "_",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):  # fmt: skip
            app.installTranslator(translator)


def run(db_url: str | None = None, forms_dir: Path | None = None, *, exit_after_startup: bool = False,
        language_forced: str | None = None, passphrase: str | None = None) -> int:  # fmt: skip
    """Start the desktop app; with ``exit_after_startup`` print timings once the list is filled, and quit.

    ``passphrase`` opens an encrypted SQLite file (else SMERTEAGENT_DB_PASSPHRASE, else the app asks).
    """
    language = language_forced or "da"
    set_language(language)
    missing = missing_packages() if QApplication.instance() is None else []
    if missing:
        print(explanation(missing), file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("SmerteAgent")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("smerteagent")  # ties the windows to packaging/linux/smerteagent.desktop
    app.setWindowIcon(QIcon(str(bundled_resources_dir() / "icons" / "smerteagent.png")))
    install_qt_translations(app, language)
    context = AppContext()
    window = MainWindow(context, greeting=not exit_after_startup)
    timings: dict[str, float] = {}
    painter = FirstPaint()
    painter.painted.connect(lambda ms: timings.setdefault("first_paint_ms", round(ms, 1)))
    window.installEventFilter(painter)
    loaders: list[StorageLoader] = []
    passphrases = [passphrase]  # a passphrase typed at the prompt replaces it, for later retries too

    def start_loading(typed: str | None = None) -> StorageLoader:
        if typed is not None:
            passphrases[0] = typed
        loader = StorageLoader(db_url, forms_dir, passphrases[0])
        loader.reader_opened.connect(window.show_reader)
        loader.reader_opened.connect(lambda _reader: _storage_ready_at(timings))
        window.list_did_fill.connect(loader.list_shown.set)
        loader.loaded.connect(context.set_services)
        loader.failed.connect(
            lambda message, reason, file: _storage_failed(window, message, reason, file, start_loading, passphrases[0])
        )
        loaders.append(loader)
        return loader

    loader = start_loading()
    watchers: list[IntegrityWatcher] = []

    def watch() -> None:
        watcher = IntegrityWatcher(context.services.database)
        where = context.services.database.display_name
        watcher.damaged.connect(lambda problem: show_damage(window, where, problem))
        watcher.backup_failed.connect(lambda problem: show_backup_failure(window, problem))
        watchers.append(watcher)
        watcher.start()

    context.services_did_load.connect(watch)
    if language_forced is None:
        context.services_did_load.connect(lambda: _use_saved_language(context))
    context.language_did_change.connect(lambda code: install_qt_translations(app, code))
    window.list_did_fill.connect(lambda: timings.setdefault("ready_ms", _since_start()))
    if exit_after_startup:
        context.services_did_load.connect(lambda: _report_ready(app, timings))
    # Storage loads once the window has painted, so its imports do not compete with the first paint.
    painter.painted.connect(lambda _ms: QTimer.singleShot(0, loader.start))

    def start_if_idle() -> None:  # in case the first paint never comes (e.g. a minimised start)
        if not (loader.isRunning() or loader.isFinished()):
            loader.start()

    QTimer.singleShot(500, start_if_idle)
    window.show()
    code = app.exec()
    for waiting in loaders:
        waiting.list_shown.set()  # a loader still waiting for the list to show goes on (and ends)
    for started in [*loaders, *watchers]:
        started.wait()
    if context.loaded:
        context.services.close()
    return code


def _use_saved_language(context: AppContext) -> None:
    """The clinic's language setting lives in the database, so it applies once storage is open."""
    saved = context.services.settings.load().language
    if saved != current_language():
        set_language(saved)
        context.language_did_change.emit(saved)


def _since_start() -> float:
    return round((time.perf_counter() - STARTED) * 1000, 1)


def _storage_ready_at(timings: dict[str, Any]) -> None:
    """Storage is ready for the first screen: the list and its search work on the checked file. Notes the
    time, the CPU time the process had used by then (every thread's; less sensitive to a loaded machine) and
    which heavy modules had been imported by then (none, on the standard-library path)."""
    timings.setdefault("storage_ms", _since_start())
    timings.setdefault("storage_cpu_ms", round(time.process_time() * 1000, 1))
    timings.setdefault("heavy_at_storage_ready", [name for name in HEAVY_MODULES if name in sys.modules])


def _report_ready(app: QApplication, timings: dict[str, Any]) -> None:
    """ready_ms: the patient list is on screen; storage_ms: its search works (on the standard-library
    reader, else once the services are loaded); services_ms: the services are loaded (logging in, opening
    patients and every write); *_cpu_ms: the CPU time used by then."""
    app.processEvents()
    timings.setdefault("ready_ms", _since_start())
    _storage_ready_at(timings)
    timings["services_ms"] = _since_start()
    timings["services_cpu_ms"] = round(time.process_time() * 1000, 1)
    import json

    print(json.dumps(timings), flush=True)
    QTimer.singleShot(0, app.quit)


def _storage_failed(
    window: MainWindow, message: str, reason: str, file: str, retry: Callable[..., StorageLoader],
    passphrase: str | None = None,
) -> None:  # fmt: skip
    """Say what is wrong; an encrypted file asks for its passphrase (Cancel quits); a damaged SQLite file
    may be replaced by a backup right here; then it is opened again."""
    if reason in UNLOCK_REASONS:
        typed = ask_passphrase(window, file or message, wrong=reason == "wrong_passphrase")
        if typed is None:
            QApplication.exit(1)
        else:
            retry(typed).start()
        return
    if reason == "corrupt" and file and offer_restore(window, Path(file), message, passphrase):
        retry().start()
        return
    QMessageBox.critical(window, _("The database cannot be used"), message)
    QApplication.exit(1)


def offer_restore(window: QWidget, database: Path, message: str, passphrase: str | None = None) -> bool:
    """Ask whether to restore a backup of a damaged database; True when one was restored."""
    from smerteagent.usecases import maintenance

    box = QMessageBox(QMessageBox.Icon.Critical, _("The database is damaged"), message, parent=window)
    restore = box.addButton(_("Restore a backup…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Close SmerteAgent"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    folder = maintenance.backups_dir(database)
    chosen, _filter = QFileDialog.getOpenFileName(window, _("Choose a backup"), str(folder), "SQLite (*.sqlite)")
    if not chosen:
        return False
    try:
        kept = maintenance.restore(database, Path(chosen), passphrase=passphrase)
    except SmerteAgentError as error:
        QMessageBox.critical(window, _("The backup could not be restored"), str(error))
        return False
    done = _("Restored from {backup}. The damaged file was kept as {kept}.").format(backup=chosen, kept=kept)
    QMessageBox.information(window, _("Backup restored"), done)
    return True
