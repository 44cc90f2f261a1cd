"""A patient's scores on one instrument over time, shaped for charts and "better or worse since last time".

Band boundaries are read from the form only where a rule is a plain ``<result> <= N`` (or ``< N``) on the
band result. A rule that reads only the band result in another way (``total == 0``) gives no line; once a
rule reads sex, another result or anything else, no later band gives one either, since its boundary then
depends on more than the charted value. A chart never shows a cut-off the instrument does not have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from smerteagent.core.expr import Compare, ExprError, Name, Node, numeric, parse_tree, walk
from smerteagent.core.forms.model import Form, Result
from smerteagent.core.scoring.engine import CompiledForm

Reader = Literal["clinician", "patient"]
Entry = tuple[datetime, Mapping[str, float | int | None]]


@dataclass(frozen=True)
class Threshold:
    """The upper boundary of band ``band_below``, drawn as a line across the chart."""

    value: float
    band_below: str
    label: str


@dataclass(frozen=True)
class Point:
    when: datetime
    value: float


@dataclass(frozen=True)
class Series:
    """One reported result over time, with the range and direction a chart needs to draw it honestly."""

    result_id: str
    label: str
    points: tuple[Point, ...]
    low: float
    high: float
    higher_is: str


@dataclass(frozen=True)
class InstrumentHistory:
    """All completed screenings of one instrument; ``thresholds`` belong to the ``band_result`` series."""

    form_id: str
    title: str
    series: tuple[Series, ...]
    thresholds: tuple[Threshold, ...]
    band_result: str | None = None
    top_band: str | None = None  # the band above the last threshold, named on charts like the others
    reader: Reader = "clinician"  # "patient": only what the patient may read

    def change_since_last(self) -> dict[str, float | None]:
        """Last minus previous value per series, so a screen can say whether things moved."""
        return {s.result_id: _last_change(s.points) for s in self.series}

    def thresholds_for(self, result_id: str) -> tuple[Threshold, ...]:
        """Band boundaries only apply to the result the bands grade."""
        return self.thresholds if result_id == self.band_result else ()


def _last_change(points: tuple[Point, ...]) -> float | None:
    return points[-1].value - points[-2].value if len(points) >= 2 else None


def thresholds(form: Form, language: str, reader: str = "clinician") -> tuple[Threshold, ...]:
    """Boundaries of plain-bound bands, up to the first rule that reads more than the band result; for the
    patient only bands whose name the patient may read."""
    target = form.scoring.band_result
    if target is None:
        return ()
    found: list[Threshold] = []
    for band in form.scoring.bands:
        tree = _tree(band.when)
        bound = _upper_bound(tree, target) if tree is not None else None
        if bound is not None:
            if reader == "clinician" or band.label.for_patient:
                found.append(Threshold(bound, band.id, band.label.get(language)))
        elif tree is None or _names(tree) != {target}:
            break
    return tuple(found)


def top_band(form: Form, language: str, found: tuple[Threshold, ...], reader: str = "clinician") -> str | None:
    """The band that follows the last threshold (PHQ-9's "severe" above 19), if it grades the same result."""
    if not found:
        return None
    bands = form.scoring.bands
    index = next(i for i, band in enumerate(bands) if band.id == found[-1].band_below) + 1
    if index >= len(bands):
        return None
    above = bands[index]
    tree = _tree(above.when)
    reads_only_target = above.when is None or (tree is not None and _names(tree) == {form.scoring.band_result})
    shown = reader == "clinician" or above.label.for_patient  # the patient's paper names only patient labels
    return above.label.get(language) if reads_only_target and shown else None


def _tree(rule: str | None) -> Node | None:
    """A band rule's tree, read as written (a definition's name counts as a name of its own)."""
    if rule is None:
        return None
    try:
        return parse_tree(rule)
    except ExprError:
        return None


def _upper_bound(tree: Node, target: str) -> float | None:
    """N for a plain ``<target> <= N`` (or ``< N``); None for any other rule."""
    match tree:
        case Compare("<=" | "<", Name(name), right) if name == target and (value := numeric(right)) is not None:
            return float(value)
    return None


def _names(tree: Node) -> set[str]:
    """Every name a rule reads (definitions by their own name)."""
    return {node.name for node in walk(tree) if isinstance(node, Name)}


def _series(result: Result, entries: Sequence[Entry], language: str) -> Series:
    points = tuple(Point(when, float(v)) for when, values in entries if (v := values.get(result.id)) is not None)
    label = result.label.get(language) if result.label else result.id
    low, high = result.range
    return Series(result.id, label, points, float(low), float(high), result.higher_is)


AnswerEntry = tuple[datetime, Mapping[str, object]]
ACTIVITY_SERIES = "activity:"  # series id prefix of an item followed by the name it was given (PSFS activities)


def named_series(form: CompiledForm, answers: Sequence[AnswerEntry]) -> list[Series]:
    """One series per name given to a ``named_by`` item (a PSFS activity), wherever on the form it was rated:
    the same activity is followed over time by its name (case and spacing aside)."""
    definition = form.definition
    found: dict[str, list[Point]] = {}
    labels: dict[str, str] = {}
    scales: dict[str, tuple[float, float, str]] = {}
    for when, given in sorted(answers, key=lambda entry: entry[0]):
        for item in definition.items:
            name, value = given.get(item.named_by or ""), given.get(item.id)
            if not isinstance(name, str) or not name.strip() or not isinstance(value, int | float):
                continue
            key = " ".join(name.split()).casefold()
            labels.setdefault(key, " ".join(name.split()))
            scales.setdefault(key, (float(item.min or 0), float(item.max or 0), _direction(definition, item.id)))
            found.setdefault(key, []).append(Point(when, float(value)))
    return [
        Series(f"{ACTIVITY_SERIES}{key}", labels[key], tuple(points), *scales[key]) for key, points in found.items()
    ]


def _direction(definition: Form, item_id: str) -> str:
    """Better or worse upward: as the result that scores the item says."""
    for result in definition.scoring.results:
        if any((entry if isinstance(entry, str) else entry.item) == item_id for entry in result.items):
            return result.higher_is
    return "worse"


def build_history(
    form: CompiledForm,
    entries: Sequence[Entry],
    language: str,
    answers: Sequence[AnswerEntry] = (),
    reader: Reader = "clinician",
) -> InstrumentHistory:
    """Turn stored (completed_at, results) pairs, in any order, into chartable series; with the answers,
    also one series per named activity; for the patient's paper only the results (and band names) the form
    lets the patient read."""
    definition = form.definition
    ordered = sorted(entries, key=lambda entry: entry[0])
    # A count of answered items ("activities rated") tells how complete a form was, not how the patient is.
    charted = [r for r in definition.scoring.results if not r.hidden and r.method != "answered"]
    if reader == "patient":
        charted = [r for r in charted if definition.result_for_patient(r)]
    shown = (_series(r, ordered, language) for r in charted)
    series = tuple(s for s in shown if s.points) + tuple(named_series(form, answers))
    title = definition.display_title(language)
    band_result = definition.scoring.band_result
    has_band_series = any(s.result_id == band_result for s in series)
    found = thresholds(definition, language, reader) if has_band_series else ()
    top = top_band(definition, language, found, reader)
    return InstrumentHistory(definition.id, title, series, found, band_result, top_band=top, reader=reader)
