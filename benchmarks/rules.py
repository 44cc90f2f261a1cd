"""Reading the rules files (bundled, then a clinic's copies), against a floor measured in the same run.

    .venv/bin/python benchmarks/rules.py

- load: ``RulesLibrary.load`` (read, parse and validate the six rules files with their pydantic models, then a
  clinic folder with a copy of each) vs a bare CSafeLoader parse of the same files. Target: <= 1.5x.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from smerteagent.core.rules.library import RULE_FILES, RulesLibrary
from smerteagent.paths import bundled_resources_dir


def best_of_each(repeats: int, *actions: Callable[[], object]) -> list[float]:
    """The best time of each action, run in turns so that a busy machine slows them alike."""
    timings: list[list[float]] = [[] for _ in actions]
    for _ in range(repeats):
        for action, found in zip(actions, timings, strict=True):
            start = time.perf_counter()
            action()
            found.append(time.perf_counter() - start)
    return [min(found) for found in timings]


def main() -> None:
    bundled = [bundled_resources_dir() / rule.bundled for rule in RULE_FILES.values()]
    with tempfile.TemporaryDirectory() as folder:
        clinic = Path(folder) / "rules"
        clinic.mkdir()
        for rule, path in zip(RULE_FILES.values(), bundled, strict=True):
            shutil.copyfile(path, clinic / rule.name)
        files = [*bundled, *(clinic / rule.name for rule in RULE_FILES.values())]

        def bare() -> None:
            for path in files:
                yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        floor, load = best_of_each(30, bare, lambda: RulesLibrary.load([clinic]))
        assert not RulesLibrary.load([clinic]).errors
    print(f"rules    {len(files)} files (bundled + a clinic copy of each): load+validate {load * 1000:.1f} ms vs bare "
          f"YAML parse {floor * 1000:.1f} ms -> {load / floor:.2f}x (target <= 1.5x)")  # fmt: skip


if __name__ == "__main__":
    main()
