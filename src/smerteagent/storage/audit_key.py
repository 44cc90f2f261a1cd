"""The clinic's audit key: a secret kept outside the database that seals every audit event (HMAC-SHA256).

A hash chain shows edits, but anyone who can write to the database and knows the (published) rule can
append an event with a valid hash. A seal needs the key, so an event appended or rewritten without it is
detected by ``audit verify`` with the key. The key lives in a file outside the database: ``--audit-key-file``,
else ``SMERTEAGENT_AUDIT_KEY_FILE``, else ``audit.key`` in the user's configuration folder if it exists.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from smerteagent.core.errors import SmerteAgentError
from smerteagent.i18n import _

KEY_VARIABLE = "SMERTEAGENT_AUDIT_KEY_FILE"
KEY_BYTES = 32
KEY_CHECK_WINDOW = 50  # newest events looked at on opening to tell a wrong key from a forged tail


class AuditKeyProblem(SmerteAgentError):
    """The audit key cannot be read, or does not fit this database's sealed audit trail; names the file."""


def default_key_path() -> Path:
    from platformdirs import user_config_path

    from smerteagent.paths import APP_NAME

    return user_config_path(APP_NAME, appauthor=False) / "audit.key"


def key_path(given: Path | None = None) -> Path | None:
    """Where the key is: the option, the environment, or the default file when it exists (else no key)."""
    if given is not None:
        return given
    if os.environ.get(KEY_VARIABLE):
        return Path(os.environ[KEY_VARIABLE])
    default = default_key_path()
    return default if default.is_file() else None


def load_key(given: Path | None = None) -> bytes | None:
    """The key's bytes, or None when no key is configured; a named file that cannot be used is an error."""
    path = key_path(given)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="ascii").strip().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        problem = _("cannot be read ({cause})").format(cause=error.__class__.__name__)
        raise AuditKeyProblem(_("audit key file {file}: {problem}").format(file=path, problem=problem)) from None
    try:
        key = bytes.fromhex(text[0]) if text else b""
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        problem = _("not an audit key (one line of {count} hex digits)").format(count=2 * KEY_BYTES)
        raise AuditKeyProblem(_("audit key file {file}: {problem}").format(file=path, problem=problem))
    return key


def create_key(path: Path) -> bytes:
    """A new random key in a new file, readable by its owner only; never overwrites a file."""
    key = secrets.token_bytes(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        problem = _("exists already; nothing was changed")
        raise AuditKeyProblem(_("audit key file {file}: {problem}").format(file=path, problem=problem)) from None
    except OSError as error:
        problem = _("cannot be created ({cause})").format(cause=error.strerror)
        raise AuditKeyProblem(_("audit key file {file}: {problem}").format(file=path, problem=problem)) from None
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(key.hex() + "\n")
    return key


def seal(key: bytes, digest: str) -> str:
    """The event's seal: HMAC-SHA256 over its hash (which covers its content and the whole chain before it)."""
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


def fingerprint(key: bytes) -> str:
    """A short name for a key that reveals nothing of it, to tell two keys apart in messages."""
    return hashlib.sha256(b"smerteagent-audit-key" + key).hexdigest()[:12]


def refuse_foreign_key(audit_key: bytes, newest: list[tuple[str, str | None]]) -> None:
    """On opening: ``newest`` are the (hash, seal) of the newest KEY_CHECK_WINDOW events, newest first. The
    sealed ones must include one this key made (not just the newest, which may be a forgery that ``audit
    verify`` is there to name); else the key file is the wrong one, said at once."""
    seals = [(digest, made) for digest, made in newest if made is not None]
    if seals and not any(hmac.compare_digest(made, seal(audit_key, digest)) for digest, made in seals):
        raise AuditKeyProblem(
            _("the audit key (fingerprint {fingerprint}) is not the key this database's audit trail is sealed "
              "with; nothing was changed").format(fingerprint=fingerprint(audit_key))
        )  # fmt: skip
