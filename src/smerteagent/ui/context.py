"""App-wide state the screens share: the services once loaded, and notifications of what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from smerteagent.usecases.services import Services


class AppContext(QObject):
    """Built once in ``app.main`` and passed to every screen; no module-level globals."""

    services_did_load = Signal()
    patient_did_change = Signal(int)
    screening_did_finish = Signal(int)
    language_did_change = Signal(str)
    settings_did_change = Signal()
    # A write changed what a patient's screens show: (patient id, what: "screening", "safety_action",
    # "care_plan", "medication", "import"). Screens showing results, the note or the summary subscribe.
    data_did_change = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("storage is still loading")
        return self._services

    @property
    def loaded(self) -> bool:
        return self._services is not None

    def changed(self, patient_id: int, what: str) -> None:
        """Emitted after a write, by whoever wrote; never instead of showing the write's own outcome."""
        self.data_did_change.emit(patient_id, what)

    def set_services(self, services: Services) -> None:
        self._services = services
        self.services_did_load.emit()
