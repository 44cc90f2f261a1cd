"""Dependence-forming medication: which drug a typed text is, its daily oral morphine equivalent, and the
warnings the supervision checkpoints ask for. The catalogue (``resources/medication/medication.yaml``) holds
every drug by ATC code with its class, forms, Danish trade names and strengths, and each factor with its source.

Stable API (also for other reports, e.g. the quality report):

- ``bundled_catalogue()`` — the shipped :class:`Catalogue`, read once per process.
- ``catalogue.classify(text, unit=None) -> Classification`` — the catalogue entry a drug text refers to:
  ``.known``, ``.atc``, ``.substance``, ``.drug_class`` (opioid, benzodiazepine, z_drug, gabapentinoid,
  other_analgesic, other; ``None`` when unknown), ``.form`` (oral_ir, oral_depot, oral, transdermal, buccal,
  sublingual, nasal, rectal, parenteral; ``None`` when the text does not decide it), ``.unit`` (mg or
  microgram_per_hour), ``.factor`` and ``.source`` (``None``: no published factor for that form).
- ``catalogue.mme(medication) -> Mme`` — ``.value`` (MME/day or ``None``), ``.counted`` and, when an opioid is not
  counted, ``.reason`` (no_factor, form_unknown, no_dose). ``catalogue.daily_mme(medication)`` is ``.value``.
- ``catalogue.warnings(medications, today, suicide_risk_open=False)`` — :class:`MedicationWarning` s with the
  stable ids of :data:`WARNING_TEXT`; ``catalogue.severity(kind)`` is critical, warning or notice.

MME values are kept unrounded (to 6 decimals, against float noise); thresholds are decided on them and
:func:`display_mme` only rounds down for display, so a value below a threshold never prints as the threshold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from smerteagent.core.text import fold
from smerteagent.core.vocabulary import CONTEXT_OF_CLASS
from smerteagent.i18n import N_, _, day, number

ADDICTIVE = frozenset({"opioid", "benzodiazepine", "z_drug", "gabapentinoid"})
SEDATIVES = frozenset({"benzodiazepine", "z_drug"})
CLASSES = ("opioid", "benzodiazepine", "z_drug", "gabapentinoid", "other_analgesic", "other")
UNITS = ("mg", "microgram_per_hour")
# Which form wins when a text names several (a "depottablet" is a depot before it is a tablet).
FORM_PRIORITY = ("transdermal", "buccal", "sublingual", "nasal", "rectal", "parenteral", "oral_depot", "oral_ir")
ORAL = frozenset({"oral_ir", "oral_depot", "oral"})
IMMEDIATE_RELEASE = frozenset({"oral_ir", "buccal", "sublingual", "nasal"})
DEPOT = frozenset({"oral_depot", "transdermal"})
HYPNOTIC_ATC = ("N05CD", "N05CF")  # sleeping pills; the other benzodiazepines are anxiolytics (N05BA, N03AE)
SEVERITIES = ("critical", "warning", "notice")

WARNING_TEXT = {
    "opioid_with_benzodiazepine": N_("Opioid together with a benzodiazepine or z-drug: {drugs}"),
    "opioid_with_gabapentinoid": N_("Opioid together with a gabapentinoid (pregabalin, gabapentin): {drugs}"),
    "several_opioids": N_("More than one opioid: {drugs}"),
    "high_daily_mme": N_("High daily morphine equivalent: {value} mg (limit {limit} mg)"),
    "reassess_daily_mme": N_("Daily morphine equivalent {value} mg: reassess benefit and risk (from {limit} mg)"),
    "long_term_without_plan": N_(
        "{drugs}: used for more than {days} days without a tapering plan or re-evaluation date"
    ),
    "opioid_not_counted": N_("{drugs}: opioid NOT counted in the morphine equivalent ({reason})"),
    "unclassified_drug": N_("{drugs}: drug not in the catalogue — class and morphine equivalent unknown"),
    "hypnotic_beyond_2_weeks": N_("{drugs}: sleeping pill used for more than {limit} days (guidance: 1-2 weeks)"),
    "benzodiazepine_beyond_4_weeks": N_(
        "{drugs}: benzodiazepine used for more than {limit} days (guidance: at most 4 weeks before reassessment)"
    ),
    "immediate_release_opioid_long_term": N_(
        "{drugs}: immediate-release opioid for more than {limit} days without a depot formulation"
    ),
    "suicide_risk_with_addictive_drugs": N_(
        "Open suicide-risk flag while opioids or sedatives are prescribed: {drugs}"
    ),
}
NOT_COUNTED_REASON = {
    "no_factor": N_("no published conversion factor for this form"),
    "form_unknown": N_("the form is not stated: patch, tablet, depot …"),
    "no_dose": N_("no daily dose"),
}
FORM_LABELS = {
    "oral_ir": N_("oral, immediate-release"),
    "oral_depot": N_("oral, depot"),
    "oral": N_("oral"),
    "transdermal": N_("patch"),
    "buccal": N_("buccal"),
    "sublingual": N_("sublingual"),
    "nasal": N_("nasal spray"),
    "rectal": N_("rectal"),
    "parenteral": N_("injection"),
}
LIMIT_OF = {  # the threshold a warning's text names
    "hypnotic_beyond_2_weeks": "hypnotic_days",
    "benzodiazepine_beyond_4_weeks": "anxiolytic_days",
    "immediate_release_opioid_long_term": "immediate_release_days",
}
_WORD = re.compile(r"[a-z0-9μ]+")


class _Words:
    """Finds known names in a folded text as whole words (a name may span several words, '/' or '.'), without
    one big regular expression: looked up by their first word, so building it costs next to nothing."""

    def __init__(self, names: Iterable[str]) -> None:
        self.by_first: dict[str, list[str]] = {}
        for name in sorted(set(names), key=len, reverse=True):
            first = _WORD.match(name)
            if first is not None:
                self.by_first.setdefault(first.group(), []).append(name)

    def findall(self, text: str) -> list[str]:
        found = []
        for word in _WORD.finditer(text):
            for name in self.by_first.get(word.group(), ()):
                end = word.start() + len(name)
                if text.startswith(name, word.start()) and (end == len(text) or not _is_word(text[end])):
                    found.append(name)
                    break
        return found


def _is_word(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char == "μ"


def canonical(value: float) -> float:
    """An MME value without float noise (30 × 0.15 = 4.499999…): thresholds and output use this."""
    return float(round(value, 6))


def display_mme(value: float) -> float:
    """For display only: one decimal, rounded down, so 89.99 shows 89.9 and never the 90 it does not reach."""
    return math.floor(canonical(value) * 10 + 1e-9) / 10


def _plain(value: float | None) -> str:
    return "—" if value is None else number(display_mme(value))


@dataclass(frozen=True)
class FormFactor:
    form: str
    factor: float | None = None
    source: str | None = None


@dataclass(frozen=True)
class Product:
    """A trade name on the Danish market: its usual form, the forms it comes in and the strengths."""

    name: str
    form: str
    strengths: tuple[float, ...] = ()
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One ATC code of the catalogue."""

    atc: str
    substance: str
    drug_class: str
    forms: Mapping[str, FormFactor]
    products: tuple[Product, ...] = ()
    names: tuple[str, ...] = ()
    default_form: str | None = None

    @property
    def hypnotic(self) -> bool:
        return self.atc.startswith(HYPNOTIC_ATC)


