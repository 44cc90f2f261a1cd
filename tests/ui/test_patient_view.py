"""What the patient's own screen shows: every form meant for the patient walked to its end in self-completion,
every text on the screen collected; none is the clinician's. And no English left in the Danish screens."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QTableWidget, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.forms.model import Text
from smerteagent.core.patients import Patient
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import Services
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.self_completion import SelfCompletionWindow
from smerteagent.usecases.patient_mode import PatientMode

CLINICIAN_WORDS = re.compile(r"\b(patienten|patientens|klinikerudfyldt|klinikeren|spørg|sig|sin|sit|sine)\b", re.I)
# English words that are not Danish too: one of them on a Danish screen is untranslated text.
ENGLISH = re.compile(
    r"\b(the|and|does|not|apply|with|your|you|this|that|which|from|have|has|been|page|printed|"
    r"today|draft|summary|flags?|none|yes|no|save|cancel|close|open|patient's|questionnaire)\b"
)


def screen_texts(root: QWidget) -> list[str]:
    """Every text a person can read on ``root`` and its visible children."""
    found = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel | QAbstractButton | QGroupBox):
            found.append(widget.title() if isinstance(widget, QGroupBox) else widget.text())
        if isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        if isinstance(widget, QTabWidget):
            found += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QTableWidget):
            headers = (widget.horizontalHeaderItem(i) for i in range(widget.columnCount()))
            found += [h.text() for h in headers if h is not None]
        found += [widget.toolTip(), widget.accessibleName()]
    found += [action.text() for action in root.findChildren(QAction)]  # menus and their shortcuts' names
    return [re.sub(r"<[^>]+>", " ", t) for t in found if t]


def clinician_texts(forms: FormLibrary) -> set[str]:
    """The Danish texts only the clinician may read: whole clinician-administered forms, texts marked for the
    clinician, and every band, advice and flag text."""
    found: set[str] = set()
    for form in forms.forms.values():
        definition = form.definition
        texts: list[Text | None] = [definition.instructions]
        texts += [b.label for b in definition.scoring.bands] + [b.advice for b in definition.scoring.bands]
        texts += [f.message for f in definition.scoring.flags]
        if not definition.for_patient:
            texts += [i.text for i in definition.items]
        found |= {t.da for t in texts if t is not None and not (t.for_patient and t is definition.instructions)}
    return found


@pytest.fixture
def window(main_window: MainWindow) -> Iterator[MainWindow]:
    yield main_window


def walk(patient_window: SelfCompletionWindow) -> list[str]:
    """Answer every question shown (the lowest answer, or a short text) until the thanks; the texts seen."""
    seen: list[str] = []
    view = patient_window.view
    for _step in range(200):
        if not view.isVisibleTo(patient_window):
            return seen + screen_texts(patient_window)
        seen += screen_texts(patient_window)
        flow = view.session.flow
        options = flow.form.options.get(flow.item.id)
        if options is not None:
            view.choose(options[0].value)
            if flow.at_last_item() and flow.current_answer() is not None:
                view.next()
        else:
            view.entry.setText("Gå tur" if flow.item.type == "text" else str(flow.item.min or 0))
            view.next()
    raise AssertionError("the questionnaire never ended")


def test_every_patient_form_shows_only_patient_texts(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    forbidden = clinician_texts(services.forms)
    for form in services.forms.forms.values():
        if not form.definition.for_patient:
            continue
        session = ScreeningSession.start(services, patient, "gp", form_id=form.id)
        patient_window = SelfCompletionWindow(window.context, session, PatientMode(window.context.services), window)
        qtbot.addWidget(patient_window)
        patient_window.show()
        seen = walk(patient_window)
        assert any(form.definition.items[0].text.da in t for t in seen), form.id
        shown = [t for t in seen if t in forbidden or CLINICIAN_WORDS.search(t)]
        assert not shown, f"{form.id}: {shown}"
        english = [t for t in seen if ENGLISH.search(t) and t not in ("English",)]
        assert not english, f"{form.id}: {english}"
        patient_window._left_by = "pin"  # as the clinic's PIN ends it
        patient_window.close()


def test_a_battery_in_the_patients_hands_skips_the_clinicians_forms(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    session = ScreeningSession.start(services, patient, "pain_clinic", battery_id="pain_clinic_intake",
                                     context={"on_opioids": True, "on_benzodiazepines": True})  # fmt: skip
    patient_window = SelfCompletionWindow(window.context, session, PatientMode(window.context.services), window)
    qtbot.addWidget(patient_window)
    patient_window.show()
    seen = walk(patient_window)
    titles = {f.definition.short_title.da for f in services.forms.forms.values() if f.definition.short_title}
    shown = {t for t in titles if any(s.startswith(f"{t}  (") for s in seen)}
    assert shown and not shown & {"ASQ", "C-SSRS", "ORT", "CAGE-AID", "DAST-10"}
    patient_window._left_by = "pin"  # as the clinic's PIN ends it
    patient_window.close()
    assert session.flow.reader == "clinician" and not session.done, "the desk asks ASQ, ORT, CAGE-AID, DAST-10"


def test_no_english_left_on_the_danish_screens(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    window.open_patient(patient.id)
    assert window.patient_page is not None
    texts = screen_texts(window)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        texts += screen_texts(editor)
    texts += screen_texts(editor)
    english = sorted({t for t in texts if ENGLISH.search(t)})
    assert not english, english


def test_numbers_on_screen_have_a_decimal_comma_and_units_after_a_space(services: Services) -> None:
    from smerteagent.ui.history_chart import number_text
    from smerteagent.ui.result_view import result_html

    peg = services.forms.get("peg")
    assert "<b>6,33</b>" in result_html(peg, peg.score({"q1": 6, "q2": 7, "q3": 6}))
    odi = services.forms.get("odi")
    answers = {f"q{i}": [1, 1, 1, 0, 1, 0, 1, 1, 1, 1][i - 1] for i in range(1, 11)}
    assert "ODI: <b>16 %</b>" in result_html(odi, odi.score(answers))
    assert number_text(2.5) == "2,5"


def test_an_items_help_reaches_the_patient_when_it_is_theirs(
    qtbot: QtBot, window: MainWindow, services: Services, patient: Patient
) -> None:
    session = ScreeningSession.start(services, patient, "physiotherapy", form_id="psfs")
    patient_window = SelfCompletionWindow(window.context, session, PatientMode(window.context.services), window)
    qtbot.addWidget(patient_window)
    patient_window.show()
    assert patient_window.view.help.isVisibleTo(patient_window)
    assert patient_window.view.help.text().startswith("Skriv en vigtig aktivitet, du har svært ved")
    patient_window._left_by = "pin"  # as the clinic's PIN ends it
    patient_window.close()
