"""Shared test helpers: a throwaway copy of the project to break content in, and a build runner."""

from __future__ import annotations

import shutil
from pathlib import Path

from kdsite.pipeline import BuildOptions, build_site

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
