"""The field types of the content schema, and the one reader that checks YAML against them.

The schema of every file is kdsite/content/schema.py. A field says what a value is (Number, Whole, Text, Boolean, List, Mapping, Dict, Variant, Rows),
its range, unit, default and a one-line doc, in the spirit of MkDocs' config_options. `Reader`
reads one file's `Located` data against a field and records every problem as a ContentError with
the field's line, so a file's mistakes are all reported in one pass. One rule for each question:

- numbers: a quoted number ("0.5") and 1e-3 (text to YAML 1.1) mean the plain number; true and
  false are never numbers; a whole number written 30.0 is 30, but 30.7 where a whole number is
  required is an error naming the value, never truncated;
- unknown keys: a warning ("unknown key, ignored"), which `kdsite build --strict` makes an error;
- a missing required key: "is required but missing", on the line of the mapping that lacks it;
- an optional key written empty (null) takes its default.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from kdsite.errors import ContentError, ContentErrors
from kdsite.content.yamlload import Located


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""The default of a field that must be written."""

# PyYAML (YAML 1.1) reads 1e-3 and 25.6e9 as text, and a quoted "0.5" is text too: both are numbers.
_NUMBER_TEXT = re.compile(r"^[-+]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?$")

_KIND_NAMES = {str: "a string", list: "a list", dict: "a mapping", int: "a whole number", float: "a number"}


def kind_of(value: Any) -> str:
    """How an author would name the kind of a YAML value: 'a string', 'true/false', …"""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    return _KIND_NAMES.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    """The kind of a value and, for a scalar, the value itself: "a string ('nan')"."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (str, int, float)):
        text = repr(value) if isinstance(value, str) else f"{value:g}"
        return f"{kind_of(value)} ({text[:40] + '…' if len(text) > 40 else text})"
    return kind_of(value)


def child(path: str, key: Any) -> str:
    """The path of a mapping key or list index under `path`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def missing_hint(path: str) -> str:
    """How to add a missing key."""
    parent, _, key = path.rpartition(".")
    if "[" in key and not parent:
        return "add the missing entry"
    return f"add a line '{key}: …'" + (f" under {parent}" if parent else "")


def number_text(value: Any) -> Any:
    """A number written as text ("0.5", 1e-3) as the float it means; anything else unchanged."""
    if isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        return float(value.strip().replace("_", ""))
    return value


class Field:
    """One typed value: its doc, default, unit and example; subclasses add the type and range."""

    kind = "value"

    def __init__(self, doc: str, *, default: Any = REQUIRED, unit: str = "", example: Any = None,
                 default_doc: str = "", hint: str = ""):
        self.doc = doc
        self.default = default
        self.unit = unit
        self.example = example
        self.default_doc = default_doc  # how a default computed in code is documented
        self.hint = hint  # what a range error adds, e.g. why the range is what it is

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def read(self, reader: "Reader", path: str, present: bool, value: Any) -> Any:
        """The typed value at `path`, its default when absent, or None after recording a problem."""
        if not present or (value is None and not self.required):
            if self.required:
                reader.fail(path, "is required but missing", missing_hint(path))
                return None
            return self.default
        return self.check(reader, path, value)

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        return value

    # --- for the generated docs ---
    def type_text(self) -> str:
        return self.kind

    def range_text(self) -> str:
        return ""

    def default_text(self) -> str:
        if self.default_doc:
            return self.default_doc
        if self.required:
            return "required"
        return "none" if self.default is None else yaml_text(self.default)

    def example_value(self) -> Any:
        return self.example

    def children(self, path: str) -> list[tuple[str, "Field"]]:
        """The (path, field) pairs of the docs table: this field, then anything nested."""
        return [(path, self)]


def yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    return str(value)


def _bound(value: float, whole: bool) -> str:
    return f"{int(value):,}" if whole and float(value).is_integer() and abs(value) < 1e15 else f"{value:g}"


