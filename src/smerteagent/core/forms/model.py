"""The typed shape of a form file; ``forms/form.schema.json`` is generated from these models.

The models check structure only. Cross-references (an expression naming an unknown result, a term naming
an unknown item, duplicate ids) are checked by :mod:`smerteagent.core.forms.compiler`, which knows the
whole form.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from smerteagent.core.vocabulary import Setting

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
NonEmpty = Annotated[str, Field(min_length=1)]
Sex = Literal["female", "male"]
Severity = Literal["info", "warning", "critical"]
Audience = Literal["patient", "clinician", "both"]
AUDIENCE_DESCRIPTION = (
    "Who reads it: patient (the patient reads it alone), clinician (the clinician reads or asks it; never shown "
    "on the patient's own screen or paper) or both."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]


class Text(_Strict):
    """The same text in Danish and English; both are required. ``other`` keeps further languages."""

    da: NonEmpty
    en: NonEmpty
    other: dict[LanguageCode, NonEmpty] = Field(
        default_factory=dict, description="The text in further languages (language code -> text), e.g. from FHIR."
    )
    audience: Audience | None = Field(default=None, description=AUDIENCE_DESCRIPTION + " None: both.")

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.da

    @property
    def for_patient(self) -> bool:
        return self.audience != "clinician"


class Coding(_Strict):
    """A code from a terminology (LOINC for most instruments), so that other systems recognise the data."""

    system: NonEmpty = Field(description="The terminology's URI, e.g. http://loinc.org.")
    code: NonEmpty
    display: str | None = None


CODES_DESCRIPTION = "Terminology codes (e.g. LOINC)."


class Option(_Strict):
    """One answer option: the stored integer and its label in both languages."""

    value: int
    da: NonEmpty
    en: NonEmpty
    other: dict[LanguageCode, NonEmpty] = Field(
        default_factory=dict, description="The label in further languages (language code -> text)."
    )
    codes: list[Coding] = Field(default_factory=list, description=CODES_DESCRIPTION)

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.da


class Item(_Strict):
    """One question. ``enable_when`` hides it unless true; ``skipped_value`` scores a hidden item."""

    id: Identifier
    type: Literal["choice", "yes_no", "numeric", "text"]
    text: Text
    audience: Audience | None = Field(
        default=None, description="Who reads the question; none: the form's audience. " + AUDIENCE_DESCRIPTION
    )
    codes: list[Coding] = Field(default_factory=list, description=CODES_DESCRIPTION)
    help: Text | None = None
    options: list[Option] | Identifier | None = Field(
        default=None, description="Inline options, or the name of an entry in option_sets."
    )
    min: int | None = Field(default=None, description="Smallest allowed value of a numeric item.")
    max: int | None = Field(default=None, description="Largest allowed value of a numeric item.")
    anchors: Text | None = Field(default=None, description="What the ends of a numeric scale mean.")
    required: bool = True
    enable_when: str | None = None
    skipped_value: int | None = Field(
        default=None, description="Value scoring uses when the item is hidden by enable_when and unanswered."
    )
    max_length: int = Field(default=200, ge=1, le=10_000, description="Longest accepted free text.")
    from_context: str | None = Field(
        default=None,
        description="Answered from what the register knows: an expression over the patient context `age` (from "
        "the CPR) and `sex`; true/false give 1/0. Shown pre-filled and changeable, stored with its origin.",
    )
    carry_forward: bool = Field(
        default=False,
        description="Pre-filled from the patient's previous response to this form (e.g. PSFS activities).",
    )
    named_by: Identifier | None = Field(
        default=None, description="A free-text item naming what this item rates; charts follow the name over time."
    )
    instructions: Text | Literal[False] | None = Field(
        default=None,
        description="The stem shown above this question instead of the form's instructions; false: none, for a "
        "question that does not continue the form's stem (the PHQ-9's 'how difficult' question under 'how often "
        "have you been bothered by'). None: the form's instructions.",
    )


class Term(_Strict):
    """An item's contribution to a result: optional recode (points), reversal and weight."""

    item: Identifier
    points: dict[int, float] | None = Field(
        default=None, description="Recode table: answer value -> points; values not listed score 0."
    )
    reverse: float | None = Field(default=None, description="Score (reverse - answer) instead of the answer.")
    weight: float | dict[Sex, float] = Field(
        default=1, description="Multiplier; a mapping by sex makes the result need the patient's sex."
    )


