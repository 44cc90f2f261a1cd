"""What a clinician can record about a suicide-risk flag: one list for the banner's dialog, the storage
check and the journal note, so a recorded action always reads the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smerteagent.i18n import N_, _

SAFETY_ACTIONS = {
    "assessed_no_acute_risk": N_("Assessed: no acute risk"),
    "safety_plan_made": N_("Safety plan made with the patient"),
    "acute_referral": N_("Acute referral to psychiatry"),
    "admitted": N_("Admitted"),
    "other": N_("Other action (describe)"),
}


@dataclass(frozen=True)
class SafetyAction:
    """One recorded action on one critical flag of one response."""

    response_id: int
    form_id: str
    flag: str
    action: str
    note: str | None
    actor: str
    at: datetime

    def describe(self) -> str:
        """The action in words, with the clinician's note; 'other' is told by its note alone."""
        if self.action == "other" and self.note:
            return self.note
        label = _(SAFETY_ACTIONS.get(self.action, self.action))
        return f"{label} ({self.note})" if self.note else label
