"""What every SmerteAgent PDF shares: A4 with DejaVu, the patient on every page with "page x of y", the clinic
header, plain tables, and dates and numbers written the way the reader's language writes them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from html import escape
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Table, TableStyle

from smerteagent import __version__
from smerteagent.core.patients import PatientSummary
from smerteagent.core.settings import Settings
from smerteagent.i18n import _, language, number
from smerteagent.i18n import day as _day
from smerteagent.reports.fonts import BOLD, REGULAR, register_fonts

MARGINS = {"leftMargin": 18 * mm, "rightMargin": 18 * mm, "topMargin": 24 * mm, "bottomMargin": 20 * mm}
WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
HEIGHT = A4[1] - MARGINS["topMargin"] - MARGINS["bottomMargin"] - 12  # the frame's own padding
INK, MUTED, RULE, SHADE = (
    colors.HexColor("#1d2b3a"),
    colors.HexColor("#5b6670"),
    colors.HexColor("#b7c0c8"),
    colors.HexColor("#eef2f5"),
)


def day(value: date | None) -> str:
    """A date on paper; a missing one is a dash."""
    return _day(value, empty="—")


def amount(value: float | None) -> str:
    """A dose or score without trailing zeros, with a decimal comma in Danish."""
    return "—" if value is None else number(value)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=10, leading=13.5, textColor=INK, spaceAfter=3
    )
    return {
        "body": body,
        "note": ParagraphStyle("note", body, spaceBefore=4),
        "small": ParagraphStyle("small", body, fontSize=8, leading=10, textColor=MUTED, spaceAfter=0),
        "cell": ParagraphStyle("cell", body, fontSize=9, leading=11.5, spaceAfter=0),
        "phone": ParagraphStyle("phone", body, fontName=BOLD, spaceAfter=0),
        "head": ParagraphStyle("head", body, fontName=BOLD, fontSize=9, leading=11.5, spaceAfter=0),
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=18, leading=22, spaceAfter=2),
        "h1": ParagraphStyle("h1", body, fontName=BOLD, fontSize=13, leading=16, spaceBefore=12, spaceAfter=5),
        "h2": ParagraphStyle("h2", body, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=3),
        "bullet": ParagraphStyle("bullet", body, leftIndent=12, bulletIndent=2),
        # The handout's tighter headings and text: a full plan fits on two pages (issue 15)
        "section": ParagraphStyle(
            "section", body, fontName=BOLD, fontSize=12, leading=14.5, spaceBefore=8, spaceAfter=3, keepWithNext=1
        ),
        "compact": ParagraphStyle("compact", body, fontSize=9.5, leading=12.5, spaceAfter=2),
        "compact_bullet": ParagraphStyle(
            "compact_bullet", body, fontSize=9.5, leading=12, leftIndent=11, bulletIndent=2, spaceAfter=1
        ),
        "words": ParagraphStyle("words", body, fontSize=10.5, leading=14, spaceAfter=0),
        "cell_bullet": ParagraphStyle("cell_bullet", body, fontSize=9, leading=11.5, leftIndent=10, bulletIndent=1),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: patients' and clinicians' words are never markup)."""
    return Paragraph(escape(text, quote=False).replace("\n", "<br/>"), styles()[style])


def bullets(texts: Sequence[str], style: str = "bullet") -> list[Flowable]:
    return [Paragraph(escape(text, quote=False), styles()[style], bulletText="•") for text in texts]


def grid(cells: Sequence[Sequence[Any]], widths: Sequence[float], *commands: tuple[Any, ...], **options: Any) -> Table:
    """A table whose cells start in DejaVu: ReportLab's default cell font is an unembedded Helvetica."""
    found = Table([list(row) for row in cells], colWidths=list(widths), hAlign="LEFT", **options)
    found.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 9), *commands]))
    return found


CELL_PADDING = 12  # a Table's default left + right padding (6 pt each)
SMALLER_SIZES = (8.5, 8, 7.5, 7)  # tried in turn when the longest words do not fit at 9 pt


def _longest_word(text: str, style: ParagraphStyle) -> float:
    return max((stringWidth(word, style.fontName, style.fontSize) for word in text.split()), default=0.0)


def fit_widths(needed: Sequence[float], widths: Sequence[float]) -> list[float] | None:
    """``widths`` changed as little as possible so that every column is at least ``needed`` wide: a column
    short of room takes it from the others' spare room, in proportion to it. None when the total is too
    small for every column's need."""
    short = sum(max(0.0, n - w) for n, w in zip(needed, widths, strict=True))
    if short == 0:
        return list(widths)
    spare = [max(0.0, w - n) for n, w in zip(needed, widths, strict=True)]
    if sum(spare) < short:
        return None
    return [max(n, w) if s == 0 else w - short * s / sum(spare) for n, w, s in zip(needed, widths, spare, strict=True)]


def _sized(name: str, size: float) -> ParagraphStyle:
    base = styles()[name]
    return ParagraphStyle(f"{name}-{size}", base, fontSize=size, leading=size * base.leading / base.fontSize)


