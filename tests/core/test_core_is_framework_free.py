"""The core must stay importable without Qt, SQLAlchemy, Alembic or ReportLab ever loading."""

from __future__ import annotations

import subprocess
import sys

FRAMEWORKS = ("PySide6", "sqlalchemy", "alembic", "reportlab")


def test_importing_all_of_core_loads_no_framework() -> None:
    program = f"""
import importlib, pkgutil, sys
import smerteagent.core as core
for module in pkgutil.walk_packages(core.__path__, "smerteagent.core."):
    importlib.import_module(module.name)
loaded = sorted(name for name in sys.modules if name.split(".")[0] in {FRAMEWORKS!r})
print(",".join(loaded))
"""
    output = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == ""
