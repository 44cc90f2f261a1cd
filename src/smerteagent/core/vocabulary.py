"""Closed sets of ids the whole program shares, each defined once: the settings a screening takes place in and
the context keys a patient's drugs answer for the batteries' follow-up rules."""

from __future__ import annotations

from typing import Literal, get_args

from smerteagent.i18n import N_

Setting = Literal["gp", "physiotherapy", "pain_clinic"]
SETTINGS: tuple[Setting, ...] = get_args(Setting)
SETTING_LABELS: dict[Setting, str] = {
    "gp": N_("General practice"),
    "physiotherapy": N_("Physiotherapy"),
    "pain_clinic": N_("Pain clinic"),
}

DrugContext = Literal["on_opioids", "on_benzodiazepines", "on_z_drugs", "on_gabapentinoids"]
DRUG_CONTEXTS: tuple[DrugContext, ...] = get_args(DrugContext)
DRUG_CONTEXT_LABELS: dict[DrugContext, str] = {
    "on_opioids": N_("Opioids"),
    "on_benzodiazepines": N_("Benzodiazepines"),
    "on_z_drugs": N_("Z-drugs (sleeping pills)"),
    "on_gabapentinoids": N_("Gabapentinoids"),
}
# The drug class on a care plan that answers a context key with yes (Ketogan is an opioid).
CONTEXT_OF_CLASS: dict[str, DrugContext] = {
    "opioid": "on_opioids",
    "benzodiazepine": "on_benzodiazepines",
    "z_drug": "on_z_drugs",
    "gabapentinoid": "on_gabapentinoids",
}
