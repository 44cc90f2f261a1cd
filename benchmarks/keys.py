"""Key presses of the whole consultation by keyboard only (issue 15), against the first wave's 246.

    .venv/bin/python benchmarks/keys.py

Plays tests/ui/test_keyboard_consultation.py (a new patient, the GP battery with its follow-ups, the
visit overview, one suicide-risk action, a care plan with value, goal, action, treatments, two drugs from
the catalogue and follow-up, print, journal note) and reports its counts. Presses are every key that is
not typed text (Tab, Enter, arrows, Space, Alt letters, Ctrl shortcuts, the print dialog's Enter) and
include the digits that answer questions; typed characters (names, CPR number, goals, notes) are apart.
Target: <= 120 presses. The floor is the same consultation as the first wave played it: 246 presses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

FIRST_WAVE = 246
TARGET = 120


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "keys.json"
        environment = {**os.environ, "KEYBOARD_COUNT_FILE": str(out), "QT_QPA_PLATFORM": "offscreen"}
        test = "tests/ui/test_keyboard_consultation.py::test_the_whole_consultation_by_keyboard"
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
                             cwd=root, env=environment, capture_output=True, text=True)  # fmt: skip
        if run.returncode != 0 or not out.exists():
            print(run.stdout[-3000:], run.stderr[-2000:], sep="\n")
            print("the keyboard scenario failed: no count")
            return 1
        counts = json.loads(out.read_text())
    presses = counts["key_presses"]
    print(f"consultation by keyboard: {presses} key presses ({counts['answer_keys']} of them answer digits), "
          f"{counts['typed_characters']} typed characters")  # fmt: skip
    print(f"ratio to the first wave's {FIRST_WAVE}: {presses / FIRST_WAVE:.2f}x; target <= {TARGET}: "
          f"{'met' if presses <= TARGET else 'MISSED'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
