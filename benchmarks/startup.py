"""Start-up of the desktop app on a 10,000-patient database, next to a bare PySide6 window, same run.

    .venv/bin/python benchmarks/startup.py [--runs N] [--patients N] [--no-encrypted]

Both are started the same way (a new Python process, offscreen) and timed from process start:
first paint, ready (the patient list on screen; compared with the bare window's whole process), storage
ready (the list and its search work on the checked file: on a plain SQLite file the standard-library reader
of usecases.list_reader, after the cheap checks; else the services), services (SQLAlchemy's ORM, the forms,
the audit key: logging in, opening a patient and every write), peak memory. The app also names the heavy
modules already imported when storage was ready (none, on the reader).
A third process shows what the services cost at the least: the bare window that, once painted, only
imports SQLAlchemy's ORM and the app's table mapping, nothing else (the floor under the services' figure,
and what storage ready cost before the reader).
Targets: first paint <= 1.5x the bare window, ready <= 2x, storage ready <= 4x the bare window's first
paint, peak memory <= bare + 80 MB.
The app's own modules are byte-compiled first (as an installed wheel or bundle has them; a shell with
PYTHONDONTWRITEBYTECODE set would otherwise compile all of them at every start): --no-compile measures that.
The same app is also started on an encrypted copy of the database (passphrase from a file), interleaved
with the plain runs: ready and storage <= 1.3x the plain file's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import json, os, time
from pathlib import Path
fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
uptime = float(Path("/proc/uptime").read_text().split()[0])
started = time.perf_counter() - (uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(json.dumps({"first_paint_ms": round((time.perf_counter() - started) * 1000, 1),
                              "first_paint_cpu_ms": round(time.process_time() * 1000, 1)}), flush=True)
            QTimer.singleShot(0, app.quit)
        return False
painter = FirstPaint()
window.installEventFilter(painter)
window.show()
app.exec()
"""

# The bare window that, after its first paint, imports what search runs on and nothing more.
ORM_FLOOR = BARE.replace(
    "            QTimer.singleShot(0, app.quit)",
    "            QTimer.singleShot(0, orm)",
).replace(
    "painter = FirstPaint()",
    """def orm():
    import sqlalchemy.orm
    import smerteagent.storage.models
    print(json.dumps({"first_paint_ms": 0, "orm_ms": round((time.perf_counter() - started) * 1000, 1),
                      "orm_cpu_ms": round(time.process_time() * 1000, 1)}), flush=True)
    app.quit()
painter = FirstPaint()""",
)

PASSPHRASE = "benchmark passphrase"


