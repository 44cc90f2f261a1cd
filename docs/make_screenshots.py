"""Render the main screens to PNG files, to look at what a clinician sees (Danish by default).

    .venv/bin/python docs/make_screenshots.py [OUT_DIR] [--lang en]

Runs offscreen (no display needed); uses a fresh temporary database with demo patients.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from smerteagent.core.accounts import ADMINISTRATOR
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.i18n import set_language
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.demo import load_demo
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import Services, open_services
from smerteagent.ui.app import install_qt_translations
from smerteagent.ui.clinic_dialog import ClinicDialog
from smerteagent.ui.context import AppContext
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.patient_dialog import PatientDialog
from smerteagent.ui.self_completion import SelfCompletionWindow
from smerteagent.ui.settings_dialog import SettingsDialog
from smerteagent.usecases.clinic import ClinicDetails, set_clinic_details
from smerteagent.usecases.patient_mode import PatientMode

PASSWORD = "skærmbilleder-2026"


def save(widget: QWidget, folder: Path, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(folder / f"{name}.png"))
    print(folder / f"{name}.png")


# The rest of the first consultation (the keyboard scenario's answers): PHQ-4 positive, so GAD-7 and PHQ-9
# follow; PHQ-9 item 9 = 1, so the C-SSRS screener follows; ORT and CAGE-AID for the opioid.
VISIT = {
    "peg": {"q1": 7, "q2": 8, "q3": 6},
    "psfs": {"q1_activity": "Lege med børnebørnene", "q1": 3, "q2_activity": "Gå tur med hunden", "q2": 4},
    "phq4": {"q1": 2, "q2": 1, "q3": 2, "q4": 2},
    "gad7": {"q3": 1, "q4": 2, "q5": 0, "q6": 1, "q7": 1},
    "phq9": {"q3": 2, "q4": 2, "q5": 1, "q6": 1, "q7": 1, "q8": 0, "q9": 1},
    "cssrs_screener": {"q1": 1, "q2": 0, "q6": 0},
}


def finish_battery(window: MainWindow) -> None:
    """Answer what is left of the battery on screen (unlisted items no), then show the visit overview."""
    assert window.screening is not None
    session = window.screening.session
    while not session.flow.done:
        flow = session.flow
        value = VISIT.get(flow.form.id, {}).get(flow.item.id, 0 if flow.item.type in ("yes_no", "choice") else None)
        if flow.current_answer() is None and value is not None:
            session.answer(value)
        session.advance()
    window.screening_finished()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--lang", choices=("da", "en"), default="da")
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    set_language(arguments.lang)
    app = QApplication([])
    install_qt_translations(app, arguments.lang)
    services = open_services(f"sqlite:///{tempfile.mkdtemp()}/shots.sqlite", FormLibrary.load([bundled_forms_dir()]))
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    services.accounts.log_in("mette", PASSWORD)
    load_demo(services, 120, seed=4)
    set_clinic_details(services, ClinicDetails("Lægerne i Åbyhøj", "Åbyhøjgade 12, 8230 Åbyhøj", "86 15 22 33"))
    services.accounts.lock("screenshots")
    patient, _ = services.patients.add(PatientInput("Søren Østergård", "Ærenlund-Åberg", cpr="070761-4285"))
    for answers in ({f"q{i}": 2 for i in range(1, 10)}, {**{f"q{i}": 1 for i in range(1, 9)}, "q9": 1}):
        session = ScreeningSession.start(services, patient, "gp", form_id="phq9")
        for item, value in answers.items():
            session.answer(value)
            session.advance() if item != "q9" else None
        session.advance()
    context = AppContext()
    window = MainWindow(context)
    window.greet = lambda: None  # type: ignore[method-assign]
    window.resize(1200, 800)
    window.show()
    context.set_services(services)
    window.login_page.username.setText("mette")
    save(window, arguments.out, "0-login")
    window.login_page.password.setText(PASSWORD)
    window.login_page.submit()
    assert window.list_page is not None
    window.list_page.search.setText("ær")
    window.list_page.refresh()
    save(window, arguments.out, "1-patient-list")
    dialog = PatientDialog(window)
    dialog.given.setText("Åse")
    dialog.family.setText("Bæk")
    dialog.cpr.setText("310261-4285")
    dialog.show()
    save(dialog, arguments.out, "2-new-patient-invalid-cpr")
    dialog.done(QDialog.DialogCode.Rejected.value)  # not close(): typing is asked about before it is dropped
    window.open_patient(patient.id)
    save(window, arguments.out, "3-patient-page-alert-history")
    window.start_battery("gp_first_back", "gp", {"on_opioids": True})
    save(window, arguments.out, "4-screening-startback")
    assert window.screening is not None
    for value in (1, 0, 1, 0, 1, 1, 0, 0, 3):
        window.screening.choose(value)
    save(window, arguments.out, "5-screening-peg-numeric")
    services.settings.save(services.settings.load().with_text("self_completion_pin", "471108"))
    patient_mode = SelfCompletionWindow(context, window.screening.session, PatientMode(services), window)
    patient_mode.resize(1200, 800)
    patient_mode.show()
    save(patient_mode, arguments.out, "6-self-completion")
    patient_mode._left_by = "pin"
    patient_mode.close()
    finish_battery(window)
    save(window, arguments.out, "5b-visit-overview")
    settings = SettingsDialog(context, window)
    settings.show()
    save(settings, arguments.out, "7-settings")
    settings.close()
    clinic = ClinicDialog(services, window)
    clinic.show()
    save(clinic, arguments.out, "7-first-start-clinic")
    clinic.close()
    care_plan_screens(window, services, arguments.out)
    quality_screens(window, services, arguments.out)
    services.close()


def care_plan_screens(window: MainWindow, services: Services, out: Path) -> None:
    """A demo patient's plan with an opioid on a tapering plan: the medication tab and the tapering dialog."""
    from smerteagent.ui.careplan.tapering_dialog import TaperingDialog

    tapered = next(pid for pid in range(1, 200) if (plan := services.careplans.current(pid)) is not None
                   and any(m.tapering for m in plan.medications))  # fmt: skip
    window.open_patient(tapered)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None
    editor.resize(1100, 760)
    editor.values_tab.own_words.setPlainText("Lege med børnebørnene i haven.\nKomme tilbage på kontoret.")
    save(editor, out, "8-care-plan-values-own-words")
    editor.values_tab.own_words.clear()
    editor.tabs.setCurrentIndex(1)
    save(editor, out, "8-care-plan-goals")
    editor.tabs.setCurrentWidget(editor.medication_tab)
    save(editor, out, "9-care-plan-medication")
    row = next(r for r in range(editor.medication_tab.table.rowCount()) if editor.medication_tab.tapering(r))
    dialog = TaperingDialog(editor.medication_tab.medication(row), editor.inputs.catalogue, editor)
    dialog.resize(560, 640)
    dialog.show()
    save(dialog, out, "10-tapering-plan")
    dialog.close()
    editor.reject()


