"""The main window's locking: who is logged in, the inactivity watch, Ctrl+L and the curtains.

A mixin of :class:`smerteagent.ui.main_window.MainWindow` (its methods take the window as ``self``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from smerteagent.i18n import _
from smerteagent.ui import operations
from smerteagent.ui.window_state import WindowState

if TYPE_CHECKING:
    from smerteagent.core.accounts import Account
    from smerteagent.ui.main_window import MainWindow


class Locking(WindowState):
    def watch_inactivity(self: MainWindow, minutes: int) -> None:
        from smerteagent.ui.inactivity import InactivityWatch

        if self.inactivity is None:
            self.inactivity = InactivityWatch(minutes, self)
            self.inactivity.timed_out.connect(lambda: self.lock("inactivity"))
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self.inactivity)
        else:
            self.inactivity.set_minutes(minutes)

    def _show_who(self: MainWindow, account: Account | None) -> None:
        from smerteagent.core.accounts import ROLES

        if account is None:
            self.who.setText(_("Locked"))
            return
        role = _(ROLES.get(account.role, account.role))
        self.who.setText(_("Logged in: {name} ({role})").format(name=account.display_name, role=role))

    def logged_in(self: MainWindow, account: Account) -> None:
        """The clinician is known: the patient list (and a greeting on an empty register) come up."""
        self.account = account
        self._enable_actions()
        self._show_who(account)
        self.watch_inactivity(self.context.services.settings.load().inactivity_lock_minutes)
        self.show_list()
        if self.greeting and self.context.services.patients.count() == 0:
            self.greet()

    def lock(self: MainWindow, reason: str = "keyboard") -> None:
        """Cover every open window until the same clinician logs in again; nothing is closed or lost."""
        from smerteagent.ui.lock import UnlockDialog
        from smerteagent.ui.self_completion import SelfCompletionWindow

        account = self.account
        if account is None or not self.context.loaded:
            return  # not logged in, or already locked
        if any(w.isVisible() for w in self.findChildren(SelfCompletionWindow)):
            return  # the patient is answering, behind curtains already; leaving the patient's mode locks
        self.clipboard_guard.clear()
        self.cover_windows()
        self.account = None  # locked even if the audit event cannot be written (the service clears it first)
        operations.attempt(self, lambda: self.context.services.accounts.lock(reason))
        self._enable_actions()
        self._show_who(None)
        self.unlock_dialog = UnlockDialog(self.context.services.accounts, account, self)
        self.unlock_dialog.accepted.connect(lambda: self._unlocked(account))
        self.unlock_dialog.show()  # application-modal (open() would make it window-modal)

    def cover_windows(self: MainWindow) -> None:
        """A curtain over every open window of the app (dialogs, the PDF viewer), titles made neutral."""
        from smerteagent.ui.lock import cover

        self.curtains += cover([w for w in QApplication.topLevelWidgets() if w.isVisible()])

    def _unlocked(self: MainWindow, account: Account) -> None:
        from smerteagent.ui.lock import uncover

        uncover(self.curtains)
        self.curtains = []
        self.account = account
        self._enable_actions()
        self._show_who(account)
