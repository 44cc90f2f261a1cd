"""What scoring one questionnaire produces: the public JSON shape of the CLI, storage and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smerteagent.i18n import N_

Number = int | float

INCOMPLETE = "incomplete"
PRORATED = "prorated"
SEX_REQUIRED = "sex_required"

ENGINE_FLAG_SEVERITY = {INCOMPLETE: "warning", PRORATED: "info", SEX_REQUIRED: "warning"}
# What the engine's own flags mean, for every face (forms carry the texts of their own flags).
ENGINE_FLAG_TEXT = {
    INCOMPLETE: N_("Not all questions were answered, so the score is withheld"),
    PRORATED: N_("One section was unanswered; the score is prorated as the instrument allows"),
    SEX_REQUIRED: N_("The patient's sex is needed for this score; add it to the patient"),
}


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Results (rounded for reporting), band, flags and the required items still unanswered."""

    form: str
    version: str
    results: dict[str, Number | None]
    band: str | None
    flags: tuple[str, ...]
    missing: tuple[str, ...]
    flag_severity: dict[str, str] = field(default_factory=dict, compare=False)
    # Flags the missing answers could still raise: batteries ask more while a safety rule reads one.
    undecided_flags: tuple[str, ...] = field(default=(), compare=False)

    @property
    def status(self) -> str:
        """``scored``; ``withheld`` (required answers or the sex are missing); ``unscored`` (nothing to score)."""
        if INCOMPLETE in self.flags or SEX_REQUIRED in self.flags:
            return "withheld"
        if self.band is None and all(value is None for value in self.results.values()):
            return "unscored"
        return "scored"

    @property
    def critical_flags(self) -> tuple[str, ...]:
        """Flags that must interrupt the clinician (suicide risk)."""
        return tuple(flag for flag in self.flags if self.flag_severity.get(flag) == "critical")

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "version": self.version,
            "status": self.status,
            "results": dict(self.results),
            "band": self.band,
            "flags": list(self.flags),
            "missing": list(self.missing),
        }


def report_value(value: Number | None) -> Number | None:
    """Round a fractional result to 2 decimals for reporting; bands are decided on the raw value."""
    if isinstance(value, float):
        return round(value, 2)
    return value
