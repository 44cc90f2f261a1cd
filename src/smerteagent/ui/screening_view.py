"""One item at a time, large text, one key per answer: digits choose, Enter/→ next, ← back, Backspace clears.

The view only drives a :class:`ScreeningSession` (which saves every answer at once); it does no scoring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from smerteagent.core.errors import AnswerError, ConflictError, SmerteAgentError
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.core.screening_flow import ORIGIN_CARRIED, ORIGIN_CONTEXT, ORIGIN_PREVIOUS
from smerteagent.i18n import _, language
from smerteagent.ui.banner import PatientBanner
from smerteagent.usecases.answers import parse_form_answer

if TYPE_CHECKING:
    from smerteagent.usecases.screening import ScreeningSession

DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


def option_keys(values: list[int]) -> dict[int, int]:
    """Digit -> answer value: the value itself when all values are single digits, else the position."""
    if all(0 <= v <= 9 for v in values):
        return {v: v for v in values}
    return {(position + 1) % 10: value for position, value in enumerate(values[:10])}


def origin_text(origin: str | None, *, patient_mode: bool = False) -> str:
    """Why an answer is already there: the register knew it, or the patient gave it before. On the patient's
    own screen it says "your", never "the patient"."""
    if origin == ORIGIN_CONTEXT:
        if patient_mode:
            return _("Filled in from your record (your age from your CPR number, your sex) — change it if it is "
                     "wrong.")  # fmt: skip
        return _("Filled in from the patient record (age from the CPR number, sex) — change it if it is wrong.")
    if origin == ORIGIN_PREVIOUS:
        if patient_mode:
            return _("You wrote this last time — change it if it no longer fits.")
        return _("From the previous questionnaire — change it if it no longer fits.")
    if origin == ORIGIN_CARRIED:
        if patient_mode:
            return _("You already answered this earlier today — change it if needed.")
        return _("Already answered earlier in this screening — change it if needed.")
    return ""


class ScreeningView(QWidget):
    """Asks the session's current item; emits ``instrument_finished`` and, at the end, ``finished``."""

    instrument_finished = Signal(object)
    finished = Signal()

    def __init__(self, session: ScreeningSession, *, scale: float = 1.6, patient_mode: bool = False,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.session = session
        self.scale = scale
        self.patient_mode = patient_mode
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.banner = PatientBanner(self)
        banner_font = self.font()  # the banner's style sheet stops the patient mode's larger font reaching it
        banner_font.setPointSizeF(banner_font.pointSizeF() * 1.25)
        banner_font.setBold(True)
        self.banner.label.setFont(banner_font)
        self.alert = QLabel(self, wordWrap=True)
        self.alert.setObjectName("screeningAlert")
        self.alert.setStyleSheet(
            "#screeningAlert { background: #b00020; color: white; font-weight: bold; padding: 6px; }"
        )
        self.alert.hide()
        self.instrument = QLabel(self)
        self.instructions = QLabel(self, wordWrap=True)
        self.progress = QProgressBar(self)
        self.question = QLabel(self, wordWrap=True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.question.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.origin_note = QLabel(self, wordWrap=True)
        self.origin_note.setObjectName("answerOrigin")
        self.origin_note.setStyleSheet("#answerOrigin { color: #33538a; font-style: italic; }")
        self.origin_note.hide()
        self.help = QLabel(self, wordWrap=True)  # the item's help ("skip this section if…"), for its reader
        self.options = QVBoxLayout()
        self.entry = QLineEdit(self)
        self.entry.installEventFilter(self)
        self.error = QLabel(self, wordWrap=True)
        self.error.setStyleSheet("color: #b00020;")
        self.back_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.hint = QLabel(self)
        self._static_texts()
        self._layout()
        self._scale_fonts()
        self._buttons: dict[int, QPushButton] = {}
        self._keys: dict[int, int] = {}
        self.render()

    def _layout(self) -> None:
        navigation = QHBoxLayout()
        navigation.addWidget(self.back_button)
        navigation.addStretch()
        navigation.addWidget(self.hint)
        navigation.addStretch()
        navigation.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        shown = (self.banner, self.alert, self.instrument, self.instructions, self.progress, self.question, self.help,
                 self.origin_note)  # fmt: skip
        for widget in shown:
            layout.addWidget(widget)
        layout.addLayout(self.options)
        layout.addWidget(self.entry)
        layout.addWidget(self.error)
        layout.addStretch()
        layout.addLayout(navigation)

    def _scale_fonts(self) -> None:
        for widget, factor in ((self.question, self.scale), (self.instrument, 1.2), (self.entry, self.scale)):
            font = widget.font()
            font.setPointSizeF(font.pointSizeF() * factor)
            widget.setFont(font)
        bold = self.instrument.font()
        bold.setBold(True)
        self.instrument.setFont(bold)

    def _static_texts(self) -> None:
        """The view's own words, in the current language (the patient may switch it at any question)."""
        self.alert.setAccessibleName(_("Suicide risk alert"))
        self.progress.setAccessibleName(_("Progress"))
        self.entry.setAccessibleName(_("Answer"))
        self.back_button.setText(_("← Back"))
        self.next_button.setText(_("Next →"))
        self.hint.setText(_("Digits choose · Enter or → next · ← back · Backspace clears"))
        self.banner.set_patient(self.session.patient, masked=self.patient_mode)

    def render(self) -> None:
        """Show the current item and its answer; called after every move."""
        flow, lang = self.session.flow, language()
        self._static_texts()
        if self.session.done:
            self.finished.emit()
            return
        form, item = flow.form, flow.item
        definition = form.definition
        title = definition.display_title(lang)
        place, count = flow.place()
        self.instrument.setText(f"{title}  ({place}/{count})")
        reason = None if self.patient_mode else flow.planned[flow.position.instrument].reason
        texts = (reason, definition.stem(item))  # an item may have its own stem, or none
        shown = [t for t in texts if t and (t.for_patient or not self.patient_mode)]
        self.instructions.setText("\n".join(t.get(lang) for t in shown))
        answered, asked = flow.progress()
        self.progress.setRange(0, max(asked, 1))
        self.progress.setValue(answered)
        named = flow.named()  # a PSFS rating repeats the activity the patient wrote
        text = _("How well can you do this today: {activity}?").format(activity=named) if named else item.text.get(lang)
        self.question.setText(text)
        self.question.setAccessibleName(text)
        hint = item.help if item.help and (item.help.for_patient or not self.patient_mode) else None
        # A scale's anchors ("0 = unable …, 10 = able …") in full under the question, where no help is shown:
        # in the answer field's placeholder alone they are cut off at a large text size.
        hint = hint or (item.anchors if item.anchors and (item.anchors.for_patient or not self.patient_mode) else None)
        self.help.setText(hint.get(lang) if hint else "")
        self.help.setVisible(hint is not None)
        self.error.clear()
        note = origin_text(flow.origin(), patient_mode=self.patient_mode)
        self.origin_note.setText(note)
        self.origin_note.setVisible(bool(note))
        self._show_alerts()
        self._show_answer_controls()

    def _show_alerts(self) -> None:
        """At the desk a suicide-risk answer shows at once; the patient's own screen does not show it."""
        from smerteagent.ui.result_view import flag_text

        flags = [] if self.patient_mode else self.session.flow.critical_flags()
        texts = list(dict.fromkeys(flag_text(self.session.flow.forms.get(f), flag) for f, flag in flags))
        self.alert.setText(_("SUICIDE RISK — assess now:") + " " + "; ".join(texts) if texts else "")
        self.alert.setVisible(bool(texts))

    def _show_answer_controls(self) -> None:
        while self.options.count():
            item = self.options.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
            elif item.layout() is not None:
                self._discard(item.layout())
        self._buttons, self._keys = {}, {}
        flow = self.session.flow
        options = flow.form.options.get(flow.item.id)
        current = flow.current_answer()
        self.entry.setVisible(options is None)
        if options is None:
            self._show_entry(current)
            self._show_scale_buttons(current)
            return
        self._keys = option_keys([o.value for o in options])
        key_of = {value: key for key, value in self._keys.items()}
        for option in options:
            key = key_of.get(option.value)
            label = option.label(language())
            button = QPushButton(f"{key}   {label}" if key is not None else label, self)
            button.setCheckable(True)
            button.setChecked(option.value == current)
            button.setAccessibleName(label)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * (self.scale * 0.8))
            button.setFont(font)
            button.setStyleSheet("text-align: left; padding: 6px;")
            button.clicked.connect(lambda _checked=False, value=option.value: self.choose(value))
            self.options.addWidget(button)
            self._buttons[option.value] = button
        self.setFocus()

    def _discard(self, layout: QLayout) -> None:
        while layout.count():
            widget = layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _show_scale_buttons(self, current: object) -> None:
        """A short numeric scale (0-10) also gets a row of buttons, for mouse and touch."""
        item = self.session.flow.item
        if item.type != "numeric" or item.min is None or item.max is None or item.max - item.min > 10:
            return
        row = QHBoxLayout()
        for value in range(item.min, item.max + 1):
            button = QPushButton(str(value), self)
            button.setCheckable(True)
            button.setChecked(value == current)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(int(button.sizeHint().height() * self.scale))
            button.clicked.connect(lambda _checked=False, chosen=value: self.choose(chosen))
            row.addWidget(button)
        self.options.addLayout(row)

    def _show_entry(self, current: object) -> None:
        item = self.session.flow.item
        self.entry.setValidator(QIntValidator(item.min or 0, item.max or 0, self) if item.type == "numeric" else None)
        hint = f"{item.min}–{item.max}" if item.type == "numeric" else _("Free text (Enter to go on)")
        anchors = item.anchors.get(language()) if item.anchors else ""
        anchors = "" if anchors and self.help.text() == anchors else anchors  # already in full under the question
        self.entry.setPlaceholderText(f"{hint}   {anchors}".strip())
        self.entry.setText("" if current is None else str(current))
        self.entry.setFocus()

    def choose(self, value: int) -> None:
        """Save a choice and move on: one key press per answer. The last question of a questionnaire
        waits for Enter, because finishing makes the answers final and a slip could no longer be undone."""
        if not self._save(value):
            return
        if self.session.flow.at_last_item():
            self.render()
            self.error.setText(_("Press Enter to finish this questionnaire (← to go back)."))
            return
        self.next(save_entry=False)

    def _save(self, value: int | str | None) -> bool:
        try:
            self.session.answer(value)
        except ConflictError as conflict:
            self.render()  # the answer another workstation stored, with the message below it
            self.error.setText(str(conflict))
            return False
        except SmerteAgentError as error:
            self.error.setText(self.problem_text(error))
            return False
        return True

    def problem_text(self, error: SmerteAgentError) -> str:
        """What is wrong with an answer, never the answer itself: what was typed (or pasted) may be
        anything, and the screen may be the patient's."""
        if not isinstance(error, AnswerError):
            return str(error)
        item = self.session.flow.item
        if item.type == "text":
            return _("The answer is too long: at most {count} characters.").format(count=item.max_length)
        if item.type == "numeric":
            return _("Type a whole number from {low} to {high}.").format(low=item.min, high=item.max)
        return _("Choose one of the answers shown.")

    def next(self, *, save_entry: bool = True) -> None:
        if save_entry and self.entry.isVisible():
            item = self.session.flow.item
            try:
                value = parse_form_answer(self.session.flow.form, item.id, self.entry.text())
            except AnswerError as error:
                self.error.setText(self.problem_text(error))
                return
            if value != self.session.flow.current_answer() and not self._save(value):
                return
        try:
            result = self.session.advance()
        except SmerteAgentError as error:
            self.error.setText(self.problem_text(error))
            return
        if isinstance(result, ScoreResult):
            self.instrument_finished.emit(result)
        self.render()

    def back(self) -> None:
        if self.session.back():
            self.render()

    def clear(self) -> None:
        if self._save(None):
            self.render()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In a number field ← and → move between questions, as everywhere else in the screening."""
        if watched is self.entry and event.type() == QEvent.Type.KeyPress and self.session.flow.item.type == "numeric":
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Left:
                self.back()
                return True
            if key == Qt.Key.Key_Right:
                self.next()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key: Any = event.key()
        if key in DIGITS and self._keys and DIGITS[key] in self._keys:
            self.choose(self._keys[DIGITS[key]])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Right):
            self.next()
        elif key == Qt.Key.Key_Left:
            self.back()
        elif key == Qt.Key.Key_Backspace and self._keys:
            self.clear()
        else:
            super().keyPressEvent(event)
