"""A care plan as plain JSON and back, exactly: for work kept as a clinician's private draft (a switch of user
at the lock) until that clinician takes it back. Every field of every plan dataclass round-trips; an unknown
or malformed snapshot is refused, never read half."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from typing import Any

from smerteagent.core.careplan.plan import CarePlan
from smerteagent.core.errors import SmerteAgentError

FORMAT = 1


class SnapshotError(SmerteAgentError):
    """A kept snapshot that does not read back as a care plan."""


def plan_to_json(plan: CarePlan) -> dict[str, Any]:
    return {"format": FORMAT, "plan": _encode(plan)}


def plan_from_json(data: dict[str, Any]) -> CarePlan:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError("unknown care-plan snapshot format")
    try:
        plan = _decode(CarePlan, data["plan"])
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"care-plan snapshot does not read back: {error}") from error
    assert isinstance(plan, CarePlan)
    return plan


def _encode(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in a care-plan snapshot")


def _decode(kind: Any, value: Any) -> object:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        if value is None:
            return None
        if len(options) != 1:
            raise TypeError(f"ambiguous field type {kind}")
        return _decode(options[0], value)
    if origin is tuple:
        (inner, _ellipsis) = typing.get_args(kind)
        return tuple(_decode(inner, v) for v in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind) if f.init}
        if set(value) - names:
            raise ValueError(f"unknown fields {sorted(set(value) - names)} for {kind.__name__}")
        return kind(**{name: _decode(hints[name], v) for name, v in value.items()})
    if kind is datetime:
        return datetime.fromisoformat(value["datetime"])
    if kind is date:
        return date.fromisoformat(value["date"])
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind in (bool, int, float, str) and isinstance(value, kind):
        return value
    raise TypeError(f"{value!r} is not a {kind}")


@dataclasses.dataclass(frozen=True)
class KeptPlan:
    """A care plan's unsaved state kept for one clinician (``user_id``) until they take it back."""

    id: int
    user_id: int
    plan: CarePlan
    kept_at: datetime