@dataclass(frozen=True)
class Classification:
    """What a drug text is: the catalogue entry (None: unknown), the product named, and the form decided."""

    text: str
    entry: Entry | None = None
    product: Product | None = None
    form: str | None = None
    unit_conflict: bool = False  # a unit was given that the drug's forms cannot have

    @property
    def known(self) -> bool:
        return self.entry is not None

    @property
    def atc(self) -> str | None:
        return self.entry.atc if self.entry else None

    @property
    def substance(self) -> str | None:
        return self.entry.substance if self.entry else None

    @property
    def drug_class(self) -> str | None:
        return self.entry.drug_class if self.entry else None

    @property
    def factor(self) -> float | None:
        if self.entry is None or self.form is None:
            return None
        found = self.entry.forms.get(self.form)
        return found.factor if found else None

    @property
    def source(self) -> str | None:
        if self.entry is None or self.form is None or self.form not in self.entry.forms:
            return None
        return self.entry.forms[self.form].source

    @property
    def unit(self) -> str:
        return "microgram_per_hour" if self.form == "transdermal" else "mg"

    @property
    def strengths(self) -> tuple[float, ...]:
        return self.product.strengths if self.product and self.product.form == self.form else ()


@dataclass(frozen=True)
class Medication:
    """A current drug as entered: name, total daily dose (mg, or µg/h for patches) and dates. ``unit`` is
    None when the form decides it (the editor); the CLI states it."""

    name: str
    daily_dose: float | None = None
    started_on: date | None = None
    re_evaluate_on: date | None = None
    has_tapering_plan: bool = False
    unit: str | None = None


