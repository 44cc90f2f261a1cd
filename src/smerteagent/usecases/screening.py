"""A screening visit in progress (battery, one form, resumed): one session object both faces drive."""

from __future__ import annotations

from smerteagent.storage.screening_session import ScreeningSession

__all__ = ["ScreeningSession"]
