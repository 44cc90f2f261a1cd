"""LOINC codes whose LOINC definition *is* an instrument's total score, for Questionnaires that code their
total item with one of them but carry no calculation for it (the LHC-Forms / NLM Form Builder PHQ-9 and
GAD-7 as published in FHIR: answer weights on the questions, a total item ``44261-6`` with no
``calculatedExpression``).

Such an item is scored as the weighted sum of the form's weighted questions — but only when the form has
exactly the number of weighted questions the definition names and their points span exactly the range it
names; anything else stays unscored, never scored wrongly. Each entry quotes the LOINC long common name
and what LOINC says the score is.

Deliberately absent: ``69725-0`` is *not* a GAD-2 total — in LOINC it is the first GAD-7 question
("Feeling nervous, anxious or on edge", a member of panels 69737-5 and 69729-2). No GAD-2 total code is
listed here because none was verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LoincTotal:
    """What LOINC defines the code as: the instrument, how many questions it sums and the score's range."""

    code: str
    instrument: str
    questions: int
    low: int
    high: int
    loinc_name: str  # the LOINC long common name
    definition: str  # what LOINC says the score is (paraphrased from the term description)

    @property
    def authority(self) -> str:
        return f"LOINC {self.code} {self.loinc_name!r} as {self.definition}"


LOINC_TOTALS: dict[str, LoincTotal] = {
    total.code: total
    for total in (
        LoincTotal(
            "44261-6", "PHQ-9", 9, 0, 27,
            "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
            "the sum of the points of the 9 PHQ-9 questions (0-3 each: not at all 0 … nearly every day 3), range "
            "0-27; a member of the PHQ-9 panel 44249-1",
        ),
        LoincTotal(
            "70274-6", "GAD-7", 7, 0, 21,
            "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
            "the total score of the 7 GAD-7 questions (0-3 each), range 0-21; a member of the GAD-7 panel 69737-5",
        ),
        LoincTotal(
            "55758-7", "PHQ-2", 2, 0, 6,
            "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]",
            "the total score of the 2 PHQ-2 questions (0-3 each), range 0-6; a member of the PHQ-2 panel 55757-9",
        ),
    )
}  # fmt: skip

LOINC_SYSTEM = "http://loinc.org"
TOTAL_ITEM_TYPES = ("integer", "decimal", "quantity")


def loinc_total(item: dict[str, Any]) -> LoincTotal | None:
    """The LOINC total-score definition an item is coded with (a numeric item with a listed code), or None."""
    codes = item.get("code")
    if item.get("type") not in TOTAL_ITEM_TYPES or not isinstance(codes, list):
        return None
    for code in codes:
        if isinstance(code, dict) and code.get("system") == LOINC_SYSTEM and code.get("code") in LOINC_TOTALS:
            return LOINC_TOTALS[str(code["code"])]
    return None
