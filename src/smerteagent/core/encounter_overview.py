"""What one visit found, as a GP reads it in ten seconds after a battery: every instrument with its band, the
STarT Back group with its matched treatment, and every flag with what it asks for — the critical ones first
and never left out, whether or not their action has been recorded."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from smerteagent.core.careplan.suggestions import Recommendations
from smerteagent.core.flag_status import Completed, FlagStatus, flag_statuses, flag_words
from smerteagent.core.forms.titles import form_title
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult

SEVERITY_ORDER = ("critical", "warning", "info", "none")


class VisitRecord(Protocol):
    """A questionnaire of the visit as storage gives it (a draft has no score yet)."""

    @property
    def id(self) -> int: ...
    @property
    def form_id(self) -> str: ...
    @property
    def score(self) -> ScoreResult | None: ...


@dataclass(frozen=True)
class OverviewFlag:
    text: str
    severity: str
    handled: bool  # a critical flag whose action is recorded


@dataclass(frozen=True)
class OverviewLine:
    form_id: str
    title: str
    values: tuple[tuple[str, float | None], ...]
    band_label: str | None
    band_severity: str
    flags: tuple[OverviewFlag, ...]
    finished: bool


@dataclass(frozen=True)
class EncounterOverview:
    lines: tuple[OverviewLine, ...]
    startback_band_label: str | None
    matched_treatment: str | None

    def flags_by_severity(self) -> list[tuple[str, OverviewFlag]]:
        """Every flag of the visit with its instrument's title, critical first (the order a GP must act)."""
        found = [(line.title, flag) for line in self.lines for flag in line.flags]
        return sorted(found, key=lambda pair: SEVERITY_ORDER.index(pair[1].severity))


def _line(
    record: VisitRecord,
    forms: Mapping[str, CompiledForm],
    language: str,
    handled: Collection[tuple[int, str]],
    completed: Sequence[Completed],
) -> OverviewLine:
    form = forms.get(record.form_id)
    title = form_title(form, record.form_id, language)
    result = record.score
    if result is None or form is None:
        return OverviewLine(record.form_id, title, (), None, "none", (), finished=False)
    labels = {r.id: r.label.get(language) for r in form.definition.scoring.results if r.label and not r.hidden}
    prefix = f"{title} "  # "PHQ-9: PHQ-9 sum 7" reads as "PHQ-9: sum 7"
    shown = [(name, value) for name, value in result.results.items() if name in labels]
    values = tuple((labels[name].removeprefix(prefix), value) for name, value in shown)
    band = next((b for b in form.definition.scoring.bands if b.id == result.band), None)
    # A flag asking for an instrument completed since says so instead of asking (the action is told apart).
    own = next((c for c in completed if c.id == record.id), None)
    statuses = flag_statuses(own, completed, forms, (), language) if own is not None else []
    followed = {s.flag: s.followed_up_by for s in statuses}
    flags = tuple(
        OverviewFlag(flag_words(form, FlagStatus(flag, followed.get(flag, ())), language),
                     result.flag_severity.get(flag, "warning"), (record.id, flag) in handled)
        for flag in result.flags
    )  # fmt: skip
    band_label = band.label.get(language) if band is not None else None
    return OverviewLine(record.form_id, title, values, band_label, band.severity if band else "none", flags, True)


def encounter_overview(
    records: Sequence[VisitRecord],
    forms: Mapping[str, CompiledForm],
    recommendations: Recommendations,
    language: str,
    handled: Collection[tuple[int, str]] = (),
    completed: Sequence[Completed] = (),
) -> EncounterOverview:
    """``records``: the visit's questionnaires in the order asked; ``handled``: (response id, flag) pairs whose
    safety action is recorded; ``completed``: the patient's complete responses (a flag asking for GAD-7 is
    answered by one completed since)."""
    lines = tuple(_line(record, forms, language, handled, completed) for record in records)
    startback = next((r for r in reversed(records) if r.form_id == "startback" and r.score is not None), None)
    band = startback.score.band if startback is not None and startback.score is not None else None
    matched = [s.text for s in recommendations.suggest([], band, language) if s.kind == "matched"]
    line = next((ln for ln in reversed(lines) if ln.form_id == "startback" and ln.finished), None)
    return EncounterOverview(lines, line.band_label if line else None, matched[0] if matched else None)
