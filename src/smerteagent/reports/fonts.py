"""The one font every report uses: DejaVu Sans, shipped in ``resources/fonts`` and embedded in each PDF, so
æ, ø and å print on any machine (Windows has no DejaVu, and ReportLab's standard fonts are not embedded)."""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from smerteagent.paths import bundled_resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


@cache
def register_fonts() -> str:
    """Register DejaVu with ReportLab once per process (parsing the TTF is the slow part); returns the
    regular font's name, to be passed as every document's ``initialFontName`` so that no canvas starts
    with an unembedded Helvetica."""
    folder = bundled_resources_dir() / "fonts"
    for name, file in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    # <b> in a paragraph switches to the bold face; there are no italics, so italic maps to upright.
    for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, face)
    return REGULAR