class Number(Field):
    """A finite number within [minimum, maximum] (or above `above`, exclusive)."""

    kind = "number"
    whole = False

    def __init__(self, doc: str, *, minimum: float | None = None, maximum: float | None = None,
                 above: float | None = None, **options: Any):
        super().__init__(doc, **options)
        self.minimum, self.maximum, self.above = minimum, maximum, above

    def range_text(self) -> str:
        parts = []
        if self.above is not None:
            parts.append(f"> {_bound(self.above, self.whole)}")
        if self.minimum is not None:
            parts.append(f"≥ {_bound(self.minimum, self.whole)}")
        if self.maximum is not None:
            parts.append(f"≤ {_bound(self.maximum, self.whole)}")
        return " and ".join(parts)

    def _expected(self) -> str:
        return "a number"

    def _form_hint(self) -> str:
        return "write a plain number such as 0.5, without units"

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        number = number_text(value)
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            reader.fail(path, f"expected {self._expected()} but got {_shown(value)}", self._form_hint())
            return None
        if not math.isfinite(number):
            reader.fail(path, f"must be a finite number, got {number}",
                        "write the value itself; .nan and .inf are not numbers a page can show")
            return None
        if self.whole and not float(number).is_integer():
            reader.fail(path, f"expected a whole number but got {number:g}", self._form_hint())
            return None
        inside = ((self.above is None or number > self.above) and (self.minimum is None or number >= self.minimum)
                  and (self.maximum is None or number <= self.maximum))
        if not inside:
            got = _bound(number, self.whole)
            reader.fail(path, f"must be {self.range_text()}, got {got}", self.hint or self._range_hint())
            return None
        return int(number) if self.whole else float(number)

    def _range_hint(self) -> str:
        """What the field is and a good value, from its own doc and example: 'the slider step, e.g. 0.1'."""
        head = re.split(r"[;:(]|\. ", self.doc, maxsplit=1)[0].strip().rstrip(".")
        first = head.split(" ", 1)[0]
        if not any(char.isupper() for char in first[1:]):  # "ImageNet", "FP32" keep their capitals
            head = head[:1].lower() + head[1:]
        unit = f" in {self.unit}" if self.unit else ""
        return f"{head}{unit}, e.g. {self.example:g}" if isinstance(self.example, (int, float)) else f"{head}{unit}"

    def example_value(self) -> Any:
        if self.example is not None:
            return self.example
        if self.default not in (REQUIRED, None):
            return self.default
        for candidate in (self.minimum, self.maximum):
            if candidate is not None:
                return candidate
        return 1


class Whole(Number):
    """A whole number (10 or 10.0, never 10.5) within [minimum, maximum]."""

    kind = "whole number"
    whole = True

    def _expected(self) -> str:
        return "a whole number"

    def _form_hint(self) -> str:
        return "write a whole number such as 64, without units or a fractional part"


MAX_TEXT_CHARACTERS = 2_000
"""The longest text a YAML field may hold: names, labels, notes and titles, not essays."""


class Text(Field):
    """A non-empty string of at most `max_length` characters, optionally one of `choices`."""

    kind = "text"

    def __init__(self, doc: str, *, choices: tuple[str, ...] | None = None, max_length: int = MAX_TEXT_CHARACTERS,
                 **options: Any):
        super().__init__(doc, **options)
        self.choices = tuple(choices) if choices is not None else None
        self.max_length = max_length

    def type_text(self) -> str:
        return "one of " + ", ".join(f"`{c}`" for c in self.choices) if self.choices else "text"

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            reader.fail(path, f"expected a non-empty string but got {_shown(value)}",
                        "write text, in quotes if it looks like a number or starts with a sign such as [ { * & !")
            return None
        if len(value) > self.max_length:
            reader.fail(path, f"text is {len(value):,} characters long, more than {self.max_length:,}",
                        "shorten it; long explanations belong in a section's Markdown")
            return None
        if self.choices is not None:
            return reader.choose(path, value, self.choices)
        return value

    def example_value(self) -> Any:
        if self.example is not None:
            return self.example
        return self.choices[0] if self.choices else "…"


