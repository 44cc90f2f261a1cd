"""One instrument's result in plain words: scores, band, what the band usually calls for, flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from PySide6.QtWidgets import QLabel, QWidget

from smerteagent.core.encounter_overview import EncounterOverview
from smerteagent.core.flag_status import FlagStatus, flag_words
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.i18n import _, language, number, split_unit

COLOURS = {"critical": "#b00020", "warning": "#a05a00", "info": "#1a5fb4", "none": "inherit"}


def flag_text(form: CompiledForm, flag: str) -> str:
    return form.flag_text(flag, language())


def _number(value: float | None) -> str:
    return "—" if value is None else number(value)


def named_ratings(form: CompiledForm, answers: Mapping[str, int | str]) -> list[tuple[str, int | str | None]]:
    """(name, rating) of every item rating something the patient named (PSFS: each activity with its 0–10)."""
    rows: list[tuple[str, int | str | None]] = []
    for item in form.definition.items:
        name = answers.get(item.named_by) if item.named_by else None
        if isinstance(name, str) and name.strip():
            rows.append((name.strip(), answers.get(item.id)))
    return rows


def result_html(
    form: CompiledForm,
    result: ScoreResult,
    statuses: Sequence[FlagStatus] = (),
    advice_done: Sequence[str] = (),
    answers: Mapping[str, int | str] | None = None,
) -> str:
    """Rich text for a result, built from the form's own labels in the current language; ``statuses`` and
    ``advice_done`` (core.flag_status) tell what was done since instead of asking for it again; with the
    answers, each named thing with its rating too (PSFS shows every activity, not only the mean)."""
    lang = language()
    definition = form.definition
    title = definition.display_title(lang)
    parts = [f"<h3>{escape(title)}</h3>"]
    rated = named_ratings(form, answers or {})
    if rated:
        parts.append("<table cellspacing='4'>")
        for name, rating in rated:
            rated_text = number(rating) if isinstance(rating, int | float) else escape(_("not rated"))
            parts.append(f"<tr><td>{escape(name)}</td><td><b>{rated_text}</b></td></tr>")
        parts.append("</table>")
    labels = {r.id: (r.label.get(lang) if r.label else r.id) for r in definition.scoring.results}
    for name, value in result.results.items():
        if name == "total" and "total" not in labels:
            continue
        label, unit = split_unit(labels.get(name, name))
        shown = "—" if value is None else number(value, unit)
        parts.append(f"{escape(label)}: <b>{shown}</b><br>")
    band = next((b for b in definition.scoring.bands if b.id == result.band), None)
    if band is not None:
        colour = COLOURS[band.severity]
        parts.append(f"<p style='color:{colour}'><b>{escape(band.label.get(lang))}</b></p>")
        if band.advice and advice_done:
            done = _("followed up with {instruments}").format(instruments=", ".join(advice_done))
            parts.append(f"<p>{escape(done)}</p>")
        elif band.advice:
            parts.append(f"<p>{escape(band.advice.get(lang))}</p>")
    for flag in result.flags:
        severity = result.flag_severity.get(flag, "warning")
        status = next((s for s in statuses if s.flag == flag), FlagStatus(flag))
        text = escape(flag_words(form, status, lang))
        parts.append(f"<p style='color:{COLOURS.get(severity, 'inherit')}'>⚑ {text}</p>")
    return "".join(parts)


def overview_html(overview: EncounterOverview, when: str) -> str:
    """The visit at a glance: what must be acted on first, STarT Back's matched treatment, then each result."""
    heading, act_on = _("This visit ({date})").format(date=when), _("To act on:")  # not in f-strings: extracted
    parts = [f"<h3>{escape(heading)}</h3>"]
    flags = overview.flags_by_severity()
    if flags:
        parts.append(f"<p><b>{escape(act_on)}</b><br>")
        for title, flag in flags:
            done = " " + escape(_("(action recorded)")) if flag.handled else ""
            colour = COLOURS.get(flag.severity, "inherit")
            parts.append(f"<span style='color:{colour}'>⚑ {escape(title)}: {escape(flag.text)}{done}</span><br>")
        parts.append("</p>")
    if overview.startback_band_label:
        group = _("STarT Back: {group}").format(group=overview.startback_band_label)
        parts.append(f"<p><b>{escape(group)}</b>")
        if overview.matched_treatment:
            parts.append("<br>" + escape(_("Matched treatment: {text}").format(text=overview.matched_treatment)))
        parts.append("</p>")
    parts.append("<table cellspacing='4'>")
    for line in overview.lines:
        if not line.finished:
            shown = escape(_("not finished — press Enter on it to resume"))
        else:
            values = ", ".join(f"{escape(name)} {_number(value)}" for name, value in line.values)
            band = ""
            if line.band_label:
                colour = COLOURS.get(line.band_severity, "inherit")
                band = f" <b style='color:{colour}'>{escape(line.band_label)}</b>"
            shown = f"{values}{band}"
        parts.append(f"<tr><td><b>{escape(line.title)}</b></td><td>{shown}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


class ResultView(QLabel):
    """Shows one ScoreResult; the scoring itself happened in the core."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(self.textFormat().RichText)
        self.setAccessibleName(_("Result"))

    def show_overview(self, overview: EncounterOverview, when: str) -> None:
        self.setText(overview_html(overview, when))
        self.setAccessibleDescription(self.text())

    def show_result(
        self,
        form: CompiledForm,
        result: ScoreResult,
        statuses: Sequence[FlagStatus] = (),
        advice_done: Sequence[str] = (),
        answers: Mapping[str, int | str] | None = None,
    ) -> None:
        html = result_html(form, result, statuses, advice_done, answers)
        self.setText(html)
        self.setAccessibleDescription(self.text())
