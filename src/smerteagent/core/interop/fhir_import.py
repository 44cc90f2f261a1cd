"""A FHIR R4 Questionnaire (plain dict) as a SmerteAgent form file, with a report item by item.

What translates safely is imported: choice, boolean, integer, string and text items, groups (flattened),
display text (instructions and help), answer weights (``ordinalValue``/``itemWeight``, also from contained
ValueSets), ``enableWhen`` and every language. A calculation (either ``calculatedExpression`` URL, with
``variable``s) is imported when it is a sum, average or count of item answers (see :mod:`fhir_fhirpath`),
under our missing-answer rule, which the report states. Other FHIRPath that names the items it reads
and has a range is kept and EVALUATED at score time (method ``fhirpath``, marked in the report and the
source); anything else is refused, and then the form is imported unscored, never scored wrongly.
Prefill (``initialExpression`` …) is noted and ignored. A Questionnaire has no bands or flags, so an
imported form has none — no severity band, no suicide-risk warning; the report says so every time. The
result is checked by the same loader as every other form file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from smerteagent.core.errors import FormError, SmerteAgentError
from smerteagent.core.expr import ExprError, parse_expression
from smerteagent.core.forms.compiler import RESERVED_NAMES, compile_form
from smerteagent.core.forms.loader import validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_common import (
    ANSWER_EXPRESSION,
    ENABLE_WHEN_EXPRESSION,
    FHIRPATH,
    LICENCE_WORDING,
    MAX_VALUE,
    MIN_VALUE,
    OWN_LANGUAGE,
    VARIABLE,
    Json,
    extension_value,
    slug,
    translations,
)
from smerteagent.core.interop.fhir_elements import (
    calculation,
    coding_of,
    number,
    prefill_note,
    read_option,
    shared_options,
    static_answers,
    stored_values,
    structure,
    values_of,
)
from smerteagent.core.interop.fhir_enable import ImportedQuestion, answer_keys, from_enable_when
from smerteagent.core.interop.fhir_fhirpath import (
    Aggregate,
    NotTranslatable,
    ReadsNothing,
    aggregate,
    at_every_level,
    enable_rules,
    response_skeleton,
    substitute,
    syntax_error,
    unknown_variables,
)
from smerteagent.core.interop.fhir_input import MAX_DEPTH, clean_line, clean_text, nesting_depth
from smerteagent.core.interop.fhir_loinc_totals import LoincTotal, loinc_total
from smerteagent.core.interop.fhir_valuesets import find_value_set, options_from

QUESTION_TYPES = ("choice", "boolean", "integer", "decimal", "string", "text")
TEXT_LIMIT = 10_000
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
NO_BANDS_OR_FLAGS = "(bands and flags)"
NO_BANDS_OR_FLAGS_MESSAGE = (
    "a FHIR Questionnaire carries no bands or flags: the imported form has NONE (no severity band, no "
    "suicide-risk or other warning); add them to the form file by hand if the instrument needs them"
)


@dataclass(frozen=True)
class ReportLine:
    """What became of one item (or of the scoring): ``imported``, ``changed`` or ``refused``, and why."""

    link_id: str
    outcome: str
    message: str
    loud: bool = False  # repeated as a WARNING wherever the import is reported (a score read as intended)

    def __str__(self) -> str:
        line = f"{self.outcome:<8}  {self.link_id}" + (f": {self.message}" if self.message else "")
        return clean_line(line)


@dataclass
class ImportedForm:
    """The form file's content, whether it is scored, and the report."""

    document: dict[str, Any]
    report: list[ReportLine] = field(default_factory=list)

    @property
    def form_id(self) -> str:
        return str(self.document["id"])

    @property
    def scored(self) -> bool:
        return bool(self.document["scoring"]["results"])

    @property
    def warnings(self) -> list[str]:
        """What must be said loudly besides the report (a score read as intended, not as written)."""
        return [clean_line(f"{line.link_id}: {line.message}") for line in self.report if line.loud]


class NothingImported(SmerteAgentError):
    """No item of the Questionnaire could be imported; the report says why for each."""

    def __init__(self, file: str, report: list[ReportLine]) -> None:
        super().__init__(f"{file}: nothing could be imported ({len(report)} items refused)")
        self.report = report


@dataclass
class _Item:
    link_id: str
    document: dict[str, Any]
    question: ImportedQuestion
    weights: dict[int, float] | None = None
    weightless: bool = True  # no option has a weight: weight() of its answer is empty
    conditional: bool = False