class Scalar(Field):
    """A number, a word or true/false, read as the text a page address carries (a scene's control value)."""

    kind = "number, text or true/false"

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            if not math.isfinite(value):
                reader.fail(path, f"must be a finite number, got {value}")
                return None
            return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
        if isinstance(value, str) and value.strip() and len(value) <= 200:
            return value.strip()
        reader.fail(path, f"expected a number, a word or true/false but got {_shown(value)}",
                    "write the value as a settings link does, e.g. 4 for T = 4 or fox for an example")
        return None


class Boolean(Field):
    """true or false."""

    kind = "true/false"

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        if not isinstance(value, bool):
            reader.fail(path, f"expected true or false but got {_shown(value)}", "write true or false")
            return None
        return value

    def example_value(self) -> Any:
        return self.example if self.example is not None else (False if self.default is REQUIRED else self.default)


class List(Field):
    """A list of `of` items: `length` of them exactly, or min_items to max_items; `unique` refuses repeats."""

    kind = "list"

    def __init__(self, doc: str, *, of: Field, length: int | None = None, min_items: int = 1,
                 max_items: int | None = None, unique: bool = False, **options: Any):
        super().__init__(doc, **options)
        self.of, self.length, self.min_items, self.max_items, self.unique = of, length, min_items, max_items, unique

    def type_text(self) -> str:
        return f"list of {self.of.type_text()}"

    def range_text(self) -> str:
        if self.length is not None:
            count = f"{self.length} entries"
        elif self.max_items is not None:
            count = f"{self.min_items} to {self.max_items} entries"
        else:
            count = f"at least {self.min_items} entries" if self.min_items else ""
        inner = self.of.range_text()
        parts = [p for p in (count, "distinct" if self.unique else "", f"each {inner}" if inner else "") if p]
        return "; ".join(parts)

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        if not isinstance(value, list) or (not value and self.min_items):
            got = "an empty list" if value == [] else _shown(value)
            wanted = "a non-empty list" if self.min_items else "a list"
            reader.fail(path, f"expected {wanted} but got {got}", "write [a, b, c] or one '- item' per line")
            return None
        if not reader.count(path, len(value), self.length, self.min_items, self.max_items):
            return None
        items = [self.of.check(reader, child(path, i), item) for i, item in enumerate(value)]
        if any(item is None for item in items):
            return None
        if self.unique:
            for i, item in enumerate(items):
                if item in items[:i]:
                    reader.fail(child(path, i), f"duplicate value {yaml_text(item)!r}", "each entry must be unique")
                    return None
        return tuple(items)

    def example_value(self) -> Any:
        if self.example is not None:
            return self.example
        count = self.length or max(self.min_items, 1)
        return [self.of.example_value()] * count

    def children(self, path: str) -> list[tuple[str, Field]]:
        rows = [(path, self)]
        if isinstance(self.of, (Mapping, Variant)):
            rows += [row for row in self.of.children(f"{path}[]") if row[0] != f"{path}[]"]
        return rows


class Mapping(Field):
    """Key: value lines with the given fields, in order; other keys are warned about."""

    kind = "mapping"

    def __init__(self, doc: str, fields: dict[str, Field], **options: Any):
        super().__init__(doc, **options)
        self.fields = fields

    def check(self, reader: "Reader", path: str, value: Any, known: tuple[str, ...] | None = None) -> Any:
        if not isinstance(value, dict):
            reader.fail(path, f"expected a mapping but got {kind_of(value)}", "write one 'key: value' per line")
            return None
        for key in value:
            if key not in self.fields:
                reader.unknown(child(path, key), known or tuple(self.fields))
        return {name: field.read(reader, child(path, name), name in value, value.get(name))
                for name, field in self.fields.items()}

    def example_value(self) -> Any:
        if self.example is not None:
            return self.example
        return {name: field.example_value() for name, field in self.fields.items()}

    def children(self, path: str) -> list[tuple[str, Field]]:
        rows = [(path, self)] if path else []
        for name, field in self.fields.items():
            rows += field.children(child(path, name))
        return rows


