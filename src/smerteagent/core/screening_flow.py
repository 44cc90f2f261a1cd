"""The path through a screening: which questionnaire and item come next, Qt-free.

The flow knows the planned instruments (a battery with its follow-up rules, or one instrument), the answers
so far and which instruments are finished. Items hidden by ``enable_when`` are skipped; items whose
condition is not yet known are asked. Finishing an instrument re-plans the battery, so follow-ups appear
right after the instrument that called for them.

The same flow serves two readers. At the desk (``reader="clinician"``) every planned instrument is asked. In the
patient's own mode (``reader="patient"``) only forms and items meant for the patient are shown: a
clinician-administered instrument is never put in front of the patient alone; it stays planned, and the
clinician asks it afterwards at the desk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from smerteagent.core.batteries import PlannedInstrument, plan_battery
from smerteagent.core.expr import Value
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.forms.model import Battery, Item
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult

ORIGIN_CONTEXT = "context"  # from the patient register: age from the CPR, sex
ORIGIN_PREVIOUS = "previous"  # from the patient's previous response to the same form
ORIGIN_CARRIED = "carried"  # from another form of this screening that asks the same question


@dataclass(frozen=True)
class Position:
    """Where the flow stands: an instrument of the plan and one of its items."""

    instrument: int
    item: int


@dataclass
class ScreeningFlow:
    forms: FormLibrary
    battery: Battery | None
    single_form: str | None = None
    context: dict[str, Value] = field(default_factory=dict)
    answers: dict[str, dict[str, int | str]] = field(default_factory=dict)
    finished: dict[str, ScoreResult] = field(default_factory=dict)
    planned: list[PlannedInstrument] = field(default_factory=list)
    position: Position = Position(0, 0)
    previous: dict[str, dict[str, int | str]] = field(default_factory=dict)  # the patient's last answers per form
    origins: dict[str, dict[str, str]] = field(default_factory=dict)  # form -> item -> where a pre-fill came from
    reader: Literal["clinician", "patient"] = "clinician"

    def __post_init__(self) -> None:
        if (self.battery is None) == (self.single_form is None):
            raise ValueError("a screening runs a battery or a single instrument")
        self.replan()
        self.position = self.first_open()

    @classmethod
    def for_battery(
        cls, forms: FormLibrary, battery_id: str, context: Mapping[str, Value] | None = None
    ) -> ScreeningFlow:
        return cls(forms, forms.batteries[battery_id], context=dict(context or {}))

    @classmethod
    def for_form(cls, forms: FormLibrary, form_id: str, context: Mapping[str, Value] | None = None) -> ScreeningFlow:
        forms.get(form_id)
        return cls(forms, None, single_form=form_id, context=dict(context or {}))

    def replan(self) -> None:
        """Recompute the instrument list from the battery's rules and what is finished."""
        if self.battery is None:
            assert self.single_form is not None
            self.planned = [PlannedInstrument(self.single_form)]
        else:
            self.planned = plan_battery(self.battery, self.finished, self.context)

    @property
    def done(self) -> bool:
        """Nothing left for this reader: at the desk every instrument finished; in the patient's mode every
        question meant for the patient answered."""
        return all(not self.open_for_reader(p.form_id) for p in self.planned)

    def read_by(self, reader: Literal["clinician", "patient"]) -> None:
        """Hand the flow to the patient or back to the desk; moves to the first question that reader has."""
        self.reader = reader
        self.position = self.first_open()

    def shown_to_reader(self, form: CompiledForm) -> bool:
        return self.reader == "clinician" or form.definition.for_patient

    def open_for_reader(self, form_id: str) -> bool:
        """This reader still has questions in the form: unfinished, shown to them, and (for the patient) with a
        patient question unanswered or the whole form theirs to finish."""
        if form_id in self.finished:
            return False
        form = self.forms.get(form_id)
        if not self.shown_to_reader(form):
            return False
        if self.reader == "clinician" or not self.leaves_to_clinician(form):
            return True
        given = self.form_answers(form.id)
        return any(form.definition.items[i].id not in given for i in self.asked(form))

    def leaves_to_clinician(self, form: CompiledForm) -> bool:
        """In the patient's mode, a form with clinician questions is left unfinished for the desk."""
        return self.reader == "patient" and any(not form.definition.item_for_patient(i) for i in form.definition.items)

    @property
    def form(self) -> CompiledForm:
        return self.forms.get(self.planned[self.position.instrument].form_id)

    @property
    def item(self) -> Item:
        return self.form.definition.items[self.position.item]

    def form_answers(self, form_id: str | None = None) -> dict[str, int | str]:
        return self.answers.setdefault(form_id or self.form.id, {})

    def current_answer(self) -> int | str | None:
        return self.form_answers().get(self.item.id)

    def asked(self, form: CompiledForm) -> list[int]:
        """The indexes of the items shown, in order: an item is hidden only when its condition is known to be
        false and it holds no answer (an answer that still counts must stay visible, to be seen and cleared).
        An item rating something the patient names (``named_by``, PSFS) is hidden while that name is empty:
        an unused activity slot costs one Enter, not two."""
        given = self.form_answers(form.id)
        states = form.enabled_state(given)  # one pass over the conditions, not one per item
        definition = form.definition
        return [
            index
            for index, item in enumerate(definition.items)
            if (item.id in given or (states.get(item.id) is not False and not self.unnamed(item, given)))
            and (self.reader == "clinician" or definition.item_for_patient(item))
        ]

    @staticmethod
    def unnamed(item: Item, given: Mapping[str, int | str]) -> bool:
        """A rating of something named in an earlier free-text item that is still empty."""
        if item.named_by is None:
            return False
        name = given.get(item.named_by)
        return not (isinstance(name, str) and name.strip())

    def named(self) -> str | None:
        """The name the current item rates (the PSFS activity the patient wrote), if any."""
        if self.item.named_by is None:
            return None
        name = self.form_answers().get(self.item.named_by)
        return name.strip() if isinstance(name, str) and name.strip() else None

    def set_answer(self, value: int | str | None) -> None:
        """Record (or with None clear) the current item's answer; the caller has already stored it."""
        answers = self.form_answers()
        if answers.get(self.item.id) != value:  # changed in the questionnaire: no longer pre-filled
            self.origins.get(self.form.id, {}).pop(self.item.id, None)
        if value is None:
            answers.pop(self.item.id, None)
        else:
            answers[self.item.id] = value

    def at_last_item(self) -> bool:
        return self.next_position() is None

    def critical_flags(self) -> list[tuple[str, str]]:
        """(form id, flag) of every critical flag so far: finished instruments and the answers in progress."""
        found = [(form_id, flag) for form_id, result in self.finished.items() for flag in result.critical_flags]
        if not self.done and self.form.id not in self.finished:
            sex = self.context.get("sex")
            current = self.form.score(
                self.form_answers(), sex if isinstance(sex, str) and sex in ("female", "male") else None
            )
            found += [(self.form.id, flag) for flag in current.critical_flags]
        return found

    def next_position(self) -> Position | None:
        """The next asked item, in this instrument or the next unfinished one; None at the end of an instrument."""
        following = [i for i in self.asked(self.form) if i > self.position.item]
        return Position(self.position.instrument, following[0]) if following else None

    def previous_position(self) -> Position | None:
        earlier = [i for i in self.asked(self.form) if i < self.position.item]
        return Position(self.position.instrument, earlier[-1]) if earlier else None

    def finish_current(self, result: ScoreResult) -> list[tuple[str, str, int | str]]:
        """Mark the current instrument finished with its result, re-plan, carry answers into follow-ups, and
        move to the next open question. Returns the carried answers (form, item, value) for storing."""
        self.finished[self.form.id] = result
        finished_form = self.form.id
        self.replan()
        carried = self.prefill() + self.carry_answers()
        index = next(i for i, p in enumerate(self.planned) if p.form_id == finished_form)
        self.position = self.first_open(start=index)
        return carried

    def prefill(self) -> list[tuple[str, str, int | str]]:
        """Answers the register already knows, filled into instruments not yet begun: items answered from the
        patient context (age, sex) and ``carry_forward`` items from the patient's previous response (PSFS
        activities). Shown and changeable like any answer; ``origins`` says where each came from."""
        filled: list[tuple[str, str, int | str]] = []
        for planned in self.planned:
            form_id = planned.form_id
            if form_id in self.finished or self.answers.get(form_id):
                continue
            form = self.forms.get(form_id)
            found: dict[str, tuple[int | str, str]] = {
                item: (value, ORIGIN_CONTEXT) for item, value in form.context_answers(self.context).items()
            }
            earlier = self.previous.get(form_id, {})
            for item in form.definition.items:
                if item.carry_forward and item.id in earlier and item.id not in found:
                    found[item.id] = (earlier[item.id], ORIGIN_PREVIOUS)
            target = self.form_answers(form_id)
            for item_id, (value, origin) in found.items():
                target[item_id] = value
                self.origins.setdefault(form_id, {})[item_id] = origin
                filled.append((form_id, item_id, value))
        return filled

    def origin(self) -> str | None:
        """Where the current item's answer came from, when it was pre-filled and not changed since."""
        return self.origins.get(self.form.id, {}).get(self.item.id)

    def carry_answers(self) -> list[tuple[str, str, int | str]]:
        """Answers a follow-up shares with the form that called it (PHQ-4's PHQ-2 part in PHQ-9): copied,
        not asked again — still shown and changeable when going back. Never overwrites a given answer."""
        carried = []
        for planned in self.planned:
            if planned.carried_from is None or planned.form_id in self.finished:
                continue
            source = self.answers.get(planned.carried_from, {})
            target = self.answers.setdefault(planned.form_id, {})
            for item, from_item in planned.carry:
                if item not in target and from_item in source:
                    target[item] = source[from_item]
                    self.origins.setdefault(planned.form_id, {})[item] = ORIGIN_CARRIED
                    carried.append((planned.form_id, item, source[from_item]))
        return carried

    def first_open(self, start: int = 0) -> Position:
        """The first unanswered question of the first unfinished instrument (from ``start``, wrapping)."""
        order = list(range(start, len(self.planned))) + list(range(0, start))
        for instrument in order:
            if not self.open_for_reader(self.planned[instrument].form_id):
                continue
            form = self.forms.get(self.planned[instrument].form_id)
            given = self.form_answers(form.id)
            asked = self.asked(form)
            if not asked:
                continue
            # Resume at the first question still unanswered (at the last one when all are answered); one
            # pre-filled from the register or the previous response counts as open, so that it is seen.
            prefilled = {k for k, v in self.origins.get(form.id, {}).items() if v != ORIGIN_CARRIED}
            unanswered = [i for i in asked if form.definition.items[i].id not in given.keys() - prefilled]
            return Position(instrument, (unanswered or asked[-1:] or [0])[0])
        return Position(max(len(self.planned) - 1, 0), 0)

    def place(self) -> tuple[int, int]:
        """(number, count) of the current instrument among those this reader is shown, for "PHQ-9 (3/7)"."""
        shown = [i for i, p in enumerate(self.planned) if self.shown_to_reader(self.forms.get(p.form_id))]
        number = shown.index(self.position.instrument) + 1 if self.position.instrument in shown else 1
        return number, max(len(shown), 1)

    def progress(self) -> tuple[int, int]:
        """(answered, asked) items over the planned instruments, for a progress bar."""
        answered = asked = 0
        for planned in self.planned:
            form = self.forms.get(planned.form_id)
            if not self.shown_to_reader(form):
                continue
            given = self.form_answers(form.id)
            shown = self.asked(form)
            asked += len(shown)
            answered += sum(form.definition.items[i].id in given for i in shown)
        return answered, asked
