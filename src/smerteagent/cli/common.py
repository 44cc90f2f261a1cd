"""What the subcommands share: loading the form library and reporting problems on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.paths import form_folders


def load_library(arguments: argparse.Namespace, *, quiet: bool = False) -> FormLibrary:
    """Bundled forms plus the user folders; broken files are reported and skipped."""
    extra: Path | None = getattr(arguments, "forms_dir", None)
    library = FormLibrary.load(form_folders(extra))
    if not quiet:
        for error in library.errors:
            print(f"warning: skipped {error}", file=sys.stderr)
    return library


def fail(message: str, code: int) -> int:
    """Print a one-line message on stderr and return the exit code."""
    print(f"smerteagent: {' '.join(message.split())}", file=sys.stderr)
    return code
