"""The main window's screening launch: a battery, one form or a resumed visit, at the desk or handed to the
patient (the patient's mode), and back to the patient page when it is done.

A mixin of :class:`smerteagent.ui.main_window.MainWindow` (its methods take the window as ``self``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from smerteagent.core.forms.titles import form_title
from smerteagent.i18n import _, language
from smerteagent.ui import operations
from smerteagent.ui.window_state import WindowState

if TYPE_CHECKING:
    from smerteagent.core.patients import Patient
    from smerteagent.core.scoring.result import ScoreResult
    from smerteagent.ui.main_window import MainWindow
    from smerteagent.usecases.patient_mode import PatientMode
    from smerteagent.usecases.screening import ScreeningSession
    from smerteagent.usecases.services import Services


class ScreeningLaunch(WindowState):
    def start_battery(self: MainWindow, battery_id: str, setting: str, context: dict[str, bool]) -> None:
        self._launch(lambda screening, services, patient: screening.start(
            services, patient, setting, battery_id=battery_id, context=context))  # fmt: skip

    def start_form(self: MainWindow, form_id: str, setting: str) -> None:
        self._launch(lambda screening, services, patient: screening.start(services, patient, setting, form_id=form_id))

    def resume(self: MainWindow, encounter_id: int) -> None:
        self._launch(lambda screening, services, patient: screening.resume(services, patient, encounter_id))

    def _launch(
        self: MainWindow, begin: Callable[[type[ScreeningSession], Services, Patient], ScreeningSession]
    ) -> None:
        """Begin a screening for the patient on screen; a failure is shown and nothing starts."""
        from smerteagent.usecases.screening import ScreeningSession

        patient = self.patient
        if patient is None:
            return
        session = operations.attempt(self, lambda: begin(ScreeningSession, self.context.services, patient))
        if session.succeeded:
            self.run_screening(session.value)

    def run_screening(self: MainWindow, session: ScreeningSession) -> None:
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

    def _instrument_finished(self: MainWindow, result: ScoreResult) -> None:
        if self.patient is not None:  # stored: the patient page and an open note follow at once
            self.context.changed(self.patient.id, "screening")
        form = self.context.services.forms.forms.get(result.form)
        title = form_title(form, result.form, language())
        self.statusBar().showMessage(_("Saved: {form}").format(form=title), 4000)

    def screening_finished(self: MainWindow) -> None:
        """Back to the patient page, where results, alerts and history show what was found."""
        if self.patient is None:
            return
        self.context.screening_did_finish.emit(self.patient.id)
        self.open_patient(self.patient.id)

    def start_self_completion(self: MainWindow) -> None:
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
        if operations.attempt(self, lambda: mode.hand_over(session.patient.id, session.encounter.id)).failed:
            return  # a hand-over that could not be audited does not happen
        self.clipboard_guard.clear()
        self.cover_windows()
        window = SelfCompletionWindow(self.context, session, mode, self)
        window.closed.connect(lambda by: self._patient_done(mode, session.patient.id, by))
        window.showFullScreen()

    def _patient_done(self: MainWindow, mode: PatientMode, patient_id: int, by: str) -> None:
        """Back from the patient's mode, always to the lock: the PIN that ended it is shared, the clinician's
        session is not. Under the curtains the patient page shows the answers, for after the login."""
        operations.attempt(self, lambda: mode.hand_back(patient_id, by))
        if self.screening is not None:  # back at the desk, the clinician's questions are asked again
            self.screening.session.flow.read_by("clinician")
        self.open_patient(patient_id)
        QTimer.singleShot(0, lambda: self.lock("patient_mode"))  # once the patient's window has closed