@dataclass(frozen=True)
class Mme:
    """The morphine equivalent of one prescription; ``reason`` says why an opioid was not counted."""

    value: float | None
    counted: bool
    reason: str | None = None


@dataclass(frozen=True)
class MedicationWarning:
    """One finding to show beside the medication list; ``kind`` is stable for tests and translations."""

    kind: str
    drugs: tuple[str, ...]
    value: float | None = None
    detail: str | None = None

    @property
    def key(self) -> str:
        """Identifies this finding for an acknowledgement: the id and the drugs it names."""
        return "|".join((self.kind, *sorted(fold(d) for d in self.drugs)))


@dataclass(frozen=True)
class Acknowledgement:
    """A clinician went on despite a warning, and said why; the warning is still shown and printed."""

    key: str
    kind: str
    drugs: tuple[str, ...]
    reason: str
    actor: str
    at: datetime


def acknowledgement_text(acknowledgement: Acknowledgement) -> str:
    """How a printed warning tells that it was acknowledged: by whom, when and why."""
    return _("acknowledged by {who} on {date}: {reason}").format(
        who=acknowledgement.actor, date=day(acknowledgement.at), reason=acknowledgement.reason
    )


@dataclass(frozen=True)
class Catalogue:
    entries: Mapping[str, Entry]
    thresholds: Mapping[str, float]
    sources: Mapping[str, str]
    severities: Mapping[str, str]
    form_words: Mapping[str, str] = field(default_factory=dict)  # folded word -> form
    names: Mapping[str, tuple[Entry, Product | None]] = field(default_factory=dict)  # folded name -> entry
    _cache: dict[tuple[str, str | None], Classification] = field(default_factory=dict, compare=False, repr=False)
    _names_re: _Words = field(init=False, compare=False, repr=False)
    _forms_re: _Words = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names_re", _Words(self.names))
        object.__setattr__(self, "_forms_re", _Words(self.form_words))

    @classmethod
    def load(cls, path: Path, thresholds: Path | None = None) -> Catalogue:
        """The catalogue in ``path`` with the thresholds file beside it (``thresholds.yaml``) unless named."""
        document: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        limits = thresholds or path.with_name("thresholds.yaml")
        return cls.from_document(document, yaml.load(limits.read_text(encoding="utf-8"), Loader=_LOADER))

    @classmethod
    def from_document(cls, document: Mapping[str, Any], limits: Mapping[str, Any] | None = None) -> Catalogue:
        """The catalogue from a medication document and a thresholds document (or its own ``thresholds``)."""
        entries: dict[str, Entry] = {}
        names: dict[str, tuple[Entry, Product | None]] = {}
        for atc, item in document["drugs"].items():
            forms = {f: FormFactor(f, (v or {}).get("factor"), (v or {}).get("source"))
                     for f, v in item["forms"].items()}  # fmt: skip
            products = tuple(
                Product(
                    p["name"],
                    p["form"],
                    tuple(float(s) for s in p.get("strengths", ())),
                    tuple(p.get("forms") or (p["form"],)),
                )
                for p in item.get("products") or ()
            )
            entry = Entry(str(atc), item["substance"], item["class"], forms, products, tuple(item["names"]),
                          item.get("default_form"))  # fmt: skip
            entries[entry.atc] = entry
            for name in entry.names:
                names.setdefault(fold(name), (entry, None))
            for product in products:
                names[fold(product.name)] = (entry, product)
        form_words = {fold(word): form for form, words in document["form_words"].items() for word in words}
        limits = document if limits is None else limits
        thresholds = {key: float(value["value"]) for key, value in limits["thresholds"].items()}
        severities = {key: value["severity"] for key, value in document["warnings"].items()}
        return cls(entries, thresholds, dict(document["sources"]), severities, form_words, names)

    # -- classification ------------------------------------------------------------------------------------

    def classify(self, text: str, unit: str | None = None) -> Classification:
        """The catalogue entry a free text refers to (the longest known name in it, as a whole word), and its
        form: from the product, then words such as 'depot', 'plaster', 'µg/h', then the unit given."""
        key = (text, unit)
        found = self._cache.get(key)
        if found is None:
            found = self._classify(text, unit)
            if len(self._cache) < 100_000:
                self._cache[key] = found
        return found

    def _classify(self, text: str, unit: str | None) -> Classification:
        folded = fold(text)
        matches: list[str] = self._names_re.findall(folded)
        if not matches:
            return Classification(text)
        entry, product = self.names[max(matches, key=len)]
        hints = {self.form_words[w] for w in self._forms_re.findall(folded)}
        if unit == "microgram_per_hour":
            hints.add("transdermal")
        hint = next((f for f in FORM_PRIORITY if f in hints), None)
        allowed = product.forms if product else tuple(entry.forms)
        form: str | None
        if hint is None:
            form = product.form if product else entry.default_form
        elif hint in allowed:
            form = hint
        elif hint in ORAL and any(f in ORAL for f in allowed):
            # "Contalgin tabletter": a tablet of a depot product is that product; "Morfin tablet": oral
            form = product.form if product and product.form in ORAL else ("oral" if "oral" in allowed else None)
        else:
            form = None
        conflict = unit is not None and (unit == "microgram_per_hour") != (form == "transdermal")
        return Classification(text, entry, product, form, conflict)

    def identify(self, name: str) -> Classification | None:
        """The classification when the text names a known drug, else None."""
        found = self.classify(name)
        return found if found.known else None

    def drug_class(self, name: str) -> str:
        """The class of a drug text; 'unclassified' when the catalogue does not know it."""
        return self.classify(name).drug_class or "unclassified"

    def unit_of(self, medication: Medication) -> str:
        return medication.unit or self.classify(medication.name).unit

    # -- morphine equivalents ------------------------------------------------------------------------------

    def mme(self, medication: Medication) -> Mme:
        """Oral morphine milligram equivalents per day of one prescription, and whether it is counted."""
        found = self.classify(medication.name, medication.unit)
        if found.drug_class != "opioid":
            return Mme(None, False)
        if found.form is None or found.unit_conflict:
            return Mme(None, False, "form_unknown")
        if found.factor is None:
            return Mme(None, False, "no_factor")
        if medication.daily_dose is None:
            return Mme(None, False, "no_dose")
        return Mme(canonical(medication.daily_dose * found.factor), True)

    def daily_mme(self, medication: Medication) -> float | None:
        """MME/day; None when not an opioid, or an opioid not counted (see :meth:`mme` for why)."""
        return self.mme(medication).value

    def total_mme(self, medications: Iterable[Medication]) -> float:
        return canonical(sum(m.value for m in map(self.mme, medications) if m.value is not None))

    # -- warnings ------------------------------------------------------------------------------------------

    def severity(self, kind: str) -> str:
        return self.severities.get(kind, "warning")

    def warning_text(self, warning: MedicationWarning, amount: Callable[[float | None], str] = _plain) -> str:
        """One warning in the current language, with the drugs, the value and the limit it crossed."""
        limit = self.thresholds.get(LIMIT_OF.get(warning.kind, warning.kind))
        return _(WARNING_TEXT[warning.kind]).format(
            drugs=", ".join(warning.drugs),
            value=amount(None if warning.value is None else display_mme(warning.value)),
            limit=amount(limit) if warning.kind.endswith("daily_mme") else f"{limit:g}" if limit else "",
            days=f"{self.thresholds['long_term_days']:g}",
            reason=_(NOT_COUNTED_REASON[warning.detail]) if warning.detail in NOT_COUNTED_REASON else "",
        )

    def warnings(
        self, medications: list[Medication], today: date, *, suicide_risk_open: bool = False
    ) -> list[MedicationWarning]:
        """Every finding for a medication list, most serious kinds first (see the catalogue's warnings)."""
        classified = [(m, self.classify(m.name, m.unit)) for m in medications]
        by_class: dict[str | None, list[str]] = {}
        for medication, found in classified:
            by_class.setdefault(found.drug_class, []).append(medication.name)
        opioids = by_class.get("opioid", [])
        sedatives = by_class.get("benzodiazepine", []) + by_class.get("z_drug", [])
        gabapentinoids = by_class.get("gabapentinoid", [])
        found_: list[MedicationWarning] = []
        if suicide_risk_open and (opioids or sedatives):
            found_.append(MedicationWarning("suicide_risk_with_addictive_drugs", tuple(opioids + sedatives)))
        if opioids and sedatives:
            found_.append(MedicationWarning("opioid_with_benzodiazepine", tuple(opioids + sedatives)))
        if opioids and gabapentinoids:
            found_.append(MedicationWarning("opioid_with_gabapentinoid", tuple(opioids + gabapentinoids)))
        if len(opioids) > 1:
            found_.append(MedicationWarning("several_opioids", tuple(opioids)))
        doses = [self.mme(m) for m in medications]
        total = canonical(sum(d.value for d in doses if d.value is not None))
        if total >= self.thresholds["high_daily_mme"]:
            found_.append(MedicationWarning("high_daily_mme", tuple(opioids), total))
        elif total >= self.thresholds["reassess_daily_mme"]:
            found_.append(MedicationWarning("reassess_daily_mme", tuple(opioids), total))
        for (medication, _found), dose in zip(classified, doses, strict=True):
            if dose.reason is not None:
                found_.append(MedicationWarning("opioid_not_counted", (medication.name,), detail=dose.reason))
        found_ += [MedicationWarning("unclassified_drug", (m.name,)) for m, f in classified if not f.known]
        found_ += self._duration_warnings(classified, today)
        return found_

    def _duration_warnings(
        self, classified: list[tuple[Medication, Classification]], today: date
    ) -> list[MedicationWarning]:
        def longer_than(medication: Medication, key: str) -> bool:
            started = medication.started_on
            return started is not None and today - started > timedelta(days=self.thresholds[key])

        found: list[MedicationWarning] = []
        has_depot = any(f.drug_class == "opioid" and f.form in DEPOT for _m, f in classified)
        for medication, drug in classified:
            planned = medication.has_tapering_plan or medication.re_evaluate_on is not None
            if drug.drug_class in ADDICTIVE and longer_than(medication, "long_term_days") and not planned:
                found.append(MedicationWarning("long_term_without_plan", (medication.name,)))
            if drug.drug_class in SEDATIVES and drug.entry is not None and not medication.has_tapering_plan:
                kind, key = (("hypnotic_beyond_2_weeks", "hypnotic_days") if drug.entry.hypnotic
                             else ("benzodiazepine_beyond_4_weeks", "anxiolytic_days"))  # fmt: skip
                if longer_than(medication, key):
                    found.append(MedicationWarning(kind, (medication.name,)))
            if (drug.drug_class == "opioid" and drug.form in IMMEDIATE_RELEASE and not has_depot
                    and longer_than(medication, "immediate_release_days")):  # fmt: skip
                found.append(MedicationWarning("immediate_release_opioid_long_term", (medication.name,)))
        return found

    # -- the catalogue as a list -----------------------------------------------------------------------------

    def completions(self) -> list[tuple[str, Classification]]:
        """Every trade name and substance name a clinician may pick, with what it classifies as."""
        shown: list[tuple[str, Classification]] = []
        for entry in self.entries.values():
            for product in entry.products:
                shown.append((product.name, Classification(product.name, entry, product, product.form)))
            for name in entry.names:
                shown.append((name, Classification(name, entry, None, entry.default_form)))
        return sorted(shown, key=lambda item: fold(item[0]))


