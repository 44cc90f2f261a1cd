"""The scoring engine: a form compiled into lookup tables and closures, scored in microseconds.

Answers are checked and kept exactly as given; recodes, reversals and weights live in per-item point
tables built at load time. A result with unanswered items is withheld (``None``) unless the instrument's
published missing-item rule allows it; safety flags are always evaluated on what was answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from smerteagent.core.errors import AnswerError
from smerteagent.core.expr import Bounder, Evaluator, Expression, Value, truth
from smerteagent.core.forms.model import Flag, Form, Option
from smerteagent.core.scoring.result import (
    ENGINE_FLAG_SEVERITY,
    ENGINE_FLAG_TEXT,
    INCOMPLETE,
    PRORATED,
    SEX_REQUIRED,
    Number,
    ScoreResult,
    report_value,
)
from smerteagent.core.spans import ANYTHING, FALSE, NOTHING, TRUE, Span, bounded, of_values, point, truth_mask
from smerteagent.i18n import _

SEXES = ("female", "male")
MISSING = 1
NEEDS_SEX = 2
PARTIAL = 4

PointTable = Mapping[int, Number]
Computation = Callable[[dict[str, Value], str | None], tuple[Number | None, int]]
ResultBounds = Callable[["RangeScope"], Span]


def item_span(allowed: frozenset[int] | None, low: int | None, high: int | None, is_text: bool) -> Span:
    """Every answer an item allows, as a span (exact when few)."""
    if is_text:
        return ANYTHING
    if allowed is not None:
        return of_values(allowed)
    assert low is not None and high is not None
    return of_values(range(low, high + 1)) if high - low < 64 else bounded(low, high)


def unsure_span(asked: Span, skipped_value: int | None) -> Span:
    """An unanswered item whose skip condition is undecided: any answer, or skipped."""
    if asked.values is None:
        return Span(None, asked.low, asked.high, True) if skipped_value is None else asked
    return of_values([*asked.values, skipped_value])


@dataclass(frozen=True, slots=True)
class ItemRule:
    """How one item's answer is checked and when the item is asked."""

    id: str
    is_text: bool
    allowed: frozenset[int] | None
    low: int | None
    high: int | None
    max_length: int
    required: bool
    enable: Evaluator | None
    skipped_value: int | None
    asked_span: Span = NOTHING
    unsure_span: Span = NOTHING

    def check(self, form_id: str, value: object) -> int | str:
        if self.is_text:
            if not isinstance(value, str):
                raise AnswerError(self.id, value, f"{form_id}: a free-text item takes text")
            if len(value) > self.max_length:
                raise AnswerError(self.id, value, f"{form_id}: longer than {self.max_length} characters")
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError(self.id, value, f"{form_id}: the answer must be a whole number")
        if self.allowed is not None and value not in self.allowed:
            allowed = ", ".join(str(v) for v in sorted(self.allowed))
            raise AnswerError(self.id, value, f"{form_id}: allowed values are {allowed}")
        if self.low is not None and self.high is not None and not self.low <= value <= self.high:
            raise AnswerError(self.id, value, f"{form_id}: allowed range is {self.low}–{self.high}")
        return value


@dataclass(frozen=True, slots=True)
class ResultRule:
    """A compiled result: its computation plus what the reports need to know about it."""

    id: str
    compute: Computation
    hidden: bool
    bounds: ResultBounds = lambda scope: NOTHING
    counts_answers: bool = False  # method answered: its value changes as missing items are answered
    may_settle: bool = True  # False: a missing item always leaves the value open (a sum of varying points)


@dataclass(frozen=True, slots=True)
class BandRule:
    id: str
    when: Evaluator | None
    bounds: Bounder | None = None


@dataclass(frozen=True, slots=True)
class FlagRule:
    id: str
    when: Evaluator
    severity: str
    bounds: Bounder = lambda scope: NOTHING
    reads_state: bool = False  # uses answered(): about the answers as they stand, not their completions


@dataclass(slots=True)
class EvaluationScope:
    """Values (items, results, sex), raw answers and raised flags, as expressions see them."""

    values: dict[str, Value]
    answers: Mapping[str, object]
    flags: frozenset[str] = field(default_factory=frozenset)
    undecided_flags: frozenset[str] = field(default_factory=frozenset)


