"""Patient mode as the patient reads it: fully in English when English is chosen, spoken to in the second
person in both languages, larger text than at the desk, and a wrong PIN (or password) answered plainly."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from html import unescape

import pytest
from babel.messages.pofile import read_po
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import Patient
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import Services
from smerteagent.ui.lock import UnlockDialog
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.self_completion import SelfCompletionWindow
from tests.core.test_patient_wording import patient_texts
from tests.ui.helpers import StartMainWindow

PIN = "471108"
CATALOGUE = "resources/locale/da/LC_MESSAGES/smerteagent.po"
WORD = re.compile(r"[A-Za-zÆØÅæøåÉé]{3,}")
THIRD_PERSON = re.compile(r"\b(the patient|patient's|patienten|patientens)\b", re.I)


@cache
def danish_only_words() -> frozenset[str]:
    """Words of the Danish catalogue and the forms' Danish texts that no English text of the app uses."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with (root / CATALOGUE).open("rb") as file:
        catalogue = read_po(file)
    danish: set[str] = set()
    english: set[str] = set()

    def words(text: str) -> set[str]:
        return {w.casefold() for w in WORD.findall(text)}

    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            english |= words(text)
        for text in strings:
            danish |= words(text or "")
    library = FormLibrary.load([bundled_forms_dir()])
    for form in library.forms.values():
        for text in patient_texts(form, "da"):
            danish |= words(text)
        for text in patient_texts(form, "en"):
            english |= words(text)
    return frozenset(danish - english)