_STRENGTH = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mg|μg|mikrogram|mcg|ug)(?![a-z])")
_DOSE = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*((?!x(?:\s|\d|$))[a-z]+\.?)?\s*(?:(?:[x×*]|gange\s+)?\s*(\d+)\s*(?:gange|times|x)?(?:\s+\w+)*)?\s*$"
)
_PATCH = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*plaster")
UNIT_WORDS = frozenset({"tablet", "tabletter", "tabl", "tabl.", "kapsel", "kapsler", "stk", "stk.", "plaster",
                        "depottablet", "depottabletter", "dosis", "doser", "pust", "sug", "supp", "stikpille",
                        "stikpiller", "resoriblet", "resoribletter"})  # fmt: skip


def daily_dose_from(dose_text: str, drug: Classification) -> float | None:
    """A daily amount from a dose as typed — '1 tablet x 2' (with the strength in the drug text or the
    product's only strength), '10 mg x 2', '1 plaster' — in the form's unit; None when it cannot be read."""
    typed = fold(dose_text).replace("×", " x ").replace("*", " x ")
    patch = _PATCH.match(typed)
    match = _DOSE.match(typed)
    if drug.unit == "microgram_per_hour" and patch is not None:  # '1 plaster hver 3. dag': the strength per hour
        match = _DOSE.match(patch.group(0))
    if match is None:
        return None
    count, word, times = float(match.group(1).replace(",", ".")), match.group(2), match.group(3)
    per_day = float(times) if times else 1.0
    if word in ("mg", "mikrogram", "μg", "mcg"):
        return canonical(count * per_day) if drug.unit == "mg" else None
    if word is not None and word not in UNIT_WORDS:
        return None
    strength = _STRENGTH.search(fold(drug.text))
    if strength is not None:
        value = float(strength.group(1).replace(",", "."))
    elif len(drug.strengths) == 1:
        value = drug.strengths[0]
    else:
        return None
    return canonical(count * per_day * value)


def battery_context(names: Iterable[str], catalogue: Catalogue) -> set[str]:
    """The context keys the drugs on a plan answer with yes (from the catalogue's class: Ketogan is an
    opioid): the patient page ticks them in advance, so the opioid follow-ups are not skipped."""
    return {CONTEXT_OF_CLASS[c] for c in (catalogue.drug_class(name) for name in names) if c in CONTEXT_OF_CLASS}


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def bundled_catalogue() -> Catalogue:
    """The catalogue in use, read once per process (the patient page and every care plan use it): the shipped
    one, or the clinic's copy of ``medication.yaml``/``thresholds.yaml`` from its rules folder."""
    from smerteagent.core.rules.library import rules_library

    documents = rules_library().documents
    return Catalogue.from_document(documents["medication.yaml"], documents["thresholds.yaml"])
