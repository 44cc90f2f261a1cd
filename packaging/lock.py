"""Regenerate the lock files in requirements/ from pyproject.toml (universal: every platform, Python 3.11+).

    pip install uv && python packaging/lock.py

app.txt is the app alone, dev.txt adds the checks and tests, bundle.txt adds PyInstaller to dev.txt (the
smoke test builds the bundle in the dev environment). Each pin carries the hashes of every released file, so
`pip install --require-hashes -r requirements/dev.txt` gets the same packages on any machine, whatever has
been released since.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = {"app": [], "dev": ["dev"], "bundle": ["dev", "bundle"]}


def compile_lock(name: str, extras: list[str]) -> None:
    uv = shutil.which("uv") or sys.exit("uv is needed: pip install uv")
    command = [uv, "pip", "compile", "pyproject.toml", "--universal", "--python-version", "3.11", "--generate-hashes"]
    command += [f"--extra={extra}" for extra in extras]
    command += ["--custom-compile-command", "python packaging/lock.py", "--quiet", "-o", f"requirements/{name}.txt"]
    subprocess.run(command, cwd=ROOT, check=True)


if __name__ == "__main__":
    for name, extras in SETS.items():
        compile_lock(name, extras)
