"""The clinic's audit key (a file that seals every audit event): where it is, making one, its fingerprint.
Light on purpose: the app's start sets the key's variable before storage loads."""

from __future__ import annotations

from smerteagent.storage.audit_key import KEY_VARIABLE, create_key, default_key_path, fingerprint, key_path

__all__ = ["KEY_VARIABLE", "create_key", "default_key_path", "fingerprint", "key_path"]
