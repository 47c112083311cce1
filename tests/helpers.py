"""Shared test helpers: a throwaway copy of the project to break content in, and a build runner."""

from __future__ import annotations

import shutil
from pathlib import Path

from kdsite.build.pipeline import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".kdsite-cache"


def copy_project(destination: Path) -> Path:
    """Copy content/ and templates/ into `destination` (a project root of its own) and return it."""
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, destination / name)
    return destination


def build(project: Path, out: Path, lines: list[str] | None = None) -> float:
    """Build `project` into `out` with the shared cache; progress lines go to `lines`."""
    sink = lines if lines is not None else []
    return build_site(BuildOptions(project, out, cache_dir=CACHE), report=sink.append)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, for byte-for-byte comparisons."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a content file with `new`; `old` must be there."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` containing `text`."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)
