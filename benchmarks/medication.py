"""The medication check and the drug catalogue, each against a floor measured in the same run.

    .venv/bin/python benchmarks/medication.py [--prescriptions N]

- load: ``Catalogue.load`` of the shipped catalogue (parse, build the name and form patterns) vs a bare
  CSafeLoader parse of the same file. Target: load <= 30 ms.
- check: N prescriptions (default 10,000) as the CLI gets them (JSON dicts), in medication lists of five,
  through ``usecases.medication.prescriptions`` + ``check`` in-process, with a fresh catalogue (no classification
  cached) — vs building the same Medication objects from the dicts without checking them. Target >= 20,000/s.
  The texts are what a GP types: trade names and substances with strengths and form words, a few unknown.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import yaml

from smerteagent.core.careplan.medication import Catalogue, Medication
from smerteagent.paths import bundled_resources_dir
from smerteagent.usecases import medication

FIRST_LOAD = """
import time
from smerteagent.core.careplan.medication import Catalogue
from smerteagent.paths import bundled_resources_dir
path = bundled_resources_dir() / "medication" / "medication.yaml"
start = time.perf_counter()
Catalogue.load(path)
print((time.perf_counter() - start) * 1000)
"""
PATH = bundled_resources_dir() / "medication" / "medication.yaml"
TODAY = date(2026, 12, 3)
FORM_WORDS = ["", "", "tabletter", "depottabletter", "stikpiller", "næsespray"]


def best_of(repeats: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def prescriptions(count: int, catalogue: Catalogue, rng: random.Random) -> list[list[dict[str, Any]]]:
    """Lists of five prescriptions each, with the names, strengths and form words a GP types."""
    names = [(name, found) for name, found in catalogue.completions()]
    lists: list[list[dict[str, Any]]] = []
    for start in range(0, count, 5):
        drugs = []
        for _ in range(min(5, count - start)):
            if rng.random() < 0.03:
                drugs.append({"drug": f"Ukendt præparat {rng.randint(1, 99)}", "daily_dose": 10, "unit": "mg"})
                continue
            name, found = rng.choice(names)
            strength = rng.choice(found.strengths or (5.0,))
            word = "" if found.form == "transdermal" else rng.choice(FORM_WORDS)
            patch = found.form == "transdermal" or word == "plaster"
            text = f"{name} {strength:g} {'µg/h' if patch else 'mg'} {word}"
            item: dict[str, Any] = {
                "drug": text.strip(),
                "daily_dose": strength * (1 if patch else rng.choice((1, 2, 3))),
                "unit": "microgram_per_hour" if patch else "mg",
            }
            if rng.random() < 0.5:
                item["started_on"] = (TODAY - timedelta(days=rng.randint(1, 400))).isoformat()
            if rng.random() < 0.3:
                item["tapering"] = True
            drugs.append(item)
        lists.append(drugs)
    return lists


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prescriptions", type=int, default=10_000)
    count = parser.parse_args().prescriptions

    text = PATH.read_text(encoding="utf-8")
    bare = best_of(20, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    load = best_of(20, lambda: Catalogue.load(PATH))
    first = float(subprocess.run([sys.executable, "-c", FIRST_LOAD], capture_output=True, text=True, check=True).stdout)
    print(f"load     catalogue {load * 1000:.1f} ms (first load in a fresh process {first:.1f} ms) vs bare YAML "
          f"parse {bare * 1000:.1f} ms -> {load / bare:.2f}x (target <= 30 ms)")  # fmt: skip

    document = yaml.load(text, Loader=yaml.CSafeLoader)
    document.update(yaml.load(PATH.with_name("thresholds.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader))
    lists = prescriptions(count, Catalogue.from_document(document), random.Random(12))

    def check_all() -> None:
        catalogue = Catalogue.from_document(document)  # fresh: nothing classified yet
        for items in lists:
            problems_found = medication.check(medication.prescriptions(items, catalogue), TODAY, catalogue=catalogue)
            assert problems_found.drugs

    def floor() -> None:
        for items in lists:
            [Medication(i["drug"], i["daily_dose"], unit=i["unit"]) for i in items]

    build = best_of(5, lambda: Catalogue.from_document(document))
    checked = best_of(5, check_all) - build
    bare_build = best_of(5, floor)
    print(f"check    {count} prescriptions in {len(lists)} lists: {count / checked:,.0f}/s in-process, cold "
          f"classification (target >= 20,000/s); {checked / bare_build:.1f}x building Medications")  # fmt: skip


if __name__ == "__main__":
    main()
