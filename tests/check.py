"""Every check CI runs, in one command: lint, format, types, import contracts, then the test suite.

Run it with the project's virtualenv Python (see README); extra arguments go to pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLATFORMS = ("linux", "win32", "darwin")


def tool(name: str) -> str:
    for candidate in (BIN / name, BIN / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    return name


def mypy_for(platform: str) -> list[str]:
    return [tool("mypy"), "--platform", platform, "--cache-dir", f".mypy_cache/{platform}", "src"]


def steps(pytest_arguments: list[str]) -> list[tuple[str, list[str]]]:
    return [
        ("ruff lint", [tool("ruff"), "check", "."]),
        ("ruff format", [tool("ruff"), "format", "--check", "."]),
        # The whole of src/ (strict; the gaps listed per module in pyproject.toml) as each platform the app is
        # built for sees it: no POSIX-only call without a guard.
        *[(f"mypy (src, {platform})", mypy_for(platform)) for platform in PLATFORMS],
        ("import contracts", [tool("lint-imports")]),
        # pytest exits 5 when it collected nothing; any non-zero code fails the run.
        ("pytest", [sys.executable, "-m", "pytest", *pytest_arguments]),
    ]


def main() -> int:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    failed = []
    for name, command in steps(sys.argv[1:]):
        print(f"\n=== {name}: {' '.join(command)}", flush=True)
        code = subprocess.run(command, cwd=ROOT, env=environment).returncode
        if code != 0:
            print(f"=== {name} FAILED (exit code {code})", flush=True)
            failed.append(name)
    print(f"\n=== {'FAILED: ' + ', '.join(failed) if failed else 'all checks passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
