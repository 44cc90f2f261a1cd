"""Help → About: which version this is, its licence, and that questionnaire wording is not ours to license."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from smerteagent import __version__
from smerteagent.i18n import _
from smerteagent.paths import bundled_resources_dir

ICON = "icons/smerteagent.png"


def about_paragraphs() -> list[str]:
    """The dialog's text, in the current language; the version comes from the one place it is kept."""
    return [
        _("Version {version}").format(version=__version__),
        _(
            "Screening, risk stratification and shared care plans for chronic pain. SmerteAgent works offline: "
            "it never opens a network connection."
        ),
        _(
            "SmerteAgent is free software under the GNU General Public License, version 3 or later "
            "(GPL-3.0-or-later). It comes with no warranty."
        ),
        _(
            "The wording of third-party questionnaires is excluded from that licence. Each questionnaire states "
            "its source and its own licence terms; where those terms do not allow the official wording to be "
            "shipped, SmerteAgent shows short labels of its own and the clinic can install the licensed wording "
            "locally."
        ),
        _("The DejaVu fonts used in the printouts keep their own licence."),
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About SmerteAgent"))
        self.icon = icon = QLabel(self)
        icon.setPixmap(QPixmap(str(bundled_resources_dir() / ICON)).scaled(
            96, 96, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))  # fmt: skip
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        paragraphs = "".join(f"<p>{escape(text)}</p>" for text in about_paragraphs())
        self.text = QLabel(f"<h2>SmerteAgent</h2>{paragraphs}", self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(440)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
