"""A typed answer (what a clinician or patient keyed in, or wrote on the command line) read by one rule in
every face: the app's answer field, ``smerteagent score`` and ``smerteagent screening answer``.

The rule (issue 18: the faces had three):
- blank, ``none`` or ``null`` (any case) is no answer;
- a free-text item takes the text, without surrounding white space;
- any other item takes a whole number written with 0–9 (an optional leading ``-``), nothing around it:
  ``١``, ``²``, ``+1``, `` 1``, ``1.0`` and ``1_0`` are refused, never guessed at; whether the number is
  allowed for the item (its range, its options) is the form's own check when the answer is stored.
A refusal is an :class:`AnswerError` naming the item; a face that may show the patient's screen says what is
allowed, never what was typed.
"""

from __future__ import annotations

import re

from smerteagent.core.errors import AnswerError
from smerteagent.core.scoring.engine import CompiledForm

NO_ANSWER = frozenset({"", "none", "null"})
WHOLE_NUMBER = re.compile(r"-?[0-9]+")

__all__ = ["NO_ANSWER", "parse_answer", "parse_form_answer"]


def parse_answer(form_id: str, item: str, text: str, *, is_text: bool) -> int | str | None:
    """The value ``text`` stands for, by the rule above; :class:`AnswerError` when it is not one."""
    stripped = text.strip()
    if stripped.casefold() in NO_ANSWER:
        return None
    if is_text:
        return stripped
    if not WHOLE_NUMBER.fullmatch(text):
        raise AnswerError(item, text[:40], f"{form_id}: the answer must be a whole number written with 0-9")
    try:
        return int(text)
    except ValueError:  # more digits than Python converts
        raise AnswerError(item, f"{text[:12]}…", f"{form_id}: the number is far too long") from None


def parse_form_answer(form: CompiledForm, item: str, text: str) -> int | str | None:
    """:func:`parse_answer` for an item of ``form``; an item the form does not have is refused."""
    rule = form.items.get(item)
    if rule is None:
        raise AnswerError(item, text[:40], f"{form.id} has no such item")
    return parse_answer(form.id, item, text, is_text=rule.is_text)
