"""Treatment suggestions, never decisions: the STarT Back matched treatment and the national
recommendations for the pain types ticked, each a checkbox the clinician and patient decide on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from smerteagent.core.careplan.suggestions import Recommendations
from smerteagent.i18n import _, language


class TreatmentTab(QWidget):
    def __init__(self, recommendations: Recommendations, startback_band: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.recommendations, self.startback_band = recommendations, startback_band
        layout = QVBoxLayout(self)
        types = QGridLayout()  # in rows of three: one row of five pain types was wider than a 1366-pixel screen
        self.pain_types: dict[str, QCheckBox] = {}
        for index, key in enumerate(recommendations.pain_types):
            box = QCheckBox(recommendations.document["pain_types"][key][language()], self)
            box.toggled.connect(lambda _on: self.fill(self.treatments()))
            self.pain_types[key] = box
            types.addWidget(box, index // 3, index % 3)
        self.suggestions = QListWidget(self)
        self.suggestions.setWordWrap(True)
        self.suggestions.setAccessibleName(_("Treatment"))
        # Alt+letter reaches the suggestions from anywhere on the tab (Space ticks one).
        suggestions_label = QLabel(_("Treatment sugg&estions (Space ticks)"), self)
        suggestions_label.setBuddy(self.suggestions)
        layout.addLayout(types)
        layout.addWidget(suggestions_label)
        layout.addWidget(self.suggestions, 1)
        source = QLabel(recommendations.source.get(language(), recommendations.source.get("da", "")), self)
        source.setWordWrap(True)
        layout.addWidget(source)

    def matched(self) -> list[str]:
        """The treatment matched to the STarT Back group: checked in a patient's first plan."""
        suggested = self.recommendations.suggest([], self.startback_band, language())
        return [s.text for s in suggested if s.kind == "matched"]

    def fill(self, checked: list[str]) -> None:
        """The suggestions for the pain types ticked, plus whatever was chosen before, ``checked`` ticked."""
        wanted = [key for key, box in self.pain_types.items() if box.isChecked()]
        texts = [s.text for s in self.recommendations.suggest(wanted, self.startback_band, language())]
        self.suggestions.clear()
        for text in dict.fromkeys(texts + checked):
            item = QListWidgetItem(text, self.suggestions)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if text in checked else Qt.CheckState.Unchecked)

    def treatments(self) -> list[str]:
        items = [self.suggestions.item(i) for i in range(self.suggestions.count())]
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]
