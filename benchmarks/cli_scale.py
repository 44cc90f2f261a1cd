"""Every CLI command costs the same on a 100,000-patient register as on a 50-patient one (same run).

    .venv/bin/python benchmarks/cli_scale.py [--runs N] [--patients N] [--db FILE]

Each command runs as a new process (as a user runs it), alternately on the small and the large file, and
is timed whole (start-up included); the ratio large / small of the medians is reported. Opening reads
only the header, the schema and the last check's result, so nothing should grow with the register.
Target: <= 1.2x for every command. The daily backup is taken in a warm-up run, outside the measurement.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.demo import load_demo
from smerteagent.storage.services import open_services

COMMANDS = [
    ["patients", "list"],
    ["patients", "search", "søren"],
    ["patients", "search", "ha"],
    ["patients", "show", "1"],
    ["settings", "show"],
    ["accounts", "list"],
    ["db", "backups"],
]


def register(path: Path, patients: int) -> Path:
    """A register of ``patients`` demo patients at ``path`` (kept for the next run)."""
    services = open_services(f"sqlite:///{path}", FormLibrary.load([bundled_forms_dir()]), actor="benchmark")
    try:
        missing = patients - services.patients.count()
        if missing > 0:
            started = time.perf_counter()
            load_demo(services, missing, seed=5, with_visits=False)
            print(f"loaded {patients} patients in {time.perf_counter() - started:.1f} s into {path}")
    finally:
        services.close()
    return path


def timed(database: Path, command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "smerteagent.cli.main", "--db", str(database), *command], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="reuse this large register (created if missing)")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    large = register(arguments.db or folder / "large" / "klinik.sqlite", arguments.patients)
    small = register(folder / "small" / "klinik.sqlite", 50)
    for database in (small, large):
        timed(database, ["patients", "list"])  # the daily backup, and the file in the OS cache
    print(f"{arguments.runs} runs each, medians of whole processes in ms; 50 vs {arguments.patients:,} patients")
    worst = 0.0
    for command in COMMANDS:
        small_ms, large_ms = [], []
        for _ in range(arguments.runs):
            small_ms.append(timed(small, command))
            large_ms.append(timed(large, command))
        ratio = statistics.median(large_ms) / statistics.median(small_ms)
        worst = max(worst, ratio)
        print(f"{' '.join(command):<24} {statistics.median(small_ms):7.0f} {statistics.median(large_ms):7.0f}"
              f"  {ratio:5.2f}x")  # fmt: skip
    print(f"worst ratio {worst:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