class Dict(Field):
    """A mapping whose keys are names (one of `keys`, when given) and whose values are all `of`."""

    kind = "mapping"

    def __init__(self, doc: str, *, of: Field, key_name: str = "name", keys: tuple[str, ...] | None = None,
                 min_items: int = 1, **options: Any):
        super().__init__(doc, **options)
        self.of, self.key_name, self.keys, self.min_items = of, key_name, keys, min_items

    def type_text(self) -> str:
        keys = f"{self.key_name} ({', '.join(f'`{k}`' for k in self.keys)})" if self.keys else self.key_name
        return f"mapping of {keys} to {self.of.type_text()}"

    def range_text(self) -> str:
        inner = self.of.range_text()
        return "; ".join(p for p in (f"at least {self.min_items} entries" if self.min_items else "",
                                     f"each {inner}" if inner else "") if p)

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        if not isinstance(value, dict):
            reader.fail(path, f"expected a mapping but got {kind_of(value)}", "write one 'key: value' per line")
            return None
        if len(value) < self.min_items:
            reader.fail(path, "is empty", f"add at least one {self.key_name}")
            return None
        result = {}
        for key, item in value.items():
            if self.keys is not None and key not in self.keys:
                reader.fail(child(path, key), f"unknown {self.key_name} {key!r}", f"use one of: {', '.join(self.keys)}")
                continue
            result[key] = self.of.read(reader, child(path, key), True, item)
        return result

    def example_value(self) -> Any:
        if self.example is not None:
            return self.example
        return {(self.keys[0] if self.keys else self.key_name): self.of.example_value()}

    def children(self, path: str) -> list[tuple[str, Field]]:
        return [(path, self)] + [row for row in self.of.children(f"{path}.<{self.key_name}>")
                                 if isinstance(self.of, (Mapping, Variant))]


class Variant(Field):
    """A mapping whose `tag` key picks which of `variants` (each a Mapping holding the tag) it is."""

    kind = "mapping"

    def __init__(self, doc: str, *, tag: str, variants: dict[str, Mapping], **options: Any):
        super().__init__(doc, **options)
        self.tag, self.variants = tag, variants

    def type_text(self) -> str:
        return f"mapping, by `{self.tag}`"

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        if not isinstance(value, dict):
            reader.fail(path, f"expected a mapping but got {kind_of(value)}", "write one 'key: value' per line")
            return None
        tag = Text(f"which kind of {path}", choices=tuple(self.variants)).read(
            reader, child(path, self.tag), self.tag in value, value.get(self.tag))
        if tag is None:
            return None
        return self.variants[tag].check(reader, path, value)

    def example_value(self) -> Any:
        return self.example if self.example is not None else next(iter(self.variants.values())).example_value()

    def children(self, path: str) -> list[tuple[str, Field]]:
        """This field, then each variant's block: a row naming it (`path (tag: value)`) and its fields."""
        rows: list[tuple[str, Field]] = [(path, self)]
        for value, variant in self.variants.items():
            rows.append((f"{path} ({self.tag}: {value})", variant))
            rows += [row for row in variant.children(path) if row[0] != path]
        return rows