class Result(_Strict):
    """A named score built from items (or from earlier results, with method ``expr``)."""

    id: Identifier
    method: Literal["sum", "mean", "max", "percent", "count", "answered", "expr", "fhirpath"]
    items: list[Identifier | Term] = Field(default_factory=list)
    expr: str | None = None
    fhirpath: str | None = Field(
        default=None,
        description="For method fhirpath (imported FHIR forms only): a calculation that could not be translated, "
        "evaluated at score time by fhirpathpy over the answers as a QuestionnaireResponse; withheld while any of "
        "its items is unanswered, or when it gives no single number within the range.",
    )
    count_values: list[int] | None = Field(default=None, description="For method count: values counted.")
    max_missing: int = Field(
        default=0, ge=0, description="Items that may be unanswered (mean, percent); more withhold the result."
    )
    min_answered: int | None = Field(
        default=None, ge=1, description="For mean: the result needs at least this many answers, any of them."
    )
    range: tuple[float, float] = Field(description="Lowest and highest possible value, for checks and charts.")
    label: Text | None = None
    higher_is: Literal["worse", "better"] = "worse"
    codes: list[Coding] = Field(default_factory=list, description=CODES_DESCRIPTION)
    hidden: bool = Field(default=False, description="Used by rules only; not reported.")
    audience: Audience | None = Field(
        default=None, description="Who may read this result and its bands; none: the form's results_audience."
    )


class Band(_Strict):
    """One ordered band rule; the first whose ``when`` is true wins, a missing ``when`` always matches."""

    id: Identifier
    when: str | None = None
    label: Text
    advice: Text | None = Field(default=None, description="What this band usually calls for.")
    severity: Literal["none", "info", "warning", "critical"] = "none"
    answered_by: list[Identifier] = Field(
        default_factory=list,
        description="Forms whose complete responses, in the same visit or later, answer the advice (GAD-2: "
        "gad7); then the advice is no longer told.",
    )


class Flag(_Strict):
    """A flag raised whenever ``when`` is true; evaluated on whatever was answered."""

    id: Identifier
    when: str
    severity: Severity = "warning"
    message: Text
    finding: Text | None = Field(
        default=None,
        description="What was found, without the advice: shown once the advice is answered (an action recorded, "
        "the instrument it asks for completed).",
    )
    answered_by: list[Identifier] = Field(
        default_factory=list,
        description="Forms whose complete responses, in the same visit or later, answer this flag's advice "
        "(PHQ-4's anxiety part: gad7); then the advice is no longer told.",
    )


class Scoring(_Strict):
    """How the form is scored: definitions and results in order, then bands, then flags."""

    definitions: dict[Identifier, str] = Field(
        default_factory=dict, description="Named helper conditions usable in bands and flags."
    )
    results: list[Result] = Field(default_factory=list)
    band_result: Identifier | None = Field(default=None, description="The result the bands grade, for charts.")
    bands: list[Band] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)


class Licence(_Strict):
    """Whose words the file carries and on what terms."""

    wording: Literal["official", "own_labels", "unknown"] = Field(
        description="official: the published wording may be shipped; own_labels: our clinician-facing labels; "
        "unknown: the source (e.g. an imported FHIR file) does not say."
    )
    terms: NonEmpty
    danish: Literal["official", "unofficial_translation", "own_labels"] = "unofficial_translation"
    local_wording: str | None = Field(
        default=None, description="How a clinic installs the licensed wording in its user forms folder."
    )


class FhirNode(_Strict):
    """One item of the imported Questionnaire's tree, by linkId, with its children."""

    link_id: NonEmpty
    item: list[FhirNode] = Field(default_factory=list)


