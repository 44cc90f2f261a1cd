"""The main window's navigation: the patient list (the start-up reader, then storage's), a patient's page,
the patient dialogs and the care plan.

A mixin of :class:`smerteagent.ui.main_window.MainWindow` (its methods take the window as ``self``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from smerteagent.core.errors import ConflictError, SmerteAgentError
from smerteagent.i18n import _
from smerteagent.ui import operations
from smerteagent.ui.window_state import WindowState

if TYPE_CHECKING:
    from smerteagent.core.patients import Patient
    from smerteagent.ui.main_window import MainWindow
    from smerteagent.ui.patient_page import PatientPage
    from smerteagent.usecases.list_reader import ListReader


class Navigation(WindowState):
    def show_reader(self: MainWindow, reader: ListReader) -> None:
        """The list and its search over the checked file, read with the standard library until the services
        have loaded; a patient chosen opens through the services (audited)."""
        from smerteagent.ui.patient_list import PatientListModel, PatientListPage

        if self.context.loaded:
            reader.close()
            return
        if self.list_reader is not None:  # a second start (after a restore): its reader replaces the first
            self.list_reader.close()
        self.list_reader = reader

        def masked() -> bool:
            return reader.settings().mask_cpr_in_lists

        if self.list_page is None:
            self.list_page = PatientListPage(PatientListModel(reader.search, reader.recent, masked), self)
            self.list_page.patient_chosen.connect(self._open_when_loaded)
            self.stack.addWidget(self.list_page)
        else:
            self.list_page.model.set_source(reader.search, reader.recent, masked)
        self.show_list()
        self.list_did_fill.emit()

    def _open_when_loaded(self: MainWindow, patient_id: int) -> None:
        if self.context.loaded:
            self.open_patient(patient_id)
        else:
            self.context.services_did_load.connect(lambda: self.open_patient(patient_id))

    def _storage_ready(self: MainWindow, *, greet: bool = True) -> None:
        # The pages come in with storage, after the first paint: only the window shell is imported at start.
        from smerteagent.ui.patient_list import PatientListModel, PatientListPage

        services = self.context.services
        if self.list_page is not None:  # the reader's page: keep it (and what was typed), swap in storage
            self.list_page.patient_chosen.disconnect()
        else:
            self.list_page = PatientListPage(PatientListModel(services.patients.search, services.patients.recent,
                                                              lambda: False), self)  # fmt: skip
            self.stack.addWidget(self.list_page)
        self.list_page.model.set_source(services.patients.search, services.patients.recent,
                                        lambda: services.settings.load().mask_cpr_in_lists)  # fmt: skip
        self.list_page.patient_chosen.connect(self.open_patient)
        if self.list_reader is not None:  # the services take over the list from here
            self.list_reader.close()
            self.list_reader = None
        self.show_list()
        self.list_did_fill.emit()
        account = services.accounts.identity.account
        if greet and account is not None and self.account is None:
            self.logged_in(account)  # logged in before the window knew (a session handed over)
        self._enable_actions()

    def show_list(self: MainWindow) -> None:
        if self.list_page is None or self.account is None:
            return  # nothing of a patient shows before a login
        self.list_page.refresh()
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.search.setFocus()
        self.list_page.search.selectAll()  # Ctrl+F and typing starts a new search

    def ask_clinic_details(self: MainWindow) -> None:
        """First start: the clinic's name, address and phone for the printouts (skippable; also in Settings)."""
        from smerteagent.ui.clinic_dialog import ClinicDialog

        ClinicDialog(self.context.services, self).exec()

    def greet(self: MainWindow) -> None:
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

    def new_patient(self: MainWindow) -> None:
        from smerteagent.ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self)
        while dialog.exec() == PatientDialog.DialogCode.Accepted:
            saved = operations.attempt(self, lambda: self.context.services.patients.add(dialog.details()))
            if saved.succeeded:
                self.open_patient(saved.value[0].id)
                return

    def edit_patient(self: MainWindow) -> None:
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

    def _ensure_patient_page(self: MainWindow) -> PatientPage:
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

    def open_patient(self: MainWindow, patient_id: int) -> None:
        if self.account is None:
            return
        found = operations.attempt(self, lambda: self.context.services.patients.get(patient_id))
        if found.failed:
            return
        patient = found.value
        page = self._ensure_patient_page()
        self.patient = patient
        page.show_patient(patient)
        self.stack.setCurrentWidget(page)
        self.context.patient_did_change.emit(patient.id)

    def _patient_changed(self: MainWindow, patient_id: int) -> None:
        """Another patient on screen: nothing of the one before stays on the clipboard or in a viewer."""
        from smerteagent.ui.pdf_viewer import close_viewers

        if patient_id != self.shown_patient_id:
            self.clipboard_guard.clear()
            close_viewers()
        self.shown_patient_id = patient_id

    def open_care_plan(self: MainWindow) -> None:
        """The care-plan editor for the patient on screen, window-modal so the page stays as it was."""
        from smerteagent.ui.careplan import CarePlanEditor

        patient = self.patient
        if patient is None:
            return
        self.care_plan_editor = operations.attempt(
            self,
            lambda: CarePlanEditor(
                self.context.services, patient, self, clipboard=self.clipboard_guard, context=self.context
            ),
        ).value_or(None)
        if self.care_plan_editor is not None:
            self.care_plan_editor.finished.connect(lambda _code: self._care_plan_closed(patient))
            self.care_plan_editor.open()

    def _care_plan_closed(self: MainWindow, patient: Patient) -> None:
        """Back on the patient page, whose 'takes opioids' boxes follow the plan's medication as saved."""
        if self.patient_page is not None:
            self.patient_page.tick_drugs_on_the_plan(patient, keep_ticked=True)
        self.open_patient(patient.id)
