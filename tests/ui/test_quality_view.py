"""Tools → "Klinikkens kvalitet": the table, the outcomes, a chart and the worklists; Enter on a worklist row
opens the patient; the models pass the model tester."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from smerteagent.storage.demo import load_demo
from smerteagent.storage.services import Services
from smerteagent.ui.main_window import MainWindow
from smerteagent.ui.quality_view import QualityDialog, RowsModel
from tests.ui.helpers import StartMainWindow


@pytest.fixture
def window(start_main_window: StartMainWindow, services: Services) -> Iterator[MainWindow]:
    load_demo(services, 80, seed=3)
    yield start_main_window(services)


def _dialog(window: MainWindow) -> QualityDialog:
    window.quality_action.trigger()
    found = window.findChildren(QualityDialog)
    assert len(found) == 1
    return found[0]


def test_the_view_shows_the_checkpoints_and_enter_opens_a_patient(qtbot: QtBot, window: MainWindow) -> None:
    assert window.quality_action.isEnabled() and window.quality_action.text() == "Klinikkens &kvalitet…"
    dialog = _dialog(window)
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


def test_choosing_a_checkpoint_shows_its_worklist(window: MainWindow) -> None:
    dialog = _dialog(window)
    report = dialog.report
    assert report is not None
    for row, checkpoint in enumerate(report.checkpoints):
        dialog.checkpoints.selectRow(row)
        assert dialog.worklist.model().rowCount() == checkpoint.not_fulfilled
    dialog.trend.setCurrentIndex(dialog.trend.findData("share_on_opioids"))
    assert dialog.chart.key == "share_on_opioids" and len(dialog.chart.trends) == 13, "12 months touch 13"
    dialog.chart.grab()  # paints without a warning


def test_the_pdf_is_written_and_audited(window: MainWindow, services: Services, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    dialog = _dialog(window)
    target = tmp_path / "kvalitet.pdf"
    monkeypatch.setattr("smerteagent.ui.quality_view.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_pdf()
    assert target.read_bytes().startswith(b"%PDF")
    assert services.audit.events()[-1].action == "export"


def test_the_models_pass_the_model_tester(qtmodeltester: object, window: MainWindow) -> None:
    dialog = _dialog(window)
    for view in (dialog.checkpoints, dialog.outcomes, dialog.worklist):
        qtmodeltester.check(view.model())  # type: ignore[attr-defined]