class Rows(Field):
    """A table: a list of rows, each a list of cells whose columns another field names.

    The reader checks the shape; the cells are read against `cells` by the code that knows the columns.
    """

    kind = "list of rows"

    def __init__(self, doc: str, *, cells: dict[str, Field], max_items: int | None = None, **options: Any):
        super().__init__(doc, **options)
        self.cells, self.max_items = cells, max_items

    def range_text(self) -> str:
        return f"1 to {self.max_items} rows" if self.max_items else "at least 1 row"

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        return List(self.doc, of=_AnyValue(""), max_items=self.max_items).check(reader, path, value)

    def example_value(self) -> Any:
        return self.example

    def children(self, path: str) -> list[tuple[str, Field]]:
        return [(path, self)] + [(f"{path}[] column {name}", field) for name, field in self.cells.items()]


class _AnyValue(Field):
    """Any value at all (a row's cells are checked by the code that knows its columns)."""


class Reader:
    """Reads one file's Located data against fields; problems go to `errors`, unknown keys to `warnings`."""

    def __init__(self, located: Located, errors: list[ContentError] | None = None,
                 warnings: list[ContentError] | None = None):
        self.located = located
        self.errors = [] if errors is None else errors
        self.warnings = [] if warnings is None else warnings
        self.failed_paths: list[str] = []
        self._label = ""

    def read(self, field: Field, path: str = "") -> Any:
        """The typed value of `field` at `path` of this file (None after recording problems)."""
        present, value = self.value(path)
        return field.read(self, path, present, value)

    def check(self, field: Field, path: str, value: Any, label: str = "") -> Any:
        """Check a value already in hand (e.g. a table cell) against `field`; `label` starts its messages."""
        self._label = f"{label}: " if label else ""
        try:
            return field.read(self, path, True, value)
        finally:
            self._label = ""

    def value(self, path: str) -> tuple[bool, Any]:
        """(present, value) of `path` as written; a missing parent counts as missing."""
        current: Any = self.located.data
        for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
            if index:
                if not isinstance(current, list) or int(index) >= len(current):
                    return False, None
                current = current[int(index)]
            else:
                if not isinstance(current, dict) or key not in current:
                    return False, None
                current = current[key]
        return True, current

    def fail(self, path: str, message: str, hint: str = "") -> None:
        """Record a problem with field `path`."""
        self.failed_paths.append(path)
        self.errors.append(self.located.error(path, self._label + message, hint))

    def failed(self, path: str = "") -> bool:
        """Whether a problem was recorded at `path` or under it."""
        return any(p == path or not path or p.startswith(path + ".") or p.startswith(path + "[")
                   for p in self.failed_paths)

    def unknown(self, path: str, known: tuple[str, ...]) -> None:
        """The one rule for an unknown key: a warning, an error under --strict."""
        key = path.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
        guess = f"did you mean '{close[0]}'? " if close else ""
        self.warnings.append(self.located.error(path, "unknown key, ignored", f"{guess}known keys: {', '.join(known)}"))

    def choose(self, path: str, value: Any, choices: tuple[str, ...] | list[str]) -> Any:
        """`value` if it is one of `choices` (e.g. ids defined in another file), else None after an error."""
        if value not in choices:
            self.fail(path, f"unknown value {value!r}", f"use one of: {', '.join(choices)}")
            return None
        return value

    def count(self, path: str, count: int, length: int | None = None, least: int = 0,
              most: int | None = None, what: str = "entries", hint: str = "") -> bool:
        """Whether a list's length fits; else one error naming the count."""
        if length is not None and count != length:
            self.fail(path, f"has {count} values but needs {length}", hint or "give exactly that many values")
            return False
        if most is not None and count > most:
            self.fail(path, f"has {count} {what}, more than {most}", f"list {max(least, 1)} to {most} {what}")
            return False
        if count < least:
            self.fail(path, f"has {count} {what}, fewer than {least}",
                      f"list {least} to {most} {what}" if most else f"list at least {least} {what}")
            return False
        return True

    def raise_if_errors(self) -> None:
        """Raise this reader's problems, in file order: ContentError for one, ContentErrors for several."""
        errors = sorted(self.errors, key=lambda e: e.line or 0)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ContentErrors(errors)
