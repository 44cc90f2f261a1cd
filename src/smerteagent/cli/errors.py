"""The command line's exit codes and its input error: a leaf module every command module may import.

Kept apart from cli/common.py so that modules common.py itself uses (cli/passphrase.py) need not import it.
"""

from __future__ import annotations

from smerteagent.core.errors import SmerteAgentError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class InputError(SmerteAgentError):
    """Input named on the command line (a file, a line, an item) that cannot be used, and where."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code
