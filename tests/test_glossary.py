"""One Danish word per concept: the catalogue, the forms and the resources use only the glossary's chosen terms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from smerteagent.paths import bundled_forms_dir, bundled_resources_dir

GLOSSARY = bundled_resources_dir() / "glossary.yaml"


def terms() -> list[dict[str, Any]]:
    return list(yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"])


def patterns(term: dict[str, Any]) -> list[re.Pattern[str]]:
    flags = 0 if term.get("case") == "exact" else re.IGNORECASE
    return [re.compile(p, flags) for p in term["avoid"]]


def danish_fields(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every Danish string of a form or resource file: the value of each `da` key, wherever it sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "da" and isinstance(value, str):
                yield where, value
            else:
                yield from danish_fields(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from danish_fields(value, f"{where}[{index}]")


def yaml_texts(folder: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(folder.rglob("*.yaml")):
        if path != GLOSSARY:
            yield from danish_fields(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def catalogue_texts() -> Iterator[tuple[str, str]]:
    with (bundled_resources_dir() / "locale" / "da" / "LC_MESSAGES" / "smerteagent.po").open("rb") as stream:
        for message in read_po(stream, locale="da"):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield from ((f"catalogue: {message.id!r}", s) for s in strings if message.id and s)


def every_danish_text() -> list[tuple[str, str]]:
    return [*catalogue_texts(), *yaml_texts(bundled_forms_dir()), *yaml_texts(bundled_resources_dir())]


@pytest.mark.parametrize("term", terms(), ids=lambda t: t["concept"].split(" (")[0])
def test_only_the_chosen_term_is_used(term: dict[str, Any]) -> None:
    compiled = patterns(term)
    assert any(p.search(term["wrong"]) for p in compiled), "the pattern must catch its own example"
    assert not any(p.search(term["da"]) for p in compiled), "the chosen term must pass"
    found = [f"{where}: {text}" for where, text in every_danish_text() for p in compiled if p.search(text)]
    assert not found, f"use {term['da']!r}:\n" + "\n".join(found)


def test_the_texts_checked_include_every_source() -> None:
    sources = {where.split(":")[0].split(".")[0] for where, _ in every_danish_text()}
    assert {"catalogue", "phq9", "recommendations", "safety_contacts", "pain_clinic_intake"} <= {
        s.removesuffix(".yaml") for s in sources
    }
