"""Logging in: AccountService.log_in (Argon2id verify, the account read and the audit event written) vs a
bare argon2-cffi verify of the same hash, same run.

    .venv/bin/python benchmarks/login.py [--runs N]

Target (issue 6): a login ≤ 0.5 s. The ratio shows what the storage around the hash costs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher

from smerteagent.core.accounts import ADMINISTRATOR
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import open_services

PASSWORD = "rød-kaffe-på-kanden"


def median_ms(runs: int, action: object) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        services = open_services(f"sqlite:///{Path(folder) / 'login.sqlite'}", FormLibrary.load([bundled_forms_dir()]))
        try:
            services.accounts.create("mette", "Mette Kjær", PASSWORD, ADMINISTRATOR)
            hasher, stored = PasswordHasher(), PasswordHasher().hash(PASSWORD)
            bare = median_ms(runs, lambda: hasher.verify(stored, PASSWORD))
            login = median_ms(runs, lambda: services.accounts.log_in("mette", PASSWORD))
        finally:
            services.close()
    print(
        f"login    median {login:.0f} ms (target <= 500 ms); bare Argon2id verify {bare:.0f} ms -> {login / bare:.2f}x"
    )


if __name__ == "__main__":
    main()
