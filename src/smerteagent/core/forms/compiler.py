"""Turns a structurally valid :class:`Form` into a :class:`CompiledForm`, checking every reference.

Everything a scoring rule could get wrong at run time is caught here, at load time, with the file and
field path: unknown names in expressions, terms on unknown or free-text items, recode tables for values
the item cannot take, a declared range that the items cannot produce.
"""

from __future__ import annotations

from collections.abc import Iterable

from smerteagent.core.errors import FormError
from smerteagent.core.expr import KEYWORDS, ExprError, Expression, parse_expression
from smerteagent.core.forms.model import Form, Item, Option, Result, Term
from smerteagent.core.scoring.computations import build_computation, term_tables
from smerteagent.core.scoring.engine import (
    BandRule,
    CompiledForm,
    FlagRule,
    ItemRule,
    ResultRule,
    item_span,
    unsure_span,
)

RESERVED_NAMES = KEYWORDS | {"sex", "total_answered"}
CONTEXT_ITEM_NAMES = frozenset({"age", "sex"})  # what items may be answered from (the register's patient)
YES_NO = (
    Option(value=0, da="Nej", en="No"),
    Option(value=1, da="Ja", en="Yes"),
)


class _Compiler:
    def __init__(self, form: Form, file: str) -> None:
        self.form = form
        self.file = file
        self.options: dict[str, tuple[Option, ...]] = {}
        self.items: dict[str, ItemRule] = {}
        self.macros: dict[str, Expression] = {}
        self.result_ids: list[str] = []
        self.prefills: dict[str, Expression] = {}

    def fail(self, path: str, problem: str) -> FormError:
        return FormError(self.file, path, problem)

    def expression(self, source: str, path: str, known: Iterable[str]) -> Expression:
        try:
            parsed = parse_expression(source, self.macros)
        except ExprError as error:
            raise self.fail(path, f"cannot parse {source!r}: {error}") from None
        known_names = set(known) | {"sex"}
        unknown = sorted(parsed.names - known_names)
        if unknown:
            raise self.fail(path, f"{source!r} names unknown {', '.join(map(repr, unknown))}")
        bad_answered = sorted(parsed.answered_items - set(self.items))
        if bad_answered:
            raise self.fail(path, f"answered() needs an item id, not {bad_answered[0]!r}")
        if parsed.flag_names:
            raise self.fail(path, "flag() is only available in battery rules")
        return parsed

    def compile(self) -> CompiledForm:
        for index, item in enumerate(self.form.items):
            self.add_item(index, item)
            if item.audience == "patient" and not self.form.for_patient:
                raise self.fail(f"items[{index}].audience", "a patient item in a form only the clinician asks")
        self.add_definitions()
        results = tuple(self.add_result(i, r) for i, r in enumerate(self.form.scoring.results))
        names = [*self.items, *self.result_ids]
        bands = self.compile_bands(names)
        flags = self.compile_flags(names)
        band_result = self.form.scoring.band_result
        if band_result is not None and band_result not in self.result_ids:
            raise self.fail("scoring.band_result", f"{band_result!r} is not a result of this form")
        band_names: set[str] = set()
        for band in self.form.scoring.bands:
            if band.when is not None:
                band_names |= parse_expression(band.when, self.macros).names
        return CompiledForm(
            definition=self.form,
            items=self.items,
            options=self.options,
            results=results,
            bands=bands,
            bands_need_sex="sex" in band_names,
            bands_read_items=bool(band_names & set(self.items)),
            flags=flags,
            prefills=self.prefills,
        )

    def option_list(self, index: int, item: Item) -> tuple[Option, ...] | None:
        path = f"items[{index}].options"
        if item.type in ("numeric", "text"):
            if item.options is not None:
                raise self.fail(path, f"a {item.type} item takes no options")
            return None
        if item.options is None:
            if item.type == "yes_no":
                return YES_NO
            raise self.fail(path, "a choice item needs options (a list or an option_sets name)")
        if isinstance(item.options, str):
            if item.options not in self.form.option_sets:
                raise self.fail(path, f"no option set named {item.options!r}")
            options = tuple(self.form.option_sets[item.options])
        else:
            options = tuple(item.options)
        values = [option.value for option in options]
        if len(set(values)) != len(values):
            raise self.fail(path, "two options share a value")
        if item.type == "yes_no" and sorted(values) != [0, 1]:
            raise self.fail(path, "a yes_no item's values are 0 (no) and 1 (yes)")
        if not options:
            raise self.fail(path, "the option list is empty")
        return options

    def add_item(self, index: int, item: Item) -> None:
        path = f"items[{index}]"
        if item.id in self.items:
            raise self.fail(f"{path}.id", f"duplicate item id {item.id!r}")
        if item.id in RESERVED_NAMES:
            raise self.fail(f"{path}.id", f"{item.id!r} is a reserved word")
        options = self.option_list(index, item)
        if item.type == "numeric":
            if item.min is None or item.max is None or item.min >= item.max:
                raise self.fail(path, "a numeric item needs min and max with min < max")
        elif item.min is not None or item.max is not None:
            raise self.fail(path, "only numeric items take min and max")
        if options is not None:
            self.options[item.id] = options
        enable = None
        if item.enable_when is not None:
            enable = self.expression(item.enable_when, f"{path}.enable_when", self.items).evaluate
        allowed = frozenset(o.value for o in options) if options is not None else None
        asked = item_span(allowed, item.min, item.max, item.type == "text")
        if item.skipped_value is not None:
            if enable is None:
                raise self.fail(f"{path}.skipped_value", "only an item with enable_when can be skipped")
            self.check_value(item, allowed, item.skipped_value, f"{path}.skipped_value")
        self.check_prefill(index, item)
        self.items[item.id] = ItemRule(
            id=item.id,
            is_text=item.type == "text",
            allowed=allowed,
            low=item.min,
            high=item.max,
            max_length=item.max_length,
            required=item.required,
            enable=enable,
            skipped_value=item.skipped_value,
            asked_span=asked,
            unsure_span=unsure_span(asked, item.skipped_value),
        )

    def check_prefill(self, index: int, item: Item) -> None:
        """``from_context`` reads only the patient context; ``named_by`` names an earlier free-text item."""
        path = f"items[{index}]"
        if item.from_context is not None:
            if item.type == "text":
                raise self.fail(f"{path}.from_context", "a free-text item cannot be answered from the context")
            try:
                parsed = parse_expression(item.from_context)
            except ExprError as error:
                raise self.fail(f"{path}.from_context", f"cannot parse {item.from_context!r}: {error}") from None
            unknown = sorted(parsed.names - CONTEXT_ITEM_NAMES)
            if unknown or parsed.answered_items or parsed.flag_names:
                known = ", ".join(sorted(CONTEXT_ITEM_NAMES))
                raise self.fail(f"{path}.from_context", f"{item.from_context!r} may only read {known}")
            self.prefills[item.id] = parsed
        if item.named_by is not None:
            named = self.items.get(item.named_by)
            if named is None or not named.is_text:
                raise self.fail(f"{path}.named_by", f"{item.named_by!r} is not an earlier free-text item")

    def check_value(self, item: Item, allowed: frozenset[int] | None, value: int, path: str) -> None:
        if allowed is not None and value not in allowed:
            raise self.fail(path, f"{value} is not an answer value of item {item.id!r}")
        if item.min is not None and item.max is not None and not item.min <= value <= item.max:
            raise self.fail(path, f"{value} is outside {item.id!r}'s range {item.min}–{item.max}")

    def item_values(self, item_id: str) -> list[int]:
        rule = self.items[item_id]
        if rule.allowed is not None:
            return sorted(rule.allowed)
        assert rule.low is not None and rule.high is not None
        return list(range(rule.low, rule.high + 1))

    def add_definitions(self) -> None:
        for name, source in self.form.scoring.definitions.items():
            path = f"scoring.definitions.{name}"
            if name in self.items or name in RESERVED_NAMES:
                raise self.fail(path, f"{name!r} is already an item id or a reserved word")
            self.macros[name] = self.expression(source, path, self.items)

    def terms(self, index: int, result: Result) -> list[Term]:
        terms = []
        for position, entry in enumerate(result.items):
            term = Term(item=entry) if isinstance(entry, str) else entry
            path = f"scoring.results[{index}].items[{position}]"
            if term.item not in self.items:
                raise self.fail(path, f"unknown item {term.item!r}")
            if self.items[term.item].is_text:
                raise self.fail(path, f"free-text item {term.item!r} cannot be scored")
            values = self.item_values(term.item)
            for value in term.points or {}:
                if value not in values:
                    raise self.fail(f"{path}.points", f"{value} is not an answer value of {term.item!r}")
            terms.append(term)
        return terms

    def add_result(self, index: int, result: Result) -> ResultRule:
        path = f"scoring.results[{index}]"
        if result.id in self.items or result.id in self.result_ids or result.id in self.macros:
            raise self.fail(f"{path}.id", f"{result.id!r} is already used by an item, result or definition")
        if result.id in RESERVED_NAMES:
            raise self.fail(f"{path}.id", f"{result.id!r} is a reserved word")
        self.check_method_fields(path, result)
        if result.method == "fhirpath":
            return self.add_fhirpath_result(path, result)
        expression = None
        if result.method == "expr":
            assert result.expr is not None
            expression = self.expression(result.expr, f"{path}.expr", [*self.items, *self.result_ids])
        terms = self.terms(index, result)
        tables = term_tables(terms, {t.item: self.item_values(t.item) for t in terms})
        computation, bounds, reachable = build_computation(result, tables, expression)
        if reachable is not None and tuple(float(v) for v in reachable) != tuple(result.range):
            low, high = reachable
            raise self.fail(f"{path}.range", f"declared {list(result.range)} but the items give [{low}, {high}]")
        self.result_ids.append(result.id)
        return ResultRule(
            id=result.id,
            compute=computation,
            hidden=result.hidden,
            bounds=bounds,
            counts_answers=result.method == "answered",
            may_settle=result.method not in ("sum", "mean", "percent") or any(t.constant for t in tables),
        )

    def add_fhirpath_result(self, path: str, result: Result) -> ResultRule:
        from smerteagent.core.scoring.fhirpath_result import fhirpath_computation

        if self.form.fhir is None:
            raise self.fail(f"{path}.method", "method fhirpath is only for forms imported from FHIR (no fhir:)")
        unknown = [i for i in result.items if not isinstance(i, str) or i not in self.items]
        if unknown:
            raise self.fail(f"{path}.items", f"method fhirpath takes item ids; not {unknown[0]!r}")
        try:
            computation = fhirpath_computation(result, self.form, self.options)
        except ValueError as error:
            raise self.fail(f"{path}.fhirpath", str(error)) from None
        self.result_ids.append(result.id)
        return ResultRule(id=result.id, compute=computation, hidden=result.hidden)

    def check_method_fields(self, path: str, result: Result) -> None:
        method = result.method
        if (method == "fhirpath") != (result.fhirpath is not None):
            raise self.fail(f"{path}.fhirpath", "method fhirpath needs fhirpath, and only it takes one")
        if (method == "expr") != (result.expr is not None):
            raise self.fail(f"{path}.expr", "method expr needs expr, and only it takes one")
        if method != "expr" and not result.items:
            raise self.fail(f"{path}.items", f"method {method} needs items")
        if method == "expr" and result.items:
            raise self.fail(f"{path}.items", "method expr takes no items")
        if (method == "count") != (result.count_values is not None):
            raise self.fail(f"{path}.count_values", "method count needs count_values, and only it takes them")
        if result.max_missing and method not in ("mean", "percent"):
            raise self.fail(f"{path}.max_missing", "only mean and percent have a missing-item rule")
        if result.min_answered is not None and method != "mean":
            raise self.fail(f"{path}.min_answered", "only mean takes min_answered")
        if result.range[0] > result.range[1]:
            raise self.fail(f"{path}.range", "the lowest value is above the highest")

    def compile_bands(self, names: list[str]) -> tuple[BandRule, ...]:
        bands = []
        seen: set[str] = set()
        scoring = self.form.scoring
        for index, band in enumerate(scoring.bands):
            path = f"scoring.bands[{index}]"
            if band.id in seen:
                raise self.fail(f"{path}.id", f"duplicate band id {band.id!r}")
            seen.add(band.id)
            if band.when is None and index != len(scoring.bands) - 1:
                raise self.fail(f"{path}.when", "only the last band may match always (no when)")
            when = None if band.when is None else self.expression(band.when, f"{path}.when", names)
            bands.append(
                BandRule(id=band.id, when=when and when.evaluate, bounds=when and when.bounds)  # type: ignore[arg-type]
            )
        return tuple(bands)

    def compile_flags(self, names: list[str]) -> tuple[FlagRule, ...]:
        flags = []
        seen: set[str] = set()
        for index, flag in enumerate(self.form.scoring.flags):
            path = f"scoring.flags[{index}]"
            if flag.id in seen:
                raise self.fail(f"{path}.id", f"duplicate flag id {flag.id!r}")
            seen.add(flag.id)
            when = self.expression(flag.when, f"{path}.when", names)
            flags.append(
                FlagRule(
                    id=flag.id,
                    when=when.evaluate,
                    severity=flag.severity,
                    bounds=when.bounds,
                    reads_state=bool(when.answered_items),
                )
            )
        return tuple(flags)


def compile_form(form: Form, file: str) -> CompiledForm:
    """Check a form's cross-references and build its scorer; raises FormError naming ``file``."""
    return _Compiler(form, file).compile()
