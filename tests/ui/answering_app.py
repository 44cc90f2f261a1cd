"""Child process for the app-level kill test: the real desktop app (``ui.app.run``) answering a battery.

Once storage has loaded it opens the patient, resumes the newest unfinished screening (printing
``resumed ENCOUNTER ANSWERS-JSON`` with the answers the screen has) or starts a battery, then answers
question after question through key presses. Each answer is printed as
``answered ENCOUNTER FORM ITEM VALUE-JSON`` only after the screen holds it as given, and announced as
``answering …`` before its key is pressed — the parent kills this process at a random moment and then checks
that every printed answer is in the database (or, for the one being answered at the kill, the newer one).
"""

from __future__ import annotations

import json
import os
import random
import sys
import traceback
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from smerteagent.ui.app import run
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.screening_view import ScreeningView

BATTERY = "gp_first_back"
ADMIN_PASSWORD = "rød-kaffe-på-kanden"  # the template's administrator (tests/ui/conftest.py)


def or_exit(slot: Callable[[Answerer], None]) -> Callable[[Answerer], None]:
    """A failure inside a timer slot ends the process (Qt would print it and carry on)."""

    def guarded(self: Answerer) -> None:
        try:
            slot(self)
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(3)

    return guarded


class Answerer:
    def __init__(self, cpr: str, seed: int) -> None:
        self.cpr, self.rng = cpr, random.Random(seed)
        self.window: MainWindow | None = None

    @or_exit
    def wait_for_storage(self) -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].context.loaded:
            QTimer.singleShot(5, self.wait_for_storage)
            return
        self.window = windows[0]
        if self.window.account is None:  # the clinician logs in on the login page, as at every start
            self.window.login_page.username.setText("mette")
            self.window.login_page.password.setText(ADMIN_PASSWORD)
            self.window.login_page.submit()
            assert self.window.account is not None, self.window.login_page.message.text()
        self.begin()

    def begin(self) -> None:
        assert self.window is not None
        services = self.window.context.services
        found = services.patients.find_by_cpr(self.cpr.replace("-", ""))
        assert found is not None
        self.window.open_patient(found.id)
        encounters = sorted(services.screenings.encounters(found.id), key=lambda e: e.id)
        if encounters and any(r.encounter_id == encounters[-1].id for r in services.screenings.responses(found.id)):
            self.window.resume(encounters[-1].id)
            view = self.view()
            if view is not None and not view.session.flow.done:
                print(f"resumed {encounters[-1].id} {json.dumps(view.session.flow.answers)}", flush=True)
                QTimer.singleShot(0, self.step)
                return
        self.window.start_battery(BATTERY, "gp", {"on_opioids": False})
        print(f"started {self.encounter()}", flush=True)
        QTimer.singleShot(0, self.step)

    def view(self) -> ScreeningView | None:
        assert self.window is not None
        screening = self.window.screening
        return screening if isinstance(screening, ScreeningView) and screening.isVisible() else None

    def encounter(self) -> int:
        view = self.view()
        assert view is not None
        return view.session.encounter.id

    @or_exit
    def step(self) -> None:
        view = self.view()
        if view is None or view.session.flow.done:
            self.begin()
            return
        flow = view.session.flow
        form, item = flow.form.id, flow.item
        last = flow.at_last_item()
        encounter = view.session.encounter.id
        digit = self.rng.choice(sorted(view._keys)) if view._keys else None
        if digit is not None:
            value: int | str = view._keys[digit]
        else:
            value = self.rng.randint(item.min or 0, item.max or 0) if item.type == "numeric" else "Gå tur æøå"
        # Said before the key: a kill after the answer is stored but before "answered" is printed leaves this
        # answer in the record (an item answered again on a resumed screen then differs from the one before).
        print(f"answering {encounter} {form} {item.id} {json.dumps(value)}", flush=True)
        if digit is not None:
            QTest.keyClick(view, getattr(Qt.Key, f"Key_{digit}"))
        else:
            view.entry.setText(str(value))
            QTest.keyClick(view.entry, Qt.Key.Key_Return)
        assert flow.answers.get(form, {}).get(item.id) == value, "the screen holds the answer"
        print(f"answered {encounter} {form} {item.id} {json.dumps(value)}", flush=True)
        if last and view._keys:
            QTest.keyClick(view, Qt.Key.Key_Return)  # a questionnaire's last choice is confirmed with Enter
        QTimer.singleShot(0, self.step)


def no_message_boxes() -> None:
    """A message box (a storage error under load) would wait for a click forever while the parent waits for
    output: said on stderr and the process ends, so the parent fails with the message instead of hanging."""

    def said(kind: str) -> Callable[..., object]:
        def show(_parent: object, title: str, text: str, *_args: object, **_options: object) -> object:
            print(f"unexpected {kind} message box: {title}: {text}", file=sys.stderr, flush=True)
            os._exit(4)

        return show

    for kind in ("information", "warning", "critical", "question"):
        setattr(QMessageBox, kind, staticmethod(said(kind)))


def main(url: str, cpr: str, seed: int) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    no_message_boxes()
    answerer = Answerer(cpr, seed)
    QTimer.singleShot(0, answerer.wait_for_storage)
    del app
    return run(url, language_forced="da")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
