"""The patient list: a Qt model over the patient service, searched as you type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from smerteagent.core.cpr import format_cpr
from smerteagent.core.patients import PatientSummary, age_on
from smerteagent.core.text import TextError
from smerteagent.i18n import N_, _, day
from smerteagent.ui.banner import sex_text

PAGE = 50
DEBOUNCE_MS = 150
COLUMNS = (N_("Name"), N_("CPR number"), N_("Age"), N_("Sex"), N_("Last activity"))
Index = QModelIndex | QPersistentModelIndex


class PatientListModel(QAbstractTableModel):
    """Adapts PatientSummary rows; the empty query pages through recent patients 50 at a time."""

    def __init__(self, search: Callable[[str, int], list[PatientSummary]],
                 recent: Callable[[int, int], list[PatientSummary]], masked: Callable[[], bool]) -> None:  # fmt: skip
        super().__init__()
        self._search, self._recent, self._masked = search, recent, masked
        self._rows: list[PatientSummary] = []
        self._query = ""
        self._more = False
        self._resetting = False
        self._mask = False

    def set_source(self, search: Callable[[str, int], list[PatientSummary]],
                   recent: Callable[[int, int], list[PatientSummary]], masked: Callable[[], bool]) -> None:  # fmt: skip
        """Switch where rows come from (the start-up reader, then storage); the caller reloads."""
        self._search, self._recent, self._masked = search, recent, masked

    def load(self, query: str) -> None:
        # Views may ask for more rows while the reset is still being announced; they get them afterwards.
        self._resetting = True
        self.beginResetModel()
        self._query = query.strip()
        try:
            self._rows = self._recent(PAGE, 0) if not self._query else self._search(self._query, PAGE)
        except TextError:  # a pasted control character finds no one (the service refuses it)
            self._rows = []
        self._mask = self._masked()  # read once per load, not once per cell
        self._more = not self._query and len(self._rows) == PAGE
        self.endResetModel()
        self._resetting = False

    def patient(self, row: int) -> PatientSummary:
        return self._rows[row]

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._resetting

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        page = self._recent(PAGE, len(self._rows))
        self._more = len(page) == PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return row.name
        if column == 1:
            return format_cpr(row.cpr, masked=self._mask) or _("no CPR number")
        if column == 2:
            age = age_on(row.birth_date, date.today())
            return "" if age is None else str(age)
        if column == 3:
            return sex_text(row.sex)
        return day(row.last_activity_at)


class PatientListPage(QWidget):
    """Search field over the list; Enter or double-click opens the patient."""

    patient_chosen = Signal(int)

    def __init__(self, model: PatientListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Find patient: type part of the name or CPR number"))
        self.search.setAccessibleName(_("Find patient"))
        self.search.setClearButtonEnabled(True)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName(_("Patients"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._open_first)
        self.table.activated.connect(lambda index: self.patient_chosen.emit(model.patient(index.row()).id))

    def refresh(self) -> None:
        self.model.load(self.search.text())
        count = self.model.rowCount()
        if self.search.text().strip():
            self.status.setText(_("{count} found").format(count=count) if count else _("No patients found"))
        else:
            self.status.setText(_("Most recent patients first"))
        if count:
            self.table.selectRow(0)

    def _open_first(self) -> None:
        self._timer.stop()
        self.refresh()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.patient_chosen.emit(self.model.patient(rows[0].row()).id)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self.table.setFocus()
            return
        super().keyPressEvent(event)
