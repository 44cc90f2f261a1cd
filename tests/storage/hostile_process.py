"""Child process for the hostile-environment tests: what another program or a hostile machine does.

``hold URL``: take SQLite's exclusive lock and hold it until stdin closes (another program).
``write URL COUNT [LIMIT_BYTES]``: open the services, optionally cap the size of any file this process
may write (RLIMIT_FSIZE, SIGXFSZ ignored: a full disk), add COUNT patients with long notes, printing
``saved N`` after each; the first refusal prints ``refused REASON: MESSAGE`` and ends the run.
Anything else (a traceback) is a bug the parent reports.
"""

from __future__ import annotations

import resource
import signal
import sqlite3
import sys

from smerteagent.core.errors import StorageUnavailable
from smerteagent.core.forms.loader import FormLibrary
from smerteagent.core.patients import PatientInput
from smerteagent.paths import bundled_forms_dir
from smerteagent.storage.services import open_services

NOTE = "æøå" * 3000


def hold(path: str) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    print("holding", flush=True)
    sys.stdin.read()
    connection.execute("ROLLBACK")


def write(url: str, count: int, limit: int | None) -> None:
    try:
        services = open_services(url, FormLibrary.load([bundled_forms_dir()]), actor="hostile-test")
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        for number in range(count):
            services.patients.add(PatientInput("Ny", f"Patient {number}", no_cpr=True, note=NOTE))
            print(f"saved {number}", flush=True)
    except StorageUnavailable as error:
        print(f"refused {error.reason}: {error}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "hold":
        hold(sys.argv[2])
    else:
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else None)
