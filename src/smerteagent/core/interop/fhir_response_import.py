"""QuestionnaireResponses from a FHIR file as answers to our forms — every answer checked, nothing guessed.

A response names its Questionnaire by canonical URL; that finds our own exports (``urn:smerteagent:form:``),
forms imported from FHIR (by the URL they came from), our form id, or a LOINC panel code. Every answer
must fit its item exactly (a known option coding, a whole number in range, text); one answer that does
not fit refuses the whole response, so that no response is stored half and scored wrongly. A response
about another patient (a different CPR) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smerteagent.core.errors import AnswerError
from smerteagent.core.interop.fhir_common import CANONICAL_PREFIX, CPR_SYSTEM, LOINC, Json, answer_system
from smerteagent.core.interop.fhir_input import clean_line
from smerteagent.core.scoring.engine import CompiledForm

ACCEPTED_STATUS = ("completed", "amended")
_LOINC_ANSWER = re.compile(r"^LA\d{1,8}-\d$")


@dataclass(frozen=True)
class ResponseIn:
    """One response ready to store: the form, the checked answers, when it was authored, and where from."""

    where: str
    form_id: str
    answers: dict[str, int | str]
    authored: datetime
    source: str
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    where: str
    reason: str


class Refused(ValueError):
    """One response that cannot be taken; the message says why."""


def responses_in(document: Any) -> Iterator[tuple[str, Json]]:
    """(where, QuestionnaireResponse) for a lone response or each one in a Bundle."""
    if not isinstance(document, dict):
        return
    if document.get("resourceType") == "QuestionnaireResponse":
        yield "QuestionnaireResponse", document
        return
    if document.get("resourceType") != "Bundle":
        return
    for index, entry in enumerate(document.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "QuestionnaireResponse":
            yield f"entry[{index}]", resource


def bundle_cprs(document: Any) -> dict[str, str]:
    """fullUrl/``Patient/id`` -> CPR of each Patient in a Bundle that carries one."""
    found: dict[str, str] = {}
    entries = document.get("entry") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != "Patient":
            continue
        for identifier in resource.get("identifier") or []:
            if isinstance(identifier, dict) and identifier.get("system") == CPR_SYSTEM:
                cpr = "".join(ch for ch in str(identifier.get("value")) if ch.isdigit())
                for key in (entry.get("fullUrl"), f"Patient/{resource.get('id')}"):
                    if isinstance(key, str):
                        found[key] = cpr
    return found


def find_form(reference: Any, forms: Mapping[str, CompiledForm]) -> CompiledForm:
    """The form a response's ``questionnaire`` names: our canonical, an import's URL, our id, or LOINC."""
    if not isinstance(reference, str) or not reference.strip():
        raise Refused("the response names no questionnaire")
    url = reference.split("|")[0].strip()
    if url.startswith(CANONICAL_PREFIX) and url[len(CANONICAL_PREFIX) :] in forms:
        return forms[url[len(CANONICAL_PREFIX) :]]
    by_url = [f for f in forms.values() if f.definition.fhir is not None and f.definition.fhir.url == url]
    if len(by_url) == 1:
        return by_url[0]
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    if tail in forms or tail.replace("-", "_") in forms:
        return forms[tail if tail in forms else tail.replace("-", "_")]
    by_code = [f for f in forms.values() if any(c.system == LOINC and c.code == tail for c in f.definition.codes)]
    bundled = [f for f in by_code if f.definition.fhir is None]
    chosen = bundled if len(bundled) == 1 else by_code
    if len(chosen) == 1:
        return chosen[0]
    if len(by_url) > 1 or len(chosen) > 1:
        names = ", ".join(sorted(f.id for f in (by_url or chosen)))
        raise Refused(f"questionnaire '{clean_line(reference)}' matches several forms ({names})")
    raise Refused(f"questionnaire '{clean_line(reference)}' is not a known form (import it with forms import-fhir)")


def authored_at(value: Any) -> datetime:
    """``authored`` as local time without offset, as responses are stored."""
    if not isinstance(value, str) or len(value) < 10:
        raise Refused("the response has no authored date")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(f"authored '{clean_line(value)}' is not a FHIR dateTime") from None
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo is not None else moment


def _items(items: Any, where: str) -> Iterator[tuple[str, Json]]:
    """Every answered item, nested ones included (answers to groups' children and answers' children)."""
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            raise Refused(f"{where}[{index}] is not an item")
        yield f"{where}[{index}]", item
        yield from _items(item.get("item"), f"{where}[{index}].item")
        for answer in item.get("answer") or []:
            if isinstance(answer, dict) and answer.get("item"):
                yield from _items(answer["item"], f"{where}[{index}].answer.item")


class _Reader:
    def __init__(self, form: CompiledForm) -> None:
        self.form = form
        origin = form.definition.fhir
        link_ids = origin.link_ids if origin is not None else {}
        self.results = {r.id for r in form.definition.scoring.results}
        # Our answer codes: this form's, and — for a copy imported from our own export — the original form's.
        self.own_systems = {answer_system(form.id)}
        if origin is not None and origin.url.startswith(CANONICAL_PREFIX):
            self.own_systems.add(answer_system(origin.url[len(CANONICAL_PREFIX) :]))
        self.by_link = {link: own for own, link in link_ids.items()}
        for item_id in form.items:
            self.by_link.setdefault(item_id, item_id)
        # Other systems name an item by its LOINC code (``44250-9``, LHC-Forms ``/44250-9``): a code that
        # names exactly one item (or result) of this form finds it.
        by_code: dict[str, list[str]] = {}
        for item in form.definition.items:
            for code in {c.code for c in item.codes if c.system == LOINC}:
                by_code.setdefault(code, []).append(item.id)
        for result in form.definition.scoring.results:
            for code in {c.code for c in result.codes if c.system == LOINC}:
                by_code.setdefault(code, []).append(result.id)
        self.by_loinc = {code: owners[0] for code, owners in by_code.items() if len(owners) == 1}

    def own_id(self, link: str) -> str | None:
        """Our item (or result) id for a response's linkId: remembered by an import, ours, or a LOINC code."""
        if link in self.by_link:
            return self.by_link[link]
        return self.by_loinc.get(link.rstrip("/").rsplit("/", 1)[-1])

    def answers(self, response: Json) -> tuple[dict[str, int | str], list[str]]:
        found: dict[str, int | str] = {}
        ignored: list[str] = []
        for where, item in _items(response.get("item"), "item"):
            link = item.get("linkId")
            answers = [a for a in item.get("answer") or [] if isinstance(a, dict)]
            own = self.own_id(link) if isinstance(link, str) else None
            if own in self.results or (own is None and not answers):
                if answers:
                    ignored.append(f"{clean_line(str(link))} (the file's own calculated value; ours is computed)")
                continue
            if own is None or own not in self.form.items:
                raise Refused(f"{where}: linkId '{clean_line(str(link))}' is not an item of {self.form.id}")
            if not answers:
                continue
            if len(answers) > 1:
                raise Refused(f"{where} ({own}): {len(answers)} answers; the item takes one")
            if own in found:
                raise Refused(f"{where} ({own}): answered twice")
            found[own] = self.value(own, answers[0], where)
        try:
            checked = self.form.check_answers(found)
        except AnswerError as error:
            raise Refused(str(error)) from None
        return dict(checked), ignored

    def value(self, item_id: str, answer: Json, where: str) -> int | str:
        rule = self.form.items[item_id]
        values = [(k, v) for k, v in answer.items() if k.startswith("value")]
        if len(values) != 1:
            raise Refused(f"{where} ({item_id}): an answer needs exactly one value[x]")
        kind, value = values[0]
        if rule.is_text and kind == "valueString" and isinstance(value, str):
            return value
        if kind == "valueCoding" and isinstance(value, dict):
            return self.coded(item_id, value, where)
        if kind == "valueBoolean" and isinstance(value, bool) and rule.allowed == frozenset({0, 1}):
            return int(value)
        if kind in ("valueInteger", "valueDecimal") and _whole(value) and self.takes_numbers(item_id):
            return int(value)
        if kind == "valueString" and isinstance(value, str):
            by_label = [o.value for o in self.form.options.get(item_id, ()) if value in (o.da, o.en, *o.other.values())]
            if len(by_label) == 1:
                return by_label[0]
        raise Refused(f"{where} ({item_id}): {kind} {clean_line(repr(value))[:80]} does not fit the item")

    def takes_numbers(self, item_id: str) -> bool:
        """A numeric item; or a choice imported from integer options (no codings), whose values are those."""
        rule = self.form.items[item_id]
        if rule.allowed is None:
            return True
        options = self.form.options.get(item_id, ())
        return self.form.definition.fhir is not None and not any(o.codes for o in options)

    def coded(self, item_id: str, coding: Json, where: str) -> int:
        system, code = coding.get("system"), str(coding.get("code"))
        for option in self.form.options.get(item_id, ()):
            if any(c.system == system and c.code == code for c in option.codes):
                return option.value
            if system is None and any(c.system == LOINC and c.code == code and _LOINC_ANSWER.match(code)
                                      for c in option.codes):  # fmt: skip
                return option.value  # a LOINC answer code (LA…) is one only LOINC issues: no system needed
            if system in self.own_systems and code == str(option.value):
                return option.value
        raise Refused(f"{where} ({item_id}): the coding {clean_line(str(system))}|{clean_line(code)} is not an option")


def _whole(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()


def read_response(
    where: str, response: Json, forms: Mapping[str, CompiledForm], source: str, cprs: Mapping[str, str], cpr: str | None
) -> ResponseIn:
    """The checked response, or Refused saying why it cannot be taken."""
    status = response.get("status")
    if status not in ACCEPTED_STATUS:
        raise Refused(f"status '{clean_line(str(status))}': only completed responses are taken")
    subject = response.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    named = cprs.get(reference) if isinstance(reference, str) else None
    if named is not None and cpr is not None and named != cpr:
        raise Refused("the response is about another patient (a different CPR)")
    form = find_form(response.get("questionnaire"), forms)
    answers, ignored = _Reader(form).answers(response)
    if not answers:
        raise Refused("the response has no answers")
    identifier = response.get("identifier")
    label = response.get("id") or (identifier.get("value") if isinstance(identifier, dict) else None)
    parts = [f"FHIR file {clean_line(source)}", *([where] if where != "QuestionnaireResponse" else [])]
    parts += [f"QuestionnaireResponse {clean_line(str(label))}"] if label else []
    origin = ", ".join(parts)
    return ResponseIn(where, form.id, answers, authored_at(response.get("authored")), origin, tuple(ignored))
