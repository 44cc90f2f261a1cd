"""The privacy routes of issue 20 tried in real windows: an X server (Xvfb) with a window manager (openbox),
keys sent as a user's keyboard would (xdotool, through the X server), screenshots of the whole screen.

    apt-get install xvfb openbox xdotool      # once
    .venv/bin/python docs/real_window_check.py [OUT_DIR]     # default docs/patient-mode/

Starts its own Xvfb and openbox on a free display, a fresh temporary database (two synthetic patients), and
prints one line per check; exit 1 if any check fails. The screenshots show what the screen showed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PASSWORD = "roed-kaffe-paa-kanden"  # ASCII: xdotool types it through the X keymap
PIN = "471108"
NAMES = ("Ærø", "070761", "Østergård", "010203")  # what must never show in a window title while covered


class Display:
    """Xvfb plus openbox on a free display, stopped at the end."""

    def __init__(self) -> None:
        self.number = next(n for n in range(77, 120) if not Path(f"/tmp/.X11-unix/X{n}").exists())
        self.name = f":{self.number}"
        self.server = subprocess.Popen(
            ["Xvfb", self.name, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{self.number}").exists():
                break
            time.sleep(0.05)
        os.environ["DISPLAY"] = self.name
        self.manager = subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)

    def stop(self) -> None:
        for process in (self.manager, self.server):
            process.terminate()
            process.wait(timeout=10)


def xdotool(*arguments: str) -> str:
    done = subprocess.run(["xdotool", *arguments], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def titles() -> list[str]:
    """Every window title the window manager can show (taskbar, Alt+Tab)."""
    ids = xdotool("search", "--onlyvisible", "--name", ".").split()
    return [xdotool("getwindowname", window) for window in ids]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/patient-mode"))
    arguments = parser.parse_args()
    for tool in ("Xvfb", "openbox", "xdotool"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt-get install xvfb openbox xdotool", file=sys.stderr)
            return 2
    arguments.out.mkdir(parents=True, exist_ok=True)
    display = Display()
    try:
        return run(arguments.out)
    finally:
        display.stop()


def run(out: Path) -> int:
    """One scripted consultation, step by step; the number of failed checks decides the exit code."""
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from smerteagent.core.accounts import ADMINISTRATOR
    from smerteagent.core.forms.loader import FormLibrary
    from smerteagent.core.patients import PatientInput
    from smerteagent.i18n import set_language
    from smerteagent.paths import bundled_forms_dir
    from smerteagent.storage.services import open_services
    from smerteagent.ui.app import install_qt_translations
    from smerteagent.ui.context import AppContext
    from smerteagent.ui.lock import Curtain, UnlockDialog
    from smerteagent.ui.main_window import MainWindow
    from smerteagent.ui.pdf_viewer import PdfViewer
    from smerteagent.ui.self_completion import SelfCompletionWindow
    from smerteagent.usecases.clinic import ClinicDetails, set_clinic_details

    set_language("da")
    app = QApplication([])
    install_qt_translations(app, "da")
    services = open_services(f"sqlite:///{tempfile.mkdtemp()}/check.sqlite", FormLibrary.load([bundled_forms_dir()]))
    services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
    services.accounts.log_in("mette", PASSWORD)
    services.settings.save(services.settings.load().with_text("self_completion_pin", PIN))
    set_clinic_details(services, ClinicDetails("Lægerne i Åbyhøj", "Åbyhøjgade 12, 8230 Åbyhøj", "86 15 22 33"))
    first, _ = services.patients.add(PatientInput("Søren", "Ærø", cpr="070761-4285"))
    second, _ = services.patients.add(PatientInput("Bodil", "Østergård", cpr="010203-4567"))
    context = AppContext()
    window = MainWindow(context)
    window.greet = lambda: None  # type: ignore[method-assign]
    window.resize(1200, 760)
    window.show()
    context.set_services(services)
    failures: list[str] = []

    def settle(ms: int = 400) -> None:
        QTest.qWait(ms)

    def check(what: str, ok: bool) -> None:
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    def shot(name: str) -> None:
        settle()
        screen = app.primaryScreen()
        screen.grabWindow(0).save(str(out / f"{name}.png"))  # the whole screen, as the X server shows it
        print(f"     screenshot {out / name}.png")

    def keys(*sequence: str) -> None:
        for key in sequence:
            xdotool("key", "--clearmodifiers", key)
            settle(150)
        settle()

    def typed(text: str) -> None:
        xdotool("type", "--delay", "30", text)
        settle()

    def covered(widget: QWidget) -> bool:
        curtain = widget.findChild(Curtain)
        return curtain is not None and curtain.isVisible() and curtain.geometry() == widget.rect()

    def unlock() -> None:
        dialog = next(d for d in window.findChildren(UnlockDialog) if d.isVisible())
        dialog.activateWindow()
        dialog.password.setFocus()
        settle()
        typed(PASSWORD)
        keys("Return")

    def until(condition: Callable[[], bool], seconds: float = 5) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if condition():
                return True
            settle(100)
        return condition()

    settle(800)
    window.open_patient(first.id)
    window.open_care_plan()
    editor = window.care_plan_editor
    assert editor is not None
    settle(800)
    editor.activateWindow()
    keys("ctrl+shift+j")
    check("Ctrl+Shift+J copied the journal note", "070761-4285" in QApplication.clipboard().text())
    keys("ctrl+shift+o")
    viewer = next((w for w in QApplication.topLevelWidgets() if isinstance(w, PdfViewer) and w.isVisible()), None)
    check("Open PDF shows the plan in the app's own viewer", viewer is not None)
    title = viewer.windowTitle() if viewer is not None else ""
    check("the viewer's title names no patient", viewer is not None and not any(n in title for n in NAMES))
    shot("1-plan-in-own-viewer")
    keys("ctrl+l")  # typed in the viewer, a window of its own
    check("Ctrl+L in the viewer locks", window.account is None)
    check("the lock covers the viewer, the editor and the main window",
          viewer is not None and covered(viewer) and covered(editor) and covered(window))  # fmt: skip
    check("no window title names the patient while locked", not any(n in t for t in titles() for n in NAMES))
    check("the lock emptied the clipboard", QApplication.clipboard().text() == "")
    shot("2-locked-over-viewer-and-editor")
    unlock()
    check("the clinician's password unlocks", until(lambda: window.account is not None))
    editor.activateWindow()
    settle()
    keys("ctrl+shift+j")
    editor.reject()
    window.open_patient(second.id)
    settle()
    check("the next patient: the viewer is closed",
          not any(isinstance(w, PdfViewer) and w.isVisible() for w in QApplication.topLevelWidgets()))  # fmt: skip
    check("the next patient: the note is no longer on the clipboard", QApplication.clipboard().text() == "")
    window.clipboard_guard.put("Bodil Østergård 010203-4567")  # as if the clinician had copied from her page
    window.start_form("psfs", "gp")
    window.activateWindow()
    settle()
    keys("ctrl+shift+p")
    kiosk = next((w for w in window.findChildren(SelfCompletionWindow) if w.isVisible()), None)
    check("Ctrl+Shift+P hands over in a full-screen window", kiosk is not None and kiosk.isFullScreen())
    if kiosk is None:
        return 1
    check("hand-over emptied what the app had copied", QApplication.clipboard().text() == "")
    QApplication.clipboard().setText("Søren Ærø 070761-4285")  # and if something is there anyway:
    kiosk.view.entry.setFocus()
    keys("ctrl+v", "shift+Insert")
    middle = kiosk.view.entry.mapToGlobal(kiosk.view.entry.rect().center())
    xdotool("mousemove", str(middle.x()), str(middle.y()))
    xdotool("click", "2")
    settle()
    check("Ctrl+V, Shift+Insert and middle click paste nothing", kiosk.view.entry.text() == "")
    kiosk.activateWindow()
    kiosk.view.entry.setFocus()
    settle()
    typed("Gaa tur")
    check("typing still works", kiosk.view.entry.text() == "Gaa tur")
    shot("3-patient-mode")
    kiosk_id = xdotool("getactivewindow")
    xdotool("windowminimize", kiosk_id)
    settle(800)
    check("minimised by the window manager", kiosk.isMinimized() or not kiosk.isActiveWindow())
    check("behind the patient's mode every window is covered", covered(window))
    check("no window title names a patient in the patient's mode", not any(n in t for t in titles() for n in NAMES))
    shot("4-patient-mode-minimised")
    kiosk.showFullScreen()
    kiosk.activateWindow()
    settle(800)
    keys("Escape")
    pin_dialog = kiosk.pin_dialog
    check("Escape asks for the PIN", pin_dialog is not None and pin_dialog.isVisible())
    if pin_dialog is None:
        return 1
    pin_dialog.activateWindow()
    pin_dialog.pin.setFocus()
    settle()
    typed("000000")
    keys("Return")
    check("a wrong PIN is refused, with a wait", kiosk.isVisible() and not pin_dialog.ok.isEnabled())
    shot("5-wrong-pin")
    until(lambda: pin_dialog.ok.isEnabled(), 5)
    pin_dialog.pin.setFocus()
    typed(PIN)
    keys("Return")
    check("the PIN ends the patient's mode", until(lambda: not kiosk.isVisible()))
    locked = until(lambda: any(d.isVisible() for d in window.findChildren(UnlockDialog)))
    check("... at the lock, not in the clinician's session", locked and window.account is None)
    shot("6-pin-ends-at-the-lock")
    unlock()
    check("the clinician logs back in with the password", until(lambda: window.account is not None))
    window.activateWindow()
    settle()

    def inside_help() -> None:  # runs in the F1 dialog's own event loop (exec)
        from smerteagent.ui.shortcuts_dialog import ShortcutsDialog

        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog) and w.isVisible())
        dialog.activateWindow()
        settle()
        keys("ctrl+l")
        check("Ctrl+L locks from the keyboard help (F1)", window.account is None and covered(dialog))
        shot("7-locked-over-f1")
        unlock()
        until(lambda: window.account is not None)
        dialog.reject()

    QTimer.singleShot(1000, inside_help)
    xdotool("key", "--clearmodifiers", "F1")
    settle(3000)
    wanted = [e.action for e in services.audit.events() if e.action in ("handover", "pin_failed", "return", "lock")]
    check("audited: hand-over, wrong PIN, return, locks", wanted[:1] == ["lock"] and
          wanted[1:] == ["handover", "pin_failed", "return", "lock", "lock"])  # fmt: skip
    services.close()
    print(f"{len(failures)} check(s) failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
