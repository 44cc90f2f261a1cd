"""Switching user at the lock: another clinician logs in on a shared consultation-room PC.

The lock has already checked the new clinician's own password (and audited the login). Here the first
clinician's unsaved care-plan changes are kept as their private draft — never listed for anyone else — and
the switch is audited; the faces close the open patient and every window of the first clinician. A screening
in progress needs nothing: every answer is already stored as it is given, and its draft is resumed from the
patient page. The first clinician gets the kept plan back, in the editor and still unsaved, at their next login.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smerteagent.core.accounts import Account
from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.careplan.snapshot import KeptPlan

if TYPE_CHECKING:
    from smerteagent.storage.services import Services


def switch_user(services: Services, previous: Account, new: Account, *, unsaved_plan: CarePlan | None = None,
                patient_id: int | None = None, screening_encounter: int | None = None) -> int | None:  # fmt: skip
    """Keep ``previous``'s unsaved plan for them alone, then audit the switch; the kept draft's id, if any.
    The switch is audited even when there was nothing to keep."""
    kept = services.kept_drafts.keep_plan(previous.id, unsaved_plan) if unsaved_plan is not None else None
    services.audit.record("switch_user", "account", new.id,
                          {"from": previous.username, "to": new.username, "patient_closed": patient_id,
                           "screening_left": screening_encounter, "kept_draft": kept})  # fmt: skip
    return kept


def kept_work(services: Services, account: Account) -> list[KeptPlan]:
    """The work kept for ``account`` (and for nobody else), oldest first."""
    return services.kept_drafts.kept_plans(account.id)


def take_back(services: Services, account: Account, kept: KeptPlan) -> CarePlan:
    """The kept plan is back with its clinician: no longer kept (audited); the plan to show, unsaved."""
    services.kept_drafts.take(kept.id, account.id)
    return kept.plan
