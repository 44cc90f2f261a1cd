"""A form's plain weighted sums as SDC ``calculatedExpression`` FHIRPath, for the export.

The FHIRPath written is a sum of answer weights over named items::

    %resource.repeat(item).where(linkId in ('q1' | 'q2')).answer.value.ordinal().sum()

plus, for integer items, the same without ``.ordinal()``. The import reads this and every other aggregate
through fhirpathpy (:mod:`smerteagent.core.interop.fhir_fhirpath`).
"""

from __future__ import annotations


def sum_expression(weighted_ids: list[str], integer_ids: list[str]) -> str:
    parts = []
    for ids, weight in ((weighted_ids, ".ordinal()"), (integer_ids, "")):
        if ids:
            names = " | ".join(f"'{link_id}'" for link_id in ids)
            parts.append(f"%resource.repeat(item).where(linkId in ({names})).answer.value{weight}.sum()")
    return " + ".join(parts)
