"""Typed reads of YAML fields that collect every mistake in a file before raising.

Shared by the hardware loaders (models, devices, energy constants). Each read names its field
path (``architecture.stages[2].width``), so the error carries file, line and field, in the
style of MkDocs' config schema: ``expected an integer, got str ('64x')``.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kdsite.errors import ContentError, ContentErrors
from kdsite.content.yamlload import Located

_MISSING = object()
_REQUIRED = object()
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
# PyYAML (YAML 1.1) reads 25.6e9 and 1e9 as strings; accept them as numbers on purpose.
_NUMBER_TEXT = re.compile(r"^[-+]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?$")


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "text", list: "list",
            dict: "mapping", type(None): "nothing (empty value)"}.get(type(value), type(value).__name__)


class FieldReader:
    """Reads fields of one Located file by path; mistakes go to `errors`, reads return None."""

    def __init__(self, located: Located):
        self.located = located
        self.errors: list[ContentError] = []

    def get(self, path: str) -> Any:
        """The value at `path`, or _MISSING."""
        node = self.located.data
        for key, index in _PATH_PART.findall(path):
            if index:
                if not isinstance(node, list) or int(index) >= len(node):
                    return _MISSING
                node = node[int(index)]
            else:
                if not isinstance(node, dict) or key not in node:
                    return _MISSING
                node = node[key]
        return node

    def has(self, path: str) -> bool:
        """Whether `path` is present (even if empty)."""
        return self.get(path) is not _MISSING

    def fail(self, path: str, message: str, hint: str = "") -> None:
        """Record one mistake at `path`."""
        self.errors.append(self.located.error(path, message, hint))

    def _value(self, path: str, default: Any) -> Any:
        """The value to check, or _MISSING (after recording the mistake) when a required field is absent."""
        value = self.get(path)
        if value is _MISSING and default is _REQUIRED:
            parent, _, key = path.rpartition(".")
            self.fail(path, "is missing", f"add a line '{key}: …'" + (f" under {parent}" if parent else ""))
        return value

    def mapping(self, path: str, allowed: tuple[str, ...] | None = None,
                required: bool = True) -> dict | None:
        """A mapping; with `allowed`, unknown keys (typos) are mistakes too."""
        value = self._value(path, _REQUIRED if required else None)
        if value is _MISSING or value is None and not required:
            return None
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping (key: value lines), got {_type_name(value)}",
                      "write one 'key: value' per line, or {key: value, ...}")
            return None
        for key in value:
            if allowed is not None and key not in allowed:
                child = f"{path}.{key}" if path else str(key)
                self.fail(child, "unknown field", f"allowed fields: {', '.join(allowed)}")
        return value

    def sequence(self, path: str, length: int | None = None, required: bool = True) -> list | None:
        """A list, optionally of an exact length."""
        value = self._value(path, _REQUIRED if required else None)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {_type_name(value)}",
                      "write [a, b, c] or one '- item' per line")
            return None
        if length is not None and len(value) != length:
            self.fail(path, f"expected {length} values (one per column), got {len(value)}",
                      "give one value per column, in the order the columns are listed")
            return None
        return value

    def items(self, path: str, required: bool = True) -> range:
        """Indices of a non-empty list at `path` (empty range when missing or wrong)."""
        value = self.sequence(path, required=required)
        if value is not None and not value and required:
            self.fail(path, "is empty", "add at least one entry")
        return range(len(value or []))

    def _label(self, label: str) -> str:
        return f"{label}: " if label else ""

    def integer(self, path: str, minimum: int = 1, default: Any = _REQUIRED, label: str = "",
                maximum: int | None = None, hint: str = "") -> int | None:
        """A whole number in [`minimum`, `maximum`] (booleans and 3.0 are refused); `hint` explains the range."""
        value = self._value(path, default)
        if value is _MISSING:
            return None if default is _REQUIRED else default
        if type(value) is not int:
            self.fail(path, f"{self._label(label)}expected an integer, got {_type_name(value)} ({value!r})",
                      "write a whole number such as 64, without quotes, units or a decimal point")
            return None
        if value < minimum:
            self.fail(path, f"{self._label(label)}must be ≥ {minimum}, got {value}",
                      "counts, sizes, strides and paddings cannot be smaller")
            return None
        if maximum is not None and value > maximum:
            self.fail(path, f"{self._label(label)}must be ≤ {maximum:,}, got {value:,}",
                      hint or f"the range is {minimum:,} to {maximum:,}")
            return None
        return value

    def number(self, path: str, minimum: float = 0.0, maximum: float | None = None,
               default: Any = _REQUIRED, label: str = "", hint: str = "") -> float | None:
        """A finite number > `minimum` (and ≤ `maximum`); '25.6e9' written without quotes counts as a number.

        `hint` explains the bounds when the value is outside them.
        """
        value = self._value(path, default)
        if value is _MISSING:
            return None if default is _REQUIRED else default
        if isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
            value = float(value.replace("_", ""))
        if type(value) not in (int, float):
            self.fail(path, f"{self._label(label)}expected a number, got {_type_name(value)} ({value!r})",
                      "write a plain number such as 25.6e9, without quotes or units")
            return None
        if not math.isfinite(value):
            self.fail(path, f"{self._label(label)}must be a finite number, got {value}",
                      "write the value itself; .nan and .inf are not numbers a page can show")
            return None
        if not value > minimum or maximum is not None and value > maximum:
            bound = f"> {minimum:g}" + (f" and ≤ {maximum:g}" if maximum is not None else "")
            self.fail(path, f"{self._label(label)}must be {bound}, got {value:g}",
                      hint or "check the value and its unit")
            return None
        return float(value)

    def text(self, path: str, choices: tuple[str, ...] | None = None, default: Any = _REQUIRED,
             label: str = "") -> str | None:
        """A non-empty string, optionally one of `choices`."""
        value = self._value(path, default)
        if value is _MISSING:
            return None if default is _REQUIRED else default
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"{self._label(label)}expected text, got {_type_name(value)} ({value!r})",
                      "write text; put it in quotes if it looks like a number")
            return None
        if choices is not None and value not in choices:
            self.fail(path, f"{self._label(label)}unknown value {value!r}", f"use one of: {', '.join(choices)}")
            return None
        return value

    def boolean(self, path: str, default: Any = _REQUIRED, label: str = "") -> bool | None:
        """true or false."""
        value = self._value(path, default)
        if value is _MISSING:
            return None if default is _REQUIRED else default
        if not isinstance(value, bool):
            self.fail(path, f"{self._label(label)}expected true or false, got {_type_name(value)} ({value!r})",
                      "write true or false")
            return None
        return value

    def raise_if_errors(self) -> None:
        """Raise the one ContentError, or ContentErrors for several."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ContentErrors(list(self.errors))
