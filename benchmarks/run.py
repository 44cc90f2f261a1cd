"""SmerteAgent benchmarks, each reported as a ratio against a floor measured in the same run.

    .venv/bin/python benchmarks/run.py [--quick]

- forms: loading + validating + compiling all bundled forms vs. parsing the same files with bare PyYAML
  (CSafeLoader). Target <= 2x.
- scoring: 10,000 random answer sets per instrument through CompiledForm.score. Target >= 50,000 sets/s;
  the floor is a plain Python sum over the same answer dicts.
- partial: complete answer sets, and the same sets with 1-3 required items left unanswered (the range-aware
  path that decides bands and flags over every completion). Targets >= 50,000 and >= 20,000 sets/s.
- batch: `smerteagent score --batch -` over JSON lines in a subprocess vs. json.loads+json.dumps per line.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial

import yaml

from smerteagent.core.forms.loader import FormLibrary, form_files
from smerteagent.core.scoring.engine import CompiledForm
from smerteagent.paths import bundled_forms_dir


def best_of(repeats: int, action: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of ``repeats`` runs, in seconds: the least disturbed by the rest of the machine."""
    timings = []
    for _ in range(repeats):
        start = clock()
        action()
        timings.append(clock() - start)
    return min(timings)


def random_answers(form: CompiledForm, rng: random.Random, count: int) -> list[dict[str, object]]:
    sets = []
    for _ in range(count):
        answers: dict[str, object] = {}
        for item_id, rule in form.items.items():
            if rng.random() < 0.05:
                continue
            if rule.is_text:
                answers[item_id] = "aktivitet"
            elif rule.allowed is not None:
                answers[item_id] = rng.choice(sorted(rule.allowed))
            else:
                assert rule.low is not None and rule.high is not None
                answers[item_id] = rng.randint(rule.low, rule.high)
        sets.append(answers)
    return sets


def bench_forms(repeats: int) -> None:
    folder = bundled_forms_dir()
    files = form_files(folder) + form_files(folder / "batteries")

    def bare() -> None:
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    bare_time = best_of(repeats, bare)
    load_time = best_of(repeats, lambda: FormLibrary.load([folder]))
    print(
        f"forms    {len(files)} files: bare YAML parse {bare_time * 1000:.1f} ms, "
        f"load+validate+compile {load_time * 1000:.1f} ms -> {load_time / bare_time:.2f}x (target <= 2x)"
    )


def score_all(form: CompiledForm, sets: list[dict[str, object]], sexes: list[str | None]) -> None:
    for answers, sex in zip(sets, sexes, strict=True):
        form.score(answers, sex)


def sum_all(sets: list[dict[str, object]]) -> None:
    for answers in sets:
        sum(v for v in answers.values() if isinstance(v, int))


def bench_scoring(count: int) -> None:
    library = FormLibrary.load([bundled_forms_dir()])
    rng = random.Random(2026)
    total_sets, total_time, floor_time = 0, 0.0, 0.0
    slowest = ("", float("inf"))
    for form_id in sorted(library.forms):
        form = library.get(form_id)
        sets = random_answers(form, rng, count)
        sexes = [rng.choice(("female", "male", None)) for _ in sets]
        elapsed = best_of(3, partial(score_all, form, sets, sexes))
        floor_time += best_of(3, partial(sum_all, sets))
        rate = count / elapsed
        slowest = min(slowest, (form_id, rate), key=lambda pair: pair[1])
        total_sets += count
        total_time += elapsed
    print(
        f"scoring  {total_sets} answer sets over {len(library.forms)} instruments: "
        f"{total_sets / total_time:,.0f} sets/s (target >= 50,000); "
        f"slowest {slowest[0]} {slowest[1]:,.0f}/s, "
        f"{total_time / floor_time:.1f}x a bare Python sum of the same answers"
    )


def complete_answers(form: CompiledForm, rng: random.Random, count: int) -> list[dict[str, object]]:
    """Every item answered with a value it allows (free text included)."""
    sets = []
    for _ in range(count):
        answers: dict[str, object] = {}
        for item_id, rule in form.items.items():
            if rule.is_text:
                answers[item_id] = "aktivitet"
            elif rule.allowed is not None:
                answers[item_id] = rng.choice(sorted(rule.allowed))
            else:
                assert rule.low is not None and rule.high is not None
                answers[item_id] = rng.randint(rule.low, rule.high)
        sets.append(answers)
    return sets


def leave_out(form: CompiledForm, sets: list[dict[str, object]], rng: random.Random) -> list[dict[str, object]]:
    """The same sets with 1-3 required scored items unanswered."""
    required = [item_id for item_id, rule in form.items.items() if rule.required and not rule.is_text]
    partial_sets = []
    for answers in sets:
        dropped = rng.sample(required, min(len(required), rng.randint(1, 3))) if required else []
        partial_sets.append({k: v for k, v in answers.items() if k not in dropped})
    return partial_sets


def bench_partial(count: int) -> None:
    library = FormLibrary.load([bundled_forms_dir()])
    rng = random.Random(13)
    timings = {"complete": 0.0, "1-3 missing": 0.0, "floor": 0.0}
    clock = time.process_time  # this process's CPU time: other work on a shared machine does not count
    for form_id in sorted(library.forms):
        form = library.get(form_id)
        complete = complete_answers(form, rng, count)
        partial_sets = leave_out(form, complete, rng)
        sexes = [rng.choice(("female", "male", None)) for _ in complete]
        timings["complete"] += best_of(3, partial(score_all, form, complete, sexes), clock)
        timings["1-3 missing"] += best_of(3, partial(score_all, form, partial_sets, sexes), clock)
        timings["floor"] += best_of(3, partial(sum_all, partial_sets), clock)
    total = count * len(library.forms)
    complete_rate, partial_rate = total / timings["complete"], total / timings["1-3 missing"]
    print(
        f"partial  {total} sets each (CPU time): complete {complete_rate:,.0f} sets/s (target >= 50,000), "
        f"1-3 required items missing {partial_rate:,.0f} sets/s (target >= 20,000); missing/complete "
        f"{partial_rate / complete_rate:.2f}x; missing {timings['1-3 missing'] / timings['floor']:.1f}x a bare sum"
    )


def bench_batch(lines: int) -> None:
    library = FormLibrary.load([bundled_forms_dir()])
    rng = random.Random(7)
    forms = sorted(library.forms)
    requests = []
    for _ in range(lines):
        form = library.get(rng.choice(forms))
        requests.append(json.dumps({"form": form.id, "answers": random_answers(form, rng, 1)[0], "sex": "female"}))
    text = "\n".join(requests) + "\n"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "smerteagent.cli.main", "score", "--batch", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    assert len(result.stdout.splitlines()) == lines
    floor = best_of(1, lambda: [json.dumps(json.loads(line)) for line in requests])
    print(
        f"batch    {lines} lines through `smerteagent score --batch -`: {lines / elapsed:,.0f} lines/s "
        f"including start-up ({elapsed:.2f} s); {elapsed / floor:.1f}x bare json.loads+dumps of the lines"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    quick = parser.parse_args().quick
    print(f"Python {sys.version.split()[0]}; forms from {bundled_forms_dir()}")
    bench_forms(repeats=5 if quick else 20)
    bench_scoring(count=1_000 if quick else 10_000)
    bench_partial(count=1_000 if quick else 10_000)
    bench_batch(lines=2_000 if quick else 20_000)


if __name__ == "__main__":
    main()
