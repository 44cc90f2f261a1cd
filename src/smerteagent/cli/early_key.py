"""An encrypted database's key takes ~0.1 s to derive (on purpose, against guessing): the app begins that
on a thread before it imports Qt, so the key is ready when the first look at the patient list needs it.

Kept apart from the other passphrase code so that a plain database's start imports nothing more.
"""

from __future__ import annotations

import os
import threading


def derive_key_early(db_url: str | None, passphrase: str | None) -> None:
    if not (passphrase or os.environ.get("SMERTEAGENT_DB_PASSPHRASE")):
        return  # no key to derive: no thread competing with the first paint

    def derive() -> None:
        from smerteagent.usecases.location import resolve_url, warm_up

        warm_up(resolve_url(db_url), passphrase)

    threading.Thread(target=derive, name="derive-key", daemon=True).start()