class FhirOrigin(_Strict):
    """The FHIR Questionnaire a form was imported from, so that its QuestionnaireResponses find the form."""

    url: NonEmpty = Field(description="The Questionnaire's canonical URL (or its id when it has none).")
    version: str | None = None
    link_ids: dict[Identifier, NonEmpty] = Field(
        default_factory=dict, description="Item or result id -> the FHIR linkId it was imported from."
    )
    structure: list[FhirNode] = Field(
        default_factory=list, description="The item tree, for fhirpath results (which may read nesting)."
    )
    weights: dict[Identifier, dict[int, float]] = Field(
        default_factory=dict, description="Item id -> answer value -> its weight(), for fhirpath results."
    )


class Form(_Strict):
    """One screening instrument as data."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="SmerteAgent form")

    id: Identifier
    version: NonEmpty
    title: Text
    codes: list[Coding] = Field(default_factory=list, description=CODES_DESCRIPTION)
    short_title: Text | None = None
    source: NonEmpty = Field(description="The publication whose scoring rule this file follows.")
    licence: Licence
    languages: list[LanguageCode] = Field(
        default_factory=lambda: ["da", "en"],
        description="The languages the texts really are in; da/en text borrowed from another language is not one.",
    )
    audience: Audience = Field(
        default="clinician",
        description="Who answers it: patient (self-report, offered in the patient's own mode), clinician "
        "(clinician-administered: never put in front of the patient alone) or both. A form that does not say "
        "is treated as clinician-administered.",
    )
    results_audience: Audience = Field(
        default="clinician",
        description="Who may read its scores and band labels: only patient or both print on the patient's plan.",
    )
    instructions: Text | None = None
    timeframe: Text | None = None
    option_sets: dict[Identifier, list[Option]] = Field(default_factory=dict)
    items: list[Item] = Field(min_length=1)
    scoring: Scoring
    fhir: FhirOrigin | None = Field(default=None, description="Set by smerteagent forms import-fhir.")

    @property
    def for_patient(self) -> bool:
        """May be put in front of the patient to answer alone (self-completion)."""
        return self.audience != "clinician"

    def display_title(self, language: str) -> str:
        """The title every screen and paper shows: the short title (PHQ-9) when the form has one."""
        return (self.short_title or self.title).get(language)

    def stem(self, item: Item) -> Text | None:
        """The instructions shown above ``item``: its own, none (``instructions: false``), or the form's."""
        if item.instructions is False:
            return None
        return item.instructions or self.instructions

    def item_for_patient(self, item: Item) -> bool:
        """The patient may read this question alone: the form and the item both allow it."""
        return self.for_patient and (item.audience or self.audience) != "clinician" and item.text.for_patient

    def result_for_patient(self, result: Result) -> bool:
        """This result (and, for the band result, its band labels) may be printed for the patient."""
        return (result.audience or self.results_audience) != "clinician"


class FollowUp(_Strict):
    """Adds instruments when a finished instrument's result, or the patient's context, says so."""

    after: Identifier | None = Field(default=None, description="The form whose result the rule reads.")
    when: str = Field(description="Over the form's results, band, flag(...) or the context names.")
    add: list[Identifier] = Field(min_length=1)
    reason: Text
    safety: bool = Field(
        default=False,
        description="A rule that guards safety (suicide, depression, anxiety, abuse): it also fires while the "
        "answers leave its condition undecided — ask more, never less.",
    )
    carry: dict[Identifier, Identifier] = Field(
        default_factory=dict,
        description="Items of the one added form already answered by the same question of `after` "
        "(added item: item of `after`), e.g. PHQ-9's first two items are PHQ-4's PHQ-2 part: carried over, "
        "not asked again. The items must have the same answer options.",
    )


class Battery(_Strict):
    """A named, ordered set of instruments for one kind of visit."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="SmerteAgent battery")

    id: Identifier
    title: Text
    description: Text | None = None
    setting: Literal[Setting, "any"] = "any"
    instruments: list[Identifier] = Field(min_length=1)
    follow_ups: list[FollowUp] = Field(default_factory=list)
