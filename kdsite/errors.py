"""The one error type for content mistakes, and a collector that reports them all at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
        what = f"field '{self.field}': {self.message}" if self.field else self.message
        tail = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}: {what}{tail}"


@dataclass
class ContentErrors(Exception):
    """Several content errors found in one pass; raised once loading has looked at everything."""

    errors: list[ContentError] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def relative_name(path: Path, root: Path) -> str:
    """The path as an author sees it: relative to the project root where possible."""
    try:
        return str(path.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(path)
