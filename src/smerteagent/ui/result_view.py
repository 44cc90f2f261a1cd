"""One instrument's result in plain words: scores, band, what the band usually calls for, flags."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QWidget

from smerteagent.core.encounter_overview import EncounterOverview
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.core.scoring.result import ScoreResult
from smerteagent.i18n import _, language, number, split_unit

COLOURS = {"critical": "#b00020", "warning": "#a05a00", "info": "#1a5fb4", "none": "inherit"}


def flag_text(form: CompiledForm, flag: str) -> str:
    return form.flag_text(flag, language())


def _number(value: float | None) -> str:
    return "—" if value is None else number(value)


def result_html(form: CompiledForm, result: ScoreResult) -> str:
    """Rich text for a result, built from the form's own labels in the current language."""
    lang = language()
    definition = form.definition
    title = definition.display_title(lang)
    parts = [f"<h3>{escape(title)}</h3>"]
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
        if band.advice:
            parts.append(f"<p>{escape(band.advice.get(lang))}</p>")
    for flag in result.flags:
        severity = result.flag_severity.get(flag, "warning")
        parts.append(f"<p style='color:{COLOURS.get(severity, 'inherit')}'>⚑ {escape(flag_text(form, flag))}</p>")
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

    def show_result(self, form: CompiledForm, result: ScoreResult) -> None:
        html = result_html(form, result)
        self.setText(html)
        self.setAccessibleDescription(self.text())
