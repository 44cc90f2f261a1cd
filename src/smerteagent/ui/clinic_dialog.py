"""The clinic's name, address and phone, asked once after the administrator's first login: they are printed on
the patient's handout and the clinician summary. "Not now" skips it; Settings has the same fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from smerteagent.core.settings import SettingError, check_phone
from smerteagent.i18n import _
from smerteagent.ui import operations
from smerteagent.ui.discard_guard import may_close, remember_fields
from smerteagent.usecases.clinic import ClinicDetails, clinic_details, set_clinic_details, skip_clinic_details

if TYPE_CHECKING:
    from smerteagent.usecases.services import Services


def phone_ok(text: str) -> bool:
    """Whether the phone passes the loose check (the settings' own rule), so the dialog can say why in words."""
    try:
        check_phone(text)
    except SettingError:
        return False
    return True


def phone_problem() -> str:
    return _("A phone number holds only digits and spaces, with a + before a country code.")


class ClinicDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Your clinic"))
        self.setMinimumWidth(520)  # an address fits without scrolling sideways
        current = clinic_details(services)
        self.name, self.address = QLineEdit(current.name, self), QLineEdit(current.address, self)
        self.phone = QLineEdit(current.phone, self)
        self.phone.setPlaceholderText(_("e.g. 86 12 34 56"))
        self.error = QLabel(self, wordWrap=True)
        self.error.setStyleSheet("color: #a40000")
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(_("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = buttons.addButton(_("&Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.skip)
        form = QFormLayout(self)
        explanation = _("The clinic's name, address and phone are printed on the patient's care plan and on the "
                        "clinician summary. You can change them later in Settings.")  # fmt: skip
        form.addRow(QLabel(explanation, self, wordWrap=True))
        for label, field in ((_("Clinic name"), self.name), (_("Clinic address"), self.address),
                             (_("Clinic phone"), self.phone)):  # fmt: skip
            field.setAccessibleName(label)
            form.addRow(label, field)
        form.addRow(self.error)
        form.addRow(buttons)
        self.name.setFocus()
        remember_fields(self)

    def save(self) -> None:
        details = ClinicDetails(self.name.text(), self.address.text(), self.phone.text())
        if not phone_ok(details.phone):
            self.error.setText(phone_problem())
            self.phone.setFocus()
            return
        if operations.run(self, lambda: set_clinic_details(self.services, details)) is not None:
            self.accept()

    def skip(self) -> None:
        """Esc and "Not now": not asked again (Settings has the fields)."""
        operations.run(self, lambda: skip_clinic_details(self.services))
        super().reject()

    def reject(self) -> None:
        """Esc and ✕: typed details are not dropped without asking."""
        if may_close(self):
            self.skip()
