"""Extract program text into the template, merge it into the Danish catalogue, compile the catalogues.

    .venv/bin/python packaging/translations.py           # extract + update + compile
    .venv/bin/python packaging/translations.py compile   # compile only

Uses Babel (a development dependency); the compiled .mo files are committed so the app needs no Babel.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources" / "locale"
SOURCE = ROOT / "src" / "smerteagent"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LANGUAGES = ("da",)


def extract() -> Catalog:
    """Every marked message in the source, as a fresh template."""
    catalog = Catalog(project="SmerteAgent", charset="utf-8")
    methods = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE), method_map=methods, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(f"src/smerteagent/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "smerteagent.po"


def read_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as stream:
        return read_po(stream, locale=language)


def compiled(catalog: Catalog) -> bytes:
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    template = extract()
    with (LOCALE / "smerteagent.pot").open("wb") as stream:
        write_po(stream, template, omit_header=False, sort_output=True, no_location=True)
    for language in LANGUAGES:
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read_catalog(language) if path.exists() else Catalog(locale=language, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as stream:
            write_po(stream, catalog, sort_output=True, ignore_obsolete=True, width=110, no_location=True)


def compile_all() -> None:
    for language in LANGUAGES:
        po_path(language).with_suffix(".mo").write_bytes(compiled(read_catalog(language)))


if __name__ == "__main__":
    if sys.argv[1:] != ["compile"]:
        update()
    compile_all()
