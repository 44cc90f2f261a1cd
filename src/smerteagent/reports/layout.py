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


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    """A plain grid with a shaded header row that repeats when the table runs onto the next page."""
    cells = [[para(h, "head") for h in header]]
    cells += [[para(c, "cell") if isinstance(c, str) else c for c in row] for row in rows]
    return grid(
        cells,
        widths,
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
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


def clinic_header(settings: Settings) -> list[Flowable]:
    """The clinic's name and address, with its logo on the right when there is one."""
    lines = [para(settings.clinic_name, "h2")] if settings.clinic_name else []
    lines += [para(settings.clinic_address, "small")] if settings.clinic_address else []
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
        return cls(patient.name, identity, printed_on, settings.clinic_name)

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