@dataclass(slots=True)
class RangeScope:
    """The answers with every missing item open to all its values: what bounds evaluation sees."""

    values: dict[str, Value]
    answers: Mapping[str, object]
    open: dict[str, Span]
    pending: dict[str, ResultBounds]
    sex: str | None
    flags: frozenset[str] = field(default_factory=frozenset)

    def span(self, name: str) -> Span:
        found = self.open.get(name)
        if found is not None:
            return found
        compute = self.pending.pop(name, None)
        if compute is not None:
            found = self.open[name] = compute(self)
            return found
        return point(self.values.get(name))


@dataclass(frozen=True, slots=True)
class CompiledForm:
    """A validated form, ready to check and score answers."""

    definition: Form
    items: dict[str, ItemRule]
    options: dict[str, tuple[Option, ...]]
    results: tuple[ResultRule, ...]
    bands: tuple[BandRule, ...]
    bands_need_sex: bool
    bands_read_items: bool
    flags: tuple[FlagRule, ...]
    prefills: Mapping[str, Expression] = field(default_factory=dict)  # item -> answer from the patient context

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def version(self) -> str:
        return self.definition.version

    def flag_text(self, flag: str, language: str) -> str:
        """A raised flag in words: the form's own message, else the engine's, else its id."""
        for declared in self.definition.scoring.flags:
            if declared.id == flag:
                return declared.message.get(language)
        return _(ENGINE_FLAG_TEXT[flag]) if flag in ENGINE_FLAG_TEXT else flag

    def flag_rule(self, flag: str) -> Flag | None:
        """The form's declaration of a flag (None for the engine's own flags)."""
        return next((declared for declared in self.definition.scoring.flags if declared.id == flag), None)

    def context_answers(self, context: Mapping[str, Value]) -> dict[str, int]:
        """Answers the patient context gives (``from_context``); an item the context cannot decide is left out."""
        found: dict[str, int] = {}
        scope = EvaluationScope(dict(context), {})
        for item_id, expression in self.prefills.items():
            value = expression.evaluate(scope)
            if isinstance(value, bool):
                value = int(value)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, int):
                try:
                    self.items[item_id].check(self.id, value)
                except AnswerError:
                    continue
                found[item_id] = value
        return found

    def check_answers(self, answers: Mapping[str, object]) -> dict[str, int | str]:
        """Return the given answers (``None`` = unanswered, dropped); raise AnswerError on a bad one."""
        checked: dict[str, int | str] = {}
        form_id = self.definition.id
        for item_id, value in answers.items():
            rule = self.items.get(item_id)
            if rule is None:
                raise AnswerError(str(item_id), value, f"{form_id} has no such item")
            if value is not None:
                checked[item_id] = rule.check(form_id, value)
        return checked

    def enabled_state(self, answers: Mapping[str, object]) -> dict[str, bool | None]:
        """For each conditional item: asked (True), skipped (False) or not yet known (None)."""
        values: dict[str, Value] = dict(answers)  # type: ignore[arg-type]
        return {item_id: state for item_id, state in self._resolve(values, answers)}

    def _resolve(self, values: dict[str, Value], answers: Mapping[str, object]) -> list[tuple[str, bool | None]]:
        states: list[tuple[str, bool | None]] = []
        scope = EvaluationScope(values, answers)
        for rule in self.items.values():
            if rule.enable is None:
                continue
            state = truth(rule.enable(scope))
            states.append((rule.id, state))
            if state is False and rule.id not in answers and rule.skipped_value is not None:
                values[rule.id] = rule.skipped_value
        return states

    def score(self, answers: Mapping[str, object], sex: str | None = None) -> ScoreResult:
        """Score one answer set; raises AnswerError for an unknown item, bad value or bad sex.

        With required items missing, a withheld result, band or flag is decided over every value the
        missing items could still take: reported when all agree, left undecided otherwise.
        """
        if sex is not None and sex not in SEXES:
            raise AnswerError("sex", sex, "sex must be 'female', 'male' or absent")
        given = self.check_answers(answers)
        values: dict[str, Value] = dict(given)
        states = dict(self._resolve(values, given))
        missing = tuple(
            rule.id
            for rule in self.items.values()
            if rule.required and rule.id not in given and states.get(rule.id, True) is not False
        )
        values["sex"] = sex
        reported: dict[str, Number | None] = {"total": None}
        reasons = 0
        unsettled: list[ResultRule] = []
        for result in self.results:
            value, why = result.compute(values, sex)
            values[result.id] = value
            reasons |= why if value is None or why == PARTIAL else 0
            if missing and ((value is None and not why & NEEDS_SEX) or result.counts_answers):
                unsettled.append(result)
            if not result.hidden:
                reported[result.id] = report_value(value)
        scope = EvaluationScope(values, given)
        band, band_reasons = self._band(scope, sex, explained=reasons & (MISSING | NEEDS_SEX))
        if band is not None and missing and self.bands_read_items:
            # No missing-item rule covers a band read straight from the items: decide it over the completions.
            band, band_reasons = None, MISSING
        ranges = self._ranges(values, given, states, missing, sex, unsettled) if missing else None
        if ranges is not None:
            for result in unsettled:
                if values[result.id] is not None or result.hidden or not result.may_settle:
                    continue
                span = ranges.span(result.id)
                if span.decided:
                    reported[result.id] = report_value(span.only)  # type: ignore[arg-type]
            if band is None and band_reasons & MISSING and not band_reasons & NEEDS_SEX:
                band = self._band_over(ranges)
        raised: list[str] = []
        undecided: list[str] = []
        for flag in self.flags:
            state = truth(flag.when(scope))
            if state is None and ranges is not None and not flag.reads_state:
                mask = truth_mask(flag.bounds(ranges))
                state = True if mask == TRUE else None if mask & TRUE else False
            if state is True:
                raised.append(flag.id)
            elif state is None:
                undecided.append(flag.id)
        severity = {flag.id: flag.severity for flag in self.flags if flag.id in raised}
        for engine_flag, bit in ((INCOMPLETE, MISSING), (PRORATED, PARTIAL), (SEX_REQUIRED, NEEDS_SEX)):
            if (reasons | band_reasons) & bit and engine_flag not in severity:
                raised.append(engine_flag)
                severity[engine_flag] = ENGINE_FLAG_SEVERITY[engine_flag]
        return ScoreResult(
            form=self.definition.id,
            version=self.definition.version,
            results=reported,
            band=band,
            flags=tuple(raised),
            missing=missing,
            flag_severity=severity,
            undecided_flags=tuple(undecided),
        )

    def _ranges(
        self,
        values: dict[str, Value],
        given: Mapping[str, object],
        states: Mapping[str, bool | None],
        missing: tuple[str, ...],
        sex: str | None,
        unsettled: list[ResultRule],
    ) -> RangeScope:
        """The scope in which every missing item takes all its values (or is skipped, if that is undecided)."""
        spans = {}
        for item_id in missing:
            rule = self.items[item_id]
            spans[item_id] = rule.asked_span if states.get(item_id, True) else rule.unsure_span
        pending = {result.id: result.bounds for result in unsettled}
        return RangeScope(values, given, spans, pending, sex)

    def _band_over(self, ranges: RangeScope) -> str | None:
        """The band every completion gets, or None while the missing answers could still change it."""
        for band in self.bands:
            if band.bounds is None:
                return band.id
            mask = truth_mask(band.bounds(ranges))
            if mask == TRUE:
                return band.id
            if mask != FALSE:
                return None
        return None

    def _band(self, scope: EvaluationScope, sex: str | None, explained: int) -> tuple[str | None, int]:
        """First band whose rule is true; an unknown rule first withholds the band (reason returned)."""
        if not self.bands:
            return None, 0
        if self.bands_need_sex and sex is None:
            return None, NEEDS_SEX
        for band in self.bands:
            if band.when is None:
                return band.id, 0
            state = truth(band.when(scope))
            if state is True:
                return band.id, 0
            if state is None:
                return None, explained or MISSING
        return None, explained or MISSING