def measure(command: list[str]) -> dict[str, float]:
    """One run: the JSON the process prints, its wall time and its peak resident memory."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment, text=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    assert process.stdout is not None
    output = process.stdout.read()
    process.stdout.close()
    if status != 0:
        raise RuntimeError(f"{command} exited with {status}")
    figures = json.loads(output.strip().splitlines()[-1])
    return {**figures, "wall_ms": wall, "peak_mb": usage.ru_maxrss / 1024}


def median(runs: list[dict[str, float]], key: str) -> float:
    """The median of one figure; NaN when the app measured does not report it (an older version)."""
    return statistics.median(run.get(key, float("nan")) for run in runs)


def encrypted_command(database: Path) -> list[str]:
    """The app on an encrypted copy of ``database`` (made once, beside it), its passphrase in a file."""
    copy = database.with_name(f"{database.stem}-encrypted{database.suffix}")
    key = database.with_name("benchmark-passphrase.txt")
    key.write_text(PASSPHRASE)
    if not copy.exists():
        plain = copy.with_name(f"{copy.name}.plain")
        shutil.copy(database, plain)
        subprocess.run([sys.executable, "-m", "smerteagent.cli.main", "--db", str(plain), "--passphrase-file",
                        str(key), "db", "encrypt"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        plain.rename(copy)
    return [sys.executable, "-m", "smerteagent.cli.main", "--db", str(copy), "--passphrase-file", str(key),
            "--exit-after-startup"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="reuse this database (created with demo data if missing)")
    parser.add_argument("--no-encrypted", action="store_true", help="skip the runs on an encrypted copy")
    parser.add_argument("--no-compile", action="store_true", help="do not byte-compile the app's modules first")
    arguments = parser.parse_args()
    if not arguments.no_compile:
        import compileall

        import smerteagent

        compileall.compile_dir(Path(smerteagent.__file__).parent, quiet=1)
    database = arguments.db or Path(tempfile.mkdtemp()) / "startup.sqlite"
    if not database.exists():
        subprocess.run([sys.executable, "-m", "smerteagent.cli.main", "--db", str(database), "demo",
                        "--patients", str(arguments.patients)], check=True, stderr=subprocess.DEVNULL)  # fmt: skip
    bare_script = Path(tempfile.mkdtemp()) / "bare_window.py"
    bare_script.write_text(BARE)
    floor_script = bare_script.with_name("orm_floor.py")
    floor_script.write_text(ORM_FLOOR)
    app = [sys.executable, "-m", "smerteagent.cli.main", "--db", str(database), "--exit-after-startup"]
    measure(app)  # warm the file cache and take the day's backup outside the measured runs
    encrypted_app = [] if arguments.no_encrypted else encrypted_command(database)
    if encrypted_app:
        measure(encrypted_app)
    bare_runs, app_runs, encrypted_runs, floor_runs = [], [], [], []
    for _ in range(arguments.runs):
        bare_runs.append(measure([sys.executable, str(bare_script)]))
        floor_runs.append(measure([sys.executable, str(floor_script)]))
        app_runs.append(measure(app))
        if encrypted_app:
            encrypted_runs.append(measure(encrypted_app))
    bare_paint, bare_wall = median(bare_runs, "first_paint_ms"), median(bare_runs, "wall_ms")
    paint, ready = median(app_runs, "first_paint_ms"), median(app_runs, "ready_ms")
    storage = median(app_runs, "storage_ms")
    bare_peak, peak = median(bare_runs, "peak_mb"), median(app_runs, "peak_mb")
    print(f"{arguments.runs} runs each, medians; database {database}")
    print(f"bare window: first paint {bare_paint:.0f} ms, whole process {bare_wall:.0f} ms, peak {bare_peak:.0f} MB")
    print(f"SmerteAgent: first paint {paint:.0f} ms, list ready {ready:.0f} ms, storage ready {storage:.0f} ms, "
          f"peak {peak:.0f} MB")  # fmt: skip
    print(f"first paint {paint / bare_paint:.2f}x (target <= 1.5x); ready {ready / bare_wall:.2f}x the bare "
          f"process (target <= 2x); storage {storage / bare_wall:.2f}x; memory +{peak - bare_peak:.1f} MB "
          "(target <= 80 MB)")  # fmt: skip
    print(f"storage ready {storage / bare_paint:.2f}x the bare window's first paint (target <= 4x)")
    heavy = sorted({name for run in app_runs for name in run.get("heavy_at_storage_ready", ["(not reported)"])})
    print(f"heavy modules imported when storage was ready: {', '.join(heavy) or 'none'}")
    services = median(app_runs, "services_ms")
    floor = median(floor_runs, "orm_ms")
    print(f"services loaded (login, opening a patient, writes) at {services:.0f} ms = "
          f"{services / bare_paint:.2f}x the bare window's first paint (no target)")  # fmt: skip
    bare_cpu, storage_cpu, floor_cpu = (median(bare_runs, "first_paint_cpu_ms"), median(app_runs, "storage_cpu_ms"),
                                        median(floor_runs, "orm_cpu_ms"))  # fmt: skip
    services_cpu = median(app_runs, "services_cpu_ms")
    print(f"floor: the bare window, then only SQLAlchemy's ORM and the table mapping imported, ready at {floor:.0f} ms "
          f"= {floor / bare_paint:.2f}x the bare window's first paint")  # fmt: skip
    print(f"CPU time (steadier on a loaded machine): bare window to first paint {bare_cpu:.0f} ms; "
          f"SmerteAgent to storage ready {storage_cpu:.0f} ms = {storage_cpu / bare_cpu:.2f}x; "
          f"to services {services_cpu / bare_cpu:.2f}x; floor {floor_cpu / bare_cpu:.2f}x")  # fmt: skip
    if encrypted_runs:
        figures = ("first_paint_ms", "ready_ms", "storage_ms", "services_ms", "peak_mb")
        keyed = {key: median(encrypted_runs, key) for key in figures}
        print(f"encrypted copy: first paint {keyed['first_paint_ms']:.0f} ms, list ready {keyed['ready_ms']:.0f} ms, "
              f"storage ready {keyed['storage_ms']:.0f} ms, services {keyed['services_ms']:.0f} ms, "
              f"peak {keyed['peak_mb']:.0f} MB")  # fmt: skip
        print(f"encrypted / plain: ready {keyed['ready_ms'] / ready:.2f}x, "
              f"storage {keyed['storage_ms'] / storage:.2f}x (target <= 1.3x), "
              f"services {keyed['services_ms'] / services:.2f}x; memory +{keyed['peak_mb'] - peak:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
