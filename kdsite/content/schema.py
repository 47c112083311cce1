"""One declarative schema for every content file, and the one reader that checks YAML against it.

Part 1, the field types and the reader. A field says what a value is (Number, Whole, Text, Boolean, List, Mapping, Dict, Variant, Rows),
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

import math
import re
from typing import Any

from kdsite.content import limits
from kdsite.errors import ContentError, ContentErrors
from kdsite.content.yamlload import Located
from kdsite.science.architecture import ACTIVATIONS, RESNET_BLOCKS, ROW_COLUMNS
from kdsite.science.devices import KINDS
from kdsite.science.energy import MEMORY_KINDS
from kdsite.science.labconfig import BIAS_RULES, CLASS_COUNT, SOFT_LABEL_RULES
from kdsite.science.precision import PRECISIONS
from kdsite.science.roofline import TRAFFIC_MODELS


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
        return "none" if self.default is None else _yaml_text(self.default)

    def example_value(self) -> Any:
        return self.example

    def children(self, path: str) -> list[tuple[str, "Field"]]:
        """The (path, field) pairs of the docs table: this field, then anything nested."""
        return [(path, self)]


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml_text(v) for v in value) + "]"
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
        return "check the value" + (f" and its unit ({self.unit})" if self.unit else "")

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


class Text(Field):
    """A non-empty string, optionally one of `choices`."""

    kind = "text"

    def __init__(self, doc: str, *, choices: tuple[str, ...] | None = None, **options: Any):
        super().__init__(doc, **options)
        self.choices = tuple(choices) if choices is not None else None

    def type_text(self) -> str:
        return "one of " + ", ".join(f"`{c}`" for c in self.choices) if self.choices else "text"

    def check(self, reader: "Reader", path: str, value: Any) -> Any:
        if not isinstance(value, str) or not value.strip():
            reader.fail(path, f"expected a non-empty string but got {_shown(value)}",
                        "write text, in quotes if it looks like a number or starts with a sign such as [ { * & !")
            return None
        if self.choices is not None:
            return reader.choose(path, value, self.choices)
        return value

    def example_value(self) -> Any:
        if self.example is not None:
            return self.example
        return self.choices[0] if self.choices else "…"


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
                    reader.fail(child(path, i), f"duplicate value {_yaml_text(item)!r}", "each entry must be unique")
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
        rows, seen = [(path, self)], {path}
        for variant in self.variants.values():
            for row in variant.children(path):
                if row[0] not in seen:
                    seen.add(row[0])
                    rows.append(row)
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
        self.warnings.append(self.located.error(path, "unknown key, ignored", f"known keys: {', '.join(known)}"))

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


# --- Part 2: every content file, once -------------------------------------------------------------

_TEMPERATURE_HINT = (f"temperatures are {limits.TEMPERATURE_MIN:g} to {limits.TEMPERATURE_MAX:g}: they divide "
                     "the logits, and outside this range softmax saturates or T² overflows")


def _temperature(doc: str, **options: Any) -> Number:
    return Number(doc, minimum=limits.TEMPERATURE_MIN, maximum=limits.TEMPERATURE_MAX,
                  hint=_TEMPERATURE_HINT, **options)


def _alpha(doc: str) -> Number:
    return Number(doc, minimum=0, maximum=1, example=0.5,
                  hint="α weights the soft term: 0 is hard labels only, 1 soft targets only")


_EXAMPLE_ID = "an example id from content/examples.yaml"

SITE = Mapping("Site-wide text.", {
    "title": Text("The page title.", example="Knowledge Distillation"),
    "subtitle": Text("The line under the title.", example="An interactive explainer"),
    "course": Text("The course the page belongs to.", example="EE508"),
    "unit": Text("The course unit.", example="Model Reduction"),
})

EXAMPLES = Mapping("The class names and the example teacher logits (illustrative values).", {
    "classes": List("The class names, in the order of every example's logits.", of=Text("A class name."),
                    min_items=2, max_items=limits.MAX_CLASSES, unique=True, example=["cat", "dog", "fox"]),
    "examples": List("The example inputs.", max_items=limits.MAX_EXAMPLES, of=Mapping("One example input.", {
        "id": Text("Its id, used by the other files.", example="cat"),
        "label": Text("Its name on the page.", example="Cat photo"),
        "true_class": Text("Its true class: one of `classes`.", example="cat"),
        "logits": List("The teacher's logits, one per class in the order of `classes`.",
                       of=Number("A logit.", minimum=-limits.MAX_ABS_LOGIT, maximum=limits.MAX_ABS_LOGIT,
                                 hint="logits differ by a few units; only their differences matter to the softmax"),
                       example=[6.8, 5.7, 2.7]),
    })),
})

TEMPERATURE = Mapping("The temperature slider's precomputed grid: minimum to maximum every step "
                      f"(at most {limits.MAX_TEMPERATURE_POINTS:,} points).", {
    "minimum": _temperature("The lowest temperature on the slider.", example=0.1),
    "maximum": _temperature("The highest temperature; greater than minimum.", example=10),
    "step": Number("The slider step; divides maximum − minimum into whole steps.", above=0, example=0.1),
    "default": _temperature("Where the slider starts: a grid point.", example=1.0),
    "example": Text(f"The example shown: {_EXAMPLE_ID}.", example="cat"),
})

LABELS = Mapping("The hard-vs-soft label section.", {
    "default_example": Text(f"The example it starts on: {_EXAMPLE_ID}.", example="cat"),
    "soft_temperature": _temperature("The soft label's temperature.", example=2),
})

TRAINING = Mapping("The training section: the α slider and the precomputed loss curves.", {
    "alpha_default": _alpha("Where the α slider starts: a multiple of alpha_step."),
    "alpha_step": Number(f"The α slider step; divides 1 into whole steps (at most {limits.MAX_ALPHA_POINTS} points).",
                         above=0, maximum=1, example=0.05),
    "temperature_minimum": _temperature("The lowest temperature of the loss curves.", example=1),
    "temperature_maximum": _temperature("The highest temperature; a grid point above temperature_minimum.",
                                        example=10),
    "temperature_step": Number("The temperature grid step (at most "
                               f"{limits.MAX_TRAINING_TEMPERATURE_POINTS} points).", above=0, example=1),
    "temperature_default": _temperature("The temperature the curves start on: a grid point.", example=4),
    "progress_points": Whole("Points along the path from an uninformed student to the teacher.",
                             minimum=limits.MIN_PROGRESS_POINTS, maximum=limits.MAX_PROGRESS_POINTS, example=11),
    "default_example": Text(f"The example it starts on: {_EXAMPLE_ID}.", example="cat"),
})

REFERENCES = Mapping("Every cited source, numbered in file order.", {
    "references": List("The sources.", of=Mapping("One source.", {
        "id": Text("What a section cites, as [@id]: letters, digits, - and _.", example="hinton2015"),
        "authors": Text("The authors.", example="Geoffrey Hinton, Oriol Vinyals, Jeff Dean"),
        "title": Text("The title.", example="Distilling the Knowledge in a Neural Network"),
        "venue": Text("Where it appeared.", example="arXiv:1503.02531"),
        "year": Whole("The year of publication.", minimum=1800, maximum=2100, example=2015),
        "url": Text("An https:// address without spaces.", example="https://arxiv.org/abs/1503.02531"),
    })),
})

SECTION = Mapping("A section's front matter, between --- lines at the top of its Markdown file.", {
    "id": Text("Its anchor (index.html#id): lowercase letters, digits and hyphens, starting with a letter.",
               example="temperature"),
    "title": Text("Its heading and table-of-contents entry.", example="Temperature"),
    "order": Whole("Its place in the page, smallest first.", example=30),
})

# lab.yaml -------------------------------------------------------------------------------------------

_SEED = Whole("A random seed.", minimum=0, maximum=limits.MAX_SEED, example=0)
_EPOCHS = Whole("Passes over the training set.", minimum=1, maximum=limits.MAX_LAB_EPOCHS, example=20)
_BATCH = Whole("Digits per gradient step.", minimum=1, maximum=limits.MAX_BATCH_SIZE, example=32)
_LEARNING_RATE = Number("Adam's step size.", above=0, maximum=limits.MAX_LEARNING_RATE, example=0.001)
_DECAY = Number("The weight-decay penalty weight; 0 turns it off.", minimum=0, maximum=limits.MAX_WEIGHT_DECAY,
                example=0.0)


def _hidden(doc: str) -> List:
    return List(doc, of=Whole("Units of a hidden layer.", minimum=1, maximum=limits.MAX_HIDDEN_UNITS),
                min_items=0, max_items=limits.MAX_HIDDEN_LAYERS, example=[16])


LAB = Mapping("The distillation lab's experiments on the 8×8 digits; every value is written, none has a default.", {
    "data": Mapping("The train/test split.", {
        "split_seed": Whole("Seed of the stratified split and the teacher's initialization.",
                            minimum=0, maximum=limits.MAX_SEED, example=0),
        "test_fraction": Number("Share of the digits held out for testing.", minimum=0.05, maximum=0.5,
                                example=0.25),
    }),
    "seeds": List("Every student setting is trained once per seed.", of=_SEED, max_items=limits.MAX_SEEDS,
                  unique=True, example=[0, 1, 2]),
    "teacher": Mapping("The teacher network, trained on hard labels.", {
        "hidden": _hidden("Hidden layer widths (an empty list for none)."),
        "epochs": _EPOCHS, "batch_size": _BATCH, "learning_rate": _LEARNING_RATE, "weight_decay": _DECAY,
        "input_noise": Number("Gaussian noise on the standardized pixels, a regularizer.", minimum=0,
                              maximum=limits.MAX_INPUT_NOISE, unit="pixel standard deviations", example=0.5),
    }),
    "student_training": Mapping("Adam settings for all students.", {
        "batch_size": _BATCH, "learning_rate": _LEARNING_RATE, "weight_decay": _DECAY,
    }),
    "grid": Mapping("The temperature × α grid for one small student.", {
        "hidden": _hidden("The student's hidden layer widths."),
        "transfer_fraction": Number("Share of the training digits in the transfer set.", above=0, maximum=1,
                                    example=0.1),
        "epochs": _EPOCHS,
        "temperatures": List("The grid's temperatures.", of=_temperature("A temperature."),
                             max_items=limits.MAX_GRID_TEMPERATURES, example=[1, 4]),
        "alphas": List("The grid's α values.", of=_alpha("An α."), max_items=limits.MAX_GRID_ALPHAS,
                       example=[0, 0.5]),
    }),
    "size_sweep": Mapping("Student width sweep, from scratch vs distilled.", {
        "widths": List("The student hidden widths.", of=Whole("A width.", minimum=1, maximum=limits.MAX_HIDDEN_UNITS),
                       max_items=limits.MAX_SWEEP_WIDTHS, example=[4, 8]),
        "temperature": _temperature("The distillation temperature.", example=4),
        "alpha": _alpha("The distillation α."),
        "transfer_sets": List("The transfer sets each width is trained on.", max_items=limits.MAX_TRANSFER_SETS,
                              of=Mapping("One transfer set.", {
                                  "fraction": Number("Share of the training digits.", above=0, maximum=1,
                                                     example=0.1),
                                  "epochs": _EPOCHS,
                              })),
    }),
    "omitted_class": Mapping("Hinton §3: one digit left out of the transfer set.", {
        "digit": Whole("The omitted digit.", minimum=0, maximum=CLASS_COUNT - 1, example=3),
        "hidden": _hidden("The student's hidden layer widths."),
        "epochs": _EPOCHS,
        "temperature": _temperature("The distillation temperature.", example=8),
        "alpha": _alpha("The distillation α."),
        "bias_rule": Text("How the omitted digit's output bias is raised after training.", choices=BIAS_RULES),
        "bias_shift": Number("The bias added to the omitted digit's output; only with bias_rule: fixed.",
                             minimum=-1e3, maximum=1e3, default=None, example=3.5),
    }),
    "soft_labels": Mapping("Real test digits shown with the teacher's soft labels.", {
        "count": Whole("How many test digits to show.", minimum=1, maximum=50, example=6),
        "rule": Text("Which digits to show.", choices=SOFT_LABEL_RULES),
    }),
})

# models/*.yaml ----------------------------------------------------------------------------------------

_CHANNELS_HINT = f"channels and widths are 1 to {limits.MAX_CHANNELS:,}"


def _channels(doc: str, **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_CHANNELS, hint=_CHANNELS_HINT, **options)


def _kernel(doc: str = "Kernel side, in pixels.", **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_KERNEL, unit="pixels", **options)


def _stride(doc: str = "Stride, in pixels.", **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_STRIDE, **options)


def _groups(doc: str, **options: Any) -> Whole:
    return Whole(doc, minimum=1, maximum=limits.MAX_GROUPS, **options)


_CONV = Mapping("A convolution (followed by batch norm).", {
    "out_channels": _channels("Output channels.", example=64),
    "kernel": _kernel(example=7),
    "stride": _stride(default=1),
    "padding": Whole("Zero padding on each side, in pixels.", minimum=0, maximum=limits.MAX_KERNEL, default=None,
                     default_doc="(kernel − 1) / 2, rounded down", example=3),
})

_CLASSES = Whole("Output classes of the final layer.", minimum=1, maximum=limits.MAX_NUM_CLASSES, example=1000)

_RESNET = Mapping("A ResNet: stem, optional max-pool, stages of residual blocks, classifier.", {
    "family": Text("The architecture family.", choices=("resnet",)),
    "stem": _CONV,
    "stem_pool": Mapping("The max-pool after the stem.", {
        "kernel": _kernel(example=3), "stride": _stride(example=2),
        "padding": Whole("Padding on each side, in pixels.", minimum=0, maximum=limits.MAX_KERNEL, default=0),
    }, default=None),
    "block": Text("The residual block.", choices=tuple(RESNET_BLOCKS)),
    "expansion": Whole("The block's channel expansion.", minimum=1, maximum=limits.MAX_EXPANSION, default=None,
                       default_doc="1 for basic, 4 for bottleneck"),
    "groups": _groups("Groups of the 3×3 conv (bottleneck only).", default=1),
    "width_per_group": _groups("Channels per group at width 64 (bottleneck only).", default=64),
    "stages": List("The stages; the first block of each carries the stride.", max_items=limits.MAX_STAGES,
                   of=Mapping("One stage.", {
                       "width": _channels("The stage width (the 3×3 conv's channels at width_per_group 64).",
                                          example=64),
                       "blocks": Whole("Residual blocks in the stage.", minimum=1, maximum=limits.MAX_BLOCKS,
                                       example=2),
                       "stride": _stride("The first block's stride.", default=1),
                   })),
    "classifier": Mapping("Global average pool, then a fully connected layer.", {"num_classes": _CLASSES}),
})

ROW_CELLS: dict[str, Field] = {
    "expansion": Number("Expansion ratio t: hidden channels = input channels × t.", above=0,
                        maximum=limits.MAX_EXPANSION, example=6),
    "expanded_channels": _channels("Hidden channels, written out (instead of expansion).", example=72),
    "out_channels": _channels("Output channels c.", example=24),
    "repeats": Whole("Times the block repeats, n.", minimum=1, maximum=limits.MAX_REPEATS, default=1),
    "stride": _stride("Stride of the first repeat, s.", default=1),
    "kernel": _kernel("The depthwise kernel side.", default=3),
    "squeeze_excite": Boolean("Whether the block has squeeze-and-excite.", default=False),
    "activation": Text("The block's activation.", choices=ACTIVATIONS, default="relu6"),
}
assert tuple(ROW_CELLS) == tuple(ROW_COLUMNS)

_INVERTED_RESIDUAL = Mapping("An inverted-residual net (MobileNetV2/V3): stem, the paper's block table, last conv, "
                             "classifier.", {
    "family": Text("The architecture family.", choices=("inverted_residual",)),
    "stem": _CONV,
    "block_columns": List("The table's columns: out_channels and exactly one of expansion or expanded_channels.",
                          of=Text("A column name.", choices=tuple(ROW_COLUMNS)), unique=True,
                          example=["expansion", "out_channels", "repeats", "stride"]),
    "blocks": Rows("The block table, one row per line, one value per column.", cells=ROW_CELLS,
                   max_items=limits.MAX_ROWS, example=[[6, 24, 2, 2]]),
    "squeeze_excite": Mapping("Squeeze-and-excite sizes; required when a row has squeeze_excite: true.", {
        "reduction": _groups("Squeeze channels = expanded channels / reduction.", example=4),
        "round_to": _groups("Squeeze channels are rounded to a multiple of this.", default=1),
    }, default=None),
    "last_conv": Mapping("The 1×1 conv before the classifier.", {"out_channels": _channels("Output channels.",
                                                                                            example=1280)}),
    "classifier": Mapping("Global average pool, hidden layers, then the final layer.", {
        "hidden_features": List("Hidden fully connected layers' widths.", min_items=0, default=(),
                                max_items=limits.MAX_HIDDEN_FEATURE_LAYERS,
                                of=Whole("Features.", minimum=1, maximum=limits.MAX_FEATURES), example=[1024]),
        "num_classes": _CLASSES,
    }),
})

MODEL = Mapping("An architecture the hardware model counts.", {
    "display_name": Text("Its name on the page.", example="ResNet-18"),
    "top1_percent": Number("ImageNet top-1 accuracy.", above=0, maximum=100, unit="%", example=69.758),
    "source": Text("Where top1_percent comes from.", example="torchvision-0.29.1"),
    "input": Mapping("The input image.", {
        "channels": Whole("Input channels, e.g. 3 for RGB.", minimum=1, maximum=limits.MAX_INPUT_CHANNELS, example=3),
        "height": Whole("Input height.", minimum=1, maximum=limits.MAX_INPUT_SIDE, unit="pixels", example=224),
        "width": Whole("Input width.", minimum=1, maximum=limits.MAX_INPUT_SIDE, unit="pixels", example=224),
    }),
    "architecture": Variant("The layers, as the family's compact table.", tag="family",
                            variants={"resnet": _RESNET, "inverted_residual": _INVERTED_RESIDUAL}),
})

# devices/*.yaml, energy.yaml ----------------------------------------------------------------------------


def _quantity(doc: str, value: Number) -> Mapping:
    return Mapping(doc + " Either kind: cited with a value, or kind: derived with factors and a formula.", {
        "value": value,
        "kind": Text("cited (a value from a source) or derived (the product of factors).", choices=KINDS),
        "source": Text("Where the value or the factors come from.", example="vendor datasheet"),
        "formula": Text("The product, in words (derived only).", default=None, example="cores × 2 × clock"),
        "factors": Dict("The cited numbers the derived value is the product of (derived only).",
                        of=Number("A factor.", above=0, maximum=limits.MAX_FACTOR,
                                  hint="peaks, bandwidths and their factors are positive: the roofline divides "
                                       f"by them; each factor is > 0 and ≤ {limits.MAX_FACTOR:g}"),
                        key_name="factor", default=None, example={"cores": 128, "clock_hz": 0.9216e9}),
        "note": Text("A caveat shown with the number.", default=""),
    })


_POSITIVE = "peaks and bandwidths are positive: the roofline divides by them"
DEVICE = Mapping("An edge device for the roofline and latency model.", {
    "display_name": Text("Its name on the page.", example="Jetson Nano"),
    "summary": Text("One line about the hardware.", default=""),
    "memory_link": Text("What the memory bandwidth is of.", default="DRAM"),
    "peak_ops_per_s": Dict("Peak operations per second, by precision.", key_name="precision", keys=PRECISIONS,
                           of=_quantity("A peak.", Number(f"The peak (cited only); {limits.PEAK_OPS_RANGE[0]:g} to "
                                                          f"{limits.PEAK_OPS_RANGE[1]:g}.", above=0, default=None,
                                                          unit="operations/s", hint=_POSITIVE, example=472e9))),
    "unlisted_precision": Text("The listed precision that precisions without a peak run at, or none.",
                               default="none"),
    "dram_bandwidth_bytes_per_s": _quantity("The memory bandwidth.", Number(
        f"The bandwidth (cited only); {limits.BANDWIDTH_RANGE[0]:g} to {limits.BANDWIDTH_RANGE[1]:g}.", above=0,
        default=None, unit="bytes/s", hint=_POSITIVE, example=25.6e9)),
    "on_chip_memory_bytes": _quantity("On-chip memory that can hold weights.", Number(
        f"The size (cited only); 0 to {limits.MAX_ON_CHIP_BYTES:g}.", minimum=0, default=None, unit="bytes",
        hint="write 0 for a device without on-chip memory for weights", example=262144)),
})

_ENERGY = Mapping("One energy with its unit and source.", {
    "value": Number("The energy.", above=0, maximum=limits.MAX_ENERGY_PJ, unit="pJ", example=3.7,
                    hint=f"energies are > 0 and ≤ {limits.MAX_ENERGY_PJ:g} pJ per operation or 32-bit word"),
    "unit": Text("What the energy is per, in words.", example="pJ per FP32 multiply"),
    "source": Text("A reference id.", example="horowitz-isscc-2014"),
    "note": Text("A caveat.", default=""),
})

ENERGY = Mapping("Energy per operation and per memory access (Horowitz, 45 nm).", {
    "process": Text("The process the energies are for.", example="45 nm CMOS, 0.9 V"),
    "source": Text("A reference id.", example="horowitz-isscc-2014"),
    "mac_pj": Mapping("One multiply-accumulate = one multiply + one add, by precision.", {
        precision: Mapping(f"The {precision} multiply and add.", {"multiply": _ENERGY, "add": _ENERGY})
        for precision in PRECISIONS}),
    "memory_pj": Mapping("Energy per 32-bit word, by memory.", {kind: _ENERGY for kind in MEMORY_KINDS}),
})

# the hardware pages' published numbers ---------------------------------------------------------------

_REFERENCE = Text("An id in content/references.yaml.", example="torchvision")
_LOCATOR = Text("Where in the source (table, README section).", example="Table 3")


def _top1(doc: str, **options: Any) -> Number:
    return Number(doc, minimum=0, maximum=100, unit="%", example=71.25, **options)


REFERENCE_MODELS = Mapping("Models the counter does not describe, known by their published stats.", {
    "models": List("The models.", of=Mapping("One model.", {
        "key": Text("Its key, used as a student in distillation_results.yaml.", example="mobilenet_v1"),
        "display_name": Text("Its name on the page.", example="MobileNet-V1"),
        "params": Number("Its parameter count, as published.", above=0, example=4.23e6),
        "top1_percent": _top1("ImageNet top-1 from scratch, if the source gives one.", default=None),
        "reference": _REFERENCE,
        "locator": _LOCATOR,
    })),
})

DISTILLATION_RESULTS = Mapping("Published ImageNet distillation results (top-1 in percent).", {
    "results": List("The results.", of=Mapping("One teacher → student result.", {
        "id": Text("Its id.", example="dist-r50-mobilenet-v2"),
        "paper": Text("The paper, as shown.", example="DIST (Huang et al., NeurIPS 2022)"),
        "reference": _REFERENCE,
        "locator": _LOCATOR,
        "teacher": Mapping("The teacher.", {
            "name": Text("Its name.", example="ResNet-50"),
            "top1_percent": _top1("Its top-1.", default=None),
        }),
        "student": Text("A content/models/*.yaml stem or a key of reference_models.yaml.", example="mobilenet_v2"),
        "baseline_percent": _top1("The student trained without a teacher, in the same source.", default=None),
        "kd_percent": _top1("The student with Hinton's KD loss (this or better is required).", default=None),
        "better": Mapping("The source's own newer method.", {
            "method": Text("Its name.", example="DIST"),
            "top1_percent": _top1("Its top-1."),
        }, default=None),
        "note": Text("A remark shown with the result.", default=""),
    })),
})

HARDWARE_PAGE = Mapping("Where the hardware figures start, and measured latencies.", {
    "default_device": Text("A content/devices/*.yaml stem.", example="raspberry_pi_4"),
    "default_traffic_model": Text("The memory traffic model the figures start on.", choices=TRAFFIC_MODELS),
    "measured_latency": List("Latencies measured on real hardware.", min_items=0, default=(),
                             of=Mapping("One measurement.", {
                                 "device": Text("A content/devices/*.yaml stem.", example="coral_edge_tpu"),
                                 "model": Text("A model key.", example="mobilenet_v2"),
                                 "precision": Text("The precision it ran at.", choices=PRECISIONS),
                                 "latency_ms": Number("The latency.", above=0, unit="ms", example=2.6),
                                 "setup": Text("What was measured.", example="USB Accelerator on USB 3.0"),
                                 "reference": _REFERENCE,
                                 "locator": _LOCATOR,
                             })),
})

FILES: tuple[tuple[str, Mapping], ...] = (
    ("content/site.yaml", SITE),
    ("content/sections/*.md", SECTION),
    ("content/examples.yaml", EXAMPLES),
    ("content/temperature.yaml", TEMPERATURE),
    ("content/labels.yaml", LABELS),
    ("content/training.yaml", TRAINING),
    ("content/references.yaml", REFERENCES),
    ("content/models/*.yaml", MODEL),
    ("content/devices/*.yaml", DEVICE),
    ("content/energy.yaml", ENERGY),
    ("content/reference_models.yaml", REFERENCE_MODELS),
    ("content/distillation_results.yaml", DISTILLATION_RESULTS),
    ("content/hardware_page.yaml", HARDWARE_PAGE),
    ("content/lab.yaml", LAB),
)
"""Every content file (or kind of file) and its schema, in the order the docs list them."""


# --- Part 3: the author's reference, generated (kdsite schema > docs/content.md) -------------------------

def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else ""


def _flow(value: Any) -> str:
    """A value as YAML flow text, e.g. [1, 2] or {kernel: 3}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, str) and (not value or value[0] in "[{&*!|>'\"%@`#-?:" or ": " in value or " #" in value):
        return '"' + value.replace('"', '\\"') + '"'
    return _yaml_text(value)


def reference_markdown() -> str:
    """The Markdown reference of every content file and field: type, unit, range, default, doc, example."""
    lines = ["# Content reference", "",
             "Generated by `kdsite schema` from kdsite/content/schema.py; do not edit by hand.", "",
             "Rules for every file: a number may be written 0.001, 1e-3 or \"0.001\" (all the same number); "
             "true and false are never numbers; a whole number may be written 30 or 30.0, but 30.7 where a whole "
             "number is required is an error. A key the schema does not know is a warning (an error under "
             "`kdsite build --strict`). A field with a default may be left out or left empty. "
             "`[]` in a field path means every entry of a list; `<name>` any key of a mapping.", ""]
    for file, mapping in FILES:
        lines += [f"## `{file}`", "", mapping.doc, "",
                  "| field | type | unit | range | default | description | example |",
                  "|---|---|---|---|---|---|---|"]
        for path, field in mapping.children(""):
            example = "" if isinstance(field, (Mapping, Variant)) else f"`{_flow(field.example_value())}`"
            lines.append("| " + " | ".join(_cell(text) for text in (
                f"`{path}`", field.type_text(), field.unit, field.range_text(), field.default_text(), field.doc,
                example)) + " |")
        lines.append("")
    return "\n".join(lines)
