"""Text rules shared by every face: what a stored name may contain, and how search folds Danish letters."""

from __future__ import annotations

import unicodedata

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _

# Danish letters and their usual neighbours fold to the spellings people type on foreign keyboards:
# 'Århus' ~ 'Aarhus', 'Ærø' ~ 'Aeroe', 'Søren' ~ 'Soeren' ~ 'Sören'.
_FOLDS = str.maketrans({"æ": "ae", "ä": "ae", "ø": "oe", "ö": "oe", "å": "aa", "ü": "ue", "ß": "ss"})


class TextError(SmerteAgentError):
    """A text field that cannot be stored as given."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def fold(text: str) -> str:
    """Lower-case, Danish letters spelled out, other accents dropped: the search key of a text."""
    spelled = text.lower().translate(_FOLDS)
    decomposed = unicodedata.normalize("NFKD", spelled)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean_text(field: str, value: str | None, *, limit: int, multiline: bool = False) -> str | None:
    """Return ``value`` stripped and NFC-normalised; refuse control characters, broken text, excess length."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TextError(field, _("must be text"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise TextError(field, _("contains bytes that are not valid UTF-8 text")) from None
    value = unicodedata.normalize("NFC", value.strip())
    allowed = {"\n", "\t"} if multiline else set()
    for position, char in enumerate(value):
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            problem = _("contains a control character ({code}) at position {position}")
            raise TextError(field, problem.format(code=f"U+{ord(char):04X}", position=position + 1))
    if len(value) > limit:
        raise TextError(field, _("is {length} characters long; at most {limit} are allowed").format(
            length=len(value), limit=limit))  # fmt: skip
    return value
