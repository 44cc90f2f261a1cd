"""The one place a form's shown title is chosen: its short title when it has one, else its title; a form the
library does not know (a record of a removed form) is shown by its id."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smerteagent.core.scoring.engine import CompiledForm


def form_title(form: CompiledForm | None, form_id: str, language: str) -> str:
    return form.definition.display_title(language) if form is not None else form_id
