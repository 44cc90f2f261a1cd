"""The main window's menus and shortcuts, which are enabled for whom, and the dialogs they open.

A mixin of :class:`smerteagent.ui.main_window.MainWindow` (its methods take the window as ``self``).
Every shortcut is listed for the user in ui/shortcuts_dialog.py (a test keeps the two equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from smerteagent.i18n import _
from smerteagent.ui import operations
from smerteagent.ui.window_state import WindowState

if TYPE_CHECKING:
    from smerteagent.ui.main_window import MainWindow


class Menus(WindowState):
    def _menus(self: MainWindow) -> None:
        patients = self.menuBar().addMenu(_("&Patients"))
        self.find_action = self._action(patients, _("&Find patient"), "Ctrl+F", self.show_list)
        self.new_action = self._action(patients, _("&New patient…"), "Ctrl+N", self.new_patient)
        self.self_action = self._action(patients, _("Patient &completes questionnaires…"), "Ctrl+Shift+P",
                                        self.start_self_completion)  # fmt: skip
        patients.addSeparator()
        self.lock_action = self._action(patients, _("&Lock"), "Ctrl+L", lambda: self.lock("keyboard"))
        self._action(patients, _("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        tools = self.menuBar().addMenu(_("&Tools"))
        self.settings_action = self._action(tools, _("&Settings…"), "Ctrl+,", self.open_settings)
        self.accounts_action = self._action(tools, _("&Accounts…"), None, self.open_accounts)
        self.demo_action = self._action(tools, _("Load &demo patients…"), None, self.load_demo)
        self.quality_action = self._action(tools, _("Clinic &quality…"), None, self.open_quality)
        help_menu = self.menuBar().addMenu(_("&Help"))
        self._action(help_menu, _("&Keyboard shortcuts"), "F1", self.show_shortcuts)
        self.about_action = self._action(help_menu, _("&About SmerteAgent"), None, self.show_about)
        self._enable_actions()

    def _action(self: MainWindow, menu: object, text: str, shortcut: object, slot: object) -> QAction:
        action = QAction(text, self)
        self.menu_actions.append(action)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _enable_actions(self: MainWindow) -> None:
        """Patient work needs a logged-in clinician; accounts and settings need an administrator."""
        account = self.account if self.context.loaded else None
        for action in (self.find_action, self.new_action, self.self_action, self.lock_action, self.demo_action,
                       self.quality_action):  # fmt: skip
            action.setEnabled(account is not None)
        for action in (self.settings_action, self.accounts_action):
            action.setEnabled(account is not None and account.is_administrator)

    def open_quality(self: MainWindow) -> None:
        """The clinic's quality report (administrators and clinicians); a worklist row opens the patient."""
        from smerteagent.ui.quality_view import show_quality

        if self.account is not None and self.context.loaded:
            show_quality(self, self.context.services, self.open_patient)

    def open_accounts(self: MainWindow) -> None:
        from smerteagent.ui.accounts_dialog import AccountsDialog

        if self.account is not None and self.account.is_administrator:
            AccountsDialog(self.context.services.accounts, self).exec()

    def load_demo(self: MainWindow) -> None:
        """Synthetic patients only into an empty database, so they never mix with a clinic's real ones."""
        from smerteagent.usecases.demo import load_demo

        if self.context.services.patients.count() > 0:
            QMessageBox.information(
                self, _("Demo patients"), _("Demo patients can only be loaded into an empty database.")
            )
            return
        if operations.attempt(self, lambda: load_demo(self.context.services, 200)).succeeded:
            self.show_list()

    def open_settings(self: MainWindow) -> None:
        from smerteagent.ui.settings_dialog import SettingsDialog

        if not self.context.loaded:
            return
        dialog = SettingsDialog(self.context, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted or self.list_page is None:
            return
        # The clinician stays where they were: leaving an open patient for the list (with an old search and
        # another patient highlighted) invites opening the wrong record. Pages re-read what settings change.
        if self.stack.currentWidget() is self.list_page:
            self.show_list()
            return
        self.list_page.refresh()
        if self.stack.currentWidget() is self.patient_page and self.patient is not None:
            self.open_patient(self.patient.id)

    def show_shortcuts(self: MainWindow) -> None:
        from smerteagent.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_about(self: MainWindow) -> None:
        from smerteagent.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
