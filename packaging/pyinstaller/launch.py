"""The frozen app's entry script: the same ``smerteagent`` command the wheel installs.

Not named ``smerteagent.py``: PyInstaller puts this folder on the import path while it analyses, and a
script of the package's name would hide the package.
"""

import sys

from smerteagent.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
