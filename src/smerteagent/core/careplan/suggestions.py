"""Treatment suggestions for the shared plan: STarT Back matched treatment, the national guidelines'
non-pharmacological recommendations for the patient's pain type, and municipal/regional offers.
Kept as data (``resources/careplan/recommendations.yaml``) with its source; every suggestion is editable.
Each has the clinician's wording (editor, summary, journal note) and a patient's wording (the printed plan)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

STRENGTH_ORDER = ("strong_for", "weak_for", "good_practice", "weak_against")
SuggestionKind = Literal["matched", "guideline", "offer"]


@dataclass(frozen=True)
class Suggestion:
    id: str
    text: str
    strength: str | None  # None for STarT Back matched treatment and offers
    kind: SuggestionKind
    patient_text: str = ""  # the same advice as the patient reads it


@dataclass(frozen=True)
class Recommendations:
    document: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> Recommendations:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    @property
    def pain_types(self) -> list[str]:
        return list(self.document["pain_types"])

    @property
    def source(self) -> dict[str, str]:
        """Where the suggestions come from, per language."""
        source = self.document["source"]
        return {k: str(v) for k, v in source.items()} if isinstance(source, dict) else {"da": str(source)}

    def suggest(self, pain_types: Iterable[str], startback_band: str | None, language: str) -> list[Suggestion]:
        """Matched treatment first, then guideline advice (strongest first), then offers."""
        wanted = set(pain_types)
        unknown = wanted - set(self.pain_types)
        if unknown:
            raise ValueError(f"unknown pain type(s): {', '.join(sorted(unknown))}")
        found: list[Suggestion] = []
        if startback_band in self.document["startback"]:
            entry = self.document["startback"][startback_band]
            found.append(Suggestion(f"startback_{startback_band}", entry[language], None, "matched",
                                    entry["patient"][language]))  # fmt: skip
        guideline = [s for s in self.document["suggestions"] if wanted & set(s["pain_types"])]
        guideline.sort(key=lambda s: STRENGTH_ORDER.index(s["strength"]))
        found += [
            Suggestion(s["id"], s[language], s["strength"], "guideline", s["patient"][language]) for s in guideline
        ]
        found += [
            Suggestion(o["id"], o[language], None, "offer", o["patient"][language]) for o in self.document["offers"]
        ]
        return found

    def _entries(self) -> list[dict[str, Any]]:
        return [*self.document["suggestions"], *self.document["offers"], *self.document["startback"].values()]

    def patient_wording(self, text: str, language: str) -> str:
        """What the patient's paper says for a treatment chosen in the plan: a suggestion's patient wording
        (whichever language it was chosen in); the clinician's own words are printed as written."""
        for entry in self._entries():
            if text.strip() in (entry["da"], entry["en"], entry["patient"]["da"], entry["patient"]["en"]):
                return str(entry["patient"][language])
        return text


@cache
def bundled_recommendations() -> Recommendations:
    """The treatment suggestions in use, read once per process: the shipped ones or the clinic's copy."""
    from smerteagent.core.rules.library import rules_library

    return Recommendations(rules_library().documents["recommendations.yaml"])
