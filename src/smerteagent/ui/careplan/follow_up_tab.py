"""Follow-up, informed consent (date, what it covers, the risks explained, by whom), the medication review
and its date, and the stance on abuse (supervision checkpoints), and the safety plan, shown whenever a
suicide-risk flag was raised."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLineEdit, QWidget

from smerteagent.core.careplan.plan import CONSENT_RISKS, CarePlan, InformedConsent, SafetyPlan
from smerteagent.i18n import N_, _
from smerteagent.ui.careplan.entries import EntryProblem, date_text, parse_date

SAFETY_FIELDS = {
    "warning_signs": N_("Warning signs"),
    "coping": N_("What I can do myself"),
    "people": N_("People I can contact"),
    "professionals": N_("Professionals I can contact"),
}


class FollowUpTab(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.follow_up_on, self.follow_up_by = QLineEdit(self), QLineEdit(self)
        self.follow_up_on.setPlaceholderText(_("dd.mm.yyyy"))
        self.consent = QCheckBox(_("Informed consent given"), self)
        self.reviewed = QCheckBox(_("Medication reviewed"), self)
        self.abuse_stance = QLineEdit(self)
        form.addRow(_("Follow-up date"), self.follow_up_on)
        form.addRow(_("Follow-up by"), self.follow_up_by)
        form.addRow(self.consent)
        form.addRow(self._consent_box())
        self.reviewed_on = QLineEdit(self)
        self.reviewed_on.setPlaceholderText(_("dd.mm.yyyy"))
        form.addRow(self.reviewed)
        form.addRow(_("Medication reviewed on"), self.reviewed_on)
        form.addRow(_("Stance on abuse"), self.abuse_stance)
        self.safety_box = QGroupBox(_("Safety plan (separate entries with ;)"), self)
        safety_form = QFormLayout(self.safety_box)
        self.safety = {key: QLineEdit(self.safety_box) for key in SAFETY_FIELDS}
        for key, field in self.safety.items():
            safety_form.addRow(_(SAFETY_FIELDS[key]), field)
        form.addRow(self.safety_box)
        for widget in (self.follow_up_on, self.abuse_stance, self.consent_on, self.consent_covers, self.consent_by,
                       self.reviewed_on):  # fmt: skip
            widget.textChanged.connect(lambda _text: self.changed.emit())
        for box in (self.consent, self.reviewed, *self.risks.values()):
            box.toggled.connect(lambda _on: self.changed.emit())

    def _consent_box(self) -> QGroupBox:
        """The informed consent as the supervision reads it: when, to what, which risks were explained, by whom."""
        box = QGroupBox(_("Informed consent"), self)
        form = QFormLayout(box)
        self.consent_on, self.consent_covers, self.consent_by = QLineEdit(box), QLineEdit(box), QLineEdit(box)
        self.consent_on.setPlaceholderText(_("dd.mm.yyyy"))
        form.addRow(_("Consent date"), self.consent_on)
        form.addRow(_("What it covers"), self.consent_covers)
        self.risks = {key: QCheckBox(_(label), box) for key, label in CONSENT_RISKS.items()}
        for checkbox in self.risks.values():
            form.addRow(checkbox)
        form.addRow(_("Obtained by"), self.consent_by)
        return box

    def fill(self, plan: CarePlan, safety_needed: bool) -> None:
        self.follow_up_on.setText(date_text(plan.follow_up_on))
        self.follow_up_by.setText(plan.follow_up_by or "")
        self.consent.setChecked(plan.consent_given)
        self.reviewed.setChecked(plan.medication_reviewed)
        self.abuse_stance.setText(plan.abuse_stance or "")
        consent = plan.consent
        self.consent_on.setText(date_text(consent.given_on if consent else None))
        self.consent_covers.setText(consent.covers if consent else "")
        self.consent_by.setText((consent.by or "") if consent else "")
        for key, checkbox in self.risks.items():
            checkbox.setChecked(consent is not None and key in consent.risks)
        self.reviewed_on.setText(date_text(plan.medication_reviewed_on))
        for key, field in self.safety.items():
            field.setText("; ".join(getattr(plan.safety_plan, key)) if plan.safety_plan else "")
        self.safety_box.setVisible(safety_needed or plan.safety_plan is not None)

    def safety_plan(self) -> SafetyPlan | None:
        entries = {
            key: tuple(p.strip() for p in field.text().split(";") if p.strip()) for key, field in self.safety.items()
        }
        return SafetyPlan(**entries) if any(entries.values()) else None

    def informed_consent(self, strict: bool) -> InformedConsent | None:
        """The consent typed in; details without a date cannot be saved (the date is what makes it a record)."""
        given_on = parse_date(self.consent_on.text(), strict)
        risks = tuple(key for key, checkbox in self.risks.items() if checkbox.isChecked())
        covers, by = self.consent_covers.text().strip(), self.consent_by.text().strip() or None
        if given_on is None:
            if strict and (covers or by or risks):
                raise EntryProblem(_("The informed consent needs its date"))
            return None
        return InformedConsent(given_on, covers, risks, by)

    def apply(self, plan: CarePlan, strict: bool) -> CarePlan:
        """``plan`` with what this tab shows."""
        return replace(plan, safety_plan=self.safety_plan(), follow_up_on=parse_date(self.follow_up_on.text(), strict),
                       follow_up_by=self.follow_up_by.text().strip() or None, consent_given=self.consent.isChecked(),
                       medication_reviewed=self.reviewed.isChecked(),
                       abuse_stance=self.abuse_stance.text().strip() or None,
                       consent=self.informed_consent(strict),
                       medication_reviewed_on=parse_date(self.reviewed_on.text(), strict))  # fmt: skip
