"""Looking after the database file: schema state and upgrade, backups and restore, encryption on/off and a
new passphrase. The faces call these; each is one implementation in storage."""

from __future__ import annotations

from smerteagent.storage.backup import backup, backups_dir, check_file, list_backups, restore
from smerteagent.storage.conversion import decrypt, encrypt, rekey
from smerteagent.storage.encryption import check_new_passphrase, is_new, resolve_passphrase
from smerteagent.storage.migrate import check_schema, head_revision

__all__ = [
    "backup", "backups_dir", "check_file", "check_new_passphrase", "check_schema", "decrypt", "encrypt",
    "head_revision", "is_new", "list_backups", "rekey", "resolve_passphrase", "restore",
]  # fmt: skip
