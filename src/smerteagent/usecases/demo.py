"""Demo patients for training and trying the app (audited as one demo batch)."""

from __future__ import annotations

from smerteagent.storage.demo import load_demo

__all__ = ["load_demo"]