def table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], padding: tuple[float, float] = (3, 4)
) -> Table:
    """A plain grid with a shaded header row that repeats when the table runs onto the next page; ``padding``
    above and below each cell's text (the handout's tables are tighter).

    No word is ever split inside a word ("Morfinækv|ivalent"): each column is widened to its longest word,
    taking room from columns with room to spare; when the page is too narrow for that, the table's text
    is set a little smaller until it fits."""
    texts = [list(header), *[list(row) for row in rows]]
    head, cell = styles()["head"], styles()["cell"]
    for size in (None, *SMALLER_SIZES):
        if size is not None:
            head, cell = _sized("head", size), _sized("cell", size)
        needed = [
            max((_longest_word(row[column], head if n == 0 else cell) for n, row in enumerate(texts)
                 if column < len(row) and isinstance(row[column], str)), default=0.0) + CELL_PADDING + 0.5
            for column in range(len(widths))
        ]  # fmt: skip
        fitted = fit_widths(needed, widths)
        if fitted is not None:
            widths = fitted
            break
    cells = [[Paragraph(escape(h, quote=False).replace("\n", "<br/>"), head) for h in header]]
    cells += [
        [Paragraph(escape(c, quote=False).replace("\n", "<br/>"), cell) if isinstance(c, str) else c for c in row]
        for row in rows
    ]
    return grid(
        cells,
        widths,
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), padding[0]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding[1]),
        repeatRows=1,
    )


def logo(path_text: str) -> Image | None:
    """The clinic's logo scaled into 45 × 18 mm; none when unset, missing or not an image we can read."""
    path = Path(path_text)
    if not path_text or not path.is_file():
        return None
    try:
        width, height = ImageReader(str(path)).getSize()
    except OSError:  # unreadable or not an image: the plan still prints, without the logo
        return None
    scale = min(45 * mm / width, 18 * mm / height)
    return Image(str(path), width * scale, height * scale, hAlign="RIGHT")


def phone_line(settings: Settings) -> str:
    """The clinic's phone as printed ("Tlf. 86 12 34 56"); empty when the clinic has not given one."""
    return _("Phone {number}").format(number=settings.clinic_phone) if settings.clinic_phone else ""


def clinic_header(settings: Settings) -> list[Flowable]:
    """The clinic's name, address and phone, with its logo on the right when there is one."""
    lines = [para(settings.clinic_name, "h2")] if settings.clinic_name else []
    contact = " · ".join(t for t in (settings.clinic_address, phone_line(settings)) if t)
    lines += [para(contact, "small")] if contact else []
    image = logo(settings.logo_path)
    if image is None:
        return lines
    top, flush = ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)
    return [grid([[lines, image]], [WIDTH - 50 * mm, 50 * mm], top, flush)]


def made_by() -> str:
    """Which program made the paper, so a printout can be traced to the version that computed it."""
    return f"SmerteAgent {__version__}"


@dataclass(frozen=True)
class RunningHeader:
    """What every page repeats, so that a loose page always shows whose plan it is."""

    patient: str
    identity: str
    printed_on: date
    clinic: str

    @classmethod
    def of(cls, patient: PatientSummary, settings: Settings, printed_on: date) -> RunningHeader:
        cpr = patient.cpr_text()
        identity = _("CPR {cpr}").format(cpr=cpr) if cpr else _("Born {date}").format(date=day(patient.birth_date))
        clinic = " · ".join(t for t in (settings.clinic_name, phone_line(settings)) if t)
        return cls(patient.name, identity, printed_on, clinic)

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        left, right, top = MARGINS["leftMargin"], A4[0] - MARGINS["rightMargin"], A4[1] - 13 * mm
        canvas.saveState()
        canvas.setFont(BOLD, 9)
        canvas.setFillColor(INK)
        canvas.drawString(left, top, f"{self.patient} · {self.identity}")
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(right, top, _("Printed {date}").format(date=day(self.printed_on)))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - 4, right, top - 4)
        canvas.setFillColor(MUTED)
        canvas.drawString(left, 11 * mm, self.clinic)
        canvas.drawRightString(right, 11 * mm, _("Page {page} of {total}").format(page=page, total=total))
        canvas.setFont(REGULAR, 6.5)  # a line of its own, so a long clinic name never runs into it
        canvas.drawRightString(right, 7.5 * mm, made_by())
        canvas.restoreState()


class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
    """Holds every page back until the document is complete, then decorates each with its number and the
    total ("page x of y" in one pass of the layout, not two builds)."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._held:
            self.__dict__.update(state)
            self._decorate(self, self._pageNumber, len(self._held))
            super().showPage()
        super().save()


def build_pdf(story: list[Flowable], header: RunningHeader, title: str) -> bytes:
    """Lay out ``story`` on A4 in DejaVu (the canvas's base font too, so no page refers to Helvetica)."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=header.clinic,
        creator=made_by(),
        lang=language(),
        initialFontName=register_fonts(),
        **MARGINS,
    )
    document.build(story, canvasmaker=partial(NumberedCanvas, decorate=header.draw))
    return buffer.getvalue()
