"""The checkpoint rules as data (``resources/quality/checkpoints.yaml``), checked against a schema when loaded,
so a clinic's reviewer can read what each number means and where it comes from."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from smerteagent.core.errors import FormError

RULES = ("indication_follow_up", "screened", "suicide_risk", "abuse_stance", "medication_review", "tapering_plan",
         "consent", "letters_assessed")  # fmt: skip
APPLIES = ("all", "addictive_drug", "long_term_addictive_drug", "letters")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Title(_Strict):
    da: str
    en: str


class Guidance(_Strict):
    """What a checkpoint reads and where it comes from, in Danish and English."""

    da: str = Field(min_length=10)
    en: str = Field(min_length=10)


class Parameters(_Strict):
    forms: tuple[str, ...] = ()
    within_days: int | None = Field(default=None, ge=1)
    risks_addictive: tuple[str, ...] = ()
    risks_opioid: tuple[str, ...] = ()


class CheckpointRule(_Strict):
    """One checkpoint: the Authority's number and title, whom it concerns, the rule, and its source."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    number: int = Field(ge=1, le=17)
    title: Title
    applies_to: Literal["all", "addictive_drug", "long_term_addictive_drug", "letters"]
    rule: Literal[
        "indication_follow_up", "screened", "suicide_risk", "abuse_stance", "medication_review", "tapering_plan",
        "consent", "letters_assessed",
    ]  # fmt: skip
    parameters: Parameters = Parameters()
    guidance: Guidance | Annotated[str, Field(min_length=10)]  # one text (a clinic's older copy): for both

    def label(self, language: str) -> str:
        return self.title.da if language == "da" else self.title.en

    def guidance_text(self, language: str) -> str:
        if isinstance(self.guidance, str):
            return self.guidance
        return self.guidance.da if language == "da" else self.guidance.en


class RuleSet(_Strict):
    source: str
    period_months: int = Field(ge=1, le=120)
    long_term_days: int = Field(ge=1)
    checkpoints: tuple[CheckpointRule, ...] = Field(min_length=1)

    @field_validator("checkpoints")
    @classmethod
    def _unique(cls, checkpoints: tuple[CheckpointRule, ...]) -> tuple[CheckpointRule, ...]:
        ids = [c.id for c in checkpoints]
        if len(set(ids)) != len(ids):
            raise ValueError("checkpoint ids must be unique")
        return checkpoints

    def forms(self) -> frozenset[str]:
        """Every form a rule reads (PHQ-9 for its item 9 too)."""
        return frozenset(f for c in self.checkpoints for f in c.parameters.forms) | {"phq9"}

    def by_id(self, checkpoint_id: str) -> CheckpointRule:
        return next(c for c in self.checkpoints if c.id == checkpoint_id)


def schema() -> dict[str, Any]:
    """The published JSON Schema of the rules file (``resources/quality/checkpoints.schema.json``)."""
    return RuleSet.model_json_schema()


def load_rules(path: Path) -> RuleSet:
    """The rules in ``path``; a broken file names itself, the field and the problem."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = RuleSet.model_validate(document)
    except (OSError, yaml.YAMLError) as error:
        raise FormError(str(path), "", str(error).splitlines()[0]) from None
    except ValidationError as error:
        first = error.errors()[0]
        raise FormError(str(path), ".".join(str(p) for p in first["loc"]), first["msg"]) from None
    return rules


@cache
def bundled_rules() -> RuleSet:
    """The checkpoint rules in use: the shipped file or the clinic's copy of ``checkpoints.yaml``."""
    from smerteagent.core.rules.library import rules_library

    return rules_library().model("checkpoints.yaml", RuleSet)


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
