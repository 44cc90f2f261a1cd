"""What the main window's pieces (ui/window_*.py) share: the window's state, declared once for them all.

Set in ``MainWindow.__init__``; only annotations here, so that every piece reads and assigns the same types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QStackedWidget

    from smerteagent.core.accounts import Account
    from smerteagent.core.patients import Patient
    from smerteagent.ui.careplan import CarePlanEditor
    from smerteagent.ui.clipboard import ClipboardGuard
    from smerteagent.ui.context import AppContext
    from smerteagent.ui.inactivity import InactivityWatch
    from smerteagent.ui.lock import Curtain, LockKey, UnlockDialog
    from smerteagent.ui.login import LoginPage
    from smerteagent.ui.patient_list import PatientListPage
    from smerteagent.ui.patient_page import PatientPage
    from smerteagent.ui.screening_view import ScreeningView
    from smerteagent.usecases.list_reader import ListReader
    from smerteagent.usecases.patient_mode import PatientMode


class WindowState:
    context: AppContext
    greeting: bool
    stack: QStackedWidget
    login_page: LoginPage
    account: Account | None
    curtains: list[Curtain]
    patient_mode: PatientMode | None
    clipboard_guard: ClipboardGuard
    lock_key: LockKey
    shown_patient_id: int | None
    menu_actions: list[QAction]
    inactivity: InactivityWatch | None
    who: QLabel
    list_page: PatientListPage | None
    list_reader: ListReader | None  # the first screen's reader, until the services have loaded
    patient_page: PatientPage | None
    screening: ScreeningView | None
    patient: Patient | None
    care_plan_editor: CarePlanEditor | None
    unlock_dialog: UnlockDialog
    find_action: QAction
    new_action: QAction
    self_action: QAction
    lock_action: QAction
    settings_action: QAction
    accounts_action: QAction
    demo_action: QAction
    quality_action: QAction
    about_action: QAction
