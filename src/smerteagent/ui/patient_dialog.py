"""New / edit patient, with the CPR number checked as it is typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from smerteagent.core.cpr import CprError, parse_cpr
from smerteagent.core.patients import Patient, PatientInput
from smerteagent.i18n import _, day
from smerteagent.ui.discard_guard import may_close, remember_fields

UNKNOWN_DATE = QDate(1900, 1, 1)


def _derived_sex(cpr: str | None) -> str | None:
    try:
        return parse_cpr(cpr).sex if cpr else None
    except CprError:
        return None


def cpr_feedback(text: str) -> tuple[bool, str]:
    """(acceptable, message) for what is typed so far in the CPR field."""
    if not text.strip():
        return False, _("Enter ddmmyy-ssss, or tick 'No CPR number'")
    try:
        cpr = parse_cpr(text)
    except CprError as error:
        if error.kind == "date":
            return False, _("Not a real date")
        return False, _("Format: ddmmyy-ssss (10 digits)")
    sex = _("female") if cpr.sex == "female" else _("male")
    message = _("Born {date}, {sex}").format(date=day(cpr.birth_date), sex=sex)
    if not cpr.modulus11_ok:
        message += " — " + _("fails the modulus-11 check (allowed since 2007): check the number")
    return True, message


class PatientDialog(QDialog):
    """Collects a PatientInput; the caller saves it through the patient service."""

    def __init__(self, parent: QWidget | None = None, patient: Patient | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Edit patient") if patient else _("New patient"))
        self.given = QLineEdit(self)
        self.family = QLineEdit(self)
        self.cpr = QLineEdit(self)
        self.cpr.setPlaceholderText(_("ddmmyy-ssss"))
        self.cpr_status = QLabel(self)
        self.cpr_status.setWordWrap(True)
        self.no_cpr = QCheckBox(_("No CPR number (foreign or anonymous patient)"), self)
        self.birth_date = QDateEdit(self)
        self.birth_date.setCalendarPopup(True)
        self.birth_date.setDisplayFormat("dd.MM.yyyy")
        self.birth_date.setMinimumDate(UNKNOWN_DATE)
        self.birth_date.setMaximumDate(QDate.currentDate())
        self.birth_date.setSpecialValueText(_("unknown"))
        self.birth_date.setDate(UNKNOWN_DATE)
        self.sex = QComboBox(self)
        for value, label in ((None, _("From the CPR number")), ("female", _("Female")), ("male", _("Male"))):
            self.sex.addItem(label, value)
        self.contact = QLineEdit(self)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        for label, widget in (
            (_("Given name"), self.given), (_("Family name"), self.family), (_("CPR number"), self.cpr),
            ("", self.cpr_status), ("", self.no_cpr), (_("Birth date"), self.birth_date), (_("Sex"), self.sex),
            (_("Contact"), self.contact), (_("Note"), self.note),
        ):  # fmt: skip
            form.addRow(label, widget)
            if label:
                widget.setAccessibleName(label)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.cpr.textChanged.connect(self._update)
        self.no_cpr.toggled.connect(self._update)
        if patient is not None:
            self._fill(patient)
        self._update()
        remember_fields(self)

    def reject(self) -> None:
        """Esc, Cancel and ✕: what was typed is not dropped without asking."""
        if may_close(self):
            super().reject()

    def _fill(self, patient: Patient) -> None:
        self.given.setText(patient.given_name)
        self.family.setText(patient.family_name)
        self.cpr.setText(patient.cpr_text() or "")
        self.no_cpr.setChecked(patient.no_cpr)
        if patient.birth_date:
            self.birth_date.setDate(QDate(patient.birth_date.year, patient.birth_date.month, patient.birth_date.day))
        derived = _derived_sex(patient.cpr)
        # A sex equal to the CPR's is 'from the CPR', so correcting a mistyped CPR corrects the sex too.
        self.sex.setCurrentIndex(max(0, self.sex.findData(None if patient.sex == derived else patient.sex)))
        self.contact.setText(patient.contact or "")
        self.note.setPlainText(patient.note or "")

    def _update(self) -> None:
        without = self.no_cpr.isChecked()
        self.cpr.setEnabled(not without)
        self.birth_date.setEnabled(without)
        ok, message = (True, "") if without else cpr_feedback(self.cpr.text())
        self.cpr_status.setText(message)
        self.cpr_status.setStyleSheet("" if ok else "color: #b00020;")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ok)

    def details(self) -> PatientInput:
        without = self.no_cpr.isChecked()
        born = self.birth_date.date()
        return PatientInput(
            given_name=self.given.text(), family_name=self.family.text(),
            cpr=None if without else self.cpr.text(), sex=self.sex.currentData(),
            birth_date=date(born.year(), born.month(), born.day()) if without and born != UNKNOWN_DATE else None,
            no_cpr=without,
            contact=self.contact.text() or None, note=self.note.toPlainText() or None,
        )  # fmt: skip
