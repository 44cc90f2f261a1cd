"""The main window: patient list, patient page and the screening, in one stack; menus and shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QStackedWidget

from smerteagent.core.errors import ConflictError, SmerteAgentError
from smerteagent.i18n import _, language
from smerteagent.ui import operations
from smerteagent.ui.clipboard import ClipboardGuard
from smerteagent.ui.lock import LockKey
from smerteagent.ui.login import LoginPage

if TYPE_CHECKING:
    from smerteagent.core.accounts import Account
    from smerteagent.core.patients import Patient, PatientSummary
    from smerteagent.core.scoring.result import ScoreResult
    from smerteagent.storage.screening_session import ScreeningSession
    from smerteagent.ui.careplan import CarePlanEditor
    from smerteagent.ui.context import AppContext
    from smerteagent.ui.inactivity import InactivityWatch
    from smerteagent.ui.lock import Curtain
    from smerteagent.ui.patient_list import PatientListPage
    from smerteagent.ui.patient_page import PatientPage
    from smerteagent.ui.screening_view import ScreeningView
    from smerteagent.usecases.patient_mode import PatientMode


class MainWindow(QMainWindow):
    """Shown before storage has loaded (a 'loading' page, then a read-only preview of the list)."""

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
        self.account: Account | None = None
        self.curtains: list[Curtain] = []
        self.patient_mode: PatientMode | None = None
        self.clipboard_guard = ClipboardGuard(self)
        self.lock_key = LockKey(lambda: self.lock("keyboard"), self.isVisible, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.lock_key)  # Ctrl+L in every window and dialog, modal ones too
        self.shown_patient_id: int | None = None
        self.menu_actions: list[QAction] = []
        self.inactivity: InactivityWatch | None = None
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.list_page: PatientListPage | None = None
        self.patient_page: PatientPage | None = None
        self.screening: ScreeningView | None = None
        self.patient: Patient | None = None
        self.care_plan_editor: CarePlanEditor | None = None
        self._menus()
        context.services_did_load.connect(self._storage_ready)
        context.patient_did_change.connect(self._patient_changed)
        context.language_did_change.connect(lambda _language: self.retranslate())
        context.settings_did_change.connect(
            lambda: self.watch_inactivity(context.services.settings.load().inactivity_lock_minutes)
        )

    def _menus(self) -> None:
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

    def _action(self, menu: object, text: str, shortcut: object, slot: object) -> QAction:
        action = QAction(text, self)
        self.menu_actions.append(action)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def watch_inactivity(self, minutes: int) -> None:
        from PySide6.QtWidgets import QApplication

        from smerteagent.ui.inactivity import InactivityWatch

        if self.inactivity is None:
            self.inactivity = InactivityWatch(minutes, self)
            self.inactivity.timed_out.connect(lambda: self.lock("inactivity"))
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self.inactivity)
        else:
            self.inactivity.set_minutes(minutes)

    def _enable_actions(self) -> None:
        """Patient work needs a logged-in clinician; accounts and settings need an administrator."""
        account = self.account if self.context.loaded else None
        for action in (self.find_action, self.new_action, self.self_action, self.lock_action, self.demo_action,
                       self.quality_action):  # fmt: skip
            action.setEnabled(account is not None)
        for action in (self.settings_action, self.accounts_action):
            action.setEnabled(account is not None and account.is_administrator)

    def _show_who(self, account: Account | None) -> None:
        from smerteagent.core.accounts import ROLES

        if account is None:
            self.who.setText(_("Locked"))
            return
        role = _(ROLES.get(account.role, account.role))
        self.who.setText(_("Logged in: {name} ({role})").format(name=account.display_name, role=role))

    def logged_in(self, account: Account) -> None:
        """The clinician is known: the patient list (and a greeting on an empty register) come up."""
        self.account = account
        self._enable_actions()
        self._show_who(account)
        self.watch_inactivity(self.context.services.settings.load().inactivity_lock_minutes)
        self.show_list()
        if self.greeting and self.context.services.patients.count() == 0:
            self.greet()

    def lock(self, reason: str = "keyboard") -> None:
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
        operations.run(self, lambda: self.context.services.accounts.lock(reason))
        self._enable_actions()
        self._show_who(None)
        self.unlock_dialog = UnlockDialog(self.context.services.accounts, account, self)
        self.unlock_dialog.accepted.connect(lambda: self._unlocked(account))
        self.unlock_dialog.show()  # application-modal (open() would make it window-modal)

    def cover_windows(self) -> None:
        """A curtain over every open window of the app (dialogs, the PDF viewer), titles made neutral."""
        from smerteagent.ui.lock import cover

        self.curtains += cover([w for w in QApplication.topLevelWidgets() if w.isVisible()])

    def _patient_changed(self, patient_id: int) -> None:
        """Another patient on screen: nothing of the one before stays on the clipboard or in a viewer."""
        from smerteagent.ui.pdf_viewer import close_viewers

        if patient_id != self.shown_patient_id:
            self.clipboard_guard.clear()
            close_viewers()
        self.shown_patient_id = patient_id

    def _unlocked(self, account: Account) -> None:
        from smerteagent.ui.lock import uncover

        uncover(self.curtains)
        self.curtains = []
        self.account = account
        self._enable_actions()
        self._show_who(account)

    def open_quality(self) -> None:
        """The clinic's quality report (administrators and clinicians); a worklist row opens the patient."""
        from smerteagent.ui.quality_view import show_quality

        if self.account is not None and self.context.loaded:
            show_quality(self, self.context.services, self.open_patient)

    def open_accounts(self) -> None:
        from smerteagent.ui.accounts_dialog import AccountsDialog

        if self.account is not None and self.account.is_administrator:
            AccountsDialog(self.context.services.accounts, self).exec()

    def show_preview(self, patients: list[PatientSummary], masked: bool) -> None:
        """The most recent patients, read before storage is loaded; search covers them until then."""
        from smerteagent.ui.patient_list import PatientListModel, PatientListPage, preview_search

        if self.context.loaded:
            return
        model = PatientListModel(preview_search(patients), lambda limit, offset: patients[offset : offset + limit],
                                 lambda: masked)  # fmt: skip
        self.list_page = PatientListPage(model, self)
        self.list_page.patient_chosen.connect(self._open_when_loaded)
        self.stack.addWidget(self.list_page)
        self.show_list()
        self.list_did_fill.emit()

    def _open_when_loaded(self, patient_id: int) -> None:
        if self.context.loaded:
            self.open_patient(patient_id)
        else:
            self.context.services_did_load.connect(lambda: self.open_patient(patient_id))

    def _storage_ready(self, *, greet: bool = True) -> None:
        # The pages come in with storage, after the first paint: only the window shell is imported at start.
        from smerteagent.ui.patient_list import PatientListModel, PatientListPage

        services = self.context.services
        if self.list_page is not None:  # the preview: keep the page (and what was typed), swap in storage
            self.list_page.patient_chosen.disconnect()
        else:
            self.list_page = PatientListPage(PatientListModel(services.patients.search, services.patients.recent,
                                                              lambda: False), self)  # fmt: skip
            self.stack.addWidget(self.list_page)
        self.list_page.model.set_source(services.patients.search, services.patients.recent,
                                        lambda: services.settings.load().mask_cpr_in_lists)  # fmt: skip
        self.list_page.patient_chosen.connect(self.open_patient)
        self.show_list()
        self.list_did_fill.emit()
        account = services.accounts.identity.account
        if greet and account is not None and self.account is None:
            self.logged_in(account)  # logged in before the window knew (a session handed over)
        self._enable_actions()

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

    def show_list(self) -> None:
        if self.list_page is None or self.account is None:
            return  # nothing of a patient shows before a login
        self.list_page.refresh()
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.search.setFocus()
        self.list_page.search.selectAll()  # Ctrl+F and typing starts a new search

    def greet(self) -> None:
        """First start on an empty database: offer to add a patient or load demo patients."""
        box = QMessageBox(self)
        box.setWindowTitle(_("Welcome to SmerteAgent"))
        box.setText(_("The patient list is empty. Add your first patient, or load synthetic demo patients "
                      "to look around (never real people)."))  # fmt: skip
        add = box.addButton(_("Add patient"), QMessageBox.ButtonRole.AcceptRole)
        demo = box.addButton(_("Load demo patients"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(_("Later"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is add:
            self.new_patient()
        elif box.clickedButton() is demo:
            self.load_demo()

    def load_demo(self) -> None:
        """Synthetic patients only into an empty database, so they never mix with a clinic's real ones."""
        from smerteagent.storage.demo import load_demo

        if self.context.services.patients.count() > 0:
            QMessageBox.information(
                self, _("Demo patients"), _("Demo patients can only be loaded into an empty database.")
            )
            return
        if operations.run(self, lambda: load_demo(self.context.services, 200)).succeeded:
            self.show_list()

    def new_patient(self) -> None:
        from smerteagent.ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self)
        while dialog.exec() == PatientDialog.DialogCode.Accepted:
            saved = operations.run(self, lambda: self.context.services.patients.add(dialog.details()))
            if saved.succeeded:
                self.open_patient(saved.value[0].id)
                return

    def edit_patient(self) -> None:
        from smerteagent.ui.patient_dialog import PatientDialog

        if self.patient is None:
            return
        dialog = PatientDialog(self, self.patient)
        patient = self.patient
        while dialog.exec() == PatientDialog.DialogCode.Accepted:
            try:
                saved = self.context.services.patients.update(patient.id, dialog.details(), patient.version)
            except ConflictError as error:
                # Someone else saved first: show their version; the user edits again from it.
                QMessageBox.warning(self, *operations.explain(error))
                self.open_patient(patient.id)
                return
            except SmerteAgentError as error:
                QMessageBox.warning(self, *operations.explain(error))
                continue
            self.open_patient(saved[0].id)
            return

    def _ensure_patient_page(self) -> PatientPage:
        """Built on first use: results and charts are not needed to show the patient list."""
        from smerteagent.ui.patient_page import PatientPage

        if self.patient_page is None:
            self.patient_page = PatientPage(self.context, self)
            self.patient_page.battery_requested.connect(self.start_battery)
            self.patient_page.form_requested.connect(self.start_form)
            self.patient_page.resume_requested.connect(self.resume)
            self.patient_page.edit_requested.connect(self.edit_patient)
            self.patient_page.care_plan_requested.connect(self.open_care_plan)
            self.stack.addWidget(self.patient_page)
        return self.patient_page

    def open_patient(self, patient_id: int) -> None:
        if self.account is None:
            return
        found = operations.run(self, lambda: self.context.services.patients.get(patient_id))
        if found.failed:
            return
        patient = found.value
        self._ensure_patient_page()
        assert self.patient_page is not None
        self.patient = patient
        self.patient_page.show_patient(patient)
        self.stack.setCurrentWidget(self.patient_page)
        self.context.patient_did_change.emit(patient.id)

    def open_care_plan(self) -> None:
        """The care-plan editor for the patient on screen, window-modal so the page stays as it was."""
        from smerteagent.ui.careplan import CarePlanEditor

        patient = self.patient
        if patient is None:
            return
        self.care_plan_editor = operations.run(
            self, lambda: CarePlanEditor(self.context.services, patient, self, clipboard=self.clipboard_guard)
        ).value_or(None)
        if self.care_plan_editor is not None:
            self.care_plan_editor.finished.connect(lambda _code: self._care_plan_closed(patient))
            self.care_plan_editor.open()

    def _care_plan_closed(self, patient: Patient) -> None:
        """Back on the patient page, whose 'takes opioids' boxes follow the plan's medication as saved."""
        if self.patient_page is not None:
            self.patient_page.tick_drugs_on_the_plan(patient, keep_ticked=True)
        self.open_patient(patient.id)

    def start_battery(self, battery_id: str, setting: str, context: dict[str, bool]) -> None:
        from smerteagent.storage.screening_session import ScreeningSession

        patient = self.patient
        if patient is None:
            return
        session = operations.run(self, lambda: ScreeningSession.start(
            self.context.services, patient, setting, battery_id=battery_id, context=context))  # fmt: skip
        if session.succeeded:
            self.run_screening(session.value)

    def start_form(self, form_id: str, setting: str) -> None:
        from smerteagent.storage.screening_session import ScreeningSession

        patient = self.patient
        if patient is None:
            return
        session = operations.run(self, lambda: ScreeningSession.start(
            self.context.services, patient, setting, form_id=form_id))  # fmt: skip
        if session.succeeded:
            self.run_screening(session.value)

    def resume(self, encounter_id: int) -> None:
        from smerteagent.storage.screening_session import ScreeningSession

        patient = self.patient
        if patient is None:
            return
        session = operations.run(self, lambda: ScreeningSession.resume(self.context.services, patient, encounter_id))
        if session.succeeded:
            self.run_screening(session.value)

    def run_screening(self, session: ScreeningSession) -> None:
        from smerteagent.ui.screening_view import ScreeningView

        if self.screening is not None:
            self.stack.removeWidget(self.screening)
            self.screening.deleteLater()
        self.screening = ScreeningView(session, parent=self)
        self.screening.finished.connect(self.screening_finished)
        self.screening.instrument_finished.connect(self._instrument_finished)
        self.stack.addWidget(self.screening)
        self.stack.setCurrentWidget(self.screening)
        self.screening.setFocus()
        if session.done:
            self.screening_finished()

    def _instrument_finished(self, result: ScoreResult) -> None:
        form = self.context.services.forms.forms.get(result.form)
        title = (form.definition.short_title or form.definition.title).get(language()) if form else result.form
        self.statusBar().showMessage(_("Saved: {form}").format(form=title), 4000)

    def screening_finished(self) -> None:
        """Back to the patient page, where results, alerts and history show what was found."""
        if self.patient is None:
            return
        self.context.screening_did_finish.emit(self.patient.id)
        self.open_patient(self.patient.id)

    def start_self_completion(self) -> None:
        """Hand the questionnaires to the patient: every other window is covered as by the lock, the
        clipboard is emptied, and leaving (PIN or a clinician's password) ends at the lock."""
        from smerteagent.ui.self_completion import SelfCompletionWindow
        from smerteagent.usecases.patient_mode import PatientMode, PinNotReady

        current = self.stack.currentWidget()
        on_screening = self.screening is not None and current is self.screening
        if not on_screening and (self.patient_page is None or current is not self.patient_page):
            # Only the patient whose page or screening is on screen can be handed over: never a list guess.
            QMessageBox.information(self, _("Choose a patient"), _("Open the patient first."))
            return
        if self.patient_mode is None:
            self.patient_mode = PatientMode(self.context.services)
        mode = self.patient_mode
        try:
            mode.check_ready()
        except PinNotReady as error:
            QMessageBox.information(self, _("Set a PIN first"), str(error))
            return
        if not on_screening:
            assert self.patient_page is not None
            self.patient_page.start_selected_battery()
        if self.screening is None:
            return
        session = self.screening.session
        session.flow.read_by("patient")
        if session.flow.done:  # only clinician-administered questions are left: never the patient's alone
            session.flow.read_by("clinician")
            left = _("The questions left are asked by the clinician; there is nothing for the patient to answer alone.")
            QMessageBox.information(self, _("Nothing for the patient"), left)
            return
        if operations.run(self, lambda: mode.hand_over(session.patient.id, session.encounter.id)).failed:
            return  # a hand-over that could not be audited does not happen
        self.clipboard_guard.clear()
        self.cover_windows()
        window = SelfCompletionWindow(self.context, session, mode, self)
        window.closed.connect(lambda by: self._patient_done(mode, session.patient.id, by))
        window.showFullScreen()

    def _patient_done(self, mode: PatientMode, patient_id: int, by: str) -> None:
        """Back from the patient's mode, always to the lock: the PIN that ended it is shared, the clinician's
        session is not. Under the curtains the patient page shows the answers, for after the login."""
        operations.run(self, lambda: mode.hand_back(patient_id, by))
        if self.screening is not None:  # back at the desk, the clinician's questions are asked again
            self.screening.session.flow.read_by("clinician")
        self.open_patient(patient_id)
        QTimer.singleShot(0, lambda: self.lock("patient_mode"))  # once the patient's window has closed

    def open_settings(self) -> None:
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

    def show_shortcuts(self) -> None:
        from smerteagent.ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        from smerteagent.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
