"""Every user-visible string has a Danish translation that keeps its placeholders, and the compiled
catalogue is current. Strings are extracted from the source now, so a new untranslated one fails here."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from types import ModuleType

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

ROOT = Path(__file__).resolve().parents[1]


def _load_script() -> ModuleType:
    """packaging/translations.py is a build script, not a package module; load it by path."""
    spec = importlib.util.spec_from_file_location("translations", ROOT / "packaging" / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


translations = _load_script()

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def test_every_source_string_has_a_danish_translation() -> None:
    catalog = translations.read_catalog("da")
    missing = [m.id for m in translations.extract() if m.id and (m.id not in catalog or not catalog[m.id].string)]
    assert missing == [], "run: .venv/bin/python packaging/translations.py, then translate in the .po"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


def test_translations_keep_their_placeholders() -> None:
    for message in translations.read_catalog("da"):
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


def _messages(catalog: Catalog) -> dict[object, object]:
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def test_compiled_catalogue_is_current() -> None:
    """Compares the messages, not the bytes: the .mo header names the Babel version that wrote it."""
    with translations.po_path("da").with_suffix(".mo").open("rb") as stream:
        compiled = read_mo(stream)
    assert _messages(compiled) == _messages(translations.read_catalog("da")), "run packaging/translations.py compile"


def test_danish_is_the_default_and_english_on_demand() -> None:
    from smerteagent import i18n

    i18n.set_language("da")
    assert (i18n._("Settings"), i18n._("&Patients")) == ("Indstillinger", "&Patienter")
    i18n.set_language("en")
    assert i18n._("Settings") == "Settings"
    i18n.set_language("da")


# A marked literal anywhere in the source, f-strings included: `_("...")` or `N_('...')`.
MARKED = re.compile(r"""\bN?_\(\s*(?P<quote>["'])(?P<text>(?:(?!(?P=quote))[^\\\n]|\\.)*)(?P=quote)\s*\)""")


def test_strings_marked_inside_f_strings_reach_the_catalogue_too() -> None:
    """Babel's extractor can miss a `_()` inside an f-string ('(does not apply)' printed in English)."""
    catalog = translations.read_catalog("da")
    found = {
        (path.relative_to(ROOT).as_posix(), ast.literal_eval(match["quote"] + match["text"] + match["quote"]))
        for path in (ROOT / "src" / "smerteagent").rglob("*.py")
        for match in MARKED.finditer(path.read_text(encoding="utf-8"))
    }
    missing = sorted((where, text) for where, text in found if not (catalog.get(text) and catalog.get(text).string))
    assert missing == [], missing
