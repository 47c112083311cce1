"""Typed reads from located YAML data that collect every problem instead of stopping at the first.

A `Reader` wraps one file's `Located` data. Each accessor returns the typed value, or None after
recording a ContentError with the field's line, so loading can report all mistakes in one pass.
"""

from __future__ import annotations

import math
from typing import Any

from kdsite.errors import ContentError
from kdsite.content.yamlload import Located

_KIND_NAMES = {str: "a string", list: "a list", dict: "a mapping", int: "a whole number", float: "a number"}


_FORM_HINTS = {
    "mapping": "write one 'key: value' per line",
    "string": "write text, in quotes if it looks like a number or starts with a sign such as [ { * & !",
    "number": "write a plain number such as 0.5, without quotes or units",
    "list": "write [a, b, c] or one '- item' per line",
}


def _missing_hint(path: str) -> str:
    parent, _, key = path.rpartition(".")
    return f"add a line '{key}: …'" + (f" under {parent}" if parent else "")


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    return _KIND_NAMES.get(type(value), type(value).__name__)


class Reader:
    """Typed, error-collecting access to one YAML file's fields by dotted path."""

    def __init__(self, located: Located, errors: list[ContentError], warnings: list[ContentError]):
        self.located = located
        self.errors = errors
        self.warnings = warnings

    def fail(self, path: str, message: str, hint: str = "") -> None:
        """Record an error for field `path`."""
        self.errors.append(self.located.error(path, message, hint))

    def value(self, path: str) -> tuple[bool, Any]:
        """(present, value) of field `path`; a missing parent counts as missing."""
        current: Any = self.located.data
        for part in _split(path):
            if isinstance(part, int):
                if not isinstance(current, list) or part >= len(current):
                    return False, None
            elif not isinstance(current, dict) or part not in current:
                return False, None
            current = current[part]
        return True, current

    def mapping(self, path: str, allowed: set[str] | None = None) -> dict | None:
        """A required mapping; keys outside `allowed` are warned about (errors under --strict)."""
        present, value = self.value(path)
        if not present:
            self.fail(path, "is required but missing", _missing_hint(path))
            return None
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping but got {_kind_of(value)}", _FORM_HINTS["mapping"])
            return None
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    key_path = f"{path}.{key}" if path else str(key)
                    self.warnings.append(self.located.error(
                        key_path, "unknown key, ignored", f"known keys: {', '.join(sorted(allowed))}"))
        return value

    def string(self, path: str, required: bool = True, default: str | None = None) -> str | None:
        """A non-empty string."""
        present, value = self.value(path)
        if not present:
            if required:
                self.fail(path, "is required but missing", _missing_hint(path))
            return default
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected a non-empty string but got {_kind_of(value)}", _FORM_HINTS["string"])
            return None
        return value

    def number(self, path: str, *, minimum: float | None = None, maximum: float | None = None,
               above: float | None = None, required: bool = True,
               default: float | None = None, hint: str = "") -> float | None:
        """A finite number within [minimum, maximum] and strictly greater than `above`."""
        present, value = self.value(path)
        if not present:
            if required:
                self.fail(path, "is required but missing", _missing_hint(path))
            return default
        return self._check_number(path, value, minimum, maximum, above, hint)

    def _check_number(self, path: str, value: Any, minimum: float | None, maximum: float | None,
                      above: float | None, hint: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"expected a number but got {_kind_of(value)}", _FORM_HINTS["number"])
            return None
        number = float(value)
        if not math.isfinite(number):
            self.fail(path, f"must be a finite number, got {value}", hint)
            return None
        if above is not None and not number > above:
            self.fail(path, f"must be greater than {above:g}, got {value}", hint)
            return None
        if minimum is not None and number < minimum:
            self.fail(path, f"must be at least {minimum:g}, got {value}", hint)
            return None
        if maximum is not None and number > maximum:
            self.fail(path, f"must be at most {maximum:g}, got {value}", hint)
            return None
        return number

    def number_list(self, path: str, *, length: int | None = None, hint: str = "") -> list[float] | None:
        """A non-empty list of finite numbers, of exactly `length` items when given."""
        items = self.list(path)
        if items is None:
            return None
        if length is not None and len(items) != length:
            self.fail(path, f"has {len(items)} values but needs {length}", hint)
            return None
        numbers = [self._check_number(f"{path}[{i}]", item, None, None, None, hint)
                   for i, item in enumerate(items)]
        return None if any(n is None for n in numbers) else numbers  # type: ignore[return-value]

    def string_list(self, path: str, unique: bool = True) -> list[str] | None:
        """A non-empty list of non-empty strings, without repeats when `unique`."""
        items = self.list(path)
        if items is None:
            return None
        strings = [self.string(f"{path}[{i}]") for i in range(len(items))]
        if any(s is None for s in strings):
            return None
        if unique:
            for i, item in enumerate(strings):
                if item in strings[:i]:
                    self.fail(f"{path}[{i}]", f"duplicate value '{item}'", "each entry must be unique")
                    return None
        return strings  # type: ignore[return-value]

    def list(self, path: str) -> list | None:
        """A required, non-empty list."""
        present, value = self.value(path)
        if not present:
            self.fail(path, "is required but missing", _missing_hint(path))
            return None
        if not isinstance(value, list) or not value:
            got = _kind_of(value) if value != [] else "an empty list"
            self.fail(path, f"expected a non-empty list but got {got}", _FORM_HINTS["list"])
            return None
        return value


def _split(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for dotted in path.split(".") if path else []:
        name, *indexes = dotted.split("[")
        if name:
            parts.append(name)
        parts.extend(int(index.rstrip("]")) for index in indexes)
    return parts
