"""Tools → "Klinikkens kvalitet": the quality report over the supervision checkpoints — the table, the outcomes
with a month-by-month chart, and the worklist of the checkpoint chosen (Enter opens the patient). Everything
comes from the quality use case, built off the GUI thread while a busy bar shows; the view only shows it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.quality.outcomes import TREND_KEYS, MonthTrend, outcome_label, outcome_text
from smerteagent.core.quality.report import QualityReport
from smerteagent.i18n import _, language
from smerteagent.ui import operations

if TYPE_CHECKING:
    from smerteagent.usecases.services import Services

Index = QModelIndex | QPersistentModelIndex
Make = Callable[[date, date, str], QualityReport]  # from, to, output ("view" or "pdf")


class RowsModel(QAbstractTableModel):
    """Read-only rows of text with a key per row (the patient id of a worklist row)."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[str]] = []
        self.keys: list[int] = []

    def set_rows(self, rows: Sequence[Sequence[str]], keys: Sequence[int] | None = None) -> None:
        self.beginResetModel()
        self.rows = [list(row) for row in rows]
        self.keys = list(keys) if keys is not None else list(range(len(self.rows)))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.rows[index.row()][index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None


class TrendChart(QWidget):
    """One outcome month by month as bars, the value above each (QPainter: no chart add-on needed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trends: tuple[MonthTrend, ...] = ()
        self.key = TREND_KEYS[1]
        self.setMinimumHeight(160)

    def show_trend(self, trends: tuple[MonthTrend, ...], key: str) -> None:
        self.trends, self.key = trends, key
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        values = [t.values.get(self.key) for t in self.trends]
        if not values:
            painter.end()
            return
        peak = max((v for v in values if v is not None), default=0) or 1
        step, bottom, top = self.width() / len(values), self.height() - 18, 18
        for index, (trend, value) in enumerate(zip(self.trends, values, strict=True)):
            height = 0 if value is None else (bottom - top) * value / peak
            bar = QRectF(index * step + step * 0.15, bottom - height, step * 0.7, height)
            painter.fillRect(bar, QColor("#1a5fb4"))
            label = QRectF(index * step, bottom - height - 16, step, 14)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, outcome_text(self.key, value).replace(" %", "%"))
            month = trend.month[5:] if index and trend.month[5:] != "01" else f"{trend.month[5:]}/{trend.month[2:4]}"
            painter.drawText(QRectF(index * step, bottom + 2, step, 14), Qt.AlignmentFlag.AlignCenter, month)
        painter.end()


class QualityDialog(QDialog):
    """The clinic's quality report; ``open_patient_requested`` carries the patient chosen in a worklist."""

    open_patient_requested = Signal(int)

    def __init__(self, make: Make, write_pdf: Callable[[date, date, Path], None], start: date, end: date,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(_("Clinic quality"))
        self.make, self.write_pdf = make, write_pdf
        self.report: QualityReport | None = None
        self.start = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.end = QDateEdit(QDate(end.year, end.month, end.day), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy" if language() == "da" else "yyyy-MM-dd")
        self.summary = QLabel(self)
        self.checkpoints = self._table([_("No."), _("Checkpoint"), _("Applicable"), _("Fulfilled"), _("Not fulfilled"),
                                        _("Not relevant")])  # fmt: skip
        self.outcomes = self._table([_("Outcome"), _("Value")], stretch=0)
        self.worklist = self._table([_("Patient"), _("What is missing")])
        self.worklist_title = QLabel(self)
        self.trend = QComboBox(self)
        for key in TREND_KEYS:
            self.trend.addItem(outcome_label(key), key)
        self.chart = TrendChart(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # no steps to count: a moving bar while the report is made
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.worker: operations.Worker | None = None
        self._layout()
        self.checkpoints.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_worklist())
        self.worklist.activated.connect(self._open)
        self.trend.currentIndexChanged.connect(lambda _index: self._show_chart())
        self.refresh()

    def _table(self, headers: Sequence[str], stretch: int = 1) -> QTableView:
        view = QTableView(self)
        view.setModel(RowsModel(headers, view))
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it), not 48 stops cell by cell
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    def _layout(self) -> None:
        period = QHBoxLayout()
        self.update_button, self.pdf_button = QPushButton(_("&Update"), self), QPushButton(_("Save &PDF…"), self)
        self.update_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(self.save_pdf)
        for widget in (QLabel(_("From"), self), self.start, QLabel(_("To"), self), self.end, self.update_button,
                       self.pdf_button):  # fmt: skip
            period.addWidget(widget)
        period.addStretch()
        period.addWidget(self.busy)
        left, right = QWidget(self), QWidget(self)
        left_layout, right_layout = QVBoxLayout(left), QVBoxLayout(right)
        left_layout.addWidget(self.checkpoints, 3)
        left_layout.addWidget(self.worklist_title)
        left_layout.addWidget(self.worklist, 4)
        right_layout.addWidget(self.outcomes, 3)
        right_layout.addWidget(self.trend)
        right_layout.addWidget(self.chart, 2)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.resize(1200, 760)

    def _period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    @property
    def working(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], message: str) -> None:
        """``work`` off the GUI thread, the busy bar and ``message`` shown and the period locked meanwhile."""
        if self.working:
            return
        for widget in (self.update_button, self.pdf_button, self.start, self.end):
            widget.setEnabled(False)
        self.busy.show()
        self.busy.setToolTip(message)
        self.summary.setText(message)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.worker = operations.in_background(self, work, done, self._idle)

    def _idle(self) -> None:
        for widget in (self.update_button, self.pdf_button, self.start, self.end):
            widget.setEnabled(True)
        self.busy.hide()
        self.unsetCursor()
        self._show_summary()

    def _show_summary(self) -> None:
        if self.report is not None:
            self.summary.setText(_("{count} patients seen in the period (a visit or a care plan).").format(
                count=self.report.patients))  # fmt: skip
        else:
            self.summary.clear()

    def done(self, result: int) -> None:
        """Closing waits for a report still being made (it reads the database the window may close next)."""
        if self.worker is not None:
            self.worker.wait()
        super().done(result)

    def refresh(self) -> None:
        """Make the report over the period chosen, off the GUI thread."""
        period = self._period()
        self._run(lambda: self.make(*period, "view"), self._show_report, _("Making the report…"))

    def _show_report(self, report: QualityReport) -> None:
        self.report = report
        self._show_summary()
        rows = [[str(c.number), c.title, str(c.applicable), str(c.fulfilled), str(c.not_fulfilled),
                 str(c.not_relevant)] for c in report.checkpoints]  # fmt: skip
        self._model(self.checkpoints).set_rows(rows)
        outcomes = [[outcome_label(name), outcome_text(name, value)] for name, value in report.outcomes.items()]
        self._model(self.outcomes).set_rows(outcomes)
        failing = next((i for i, c in enumerate(report.checkpoints) if c.failing), 0)
        self.checkpoints.selectRow(failing)
        self._show_worklist()
        self._show_chart()

    @staticmethod
    def _model(view: QTableView) -> RowsModel:
        model = view.model()
        assert isinstance(model, RowsModel)
        return model

    def _show_worklist(self) -> None:
        if self.report is None or not self.report.checkpoints:
            return
        row = max(self.checkpoints.currentIndex().row(), 0)
        checkpoint = self.report.checkpoints[row]
        reasons = self.report.reasons.get(checkpoint.id, {})
        names = self.report.names
        rows = [[_("{name} (patient {id})").format(name=names.get(p, ""), id=p), "; ".join(reasons.get(p, ()))]
                for p in checkpoint.failing]  # fmt: skip
        self._model(self.worklist).set_rows(rows, checkpoint.failing)
        self.worklist_title.setText(_("Worklist, {number}: {count} records would not pass (Enter opens the patient)")
                                    .format(number=checkpoint.number, count=len(checkpoint.failing)))  # fmt: skip

    def _show_chart(self) -> None:
        if self.report is not None:
            self.chart.show_trend(self.report.trends, self.trend.currentData())

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_patient_requested.emit(self._model(self.worklist).keys[index.row()])

    def save_pdf(self) -> None:
        """Ask where, make the report for the period shown, write it as a PDF and say where it went."""
        start, end = self._period()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the quality report"),
                                                    str(Path(folder) / f"kvalitet-{start}-{end}.pdf"),
                                                    "PDF (*.pdf)")  # fmt: skip
        if not name:
            return
        path = Path(name) if name.lower().endswith(".pdf") else Path(f"{name}.pdf")

        def work() -> Path:
            self.write_pdf(start, end, path)
            return path

        self._run(work, self._saved, _("Writing the PDF…"))

    def _saved(self, path: Path) -> None:
        self.summary.setText(_("The report is saved as {path}.").format(path=path))


def show_quality(parent: QWidget, services: Services, open_patient: Callable[[int], None]) -> QualityDialog:
    """Open the view over the last 12 months; choosing a patient in a worklist closes it and opens the patient."""
    from smerteagent.usecases.quality import default_period, export_quality_pdf, quality_report

    def make(start: date, end: date, output: str) -> QualityReport:
        return quality_report(services, start, end, output=output, language=language())

    def write_pdf(start: date, end: date, path: Path) -> None:
        export_quality_pdf(services, path, start, end, language=language())  # written, then audited

    dialog = QualityDialog(make, write_pdf, *default_period(date.today()), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen(patient_id: int) -> None:
        dialog.close()
        open_patient(patient_id)

    dialog.open_patient_requested.connect(chosen)
    dialog.open()
    return dialog
