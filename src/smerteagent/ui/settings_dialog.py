"""Clinic settings (an administrator's): printout header (name, address, phone), default battery, language,
lock, CPR masking, the self-completion PIN, and the clinic's own forms folder."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.settings import PIN_LENGTHS, Language, Settings, check_phone
from smerteagent.i18n import _, language, set_language
from smerteagent.ui import operations
from smerteagent.ui.clinic_dialog import phone_ok, phone_problem
from smerteagent.ui.discard_guard import may_close, remember_fields
from smerteagent.ui.forms_folder import FormsFolderRow

if TYPE_CHECKING:
    from smerteagent.ui.context import AppContext


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Settings"))
        current = context.services.settings.load()
        self.clinic_name = QLineEdit(current.clinic_name, self)
        self.clinic_address = QLineEdit(current.clinic_address, self)
        self.clinic_phone = QLineEdit(current.clinic_phone, self)
        self.logo = QLineEdit(current.logo_path, self)
        browse = QPushButton(_("Choose…"), self)
        browse.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo)
        logo_row.addWidget(browse)
        self.battery = QComboBox(self)
        for battery in context.services.forms.batteries.values():
            self.battery.addItem(battery.title.get(language()), battery.id)
        self.battery.setCurrentIndex(max(0, self.battery.findData(current.default_battery)))
        self.language = QComboBox(self)
        self.language.addItem("Dansk", "da")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.lock = QSpinBox(self, minimum=1, maximum=240, value=current.inactivity_lock_minutes, suffix=_(" min"))
        self.mask_cpr = QCheckBox(_("Show CPR numbers as ddmmyy-xxxx in lists"), self)
        self.mask_cpr.setChecked(current.mask_cpr_in_lists)
        self.pin = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(_("unchanged") if current.self_completion_pin else _("not set"))
        self.pin_length = QSpinBox(self, minimum=PIN_LENGTHS[0], maximum=PIN_LENGTHS[-1],
                                   value=current.pin_min_length, suffix=_(" digits"))  # fmt: skip
        location = QLabel(context.services.database.display_name, self, wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        rows: list[tuple[str, object]] = [
            (_("Clinic name"), self.clinic_name), (_("Clinic address"), self.clinic_address),
            (_("Clinic phone"), self.clinic_phone),
            (_("Logo for printouts"), logo_row), (_("Default battery"), self.battery), (_("Language"), self.language),
            (_("Lock after inactivity"), self.lock), ("", self.mask_cpr),
            (_("Clinician PIN (self-completion)"), self.pin), (_("Shortest PIN allowed"), self.pin_length),
            (_("Data location"), location), (_("The clinic's own forms"), FormsFolderRow(self)),
        ]  # fmt: skip
        for label, field in rows:
            form.addRow(label, field)  # type: ignore[call-overload]
            if isinstance(field, QWidget) and label:
                field.setAccessibleName(label)
        form.addRow(QLabel(_("The data location is chosen with --db or SMERTEAGENT_DB_URL when starting."), self))
        form.addRow(buttons)
        self.error = QLabel(self, wordWrap=True)
        form.addRow(self.error)
        remember_fields(self)

    def reject(self) -> None:
        """Esc, Cancel and ✕: changed settings are not dropped without asking."""
        if may_close(self):
            super().reject()

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Logo"), "", _("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.logo.setText(path)

    def edited(self, current: Settings) -> Settings:
        updated = replace(
            current, clinic_name=self.clinic_name.text().strip(), clinic_address=self.clinic_address.text().strip(),
            logo_path=self.logo.text().strip(), default_battery=str(self.battery.currentData()),
            language=cast(Language, self.language.currentData()), inactivity_lock_minutes=self.lock.value(),
            mask_cpr_in_lists=self.mask_cpr.isChecked(), pin_min_length=self.pin_length.value(),
            clinic_phone=check_phone(self.clinic_phone.text()),
        )  # fmt: skip
        if self.pin.text():
            updated = updated.with_text("self_completion_pin", self.pin.text())
        return updated

    def save(self) -> None:
        service = self.context.services.settings
        if not phone_ok(self.clinic_phone.text()):
            self.error.setText(phone_problem())  # in words, in the program's language
            self.clinic_phone.setFocus()
            return
        try:
            updated = self.edited(service.load())
        except SmerteAgentError as error:
            self.error.setText(str(error))
            return
        if operations.attempt(self, lambda: service.save(updated)).failed:
            return
        self.context.settings_did_change.emit()
        if updated.language != language():
            set_language(updated.language)
            self.context.language_did_change.emit(updated.language)
        self.accept()
