"""The safety-plan box: the patient's own warning signs, what helps, whom to call, and the numbers to call.
Printed only in a plan that has a safety plan; national numbers come from ``resources/``, not from code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table

from smerteagent.core.careplan.plan import SafetyPlan
from smerteagent.i18n import _
from smerteagent.reports.layout import WIDTH, bullets, grid, para

FRAME = colors.HexColor("#b00020")
BACKGROUND = colors.HexColor("#fdf1f2")
WRITE_IN = "________________"


def phone_list(contacts: Sequence[Mapping[str, Any]], language: str) -> Table:
    """Number first, then whom it reaches; a contact the clinic has not numbered gets a line to write it on."""
    rows = []
    for contact in contacts:
        text = contact.get(language) or contact.get("en") or contact.get("id", "")
        rows.append([para(str(contact.get("number") or WRITE_IN), "phone"), para(str(text), "cell")])
    return grid(
        rows, [38 * mm, WIDTH - 60 * mm], ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)
    )


def safety_box(plan: SafetyPlan, contacts: Sequence[Mapping[str, Any]], language: str) -> list[Flowable]:
    """One framed box in rows (the four parts two by two), so that it may continue on the next page rather
    than overflow this one."""
    parts = [
        (_("Warning signs that a crisis may be coming"), plan.warning_signs),
        (_("What I can do myself"), plan.coping),
        (_("People I can contact"), plan.people),
        (_("Professionals I can contact"), plan.professionals),
    ]
    cells = [[para(t, "h2"), *(bullets(items, "compact_bullet") if items else [para("—")])] for t, items in parts]
    half = (WIDTH - 16) / 2
    pairs = [grid([cells[i : i + 2]], [half, half], ("VALIGN", (0, 0), (-1, -1), "TOP"),
                  ("LEFTPADDING", (0, 0), (-1, -1), 0)) for i in (0, 2)]  # fmt: skip
    rows: list[list[Any]] = [
        [
            [
                para(_("My safety plan"), "section"),
                para(_("Use this plan if you feel worse or have thoughts of ending your life."), "compact"),
            ]
        ],
        *[[pair] for pair in pairs],
    ]
    rows.append([[para(_("Phone numbers"), "h2"), phone_list(contacts, language)]])
    box = grid(
        rows,
        [WIDTH],
        ("BOX", (0, 0), (-1, -1), 1.2, FRAME),
        ("BACKGROUND", (0, 0), (-1, -1), BACKGROUND),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    )
    return [CondPageBreak(70 * mm), Spacer(1, 4 * mm), box]
