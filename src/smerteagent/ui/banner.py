"""The patient banner: name, CPR, age and sex on every screen that belongs to a patient."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from smerteagent.core.cpr import format_cpr
from smerteagent.core.patients import PatientSummary, age_on
from smerteagent.i18n import _


def sex_text(sex: str | None) -> str:
    return {"female": _("Female"), "male": _("Male")}.get(sex or "", _("Sex not given"))


def banner_text(patient: PatientSummary, *, masked: bool = False) -> str:
    age = age_on(patient.birth_date, date.today())
    cpr = format_cpr(patient.cpr, masked=masked) or _("no CPR number")
    years = _("{age} years").format(age=age) if age is not None else _("age unknown")
    return f"{patient.name}   ·   {cpr}   ·   {years}   ·   {sex_text(patient.sex)}"


class PatientBanner(QFrame):
    """Always shows who the screen is about, so two patients are never mixed up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#patientBanner { background: palette(alternate-base); }")
        self.label = QLabel(self)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.label.setFont(font)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label)
        self.setAccessibleName(_("Patient"))

    def set_patient(self, patient: PatientSummary | None, *, masked: bool = False) -> None:
        """``masked`` hides the CPR's last four digits (the patient's own screen in a waiting room)."""
        text = banner_text(patient, masked=masked) if patient is not None else ""
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(patient is not None)
