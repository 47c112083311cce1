"""The one error type for content mistakes, and a collector that reports them all at once."""

from __future__ import annotations

from dataclasses import dataclass, field
import unicodedata
from pathlib import Path


MAX_SHOWN = 600
"""Characters of one message or hint printed; content can hold far longer text than a line should."""


def shown(text: str) -> str:
    """`text` as one printable line: control characters (line breaks, NUL, escape codes) written as
    \\uXXXX, and anything past MAX_SHOWN characters cut with an ellipsis."""
    text = "".join(f"\\u{ord(char):04x}" if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
                   for char in str(text))
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + f"… ({len(text) - MAX_SHOWN:,} more characters)"


@dataclass(frozen=True)
class ContentError(Exception):
    """A mistake in content/: where it is (file, line, field path), what is wrong, and a hint.

    `line` is 1-based and None when the format gives no line (e.g. a missing file).
    `field` is a dotted path such as ``examples[2].logits``; empty for whole-file problems.
    """

    file: str
    line: int | None
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"field '{shown(self.field)}': {shown(self.message)}" if self.field else shown(self.message)
        tail = f" (hint: {shown(self.hint)})" if self.hint else ""
        return f"{where}: {what}{tail}"


@dataclass
class ContentErrors(Exception):
    """Several content errors found in one pass; raised once loading has looked at everything.

    `warnings` are the pass's warnings (unknown keys): printed with the errors, since a misspelled
    key is often why a required one is "missing".
    """

    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def relative_name(path: Path, root: Path) -> str:
    """The path as an author sees it: relative to the project root where possible."""
    try:
        return str(path.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(path)
