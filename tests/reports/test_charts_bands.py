"""Every band on a chart is named, the top one too (PHQ-9's "Svær depression" above 19 was left unnamed)."""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.shapes import Drawing, Group, String

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.history import build_history
from smerteagent.reports.charts import history_chart
from smerteagent.reports.fonts import register_fonts


def strings(node: Drawing | Group) -> list[str]:
    found: list[str] = []
    for child in node.contents:
        if isinstance(child, String):
            found.append(child.text)
        elif isinstance(child, Group):
            found += strings(child)
    return found


def test_the_top_band_is_named_like_the_others(library: FormLibrary) -> None:
    register_fonts()
    form = library.forms["phq9"]
    entries = [(datetime(2026, 3, day), {"total": total}) for day, total in ((2, 6), (20, 12))]
    history = build_history(form, entries, "da")
    assert history is not None and history.top_band == "Svær depression"
    text = " ".join(strings(history_chart(history, 400)))
    for label in ("Ingen", "Let", "Moderat", "Svær"):
        assert label in text, (label, text)
