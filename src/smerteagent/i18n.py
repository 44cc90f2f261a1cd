"""One translation mechanism for the UI, the CLI and the PDFs: gettext catalogues compiled with Babel.

Program text is written in English in the code and marked with ``_()``; ``resources/locale`` holds the
Danish catalogue. Danish is the default language. The language is process-wide state (like the locale),
switched with :func:`set_language`; ``_()`` always answers in the current language.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from smerteagent.paths import bundled_resources_dir

DOMAIN = "smerteagent"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"

_state: dict[str, object] = {}


def locale_dir() -> Path:
    return bundled_resources_dir() / "locale"


def _load(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=locale_dir(), languages=[language])


def set_language(language: str) -> None:
    """Switch all program text to ``language`` ('da' or 'en')."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {', '.join(LANGUAGES)}")
    _state["language"] = language
    _state["translations"] = _load(language)


def language() -> str:
    if "language" not in _state:
        set_language(DEFAULT_LANGUAGE)
    return str(_state["language"])


def _(message: str) -> str:
    """The message in the current language."""
    if "translations" not in _state:
        set_language(DEFAULT_LANGUAGE)
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    if "translations" not in _state:
        set_language(DEFAULT_LANGUAGE)
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.ngettext(singular, plural, count)


def number(value: float, unit: str = "", *, sign: bool = False) -> str:
    """A number as the reader writes it: at most two decimals, a decimal comma in Danish, a unit after a
    space in Danish ("16 %"), a true minus sign for a signed change."""
    text = format(round(value, 2), "+g" if sign else "g").replace("-", "−")
    if language() == "da":
        text = text.replace(".", ",")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" and language() == "en" else f"{text} {unit}"


def day(value: date | None, empty: str = "") -> str:
    """A date as the reader writes it: 03.12.2026 in Danish, 2026-12-03 (ISO, never ambiguous) in English;
    ``empty`` for no date. Every screen, paper and note shows dates through this (and :func:`moment`)."""
    if value is None:
        return empty
    return value.strftime("%d.%m.%Y") if language() == "da" else value.strftime("%Y-%m-%d")


def moment(value: datetime) -> str:
    """A date and time of day: 03.12.2026 14:05 in Danish, 2026-12-03 14:05 in English."""
    return f"{day(value)} {value:%H:%M}"


def split_unit(label: str) -> tuple[str, str]:
    """A result label's unit in brackets, moved behind the number: 'ODI (%)' -> ('ODI', '%')."""
    if label.endswith("(%)"):
        return label[:-3].rstrip(), "%"
    return label, ""


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; translate it with ``_()`` where it is shown."""
    return message


@contextmanager
def speaking(wanted: str) -> Iterator[None]:
    """Program text in ``wanted`` for a while (a report, a note); the language is process-wide, so put it back."""
    before = language()
    set_language(wanted)
    try:
        yield
    finally:
        set_language(before)
