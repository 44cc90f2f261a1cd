"""Patient search over 100,000 patients: the service against the same SQL in raw sqlite3, same run; then
the same queries on an encrypted copy (SQLCipher) of the same database.

    .venv/bin/python benchmarks/search.py [--patients N] [--db FILE] [--no-encrypted]

Reports median and p95 latency for 2-, 3- and 6-character queries (substrings of real names and CPR
numbers in the data) and the ratio service / raw. Targets: median <= 20 ms, ratio <= 1.5x; the encrypted
copy's service median <= 1.3x the plain one's.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage import conversion
from smerteagent.storage.demo import load_demo
from smerteagent.storage.search import build_search, search_terms
from smerteagent.storage.services import Services, open_services

REPEATS = 5
PASSPHRASE = "benchmark passphrase"


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


def encrypted_copy(path: Path) -> Path:
    """The same database encrypted (made once, next to it, under another name so backups stay apart)."""
    copy = path.with_name(f"{path.stem}-encrypted{path.suffix}")
    if not copy.exists():
        started = time.perf_counter()
        plain = copy.with_name(f"{copy.name}.plain")
        shutil.copy(path, plain)
        conversion.encrypt(plain, PASSPHRASE)
        plain.rename(copy)
        print(f"encrypted a copy in {time.perf_counter() - started:.1f} s: {copy}")
    return copy


def compare_encrypted(plain: Services, path: Path, forms: FormLibrary, count: int, rng: random.Random) -> None:
    """The same queries through the services of the plain file and of its encrypted copy, interleaved."""
    encrypted = open_services(f"sqlite:///{encrypted_copy(path)}", forms, actor="benchmark", passphrase=PASSPHRASE)
    print("encrypted copy (SQLCipher), service only")
    print("length  queries  plain median  p95   encrypted median  p95    ratio (median)")
    for length in (2, 3, 6):
        texts = queries(plain, length, count, rng)
        plain_ms, encrypted_ms = [], []
        for query in texts:
            plain_time, plain_rows = time_service(plain, query)
            encrypted_time, encrypted_rows = time_service(encrypted, query)
            assert plain_rows == encrypted_rows, query
            plain_ms.append(plain_time * 1000)
            encrypted_ms.append(encrypted_time * 1000)
        ratio = statistics.median(encrypted_ms) / statistics.median(plain_ms)
        print(f"{length:>6}  {len(texts):>7}  {statistics.median(plain_ms):>12.2f}  {percentile(plain_ms, 0.95):>5.2f}"
              f"  {statistics.median(encrypted_ms):>16.2f}  {percentile(encrypted_ms, 0.95):>5.2f}"
              f"  {ratio:>6.2f}x (target <= 1.3x)")  # fmt: skip
    encrypted.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="reuse this file (created if missing)")
    parser.add_argument("--queries", type=int, default=60, help="queries per length")
    parser.add_argument("--no-encrypted", action="store_true", help="skip the encrypted copy")
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
    if not arguments.no_encrypted:
        compare_encrypted(services, path, forms, arguments.queries, rng)
    services.close()


if __name__ == "__main__":
    main()
