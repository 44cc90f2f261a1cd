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
        """The clinician is known: the patient list (and a greeting on an empty register) come up; at first
        start an administrator is asked for the clinic's name, address and phone."""
        from smerteagent.usecases.clinic import should_ask

        self.account = account
        self._enable_actions()
        self._show_who(account)
        self.watch_inactivity(self.context.services.settings.load().inactivity_lock_minutes)
        self.show_list()
        if self.greeting and should_ask(self.context.services, administrator=account.is_administrator):
            self.ask_clinic_details()
        if self.greeting and self.context.services.patients.count() == 0:
            self.greet()
        self._return_kept_work(account)

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
        dialog = self.unlock_dialog = UnlockDialog(self.context.services.accounts, account, self)
        dialog.accepted.connect(lambda: self._unlocked(account, dialog.switched_to))
        dialog.show()  # application-modal (open() would make it window-modal)

    def cover_windows(self: MainWindow) -> None:
        """A curtain over every open window of the app (dialogs, the PDF viewer), titles made neutral."""
        from smerteagent.ui.lock import cover

        self.curtains += cover([w for w in QApplication.topLevelWidgets() if w.isVisible()])

    def _unlocked(self: MainWindow, account: Account, switched_to: Account | None = None) -> None:
        from smerteagent.ui.lock import uncover

        uncover(self.curtains)
        self.curtains = []
        if switched_to is not None:
            self._switch_user(account, switched_to)
            account = switched_to
        self.account = account
        self._enable_actions()
        self._show_who(account)
        if switched_to is not None:
            self.show_list()
        self._return_kept_work(account)

    def _switch_user(self: MainWindow, previous: Account, new: Account) -> None:
        """Another clinician logged in at the lock. In this same call, before anything is painted: the first
        one's unsaved care-plan changes are kept as their private draft, every window of theirs is closed, the
        open patient is closed (a screening in progress is already stored), and the switch is audited."""
        from PySide6.QtWidgets import QDialog

        from smerteagent.ui.pdf_viewer import close_viewers
        from smerteagent.usecases.switch_user import switch_user

        editor, unsaved = self.care_plan_editor, None
        if editor is not None and editor.isVisible():
            unsaved = editor.plan(strict=False) if editor.has_unsaved_changes() else None
            editor.finished.disconnect()
            editor.shown_at_save = editor.plan(strict=False)  # kept below: closing must not ask the next user
            editor.reject()
            editor.deleteLater()
        self.care_plan_editor = None
        for window in QApplication.topLevelWidgets():
            if isinstance(window, QDialog) and window.isVisible() and window is not self.unlock_dialog:
                window.done(QDialog.DialogCode.Rejected.value)  # not reject(): the next user is not asked
        close_viewers()
        self.clipboard_guard.clear()
        patient_id = self.patient.id if self.patient is not None else None
        encounter = self.screening.session.encounter.id if self.screening is not None else None
        for page in (self.screening, self.patient_page):  # the pages hold the first clinician's patient
            if page is not None:
                self.stack.removeWidget(page)
                page.deleteLater()
        self.screening = self.patient_page = None
        self.patient, self.shown_patient_id = None, None
        if self.list_page is not None:
            self.list_page.search.clear()  # the first clinician's search is theirs too
        operations.run(self, lambda: switch_user(self.context.services, previous, new, unsaved_plan=unsaved,
                                                 patient_id=patient_id, screening_encounter=encounter))  # fmt: skip

    def _return_kept_work(self: MainWindow, account: Account) -> None:
        """Work kept for this clinician at a switch of user comes back: the patient and the care-plan editor
        open with the kept changes, still unsaved. Several kept plans come back one per login, oldest first."""
        from smerteagent.ui.careplan import CarePlanEditor
        from smerteagent.usecases.switch_user import kept_work, take_back

        kept = operations.run(self, lambda: kept_work(self.context.services, account)) or []
        if not kept:
            return
        first = kept[0]
        self.open_patient(first.plan.patient_id)
        patient = self.patient
        if patient is None or patient.id != first.plan.patient_id:
            return
        editor = operations.run(self, lambda: CarePlanEditor(self.context.services, patient, self,
                                                             clipboard=self.clipboard_guard, kept=first,
                                                             context=self.context))  # fmt: skip
        if editor is None:
            return
        if operations.run(self, lambda: take_back(self.context.services, account, first)) is None:
            editor.deleteLater()
            return
        self.care_plan_editor = editor
        editor.finished.connect(lambda _code: self._care_plan_closed(patient))
        editor.open()
