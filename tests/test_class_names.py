"""Every public class name means one class: two different dialogs called the same confuse a reader, a
traceback and a test that looks windows up by name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "smerteagent"


def test_public_class_names_are_distinct_across_the_package() -> None:
    defined: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                defined[node.name].append(str(path.relative_to(SOURCE)))
    assert {name: files for name, files in defined.items() if len(files) > 1} == {}
