"""Reads the rules files: the bundled copy first, then each clinic folder's copy of the same file name, which
replaces it as a whole. A broken copy becomes one :class:`FormError` (file, field, problem) and the file before
it (in the end the bundled one) stays in use, as for forms. The clinic's rules folder is the ``rules`` folder
inside its forms folder (``paths.rules_folders``), so one folder holds everything a clinic has changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from smerteagent.core.errors import FormError
from smerteagent.core.forms.loader import read_document, validate_document
from smerteagent.core.quality.rules import RuleSet
from smerteagent.core.rules.models import (
    ChecklistFile,
    MedicationFile,
    RecommendationsFile,
    SafetyContactsFile,
    ThresholdsFile,
)

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class RuleFile:
    """One rules file: its name in a clinic's rules folder, where the bundle keeps it, and its model."""

    name: str
    bundled: str  # relative to the bundled resources folder
    model: type[BaseModel]

    @property
    def schema_file(self) -> str:
        return self.bundled.replace(".yaml", ".schema.json")


RULE_FILES = {
    f.name: f
    for f in (
        RuleFile("medication.yaml", "medication/medication.yaml", MedicationFile),
        RuleFile("thresholds.yaml", "medication/thresholds.yaml", ThresholdsFile),
        RuleFile("recommendations.yaml", "careplan/recommendations.yaml", RecommendationsFile),
        RuleFile("safety_contacts.yaml", "careplan/safety_contacts.yaml", SafetyContactsFile),
        RuleFile("checklist.yaml", "careplan/checklist.yaml", ChecklistFile),
        RuleFile("checkpoints.yaml", "quality/checkpoints.yaml", RuleSet),
    )
}


def load_rule_file(rule: RuleFile, path: Path) -> tuple[BaseModel, dict[str, Any]]:
    """The validated model and the document as written; any problem is one FormError naming file and field."""
    document = read_document(path)
    return validate_document(document, rule.model, str(path)), document


@dataclass
class RulesLibrary:
    """Every rules file in use, where each came from, and the clinic files that were refused."""

    models: dict[str, BaseModel] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    errors: list[FormError] = field(default_factory=list)
    clinic: set[str] = field(default_factory=set)  # the files a clinic's copy replaces

    @classmethod
    def load(cls, folders: Sequence[Path], bundled: Path | None = None) -> RulesLibrary:
        """The bundled files from ``bundled`` (the resources folder), then each folder's copies in order."""
        if bundled is None:
            from smerteagent.paths import bundled_resources_dir

            bundled = bundled_resources_dir()
        library = cls()
        for rule in RULE_FILES.values():
            library._use(rule, bundled / rule.bundled)  # a broken bundled file is a bug: it raises
        for folder in folders:
            library._load_folder(folder)
        return library

    def _use(self, rule: RuleFile, path: Path) -> None:
        self.models[rule.name], self.documents[rule.name] = load_rule_file(rule, path)
        self.origins[rule.name] = path

    def _load_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            return
        for path in sorted(p for p in folder.iterdir() if p.is_file() and ".schema." not in p.name):
            rule = RULE_FILES.get(path.name)
            if rule is None:
                known = ", ".join(RULE_FILES)
                self.errors.append(FormError(str(path), "", f"not a rules file name (known: {known})"))
                continue
            try:
                self._use(rule, path)
            except FormError as error:
                self.errors.append(error)
                continue
            self.clinic.add(rule.name)

    def model(self, name: str, kind: type[Model]) -> Model:
        found = self.models[name]
        assert isinstance(found, kind), name
        return found

    def overridden(self) -> dict[str, Path]:
        """The rules files a clinic's copy replaces, with the copy in use."""
        return {name: self.origins[name] for name in sorted(self.clinic)}


@cache
def rules_library() -> RulesLibrary:
    """The rules in use in this process: bundled, replaced by the clinic's copies (read once; a change is read
    at the next start)."""
    from smerteagent.paths import rules_folders

    return RulesLibrary.load(rules_folders())


def forget_loaded_rules() -> None:
    """Read the rules files again at the next use (tests, and Settings' check after a change)."""
    from smerteagent.core.careplan import medication, suggestions
    from smerteagent.core.quality import rules

    rules_library.cache_clear()
    for cached in (medication.bundled_catalogue, suggestions.bundled_recommendations, rules.bundled_rules):
        cached.cache_clear()
