"""A form's plain weighted sums as SDC ``calculatedExpression`` FHIRPath, and back — for that shape only.

The only FHIRPath written or read is a sum of answer weights over named items::

    %resource.repeat(item).where(linkId in ('q1' | 'q2')).answer.value.ordinal().sum()

plus, for integer items, the same without ``.ordinal()``. Anything else is arbitrary FHIRPath, which the
import refuses rather than guessing what it computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINK = r"'((?:[^'\\]|\\.)*)'"
_PART = re.compile(
    r"\s*\(?\s*%resource\.(?P<scope>repeat\(item\)|item)"
    r"(?:\.where\(\s*linkId\s*(?:in\s*\((?P<many>\s*" + _LINK + r"(?:\s*\|\s*" + _LINK + r")*\s*)\)"
    r"|=\s*(?P<one>'(?:[^'\\]|\\.)*'))\s*\))?"
    r"\.answer\.value(?P<weighted>\.(?:ordinal|weight)\(\))?\.sum\(\)\s*\)?\s*"
)


@dataclass(frozen=True)
class SumPart:
    """One summed group: the linkIds named (None: every item in scope) and whether weights are summed."""

    link_ids: tuple[str, ...] | None
    nested: bool
    weighted: bool


def sum_expression(weighted_ids: list[str], integer_ids: list[str]) -> str:
    parts = []
    for ids, weight in ((weighted_ids, ".ordinal()"), (integer_ids, "")):
        if ids:
            names = " | ".join(f"'{link_id}'" for link_id in ids)
            parts.append(f"%resource.repeat(item).where(linkId in ({names})).answer.value{weight}.sum()")
    return " + ".join(parts)


def parse_sum(expression: str) -> list[SumPart] | None:
    """The summed groups of a plain weighted sum, or None for any other FHIRPath."""
    parts, position = [], 0
    while True:
        match = _PART.match(expression, position)
        if match is None:
            return None
        if match["many"] is not None:
            ids: tuple[str, ...] | None = tuple(re.findall(_LINK, match["many"]))
        elif match["one"] is not None:
            ids = (match["one"][1:-1],)
        else:
            ids = None
        parts.append(SumPart(ids, match["scope"] == "repeat(item)", match["weighted"] is not None))
        position = match.end()
        if position == len(expression):
            return parts
        if expression[position] != "+":
            return None
        position += 1