def quality_screens(window: MainWindow, services: Services, out: Path) -> None:
    """The supervision fields in the editor, Tools → "Klinikkens kvalitet", and the report's PDF pages."""
    import pypdfium2

    from smerteagent.reports.quality_pdf import quality_report_pdf
    from smerteagent.ui.quality_view import QualityDialog
    from smerteagent.usecases.quality import quality_report

    lettered = next(pid for pid in range(1, 200) if (plan := services.careplans.current(pid)) is not None
                    and plan.letters and plan.consent)  # fmt: skip
    window.open_patient(lettered)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None
    editor.resize(1100, 860)
    editor.tabs.setCurrentWidget(editor.follow_up_tab)
    save(editor, out, "11-care-plan-consent")
    editor.tabs.setCurrentIndex(editor.tabs.count() - 1)
    save(editor, out, "12-care-plan-letters")
    editor.reject()
    window.quality_action.trigger()
    dialog = window.findChildren(QualityDialog)[0]
    while dialog.report is None or dialog.working:  # made off the GUI thread
        QApplication.processEvents()
        time.sleep(0.01)
    dialog.resize(1300, 820)
    dialog.trend.setCurrentIndex(dialog.trend.findData("share_on_opioids"))
    save(dialog, out, "13-clinic-quality")
    dialog.close()
    report = quality_report(services, sample=2, seed=7, output="pdf")
    document = pypdfium2.PdfDocument(quality_report_pdf(report, services.settings.load()))
    for index in range(min(3, len(document))):
        document[index].render(scale=1.1).to_pil().save(out / f"14-quality-pdf-page-{index + 1}.png")
        print(out / f"14-quality-pdf-page-{index + 1}.png")


if __name__ == "__main__":
    main()