class _Importer:
    def __init__(self, resource: Json, file: str, form_id: str | None) -> None:
        self.resource = resource
        self.file = file
        self.form_id = form_id
        language = str(resource.get("language") or "en").split("-")[0].lower()
        self.language = language if _LANGUAGE.match(language) else "en"
        self.languages: set[str] = set()
        self.variables: dict[str, str] = {}
        self.skeleton: Json = {}
        self.report: list[ReportLine] = []
        self.items: dict[str, _Item] = {}
        self.kinds: dict[str, str] = {}
        self.evaluate_at_score_time = False
        self.ids: set[str] = set()
        self.instructions: list[dict[str, str]] = []
        self.calculated: list[tuple[str, Json]] = []
        self.missing_language: set[str] = set()
        self.danish_given = self.language == "da"
        self.read_as_intended: list[str] = []  # result ids
        self.intended_notes: dict[str, str] = {}  # linkId -> how a score was read as intended
        self.by_definition: dict[str, LoincTotal] = {}  # linkId -> the LOINC total it is coded as (no calculation)
        self.read_by_code: list[str] = []  # result ids scored by their LOINC definition

    def fail(self, path: str, problem: str) -> FormError:
        return FormError(self.file, path, problem)

    def note(self, link_id: str, outcome: str, message: str = "", *, loud: bool = False) -> None:
        self.report.append(ReportLine(link_id, outcome, message, loud))

    def text(self, text: Any, element: Any) -> dict[str, Any] | None:
        """``{da, en, other}`` from a string and its translations; a missing da/en borrows another language."""
        found = {lang: clean_text(value) for lang, value in translations(element).items()
                 if clean_text(value).strip() and _LANGUAGE.match(lang)}  # fmt: skip
        if isinstance(text, str) and clean_text(text).strip():
            found[self.language] = clean_text(text)
        if not found:
            return None
        if "da" in found and self.language != "da":
            self.danish_given = True
        self.languages |= set(found)
        fallback = found.get(self.language) or next(iter(found.values()))
        da, en = found.get("da"), found.get("en")
        for language, value in (("da", da), ("en", en)):
            if value is None:
                self.missing_language.add(language)
        result: dict[str, Any] = {"da": da or en or fallback, "en": en or da or fallback}
        other = {lang: value for lang, value in sorted(found.items()) if lang not in ("da", "en")}
        if other:
            result["other"] = other
        return result

    # --- walking the items -------------------------------------------------------------------------------

    def walk(self, items: Any, path: str, in_question: _Item | None = None) -> None:
        if not isinstance(items, list):
            raise self.fail(path, "item must be a list")
        if path.count(".item") >= MAX_DEPTH // 2:  # item → item: two JSON levels a step
            raise self.fail(path, f"items nested more than {MAX_DEPTH // 2} deep")
        for index, item in enumerate(items):
            where = f"{path}[{index}]"
            if not isinstance(item, dict):
                raise self.fail(where, "an item must be an object")
            link_id = item.get("linkId")
            if not isinstance(link_id, str) or not link_id:
                raise self.fail(f"{where}.linkId", "every item needs a linkId")
            if link_id in self.items or any(link_id == seen for seen, _ in self.calculated):
                raise self.fail(f"{where}.linkId", f"duplicate linkId {link_id!r}")
            kind = item.get("type")
            if not isinstance(kind, str):
                raise self.fail(f"{where}.type", f"item {link_id!r} has no type")
            self.kinds[link_id] = kind
            self.item(item, link_id, kind, where, in_question)

    def item(self, item: Json, link_id: str, kind: str, where: str, parent: _Item | None) -> None:
        if kind == "group":
            heading = self.text(item.get("text"), item.get("_text")) if item.get("text") else None
            if heading is not None and not self.items and not self.instructions:
                self.instructions.append(heading)
                self.note(link_id, "changed", "group flattened; its heading becomes the instructions")
            elif heading is not None:
                self.note(link_id, "changed", "group flattened; its heading is not shown")
            self.walk(item.get("item") or [], f"{where}.item")
            return
        if kind == "display":
            self.display(item, link_id, parent)
            return
        self.read_variables(item, link_id)
        prefilled = prefill_note(item)
        if prefilled and (kind not in QUESTION_TYPES or calculation(item) is not None):
            self.note(link_id, "changed", prefilled)
        if calculation(item) is not None:
            self.calculated.append((link_id, item))
            return
        total = loinc_total(item)
        if total is not None:  # a total by its LOINC code, with no calculation in the file
            self.by_definition[link_id] = total
            self.calculated.append((link_id, item))
            return
        if kind not in QUESTION_TYPES:
            self.note(link_id, "refused", f"item type {kind!r} has no SmerteAgent equivalent")
            return
        imported = self.question(item, link_id, kind)
        if imported is not None:
            self.walk(item.get("item") or [], f"{where}.item", imported)

    def read_variables(self, element: Json, where: str) -> None:
        """SDC ``variable``s (FHIRPath), by name; the calculations that use them have them substituted."""
        for extension in element.get("extension") or []:
            if not isinstance(extension, dict) or extension.get("url") != VARIABLE:
                continue
            expression = extension.get("valueExpression") or {}
            name, source = expression.get("name"), expression.get("expression")
            if not isinstance(name, str) or not isinstance(source, str):
                self.note(where, "refused", "a variable without a name or expression is ignored")
            elif expression.get("language") != FHIRPATH:
                self.note(where, "refused", f"variable %{name} is not FHIRPath ({expression.get('language')!r}); "
                          "a calculation using it is not imported")  # fmt: skip
            else:
                self.variables[name] = source

    def display(self, item: Json, link_id: str, parent: _Item | None) -> None:
        text = self.text(item.get("text"), item.get("_text"))
        if text is None:
            return
        if parent is not None and "help" not in parent.document:
            parent.document["help"] = text
        elif parent is None and not self.items:
            self.instructions.append(text)
        else:
            self.note(link_id, "refused", "display text between questions is not shown (no equivalent)")

    def new_id(self, link_id: str) -> str:
        base = slug(link_id)
        if base in RESERVED_NAMES or base == "total":
            base = f"{base}_item"
        candidate, suffix = base, 2
        while candidate in self.ids:
            candidate, suffix = f"{base[:60]}_{suffix}", suffix + 1
        self.ids.add(candidate)
        return candidate

    def question(self, item: Json, link_id: str, kind: str) -> _Item | None:
        if item.get("repeats") is True:
            self.note(link_id, "refused", "repeating answers cannot be stored (one answer per item)")
            return None
        if "answerValueSet" in item or extension_value(item, ANSWER_EXPRESSION) is not None:
            options, why = self.answer_list(item)
            if options is None:
                self.note(link_id, "refused", why)
                return None
            item = {**item, "answerOption": options}
        text = self.text(item.get("text"), item.get("_text")) or {"da": link_id, "en": link_id}
        document: dict[str, Any] = {"id": self.new_id(link_id), "type": "text", "text": text}
        if isinstance(item.get("code"), list):
            document["codes"] = [coding_of(c) for c in item["code"] if coding_of(c) is not None]
        document["required"] = item.get("required") is True
        imported = _Item(link_id, document, ImportedQuestion(document["id"], "text"))
        messages: list[str] = [prefilled] if (prefilled := prefill_note(item)) else []
        if not self.answers(item, imported, kind, messages):
            self.ids.discard(document["id"])
            return None
        self.condition(item, imported, messages)
        self.items[link_id] = imported
        self.note(link_id, "changed" if messages else "imported", "; ".join(messages))
        return imported

    def answer_list(self, item: Json) -> tuple[list[Json] | None, str]:
        """Options from a contained ValueSet, or from an answerExpression that needs no answers (static)."""
        reference = item.get("answerValueSet")
        if isinstance(reference, str):
            value_set = find_value_set(self.resource, reference)
            if value_set is None:
                return None, f"answerValueSet {reference!r} is not contained in the file; it needs a terminology server"
            options = options_from(self.resource, value_set)
            if options is None:
                return None, f"answerValueSet {reference!r} lists no codes (a filter needs a terminology server)"
            return options, ""
        expression = extension_value(item, ANSWER_EXPRESSION)
        return static_answers(self.resource, expression)

    def answers(self, item: Json, imported: _Item, kind: str, messages: list[str]) -> bool:
        document = imported.document
        if kind == "boolean":
            document["type"] = "yes_no"
            imported.question = ImportedQuestion(document["id"], "boolean")
        elif kind == "choice":
            return self.options(item, imported, messages)
        elif kind == "integer":
            low, high = extension_value(item, MIN_VALUE), extension_value(item, MAX_VALUE)
            if isinstance(low, int) and isinstance(high, int) and low < high:
                document.update(type="numeric", min=low, max=high)
                imported.question = ImportedQuestion(document["id"], "integer")
            else:
                messages.append("no minValue/maxValue, so the whole number is kept as text (not scored)")
        elif kind == "decimal":
            messages.append("decimal answers are kept as text (SmerteAgent stores whole numbers); not scored")
        if document["type"] == "text":
            limit = item.get("maxLength")
            document["max_length"] = min(limit, TEXT_LIMIT) if isinstance(limit, int) and limit > 0 else 200
        return True

    def options(self, item: Json, imported: _Item, messages: list[str]) -> bool:
        link_id, raw = imported.link_id, item.get("answerOption")
        if not isinstance(raw, list) or not raw:
            self.note(link_id, "refused", "a choice item without answerOption")
            return False
        labels, keys, integers, weights = [], [], [], []
        for position, option in enumerate(raw):
            read = read_option(option)
            if read is None:
                self.note(link_id, "refused", f"answerOption[{position}] is not a Coding, integer or string")
                return False
            label, element, integer, weight = read
            labels.append(self.text(label, element) or {"da": label, "en": label})
            keys.append(answer_keys(option))
            integers.append(integer)
            weights.append(weight)
        values, by_position = stored_values(integers, weights)
        if by_position:
            messages.append("answers are stored as the options' positions 0, 1, …")
        imported.document.update(type="choice", options=[
            {"value": v, **label} for v, label in zip(values, labels, strict=True)
        ])  # fmt: skip
        codes = [coding_of(o.get("valueCoding")) for o in raw]
        for option, code in zip(imported.document["options"], codes, strict=True):
            if code is not None and not code["system"].startswith("urn:smerteagent:"):
                option["codes"] = [code]
        by_key = {key: v for v, option_keys in zip(values, keys, strict=True) for key in option_keys}
        imported.question = ImportedQuestion(imported.document["id"], "choice", by_key)
        imported.weightless = all(w is None for w in weights)
        if all(w is not None for w in weights):
            imported.weights = {v: float(w) for v, w in zip(values, weights, strict=True) if w is not None}
        return True

    def condition(self, item: Json, imported: _Item, messages: list[str]) -> None:
        rules, expression = item.get("enableWhen"), extension_value(item, ENABLE_WHEN_EXPRESSION)
        if not rules and not isinstance(expression, dict):
            return
        earlier = {link: known.question for link, known in self.items.items()}
        if rules:
            condition, why = from_enable_when(rules if isinstance(rules, list) else [rules],
                                              item.get("enableBehavior"), earlier)  # fmt: skip
        elif isinstance(expression, dict):
            condition, why = self.own_expression(expression, earlier)
        else:
            return
        imported.conditional = True
        if condition is None:
            imported.document["required"] = False
            messages.append(f"condition not imported ({why}); the item is always shown and optional")
            return
        imported.document["enable_when"] = condition

    def own_expression(self, expression: Json, earlier: dict[str, ImportedQuestion]) -> tuple[str | None, str]:
        source = expression.get("expression")
        if expression.get("language") == FHIRPATH and isinstance(source, str):
            return self.fhirpath_condition(source, earlier)
        if expression.get("language") != OWN_LANGUAGE or not isinstance(source, str):
            return None, f"enableWhenExpression in {expression.get('language')!r} cannot be translated safely"
        try:
            parsed = parse_expression(source)
        except ExprError as error:
            return None, f"cannot parse {source!r}: {error}"
        known = {q.item_id for q in earlier.values()}
        if not parsed.names <= known or parsed.flag_names:
            return None, f"{source!r} names something other than earlier items"
        return source, ""

    def fhirpath_condition(self, source: str, earlier: dict[str, ImportedQuestion]) -> tuple[str | None, str]:
        """A FHIRPath enableWhenExpression that compares earlier answers, as the enableWhen it means."""
        try:
            full = substitute(source, self.variables)
            if unknown_variables(full) or syntax_error(full) is not None:
                raise NotTranslatable("it uses undefined variables or does not parse")
            rules, behaviour = enable_rules(full, self.skeleton)
        except NotTranslatable as why:
            return None, f"FHIRPath enableWhenExpression {source!r}: {why}"
        return from_enable_when(rules, behaviour, earlier)

    # --- scoring -----------------------------------------------------------------------------------------

    def scoring(self) -> list[dict[str, Any]]:
        results = []
        names = [slug(link_id) for link_id, _ in self.calculated]
        for position, (link_id, item) in enumerate(self.calculated):
            first_is_total = position == 0 and "total" not in names
            name = "total" if first_is_total else names[position]
            total = self.by_definition.get(link_id)
            result, why = self.result(item, name, link_id) if total is None else self.by_loinc(item, name, total)
            if result is None:
                self.note(link_id, "refused", f"score not imported: {why}")
                return self.unscored(link_id)
            results.append(result)
            if result["method"] == "fhirpath":
                self.note(link_id, "changed", f"score {name}: EVALUATED as FHIRPath at score time by fhirpathpy (not "
                          f"translated); withheld while any of its {len(result['items'])} named items is unanswered, "
                          f"or when it gives no single number in {result['range']}")  # fmt: skip
                continue
            described = f"{_DESCRIBED[result['method']]} of {len(result['items'])} items"
            if total is not None:
                self.read_by_code.append(name)
                self.note(link_id, "changed", f"score {name}: weighted sum of {len(result['items'])} items, READ BY "
                          f"ITS LOINC CODE: {why}", loud=True)  # fmt: skip
                continue
            intended = self.intended_notes.pop(link_id, None)
            if intended is not None:
                self.read_as_intended.append(name)
                self.note(link_id, "changed", f"score {name}: {described}, READ AS INTENDED, NOT AS WRITTEN: "
                          f"{intended}", loud=True)  # fmt: skip
                continue
            self.note(link_id, "imported", f"score {name}: {described}"
                      f"{_ZERO_FILL.get(result['method'], '')}")  # fmt: skip
        if not results and any(i.weights for i in self.items.values()):
            self.note("(scoring)", "changed", "answer weights but no calculated score: the form is unscored")
        return results

    def by_loinc(self, item: Json, name: str, total: LoincTotal) -> tuple[dict[str, Any] | None, str]:
        """A numeric item coded as an instrument's total (``total``) with no calculation in the file: the
        weighted sum of the form's weighted questions, when they are exactly as many and span exactly the range
        the LOINC definition names; otherwise None and why. On success the second value is the report's note."""
        calculated = {link for link, _ in self.calculated}
        weighted = [link for link, i in self.items.items()
                    if link not in calculated and i.document["type"] == "choice" and not i.weightless]  # fmt: skip
        lacks = (
            f"the file gives this item no calculation (no calculatedExpression); its code is defined by "
            f"{total.authority}"
        )
        if len(weighted) != total.questions:
            return None, (f"{lacks}; but the form has {len(weighted)} questions with answer weights, not "
                          f"{total.questions}, so it is not read by that definition")  # fmt: skip
        try:
            terms, low, high = self.terms(tuple(weighted), True, "sum")
        except NotTranslatable as why:
            return None, f"{lacks}; but {why}, so it is not read by that definition"
        if (low, high) != (total.low, total.high):
            return None, (f"{lacks}; but the weighted questions span {number(low)}-{number(high)}, not "
                          f"{total.low}-{total.high}, so it is not read by that definition")  # fmt: skip
        result: dict[str, Any] = {"id": name, "method": "sum", "items": [t[2] for t in terms],
                                  "range": [number(low), number(high)]}  # fmt: skip
        self.describe(result, item)
        note = (
            f"{lacks}. SmerteAgent therefore scores it as the {total.instrument} total: the weighted sum of the "
            f"form's {len(terms)} weighted questions ({', '.join(repr(link) for link in weighted)}), range "
            f"{number(low)}-{number(high)}. A system that runs only the file's expressions shows no score; "
            "SmerteAgent withholds the score until every item is answered (a hidden conditional item counts as its "
            "zero answer). Check the score against the instrument before clinical use"
        )
        return result, note

    def unscored(self, link_id: str) -> list[dict[str, Any]]:
        self.note("(scoring)", "changed", f"the form is imported UNSCORED because {link_id!r} cannot be translated")
        return []

    def result(self, item: Json, name: str, link_id: str = "") -> tuple[dict[str, Any] | None, str]:
        expression = calculation(item)
        source = expression.get("expression") if isinstance(expression, dict) else None
        if not isinstance(expression, dict) or expression.get("language") != FHIRPATH or not isinstance(source, str):
            return None, "the calculation is not FHIRPath"
        try:
            full = substitute(source, self.variables)
            unknown = unknown_variables(full)
            if unknown:
                raise NotTranslatable(f"it uses %{', %'.join(unknown)}, which the file does not define")
            problem = syntax_error(full)
            if problem is not None:
                raise NotTranslatable(f"fhirpathpy cannot parse it: {problem}")
        except NotTranslatable as why:
            return None, f"FHIRPath {source!r}: {why}"
        try:
            found = aggregate(full, self.skeleton)
        except NotTranslatable as why:
            return self.evaluated(item, name, full, f"FHIRPath {source!r}: {why}")
        try:
            terms, low, high = self.terms(found.link_ids, found.weighted, found.how)
        except ReadsNothing as why:
            reading = self.as_intended(source, full, found)
            if reading is None:
                return None, f"FHIRPath {source!r}: {why}"
            found, terms, low, high, self.intended_notes[link_id] = reading
        except NotTranslatable as why:
            return None, f"FHIRPath {source!r}: {why}"
        method = {"sum": "sum", "avg": "mean", "count": "answered"}[found.how]
        if found.how == "avg":
            low, high = min(t[0] for t in terms), max(t[1] for t in terms)
        elif found.how == "count":
            low, high = 0, len(terms)
        result: dict[str, Any] = {"id": name, "method": method, "items": [t[2] for t in terms],
                                  "range": [number(low), number(high)]}  # fmt: skip
        self.describe(result, item)
        return result, ""

    def describe(self, result: dict[str, Any], item: Json) -> None:
        """A computed result's label and codes, taken from the item it replaces."""
        label = self.text(item.get("text"), item.get("_text"))
        if label is not None:
            result["label"] = label
        codes = [c for c in (coding_of(c) for c in item.get("code") or []) if c is not None]
        if codes:
            result["codes"] = codes

    def as_intended(
        self, source: str, full: str, literal: Aggregate
    ) -> tuple[Aggregate, list[tuple[float, float, dict[str, Any]]], float, float, str] | None:
        """A sum over top-level items that, as written, reads nothing because the questions sit inside
        groups: read as its author evidently meant — the same selection at every level, i.e. the sum over
        the form's (weighted) questions, still leaving out what the file leaves out (the total) — or None
        when that reading does not exist or reads nothing either. The note says all of it."""
        groups = [link for link in literal.link_ids if self.kinds.get(link) == "group"]
        if literal.how != "sum" or not groups:
            return None
        try:
            rewritten = at_every_level(full)
            found = aggregate(rewritten, self.skeleton)
            terms, low, high = self.terms(found.link_ids, found.weighted, found.how)
        except NotTranslatable:
            return None
        calculated = {link for link, _ in self.calculated}
        left_out = [link for link in self.kinds if link in calculated and link not in found.link_ids]
        what = "weighted sum (answer weights)" if found.weighted else "sum of the answers"
        read = [link for link in found.link_ids if link in self.items and link not in calculated]
        note = (
            f"the file's FHIRPath {source!r} reads, as written, only top-level items — here the group(s) "
            f"{', '.join(repr(g) for g in groups)}, which have no answer — so read literally it is 0 for "
            f"every response, whatever is answered. The author evidently meant the {what} of the form's "
            f"questions inside the group(s); SmerteAgent reads it so: the same selection at every level "
            f"({rewritten!r}), {len(terms)} questions ({', '.join(repr(link) for link in read)})"
            + (f", leaving out {', '.join(repr(link) for link in left_out)} as the file does" if left_out else "")
            + ". A system that runs the file as written shows 0; one that reads it as we do adds up only the "
            "answered items (a missing answer counts as 0); SmerteAgent withholds the score until every item "
            "is answered (a hidden conditional item counts as its zero answer). Check the score against the "
            "instrument before clinical use"
        )
        return found, terms, low, high, note

    def evaluated(self, item: Json, name: str, full: str, why: str) -> tuple[dict[str, Any] | None, str]:
        """A calculation kept as FHIRPath, evaluated at score time, when it names the items it reads and its
        item states its range; otherwise refused (``why`` says why it was not translated)."""
        if _READS_OUTSIDE.search(full):
            return None, f"{why}; it reads the record, the Questionnaire or the clock, so it is not evaluated either"
        if any(clean_line(link) != link for link in self.items):
            return None, f"{why}; a linkId holds control characters, so it is not evaluated either"
        named = set(_STRING.findall(full))
        items = [i.document["id"] for link, i in self.items.items() if link in named]
        low, high = extension_value(item, MIN_VALUE), extension_value(item, MAX_VALUE)
        if not items:
            return None, f"{why}; it names no imported question by linkId, so it is not evaluated either"
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)) or low > high:
            return None, f"{why}; evaluating it would need minValue and maxValue on its item (its range)"
        self.evaluate_at_score_time = True
        result: dict[str, Any] = {"id": name, "method": "fhirpath", "fhirpath": full, "items": items,
                                  "range": [number(low), number(high)]}  # fmt: skip
        self.describe(result, item)
        return result, ""

    def terms(
        self, link_ids: tuple[str, ...], weighted: bool, how: str
    ) -> tuple[list[tuple[float, float, dict[str, Any]]], float, float]:
        """(lowest, highest, term) for each answered item the aggregate reads, and the sum's range."""
        calculated = {link for link, _ in self.calculated}
        terms: list[tuple[float, float, dict[str, Any]]] = []
        for link_id in link_ids:
            if link_id in calculated and weighted and how != "count":
                continue  # a calculated answer is a number: its weight() is empty and adds nothing
            if link_id in calculated:
                raise NotTranslatable(f"it reads the calculated item {link_id!r}")
            imported = self.items.get(link_id)
            if imported is None:
                if self.kinds.get(link_id) in ("group", "display"):
                    continue  # no answer of its own: it adds nothing in FHIRPath either
                raise NotTranslatable(f"it reads {link_id!r}, which was not imported as a question")
            kind = imported.document["type"]
            if how == "count":
                terms.append((0, 1, {"item": imported.document["id"]}))
                continue
            if weighted and (kind != "choice" or imported.weightless):
                continue  # weight() of a non-coded answer is empty: it adds nothing
            term, why = _term(imported, weighted, explicit=True)
            if term is None:
                raise NotTranslatable(why)
            points = term["points"] if "points" in term else {v: v for v in values_of(imported.document)}
            terms.append((min(points.values()), max(points.values()), term))
        if not terms:
            raise ReadsNothing("it reads no answered item (a sum over top-level items does not reach into groups)")
        return terms, sum(t[0] for t in terms), sum(t[1] for t in terms)

    # --- the form ----------------------------------------------------------------------------------------

    def run(self) -> ImportedForm:
        resource = self.resource
        if resource.get("resourceType") != "Questionnaire":
            raise self.fail("resourceType", f"expected a Questionnaire, not {resource.get('resourceType')!r}")
        if not resource.get("item"):
            raise self.fail("item", "the Questionnaire has no items")
        self.read_variables(resource, "(variables)")
        if nesting_depth(resource["item"]) > MAX_DEPTH:
            raise self.fail("item", f"items nested more than {MAX_DEPTH // 2} deep")
        self.skeleton = response_skeleton(resource["item"])
        self.walk(resource["item"], "item")
        if not self.items:
            raise NothingImported(self.file, self.report)
        results = self.scoring()
        self.note(NO_BANDS_OR_FLAGS, "changed", NO_BANDS_OR_FLAGS_MESSAGE)
        document = self.form(results)
        for language in sorted(self.missing_language):
            self.note("(language)", "changed", f"no {language!r} text in places; the other language is used there")
        form = validate_document(document, Form, self.file)
        compile_form(form, self.file)
        return ImportedForm(document, self.report)

    def form(self, results: list[dict[str, Any]]) -> dict[str, Any]:
        resource = self.resource
        name = self.form_id or slug(str(resource.get("name") or resource.get("id") or "imported"))
        title = self.text(resource.get("title") or resource.get("name") or name, resource.get("_title"))
        url = clean_line(str(resource.get("url") or resource.get("id") or "(no url)"))
        version = clean_line(str(resource.get("version") or "1"))
        publisher = f" ({clean_line(str(resource['publisher']))})" if resource.get("publisher") else ""
        scoring_note = "Scored: sums, means or counts of the answers." if results else "NOT SCORED."
        if self.evaluate_at_score_time:
            scoring_note += " Some scores are EVALUATED as FHIRPath at score time (method fhirpath)."
        if self.read_as_intended:
            scoring_note += (
                f" The score(s) {', '.join(self.read_as_intended)} are READ AS INTENDED, not as written: the file's "
                "expression sums top-level items only, which hold no answer (0 for every response); they are "
                "summed over the questions inside the groups (see the import report)."
            )
        if self.read_by_code:
            scoring_note += (
                f" The score(s) {', '.join(self.read_by_code)} are READ BY THEIR LOINC CODE: the file has no "
                "calculation for them, only answer weights; by the code's LOINC definition (an instrument's total "
                "score) they are the weighted sum of the form's weighted questions (see the import report)."
            )
        document: dict[str, Any] = {
            "id": name, "version": f"{version}-fhir", "title": title,
            "source": f"Imported from FHIR Questionnaire {url}|{version}"
                      f"{publisher}. {scoring_note}",
            "licence": {
                "wording": wording if (wording := extension_value(resource, LICENCE_WORDING)) in (
                    "official", "own_labels") else "unknown",
                "terms": clean_text(str(resource.get("copyright") or "")).strip() or (
                    "The Questionnaire states no copyright or licence; check the terms of use before clinical use."),
                "danish": "official" if self.danish_given else "unofficial_translation",
            },
        }  # fmt: skip
        codes = [coding_of(c) for c in resource.get("code") or []]
        if any(codes):
            document["codes"] = [c for c in codes if c is not None]
        if self.instructions:
            document["instructions"] = {lang: "\n\n".join(t[lang] for t in self.instructions) for lang in ("da", "en")}
        document["languages"] = sorted(self.languages, key=lambda lang: (lang != self.language, lang))
        document["option_sets"], document["items"] = shared_options([i.document for i in self.items.values()])
        if not document["option_sets"]:
            del document["option_sets"]
        document["scoring"] = {"results": results}
        link_ids = {i.document["id"]: clean_line(link) for link, i in self.items.items()}
        link_ids |= {r["id"]: clean_line(link) for r, (link, _) in zip(results, self.calculated, strict=False)}
        document["fhir"] = {"url": url, "version": version, "link_ids": link_ids}
        if self.evaluate_at_score_time:
            document["fhir"]["structure"] = structure(self.resource["item"])
            document["fhir"]["weights"] = {
                i.document["id"]: {v: w for v, w in i.weights.items()} for i in self.items.values() if i.weights
            }
        return document


