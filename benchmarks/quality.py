"""The quality report over 10,000 and 100,000 demo patients, against a plain ``SELECT count(*)`` pass over the
responses table of the same database, same run.

    .venv/bin/python benchmarks/quality.py [--sizes 10000 100000] [--folder DIR]

Targets: the report (records read, rules applied, outcomes and trends; no audit write timed) <= 0.5 s over
10,000 patients and <= 5 s over 100,000. The ratio to the count(*) floor is reported, not targeted; so is the
speed-up over the full-record path the summarised one replaced (``compute_report_from_records``, timed once).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.quality.rules import bundled_rules
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.demo import load_demo
from smerteagent.storage.services import open_services
from smerteagent.usecases.quality import compute_report, compute_report_from_records, default_period

REPEATS = 3
TARGETS = {10_000: 0.5, 100_000: 5.0}


def database(folder: Path, size: int, forms: FormLibrary) -> Path:
    path = folder / f"quality-{size}.sqlite"
    services = open_services(f"sqlite:///{path}", forms, actor="benchmark")
    if services.patients.count() < size:
        started = time.perf_counter()
        load_demo(services, size - services.patients.count(), seed=16)
        print(f"loaded {size} demo patients in {time.perf_counter() - started:.1f} s into {path}")
    services.close()
    return path


def floor(path: Path) -> float:
    """Best time of a plain count(*) pass over the responses table (raw sqlite3)."""
    times = []
    for _ in range(REPEATS):
        connection = sqlite3.connect(path)
        started = time.perf_counter()
        connection.execute("SELECT count(*) FROM responses").fetchone()
        times.append(time.perf_counter() - started)
        connection.close()
    return min(times)


def report_time(path: Path, forms: FormLibrary) -> tuple[float, float, int, int, float]:
    """Median wall and CPU time of the whole report (read + rules + outcomes + trends), its patients, the
    responses, and the CPU time of the full-record path once (CPU time tells the report's own cost on a
    machine other programs keep busy)."""
    services = open_services(f"sqlite:///{path}", forms, actor="benchmark")
    start, end = default_period(date.today())
    rules = bundled_rules()
    times, cpu, patients = [], [], 0
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        report = compute_report(services, start, end, rules)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        patients = report.patients
    started_cpu = time.process_time()
    compute_report_from_records(services, start, end, rules)
    before = time.process_time() - started_cpu
    with sqlite3.connect(path) as connection:
        responses = connection.execute("SELECT count(*) FROM responses").fetchone()[0]
    services.close()
    return statistics.median(times), statistics.median(cpu), patients, responses, before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the demo databases here")
    arguments = parser.parse_args()
    folder = arguments.folder or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    forms = FormLibrary.load([bundled_forms_dir()])
    print("patients  in period  responses  report s (cpu s)  target s  count(*) ms  ratio  full records cpu s")
    for size in arguments.sizes:
        path = database(folder, size, forms)
        seconds, cpu, patients, responses, before = report_time(path, forms)
        base = floor(path)
        target = TARGETS.get(size)
        verdict = "" if target is None else (" ok" if seconds <= target else " OVER")
        print(f"{size:>8}  {patients:>9}  {responses:>9}  {seconds:>8.2f} ({cpu:.2f})  {target or '-':>8}{verdict}"
              f"  {base * 1000:>11.2f}  {seconds / base:>6.0f}x  {before:.2f} ({before / cpu:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
