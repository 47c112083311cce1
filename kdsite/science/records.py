"""Result dataclasses as plain JSON data and back, so a cache can store them (pure, no I/O)."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import numpy as np


def to_jsonable(value: Any) -> Any:
    """Dataclasses → dicts, numpy arrays → nested lists, numpy scalars → Python numbers."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    return value


def from_jsonable(hint: Any, data: Any) -> Any:
    """Inverse of `to_jsonable`, guided by type hints: lists become arrays where a field is one."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{f.name: from_jsonable(hints[f.name], data[f.name]) for f in dataclasses.fields(hint)})
    if hint is np.ndarray:
        return np.asarray(data)
    if typing.get_origin(hint) is tuple:
        return tuple(data)
    return data
