"""The clinic's own forms folder, for the administrator in Settings: where it is, open it, and check every
file in it with the same loader the app uses — each problem named by file, field and problem, the rest of
the forms usable. The same check covers the rules files in its ``rules`` folder (which replace a bundled file,
which were refused and why). New or changed forms and rules are read at the next start."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.rules.library import RulesLibrary
from smerteagent.i18n import _
from smerteagent.paths import form_folders, rules_folders, user_forms_dirs


class FormsFolderRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = user_forms_dirs()[0]
        path = QLabel(str(self.folder), self, wordWrap=True)
        open_folder, check = QPushButton(_("Open folder"), self), QPushButton(_("Check forms and rules"), self)
        open_folder.clicked.connect(self.open_folder)
        check.clicked.connect(self.check)
        self.report = QLabel(self, wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(open_folder)
        buttons.addWidget(check)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(path)
        layout.addLayout(buttons)
        layout.addWidget(self.report)

    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def check(self) -> str:
        """Load every folder as the app does and tell which own forms are in use and which files fail."""
        library = FormLibrary.load(form_folders())
        own_folders = [folder.resolve() for folder in user_forms_dirs()]
        own = sorted(f for f, origin in library.origins.items() if origin.resolve().parent in own_folders)
        lines = [_("Own forms in use: {forms}").format(forms=", ".join(own) if own else _("none"))]
        lines += [_("Not usable: {problem}").format(problem=error) for error in library.errors]
        lines += self._rules_lines()
        lines.append(_("Changes are read at the next start."))
        self.report.setText("\n".join(lines))
        return self.report.text()

    def _rules_lines(self) -> list[str]:
        """Which rules files the clinic's copies replace, and which copies were refused (the bundled one is used)."""
        rules = RulesLibrary.load(rules_folders())
        own = ", ".join(rules.overridden()) or _("none")
        lines = [_("Own rules files in use (folder {folder}): {files}").format(folder=rules_folders()[0], files=own)]
        lines += [_("Rules file not used, the bundled one is used instead: {problem}").format(problem=error)
                  for error in rules.errors]  # fmt: skip
        return lines
