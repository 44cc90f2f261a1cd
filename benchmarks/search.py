"""Patient search over 100,000 patients: the service against the same SQL in raw sqlite3, same run.

    .venv/bin/python benchmarks/search.py [--patients N] [--db FILE]

Reports median and p95 latency for 2-, 3- and 6-character queries (substrings of real names and CPR
numbers in the data) and the ratio service / raw. Targets: median <= 20 ms, ratio <= 1.5x.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.demo import load_demo
from smerteagent.storage.search import build_search, search_terms
from smerteagent.storage.services import Services, open_services

REPEATS = 5


def queries(services: Services, length: int, count: int, rng: random.Random) -> list[str]:
    """Substrings of the stored names (and CPR digits), as a clinician would type them."""
    people = services.patients.recent(limit=2000)
    found = []
    while len(found) < count:
        person = rng.choice(people)
        source = rng.choice([person.family_name, person.given_name, person.cpr or person.family_name])
        if len(source) >= length:
            start = 0 if length < 3 else rng.randint(0, len(source) - length)
            found.append(source[start : start + length])
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_service(services: Services, query: str) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        rows = len(services.patients.search(query))
        best = min(best, time.perf_counter() - start)
    return best, rows


def time_raw(connection: sqlite3.Connection, query: str) -> tuple[float, int]:
    statement = build_search("sqlite", search_terms(query), 50)
    best, rows = float("inf"), 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        rows = len(connection.execute(statement.sql, statement.parameters).fetchall())
        best = min(best, time.perf_counter() - start)
    return best, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="reuse this file (created if missing)")
    parser.add_argument("--queries", type=int, default=60, help="queries per length")
    arguments = parser.parse_args()
    path = arguments.db or Path(tempfile.mkdtemp()) / "search-bench.sqlite"
    forms = FormLibrary.load([bundled_forms_dir()])
    services = open_services(f"sqlite:///{path}", forms, actor="benchmark")
    if services.patients.count() < arguments.patients:
        started = time.perf_counter()
        load_demo(services, arguments.patients - services.patients.count(), seed=11, with_visits=False)
        print(f"loaded {arguments.patients} patients in {time.perf_counter() - started:.1f} s into {path}")
    connection = sqlite3.connect(path)
    rng = random.Random(3)
    print(f"{services.patients.count()} patients; best of {REPEATS} per query; times in ms")
    print("length  queries  service median  p95   raw median  p95    ratio (median)")
    for length in (2, 3, 6):
        texts = queries(services, length, arguments.queries, rng)
        service, raw = [], []
        for query in texts:
            service_time, service_rows = time_service(services, query)
            raw_time, raw_rows = time_raw(connection, query)
            assert service_rows == raw_rows, query
            service.append(service_time * 1000)
            raw.append(raw_time * 1000)
        ratio = statistics.median(service) / statistics.median(raw)
        print(f"{length:>6}  {len(texts):>7}  {statistics.median(service):>14.2f}  {percentile(service, 0.95):>5.2f}"
              f"  {statistics.median(raw):>10.2f}  {percentile(raw, 0.95):>5.2f}  {ratio:>6.2f}x")  # fmt: skip
    connection.close()
    services.close()


if __name__ == "__main__":
    main()
