"""The main window: one stack of pages (login, patient list, patient page, screening) with its menus.

Shown at once at start, on the login page; storage arrives later (ui/app.py) and brings the pages with it.
Its work lives in four pieces, each a mixin in its own module:

- ``window_navigation.Navigation``: the patient list (the start-up reader, then storage's), a patient's
  page, the patient dialogs and the care plan;
- ``window_menus.Menus``: menus and shortcuts, which are enabled for whom, and the dialogs they open;
- ``window_locking.Locking``: login state, the inactivity watch, Ctrl+L and the curtains;
- ``window_screening.ScreeningLaunch``: a battery, a form or a resumed visit, and the patient's mode.

The state they share (pages, the account, the actions) is declared once in ``window_state.WindowState``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget

from smerteagent.ui.clipboard import ClipboardGuard
from smerteagent.ui.lock import LockKey
from smerteagent.ui.login import LoginPage
from smerteagent.ui.window_locking import Locking
from smerteagent.ui.window_menus import Menus
from smerteagent.ui.window_navigation import Navigation
from smerteagent.ui.window_screening import ScreeningLaunch

if TYPE_CHECKING:
    from smerteagent.ui.context import AppContext


class MainWindow(Navigation, Menus, Locking, ScreeningLaunch, QMainWindow):
    """Before storage has loaded it shows the login page (and, behind it, the list on its start-up reader);
    nothing of a patient shows before a login."""

    list_did_fill = Signal()

    def __init__(self, context: AppContext, *, greeting: bool = True) -> None:
        super().__init__()
        self.context = context
        self.greeting = greeting
        self.setWindowTitle("SmerteAgent")
        self.resize(1100, 760)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        # No patient data before a login: the login page is shown while storage loads behind it.
        self.login_page = LoginPage(context, self)
        self.login_page.logged_in.connect(self.logged_in)
        self.stack.addWidget(self.login_page)
        self.account = None
        self.curtains = []
        self.patient_mode = None
        self.clipboard_guard = ClipboardGuard(self)
        self.lock_key = LockKey(lambda: self.lock("keyboard"), self.isVisible, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.lock_key)  # Ctrl+L in every window and dialog, modal ones too
        self.shown_patient_id = None
        self.menu_actions = []
        self.inactivity = None
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.list_page = None
        self.list_reader = None
        self.patient_page = None
        self.screening = None
        self.patient = None
        self.care_plan_editor = None
        self._menus()
        context.services_did_load.connect(self._storage_ready)
        context.patient_did_change.connect(self._patient_changed)
        context.language_did_change.connect(lambda _language: self.retranslate())
        context.settings_did_change.connect(
            lambda: self.watch_inactivity(context.services.settings.load().inactivity_lock_minutes)
        )

    def retranslate(self) -> None:
        """Rebuild menus and pages in the new language; the open patient stays open."""
        self.menuBar().clear()
        for action in self.menu_actions:  # parented to the window, so clearing the menus would keep them
            action.deleteLater()
        self.menu_actions = []
        self._menus()
        for page in (self.list_page, self.patient_page, self.screening):
            if page is not None:
                self.stack.removeWidget(page)
                page.deleteLater()
        self.list_page = self.patient_page = self.screening = None
        self.login_page.retranslate()
        self._show_who(self.account)
        patient = self.patient
        self._storage_ready(greet=False)
        if patient is not None:
            self.open_patient(patient.id)
