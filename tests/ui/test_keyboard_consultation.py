"""The whole consultation by keyboard only (issue 15): find or create the patient, run the battery, read the
visit overview, record the suicide-risk action, write the care plan (values, goals, actions, treatment, drugs
from the catalogue), print it and copy the journal note — no mouse event, every key counted.

benchmarks/keys.py reports the count; the first wave's consultation took 246 presses (issue 15).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from smerteagent.i18n import _
from smerteagent.storage.services import Services
from smerteagent.ui.main_window import MainWindow
from tests.ui.helpers import StartMainWindow, alt_letters
from tests.ui.keyboard_user import KeyboardUser, Press, Scenario, Type, Until, alt, ctrl, focused, press

K = Qt.Key
DEBUG = bool(os.environ.get("KEYBOARD_DEBUG"))


@pytest.fixture
def window(start_main_window: StartMainWindow, services: Services, qtbot: QtBot) -> Iterator[MainWindow]:
    main = start_main_window(services)
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    yield main


def key_of(label: str) -> Press:
    """Alt and the letter underlined in ``label`` as the user sees it (in the UI's language)."""
    shown = _(label)
    return alt(shown[shown.index("&") + 1])


def where() -> str:
    widget = focused()
    return (
        f"{type(widget).__name__}[{widget.accessibleName() or widget.objectName()}] in {type(widget.window()).__name__}"
    )


def consultation(window: MainWindow, user: KeyboardUser) -> Scenario:
    # 1. A new patient (Ctrl+N), names and CPR number, Enter saves and opens the patient page.
    yield ctrl("n")
    yield Until(lambda: type(QApplication.activeModalWidget()).__name__ == "PatientDialog", "patient dialog")
    yield Type("Birgit")
    yield press(K.Key_Tab)
    yield Type("Ærø Sørensen")
    yield press(K.Key_Tab)
    yield Type("070761-4286")
    yield press(K.Key_Return)
    yield Until(lambda: window.stack.currentWidget() is window.patient_page, "patient page")
    if DEBUG:
        print("after patient:", where())
    # 2. The patient takes opioids (Alt+O ticks it), Ctrl+B runs the default battery: one key per answer.
    yield key_of("&Opioids")
    yield ctrl("b")
    yield Until(lambda: window.screening is not None and window.stack.currentWidget() is window.screening)
    yield from answer_the_battery(window, user)
    # 3. The visit overview is what the page shows after the battery: STarT Back high risk, its matched
    #    treatment and the suicide-risk flag first.
    yield Until(lambda: window.stack.currentWidget() is window.patient_page, "patient page after the battery")
    page = window.patient_page
    assert page is not None
    overview = page.result_view.text()
    assert page.safety.isVisible()
    # 4. One action for all suicide-risk flags: Alt+R, the action chosen with arrows, a note, Enter.
    yield key_of("&Record action…")
    yield Until(lambda: type(QApplication.activeModalWidget()).__name__ == "SafetyActionDialog", "safety dialog")
    yield press(K.Key_Down, times=2)
    yield press(K.Key_Tab)
    yield Type("Passive dødsønsker, ingen planer. Sikkerhedsplan lavet, datter informeret.")
    yield press(K.Key_Tab)
    yield press(K.Key_Return)
    yield Until(lambda: not page.safety.isVisible(), "the banner gone")
    if DEBUG:
        print("overview:", overview[:400])
        print("after the action:", where())
    # 5. The care plan (Ctrl+Shift+B).
    yield ctrl("b", shift=True)
    yield Until(lambda: window.care_plan_editor is not None and window.care_plan_editor.isVisible(), "care plan")
    editor = window.care_plan_editor
    assert editor is not None
    if DEBUG:
        print("care plan:", where())
    # Values (the tab it opens on): family matters most (10), now 3, work on it.
    yield Type("10")
    yield press(K.Key_Tab)
    yield Type("3")
    yield press(K.Key_Tab)
    yield press(K.Key_Space)
    # A goal for it: Alt+G, Ctrl+Insert starts typing in the new row's goal; Tab moves along the row.
    yield key_of("&Goals")
    yield ctrl(K.Key_Insert)
    yield Type("Lege med børnebørnene en time")
    for text in ("PSFS 1", "3", "7", "01.03.2027"):
        yield press(K.Key_Tab)
        yield Type(text)
    yield press(K.Key_Return)
    if DEBUG:
        print("goal:", [editor.goal_table.text(0, c) for c in range(7)], where())
    # An action: Alt+A, Ctrl+Insert, what, who (the patient, the first choice), when.
    yield key_of("&Actions")
    yield ctrl(K.Key_Insert)
    yield Type("Gåtur 20 minutter hver dag")
    yield press(K.Key_Tab)
    if DEBUG:
        yield Until(lambda: print("action who:", where()) or True)
    yield press(K.Key_Tab)
    yield Type("dagligt")
    yield press(K.Key_Return)
    if DEBUG:
        print("action:", [editor.action_table.text(0, c) for c in range(3)], where())
    # Treatment: the STarT Back matched treatment is ticked already; the pain type adds the national
    # recommendations, and one of them is ticked too.
    yield key_of("&Treatment")
    yield press(K.Key_Tab)
    yield press(K.Key_Space)
    yield key_of("Treatment sugg&estions (Space ticks)")
    yield press(K.Key_Down)
    yield press(K.Key_Space)
    if DEBUG:
        print("treatments:", editor.treatment_tab.treatments(), where())
    # Medication from the catalogue: the completer offers the trade name with its strength.
    yield key_of("&Medication")
    for typed, dose in (("Contalgin 10", "1 tablet x 2"), ("Panodil 500", "2 tabletter x 3")):
        yield ctrl(K.Key_Insert)
        yield Type(typed)
        if DEBUG:
            yield Until(lambda: print("drug:", where()) or True)
        yield press(K.Key_Down)
        yield press(K.Key_Return)
        yield press(K.Key_Tab)
        yield Type(dose)
        yield press(K.Key_Return)
    if DEBUG:
        table = editor.medication_tab.table
        print("drugs:", [[table.text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())])
        print("warnings:", editor.medication_tab.warning_texts())
    # Follow-up: when and with whom.
    yield key_of("&Follow-up")
    yield Type("17.12.2026")
    yield press(K.Key_Tab)
    yield Type("egen læge")
    # Save, print (the print dialog's Enter), copy the journal note, close.
    yield ctrl("s")
    yield ctrl("p")
    yield Until(lambda: PRINTED, "printed")
    yield ctrl("j", shift=True)
    yield Until(lambda: "Journal" in editor.status.text() or "journal" in editor.status.text(), "note copied")
    NOTES.append(QApplication.clipboard().text())
    if DEBUG:
        print("note:", NOTES[-1])
    yield key_of("&Close")
    yield Until(lambda: not editor.isVisible(), "the plan closed")


# What the patient answers (the clinician keys it in): high-risk STarT Back, pain 7/8/6, two PSFS activities,
# PHQ-4 positive for both (GAD-7 and PHQ-9 follow, their first items carried from PHQ-4), PHQ-9 item 9 = 1
# (the C-SSRS screener follows: wish to be dead, no active thoughts), ORT and CAGE-AID for the opioid.
ANSWERS: dict[str, dict[str, int | str]] = {
    "startback": {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q7": 1, "q8": 1, "q9": 3},
    "peg": {"q1": 7, "q2": 8, "q3": 6},
    "psfs": {"q1_activity": "lege med børnebørnene", "q1": 3, "q2_activity": "gå tur med hunden", "q2": 4},
    "phq4": {"q1": 2, "q2": 1, "q3": 2, "q4": 2},
    "gad7": {"q3": 1, "q4": 2, "q5": 0, "q6": 1, "q7": 1},
    "phq9": {"q3": 2, "q4": 2, "q5": 1, "q6": 1, "q7": 1, "q8": 0, "q9": 1},
    "cssrs_screener": {"q1": 1, "q2": 0, "q6": 0},
    "ort": {"q1": 0, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "q6": 0, "q7": 0, "q8": 0, "q9": 0, "q10": 0},
    "cage_aid": {"q1": 0, "q2": 0, "q3": 0, "q4": 0},
}


def answer_the_battery(window: MainWindow, user: KeyboardUser) -> Scenario:
    """Reads the question on screen and keys its answer: a digit for a choice (one key, it moves on), the
    number or words and Enter for a typed answer, Enter alone for an unused slot; Enter finishes a form."""
    for _step in range(200):
        if window.stack.currentWidget() is not window.screening:
            return
        view = window.screening
        assert view is not None
        flow = view.session.flow
        form, item = flow.form.id, flow.item
        here = (id(view), form, item.id)
        value = ANSWERS.get(form, {}).get(item.id)
        if DEBUG:
            print(form, item.id, item.type, value, where())

        def moved(here: tuple[int, str, str] = here) -> bool:
            shown = window.screening
            if window.stack.currentWidget() is not shown or shown is None:
                return True
            return (id(shown), shown.session.flow.form.id, shown.session.flow.item.id) != here

        if value is None:
            yield press(K.Key_Return)
        elif item.type in ("choice", "yes_no"):
            digit = next(d for d, v in view._keys.items() if v == value)  # the digit shown on its button
            yield press(getattr(K, f"Key_{digit}"))
            user.answer_keys += 1
            # The form's last question waits for Enter (finishing makes the answers final).
            yield Until(lambda flow=flow: moved() or (flow.at_last_item() and flow.current_answer() is not None))
            if not moved():
                yield press(K.Key_Return)
        else:
            yield Type(str(value))
            yield press(K.Key_Return)
        yield Until(moved, f"past {form} {item.id}")
    raise AssertionError("the battery did not end")


PRINTED: list[bytes] = []
NOTES: list[str] = []


class NoMouse(QObject):
    """Counts every mouse press or release anywhere in the app: the scenario must need none."""

    def __init__(self) -> None:
        super().__init__()
        self.events = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                            QEvent.Type.MouseButtonDblClick):  # fmt: skip
            self.events += 1
        return False


@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")
def test_the_whole_consultation_by_keyboard(
    qtbot: QtBot, window: MainWindow, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = KeyboardUser()

    def print_dialog_enter(pdf: bytes, parent: object, title: str) -> bool:
        """The system print dialog opens on the default printer: Enter prints (one key)."""
        user.presses += 1
        PRINTED.append(pdf)
        return True

    PRINTED.clear()
    NOTES.clear()
    monkeypatch.setattr("smerteagent.ui.careplan.editor.print_pdf", print_dialog_enter)
    mouse = NoMouse()
    QApplication.instance().installEventFilter(mouse)  # type: ignore[union-attr]
    try:
        user.play(consultation(window, user))
        qtbot.waitUntil(lambda: user.done or user.failure is not None, timeout=90_000)
    finally:
        QApplication.instance().removeEventFilter(mouse)  # type: ignore[union-attr]
    if DEBUG:
        print("\n".join(user.log))
    if user.failure is not None:
        raise user.failure
    assert mouse.events == 0

    # What the record holds afterwards.
    [patient] = services.patients.search("Ærø Sørensen")
    assert patient.given_name == "Birgit"
    responses = services.screenings.responses(patient.id)
    done = {r.form_id: r for r in responses if r.score is not None}
    assert set(done) == {"startback", "peg", "psfs", "phq4", "gad7", "phq9", "cssrs_screener", "ort", "cage_aid"}
    assert done["startback"].score.band == "high"
    assert done["phq9"].answers["q9"] == 1 and done["phq9"].answers["q1"] == 2  # carried from PHQ-4
    actions = services.screenings.safety_actions(patient.id)
    assert {a.action for a in actions} == {"safety_plan_made"}  # one action for both flags (PHQ-9 and C-SSRS)
    assert {a.flag for a in actions} >= {"suicide_risk"} and len({a.at for a in actions}) == 1
    assert all("datter informeret" in (a.note or "") for a in actions)
    plan = services.careplans.current(patient.id)
    assert plan is not None and plan.frozen  # printed: the version the patient took home is kept
    assert [v.domain for v in plan.values if v.chosen] == ["family"]
    assert [(g.description, g.baseline, g.target) for g in plan.goals] == [("Lege med børnebørnene en time", 3, 7)]
    assert [(a.what, a.who, a.due) for a in plan.actions] == [("Gåtur 20 minutter hver dag", "patient", "dagligt")]
    assert len(plan.treatments) == 2
    assert [(m.name, m.daily_dose) for m in plan.medications] == [("Contalgin 10 mg", 20), ("Panodil 500 mg", 3000)]
    assert plan.follow_up_on is not None and plan.follow_up_by == "egen læge"
    assert len(PRINTED) == 1 and PRINTED[0].startswith(b"%PDF")
    assert NOTES and "Contalgin 10 mg" in NOTES[0] and "Sikkerhedsplan lavet" in NOTES[0]
    events = [e.detail.get("document") for e in services.audit.events()]
    assert "journal_note" in events

    counts = {"key_presses": user.presses, "typed_characters": user.typed, "answer_keys": user.answer_keys}
    out = os.environ.get("KEYBOARD_COUNT_FILE")
    if out:
        Path(out).write_text(json.dumps(counts))
    print(f"key presses: {user.presses} (answer digits among them: {user.answer_keys}), typed: {user.typed}")


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_patient_page_alt_letters_are_unique_beside_the_menus(
    qtbot: QtBot, window: MainWindow, services: Services, language: str
) -> None:
    """Alt+O ticks 'takes opioids', Alt+R records the suicide-risk action: no letter does two things."""
    from smerteagent import i18n
    from smerteagent.core.patients import PatientInput

    created, _warnings = services.patients.add(PatientInput("Åse", "Bæk", cpr="070761-4285"))
    i18n.set_language(language)
    window.context.language_did_change.emit(language)
    window.open_patient(created.id)
    assert window.patient_page is not None
    window.patient_page.safety.show_alerts(["x"])  # the banner's button counts too
    letters = [letter for letter, _text in alt_letters(window)]
    assert len(letters) == len(set(letters)), alt_letters(window)
    assert {"o", "r"} <= set(letters)
