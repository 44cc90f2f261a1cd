"""FHIR import benchmarks, each against a floor measured in the same run.

    .venv/bin/python benchmarks/fhir_import.py [--quick]

- import: a generated ~1 MB SDC Questionnaire (choice items with itemWeight in groups, a FHIRPath total)
  read, translated, written as YAML, loaded back and compared — as ``forms import-fhir`` does. Target
  <= 1 s; the floor is json.loads of the same file plus a YAML dump of the resulting form.
- scoring: an imported PHQ-9 (weights, ``%resource.repeat(item)…weight().sum()``) scoring random answer
  sets. Target >= 20,000 sets/s; the floor is the bundled PHQ-9 scoring the same answers.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from smerteagent.core.forms.loader import FormLibrary, validate_document
from smerteagent.core.forms.model import Form
from smerteagent.core.interop.fhir_form_file import write_imported_form
from smerteagent.core.interop.fhir_import import import_questionnaire
from smerteagent.core.interop.fhir_input import read_json
from smerteagent.paths import bundled_forms_dir

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")


def best_of(repeats: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def choice(link_id: str) -> dict[str, Any]:
    options = [{"valueCoding": {"system": "http://loinc.org", "code": f"LA{n}", "display": label},
                "extension": [{"url": WEIGHT, "valueDecimal": n}]} for n, label in enumerate(LABELS)]  # fmt: skip
    return {"linkId": link_id, "type": "choice", "text": f"Over the last two weeks, question {link_id}?",
            "answerOption": options}  # fmt: skip


def questionnaire(target_bytes: int) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    resource: dict[str, Any] = {"resourceType": "Questionnaire", "id": "big", "status": "active", "item": groups}
    number = 0
    while len(json.dumps(resource)) < target_bytes:
        groups.append({"linkId": f"g{len(groups)}", "type": "group", "text": "Section",
                       "item": [choice(f"q{number + n}") for n in range(50)]})  # fmt: skip
        number += 50
    expression = {"language": "text/fhirpath", "expression": "%resource.repeat(item).answer.weight().sum()"}
    groups.append({"linkId": "total", "type": "integer", "readOnly": True, "text": "Total",
                   "extension": [{"url": SDC, "valueExpression": expression}]})  # fmt: skip
    return resource


def import_and_write(path: Path, out: Path) -> None:
    write_imported_form(out, import_questionnaire(read_json(path), str(path), "big"))


def bench_import(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / "big.json", Path(folder) / "big.yaml"
        path.write_text(json.dumps(questionnaire(1_000_000)), encoding="utf-8")
        document = json.loads(path.read_text(encoding="utf-8"))
        items = sum(len(group.get("item", [])) for group in document["item"])
        elapsed = best_of(repeats, lambda: import_and_write(path, out))
        form = import_questionnaire(document, str(path), "big").document
        floor = best_of(repeats, lambda: yaml.dump(form, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
                        and json.loads(path.read_text(encoding="utf-8")))  # fmt: skip
        size = path.stat().st_size
    print(f"import   {size / 1e6:.2f} MB Questionnaire, {items} items: {elapsed:.2f} s (target <= 1 s); "
          f"{elapsed / floor:.1f}x json.loads + YAML dump of the same")  # fmt: skip


def phq9_questionnaire() -> dict[str, Any]:
    expression = {"language": "text/fhirpath",
                  "expression": "%resource.repeat(item).where(linkId != 'total').answer.weight().sum()"}  # fmt: skip
    items = [choice(f"q{n}") for n in range(1, 10)]
    items.append({"linkId": "total", "type": "integer", "readOnly": True, "text": "Total",
                  "extension": [{"url": SDC, "valueExpression": expression}]})  # fmt: skip
    return {"resourceType": "Questionnaire", "id": "phq9-sdc", "status": "active", "item": items}


def bench_scoring(count: int) -> None:
    from smerteagent.core.forms.compiler import compile_form

    found = import_questionnaire(phq9_questionnaire(), "phq9.json", "phq9_sdc")
    imported = compile_form(validate_document(found.document, Form, "phq9_sdc"), "phq9_sdc")
    bundled = FormLibrary.load([bundled_forms_dir()]).get("phq9")
    rng = random.Random(17)
    sets = [{f"q{n}": rng.randint(0, 3) for n in range(1, 10) if rng.random() > 0.05} for _ in range(count)]
    elapsed = best_of(3, lambda: [imported.score(answers) for answers in sets])
    floor = best_of(3, lambda: [bundled.score(answers) for answers in sets])
    print(f"scoring  imported PHQ-9, {count} answer sets: {count / elapsed:,.0f} sets/s (target >= 20,000); "
          f"{elapsed / floor:.2f}x the bundled PHQ-9 on the same answers")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    quick = parser.parse_args().quick
    print(f"Python {sys.version.split()[0]}")
    bench_import(repeats=1 if quick else 5)
    bench_scoring(count=2_000 if quick else 20_000)


if __name__ == "__main__":
    main()
