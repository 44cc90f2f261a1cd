"""Tools → "Klinikkens kvalitet": the table, the outcomes, a chart and the worklists; Enter on a worklist row
opens the patient; the models pass the model tester."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.quality.report import QualityReport
from smerteagent.storage.demo import load_demo
from smerteagent.storage.services import Services
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.quality_view import QualityDialog, RowsModel
from smerteagent.usecases.quality import quality_report
from tests.ui.helpers import StartMainWindow


@pytest.fixture
def window(start_main_window: StartMainWindow, services: Services) -> Iterator[MainWindow]:
    load_demo(services, 80, seed=3)
    yield start_main_window(services)


def _dialog(window: MainWindow, qtbot: QtBot) -> QualityDialog:
    window.quality_action.trigger()
    found = window.findChildren(QualityDialog)
    assert len(found) == 1
    qtbot.waitUntil(lambda: found[0].report is not None and not found[0].working)
    return found[0]


def test_the_view_shows_the_checkpoints_and_enter_opens_a_patient(qtbot: QtBot, window: MainWindow) -> None:
    assert window.quality_action.isEnabled() and window.quality_action.text() == "Klinikkens k&valitet…"
    dialog = _dialog(window, qtbot)
    checkpoints = dialog.checkpoints.model()
    assert checkpoints.rowCount() == 8
    assert checkpoints.index(7, 1).data() == "Journalgennemgang af vurdering af epikriser"
    assert dialog.outcomes.model().rowCount() > 10
    worklist = dialog.worklist.model()
    assert isinstance(worklist, RowsModel) and worklist.rowCount() > 0
    patient_id = worklist.keys[0]
    dialog.worklist.setFocus()
    dialog.worklist.setCurrentIndex(worklist.index(0, 0))
    QTest.keyClick(dialog.worklist, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.patient is not None and window.patient.id == patient_id)
    assert window.stack.currentWidget() is window.patient_page


def test_choosing_a_checkpoint_shows_its_worklist(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _dialog(window, qtbot)
    report = dialog.report
    assert report is not None
    for row, checkpoint in enumerate(report.checkpoints):
        dialog.checkpoints.selectRow(row)
        assert dialog.worklist.model().rowCount() == checkpoint.not_fulfilled
    dialog.trend.setCurrentIndex(dialog.trend.findData("share_on_opioids"))
    assert dialog.chart.key == "share_on_opioids" and len(dialog.chart.trends) == 13, "12 months touch 13"
    dialog.chart.grab()  # paints without a warning


def test_the_pdf_is_written_and_audited(qtbot: QtBot, window: MainWindow, services: Services, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    dialog = _dialog(window, qtbot)
    target = tmp_path / "kvalitet.pdf"
    monkeypatch.setattr("smerteagent.ui.quality_view.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_pdf()
    qtbot.waitUntil(lambda: str(target) in dialog.summary.text())  # the user is told where it went
    assert target.read_bytes().startswith(b"%PDF")
    event = services.audit.events()[-1]
    assert event.action == "export" and event.detail["file"] == str(target) and event.detail["with_cpr"] is False


def test_a_name_typed_without_its_ending_is_saved_as_a_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    dialog = _dialog(window, qtbot)
    typed = tmp_path / "tilsyn"
    monkeypatch.setattr("smerteagent.ui.quality_view.QFileDialog.getSaveFileName", lambda *a, **k: (str(typed), ""))
    dialog.save_pdf()
    qtbot.waitUntil(lambda: "tilsyn.pdf" in dialog.summary.text())
    assert not typed.exists()


def test_the_models_pass_the_model_tester(qtbot: QtBot, qtmodeltester: object, window: MainWindow) -> None:
    dialog = _dialog(window, qtbot)
    for view in (dialog.checkpoints, dialog.outcomes, dialog.worklist):
        qtmodeltester.check(view.model())  # type: ignore[attr-defined]


def test_the_report_is_made_off_the_gui_thread_with_a_busy_bar(qtbot: QtBot, window: MainWindow, services: Services,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The window stays responsive while the report is made: a moving bar, the period locked; then the table
    (filled on the GUI thread), and Enter on a worklist row still opens the patient."""
    release, threads, shown_on = threading.Event(), [], []
    show = QualityDialog._show_report

    def recorded(self: QualityDialog, report: QualityReport) -> None:
        shown_on.append(threading.current_thread())
        show(self, report)

    monkeypatch.setattr(QualityDialog, "_show_report", recorded)

    def make(start: date, end: date, output: str) -> QualityReport:
        threads.append(threading.current_thread())
        assert release.wait(timeout=20)
        return quality_report(services, start, end, output=output)

    dialog = QualityDialog(make, lambda *_args: None, date.today() - timedelta(days=364), date.today(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is not threading.main_thread()
    assert dialog.working and dialog.busy.isVisible() and dialog.report is None
    assert not dialog.update_button.isEnabled() and not dialog.start.isEnabled()
    dialog.refresh()  # a second press while one is being made starts nothing
    release.set()
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.working)
    assert len(threads) == 1 and not dialog.busy.isVisible() and dialog.update_button.isEnabled()
    assert shown_on == [threading.main_thread()]
    assert dialog.checkpoints.model().rowCount() == 8
    worklist = dialog.worklist.model()
    assert isinstance(worklist, RowsModel) and worklist.rowCount() > 0
    with qtbot.waitSignal(dialog.open_patient_requested) as opened:
        dialog.worklist.setFocus()
        dialog.worklist.setCurrentIndex(worklist.index(0, 0))
        QTest.keyClick(dialog.worklist, Qt.Key.Key_Return)
    assert opened.args == [worklist.keys[0]]


def test_a_failure_in_the_background_is_explained(qtbot: QtBot, window: MainWindow,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    shown: list[str] = []
    monkeypatch.setattr("smerteagent.ui.operations.QMessageBox.warning", lambda parent, title, text: shown.append(text))

    def make(start: date, end: date, output: str) -> QualityReport:
        raise StorageUnavailable("unreachable", "the server went away")

    dialog = QualityDialog(make, lambda *_args: None, date.today(), date.today(), window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(shown) and not dialog.working)
    assert "the server went away" in shown[0] and dialog.update_button.isEnabled() and not dialog.busy.isVisible()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_pdf_is_created_owner_only(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The sample names patients: the file is the user's alone, whatever the umask."""
    os.umask(0o022)
    dialog = _dialog(window, qtbot)
    target = tmp_path / "kvalitet.pdf"
    monkeypatch.setattr("smerteagent.ui.quality_view.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_pdf()
    qtbot.waitUntil(lambda: not dialog.working and target.exists())
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_every_menu_item_has_its_own_alt_letter(qtbot: QtBot, window: MainWindow) -> None:
    """Alt+letter in a menu chooses at once only when no other item there has the same letter (Danish)."""
    import re

    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        letters = [m.group(1).lower() for a in menu.actions() if (m := re.search(r"&(\w)", a.text()))]
        assert len(letters) == len(set(letters)), (menu.title(), letters)


def test_tab_leaves_a_table_instead_of_walking_its_cells(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _dialog(window, qtbot)
    dialog.activateWindow()
    dialog.checkpoints.setFocus()
    qtbot.waitUntil(dialog.checkpoints.hasFocus)
    row = dialog.checkpoints.currentIndex().row()
    qtbot.keyClick(dialog.checkpoints, Qt.Key.Key_Tab)
    assert not dialog.checkpoints.hasFocus(), "Tab goes on to the next field"
    assert dialog.checkpoints.currentIndex().row() == row, "the checkpoint chosen (and its worklist) stays"
