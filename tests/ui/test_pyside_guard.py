"""Guard against PySide6 builds that leak references to None on void calls (6.12.0 on Python 3.11).

Such a build aborts the interpreter with ``none_dealloc`` after a few thousand Qt calls; pyproject pins
it away, and this test fails loudly if the pin is ever lost.
"""

from __future__ import annotations

import sys

from PySide6 import QtCore


def test_void_qt_calls_keep_none_refcount() -> None:
    target = QtCore.QObject()
    calls = 5000
    before = sys.getrefcount(None)
    for index in range(calls):
        target.setObjectName(f"guard{index % 7}")
    drift = before - sys.getrefcount(None)
    assert drift < calls // 2, f"None lost {drift} references over {calls} void Qt calls"