_DESCRIBED = {"sum": "sum", "mean": "mean", "answered": "count of answered items"}
_READS_OUTSIDE = re.compile(r"%(questionnaire|qitem|patient|encounter|user|rootResource)\b|resolve\(|now\(|today\(")
_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'")
_ZERO_FILL = {
    "sum": "; the file's FHIRPath adds up only the answered items (a missing answer counts as 0), SmerteAgent "
    "withholds the score until every item is answered (a hidden conditional item counts as its zero answer)",
    "mean": "; the file's FHIRPath averages whatever was answered, SmerteAgent withholds the mean until every item "
    "is answered",
}


def _term(imported: _Item, weighted: bool, *, explicit: bool) -> tuple[dict[str, Any] | None, str]:
    """The item's term in a sum, (None, "") if an implicit 'all items' sum skips it, or (None, why)."""
    document, link_id = imported.document, imported.link_id
    if weighted != (document["type"] == "choice") or (weighted and imported.weights is None):
        if not explicit:
            return None, ""
        return None, f"item {link_id!r} has no answer weights to sum" if weighted else f"{link_id!r} is not a number"
    term: dict[str, Any] = {"item": document["id"]}
    if weighted and imported.weights is not None:
        points = {v: number(w) for v, w in imported.weights.items()}
        if any(points[v] != v for v in points):
            term["points"] = points
    if imported.conditional:
        zero = [v for v in values_of(document) if (imported.weights or {}).get(v, v) == 0]
        if not zero:
            return None, f"{link_id!r} may be hidden and no answer scores 0 for it"
        document["skipped_value"] = zero[0]
    return term, ""


def import_questionnaire(resource: Any, file: str, form_id: str | None = None) -> ImportedForm:
    """Translate ``resource``; raises FormError for a malformed file, NothingImported if no item translates."""
    if not isinstance(resource, dict):
        raise FormError(file, "", f"expected a JSON object (a FHIR Questionnaire), not {type(resource).__name__}")
    if form_id is not None and not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", form_id):
        raise FormError(file, "--id", f"{form_id!r} is not a form id (a-z, 0-9 and _, starting with a letter)")
    return _Importer(resource, file, form_id).run()
