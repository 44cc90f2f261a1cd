"""Answer -> next item in the screening view: save (a committed, fsynced transaction), advance, redraw.

    .venv/bin/python benchmarks/answer_latency.py [--answers N]

Floor in the same run: the same database's raw sqlite3 UPDATE + COMMIT with synchronous=FULL, which is
what durability alone costs. Target: median and p95 <= 16 ms (one frame).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.screening_session import ScreeningSession
from smerteagent.storage.services import open_services
from smerteagent.ui.screening_view import ScreeningView


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=270)
    arguments = parser.parse_args()
    app = QApplication([])
    path = f"{tempfile.mkdtemp()}/latency.sqlite"
    services = open_services(f"sqlite:///{path}", FormLibrary.load([bundled_forms_dir()]), actor="bench")
    patient, _ = services.patients.add(PatientInput("Bench", "Mærk", no_cpr=True))
    timings: list[float] = []
    while len(timings) < arguments.answers:
        view = ScreeningView(ScreeningSession.start(services, patient, "gp", form_id="phq9"))
        view.show()
        app.processEvents()
        for index in range(9):
            start = time.perf_counter()
            view.choose(index % 4)
            app.processEvents()
            timings.append((time.perf_counter() - start) * 1000)
        view.close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=FULL")
    floor = []
    for index in range(arguments.answers):
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE responses SET updated_at = ? WHERE id = 1", (str(index),))
        connection.execute("COMMIT")
        floor.append((time.perf_counter() - start) * 1000)
    connection.close()
    services.close()
    print(f"{len(timings)} answers: median {statistics.median(timings):.2f} ms, p95 {percentile(timings, 0.95):.2f} ms "
          f"(target <= 16 ms); raw sqlite3 durable commit median {statistics.median(floor):.2f} ms, "
          f"ratio {statistics.median(timings) / statistics.median(floor):.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