def shown_texts(window: QWidget) -> list[str]:
    """Every text a reader meets in ``window``: labels, buttons, placeholders, accessible names, the title."""
    found = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.objectName().startswith("language_"):
            continue  # each language's button names it in itself ("Dansk", "English"), by design
        if isinstance(widget, QLabel):
            found.append(unescape(re.sub(r"<[^>]+>", " ", widget.text())))
        elif isinstance(widget, QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        found += [widget.accessibleName(), widget.toolTip()]
    return [t for t in found if t]


def danish_in(texts: list[str], patient: Patient) -> list[str]:
    names = {w.casefold() for w in WORD.findall(patient.name)}
    wrong = danish_only_words()
    return [t for t in texts if {w.casefold() for w in WORD.findall(t)} - names & wrong]


@pytest.fixture
def window(
    start_main_window: StartMainWindow, services: Services, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setattr(SelfCompletionWindow, "showFullScreen", SelfCompletionWindow.show)
    services.settings.save(services.settings.load().with_text("self_completion_pin", PIN))
    main = start_main_window(services)
    main.open_patient(patient.id)
    yield main
    for widget in QApplication.topLevelWidgets():
        if type(widget).__name__ in {"UnlockDialog", "PinDialog", "SelfCompletionWindow"}:
            widget.hide()
            widget.deleteLater()


def hand_over_battery(window: MainWindow) -> SelfCompletionWindow:
    window.start_battery("gp_first_back", "gp", {"on_opioids": False})
    window.start_self_completion()
    [kiosk] = [w for w in window.findChildren(SelfCompletionWindow) if w.isVisible()]
    return kiosk


def choose_language(kiosk: SelfCompletionWindow, code: str) -> None:
    """The patient presses the language's own name at the top of the screen."""
    [button] = [b for b in kiosk.findChildren(QPushButton) if b.text() == {"da": "Dansk", "en": "English"}[code]]
    button.click()


def walk(qtbot: QtBot, kiosk: SelfCompletionWindow) -> Iterator[None]:
    """Every screen of the patient's questionnaires, answered the plain way, until the thanks."""
    view = kiosk.view
    for _step in range(120):
        if kiosk.thanks.isVisible():
            return
        yield
        item = view.session.flow.item
        if view._keys:
            view.choose(view._keys[min(view._keys)])
            if view.error.text():  # the last question waits for Enter
                yield
                view.next()
        elif item.type == "text":
            view.entry.setText("Walking" if item.id.startswith("q1") else "")
            view.next()
        else:
            view.entry.setText(str(item.min or 0))
            view.next()
    raise AssertionError("the questionnaires never ended")


def test_patient_mode_in_english_shows_no_danish_on_any_screen(
    qtbot: QtBot, window: MainWindow, patient: Patient
) -> None:
    kiosk = hand_over_battery(window)
    choose_language(kiosk, "en")
    screens = 0
    for _ in walk(qtbot, kiosk):
        screens += 1
        assert not danish_in(shown_texts(kiosk), patient), kiosk.view.session.flow.item.id
    assert screens > 10
    assert kiosk.thanks.text().startswith("Thank you") and not danish_in(shown_texts(kiosk), patient)
    dialog = kiosk.ask_to_leave()
    dialog.pin.setText("000000")
    dialog.submit()
    assert dialog.problem.text() and not danish_in(shown_texts(dialog), patient)


def test_both_languages_speak_to_the_patient_not_about_them(qtbot: QtBot, window: MainWindow) -> None:
    for code in ("da", "en"):
        kiosk = hand_over_battery(window)
        choose_language(kiosk, code)
        for _ in walk(qtbot, kiosk):
            wrong = [t for t in shown_texts(kiosk) if THIRD_PERSON.search(t)]
            assert not wrong, (code, kiosk.view.session.flow.item.id, wrong)
        kiosk._left_by = "pin"
        kiosk.close()
        window.screening = None


def test_the_origin_of_a_prefilled_answer_says_your_on_the_patients_screen() -> None:
    from smerteagent.core.screening_flow import ORIGIN_CARRIED, ORIGIN_CONTEXT, ORIGIN_PREVIOUS
    from smerteagent.ui.screening_view import origin_text

    for origin in (ORIGIN_CONTEXT, ORIGIN_PREVIOUS, ORIGIN_CARRIED):
        assert not THIRD_PERSON.search(origin_text(origin, patient_mode=True))
    assert "patient" in origin_text(ORIGIN_CONTEXT).casefold(), "the desk's wording stays"


def test_patient_mode_text_is_larger_than_at_the_desk(qtbot: QtBot, window: MainWindow) -> None:
    desk = window.font().pointSizeF()
    kiosk = hand_over_battery(window)
    smallest = {}
    for _ in walk(qtbot, kiosk):
        for widget in kiosk.findChildren(QWidget):
            if widget.isVisibleTo(kiosk) and isinstance(widget, QLabel | QAbstractButton | QLineEdit):
                size = widget.font().pointSizeF()
                smallest[type(widget).__name__] = min(size, smallest.get(type(widget).__name__, size))
    assert smallest and all(size >= 1.3 * desk for size in smallest.values()), (desk, smallest)


def test_a_wrong_pin_says_so_with_the_tries_left_and_the_wait(window: MainWindow) -> None:
    from smerteagent.usecases.patient_mode import MAX_FAILURES

    kiosk = hand_over_battery(window)
    dialog = kiosk.ask_to_leave()
    dialog.pin.setText("123456")
    dialog.submit()
    message = dialog.problem.text()
    assert dialog.problem.isVisible() and "123456" not in message
    assert "Forkert PIN-kode" in message and str(MAX_FAILURES - 1) in message and "2 s" in message
    dialog.pin.setText(PIN)
    dialog.submit()  # too soon: not even checked, and it says so
    assert kiosk.isVisible() and "ikke kontrolleret" in dialog.problem.text() and PIN not in dialog.problem.text()


def test_the_lock_does_not_speak_of_a_user_name_it_does_not_ask_for(window: MainWindow) -> None:
    window.lock("keyboard")
    [unlock] = [d for d in window.findChildren(UnlockDialog) if d.isVisible()]
    unlock.password.setText("forkert-adgangskode")
    unlock.try_unlock()
    shown = " ".join(shown_texts(unlock)).casefold()
    assert unlock.problem.text() and "adgangskode" in unlock.problem.text().casefold()
    assert "brugernavn" not in shown, "no user name field is shown, so no user name is mentioned"
    for _ in range(4):  # the back-off after several wrong passwords names the password, too
        unlock.password.setText("forkert-adgangskode")
        unlock.try_unlock()
    assert "brugernavn" not in unlock.problem.text().casefold() and unlock.problem.text()
