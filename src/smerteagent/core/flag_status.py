"""What became of a raised flag since: its advice to complete an instrument is answered once that instrument
has a complete response in the same visit or later; a critical flag's recorded action is told instead of its
demand ("assess suicide risk now"). The flag itself is never dropped: what was found stays in words."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from smerteagent.core.forms.titles import form_title
from smerteagent.core.safety import SafetyAction
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.i18n import _
from smerteagent.i18n import day as i18n_day


class Completed(Protocol):
    """A stored response as the status reads it (storage's ResponseRecord is one)."""

    @property
    def id(self) -> int: ...
    @property
    def encounter_id(self) -> int: ...
    @property
    def form_id(self) -> str: ...
    @property
    def score(self) -> ScoreResult | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def completed_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class FlagStatus:
    """One raised flag of one response: the forms that answered its advice, the action recorded on it."""

    flag: str
    followed_up_by: tuple[str, ...] = ()  # titles of the instruments completed since, as the flag asked
    action: SafetyAction | None = None

    @property
    def answered(self) -> bool:
        return bool(self.followed_up_by) or self.action is not None


def _when(record: Completed) -> datetime:
    return record.completed_at or record.created_at


def _title(forms: Mapping[str, CompiledForm], form_id: str, language: str) -> str:
    return form_title(forms.get(form_id), form_id, language)


def flag_statuses(
    record: Completed,
    completed: Sequence[Completed],
    forms: Mapping[str, CompiledForm],
    actions: Sequence[SafetyAction],
    language: str,
) -> list[FlagStatus]:
    """Every flag of ``record`` in order; ``completed``: the patient's complete responses; ``actions``: the
    recorded suicide-risk actions (the latest on a flag counts)."""
    if record.score is None:
        return []
    form = forms.get(record.form_id)
    found = []
    for flag in record.score.flags:
        rule = form.flag_rule(flag) if form else None
        acted = [a for a in actions if a.response_id == record.id and a.flag == flag]
        followed = _followed_up(record, rule.answered_by if rule else [], completed, forms, language)
        found.append(FlagStatus(flag, followed, acted[-1] if acted else None))
    return found


def _followed_up(
    record: Completed,
    asked: Sequence[str],
    completed: Sequence[Completed],
    forms: Mapping[str, CompiledForm],
    language: str,
) -> tuple[str, ...]:
    """The titles of ``asked`` when every one has a complete response in the visit of ``record`` or later."""
    done = [form_id for form_id in asked if any(
        other.form_id == form_id and other.score is not None and other.id != record.id
        and (other.encounter_id == record.encounter_id or _when(other) >= _when(record))
        for other in completed)]  # fmt: skip
    return tuple(_title(forms, f, language) for f in done) if asked and len(done) == len(asked) else ()


def band_followed_up(
    record: Completed, completed: Sequence[Completed], forms: Mapping[str, CompiledForm], language: str
) -> tuple[str, ...]:
    """The instruments its band's advice asked for ("complete the GAD-7"), once all are complete; else ()."""
    form = forms.get(record.form_id)
    if form is None or record.score is None:
        return ()
    band = next((b for b in form.definition.scoring.bands if b.id == record.score.band), None)
    if band is None:
        return ()
    if band.answered_by:
        return _followed_up(record, band.answered_by, completed, forms, language)
    # A band whose advice depends on which part is positive (PHQ-4: "complete GAD-7/PHQ-9 where a part is
    # positive") is followed up when every raised flag that asks for an instrument has had it completed.
    asking = [f for f in form.definition.scoring.flags if f.id in record.score.flags and f.answered_by]
    done = [_followed_up(record, f.answered_by, completed, forms, language) for f in asking]
    if not asking or not all(done):
        return ()
    return tuple(dict.fromkeys(title for titles in done for title in titles))


def flag_words(
    form: CompiledForm | None,
    status: FlagStatus,
    language: str,
    *,
    who: bool = True,
    day: Callable[[date], str] = i18n_day,
) -> str:
    """The flag as a reader needs it now: its message while open; once answered, what was found and what was
    done (the instruments completed since; the action with its date (written by ``day``), by whom (``who``)
    and what)."""
    if form is None:
        return status.flag
    if not status.answered:
        return form.flag_text(status.flag, language)
    rule = form.flag_rule(status.flag)
    finding = rule.finding.get(language) if rule is not None and rule.finding is not None else None
    if finding is None:
        finding = _("Suicide-risk flag") if status.action is not None else form.flag_text(status.flag, language)
    done = []
    if status.followed_up_by:
        done.append(_("followed up with {instruments}").format(instruments=", ".join(status.followed_up_by)))
    action = status.action
    if action is not None and who:
        done.append(_("action recorded {date} by {actor}: {action}").format(
            date=day(action.at.date()), actor=action.actor, action=action.describe()))  # fmt: skip
    elif action is not None:
        done.append(_("action recorded {date}").format(date=day(action.at.date())))
    return f"{finding} — {'; '.join(done)}"
