"""Build results kept on disk between builds, written atomically so a killed build leaves no torn file."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Callable


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write `data` to a temporary file beside `path` and move it into place (os.replace).

    Raises OSError when the folder cannot be made or written; no temporary file is left behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cached_text(path: Path, make: Callable[[], str], use_cache: bool = True) -> str:
    """The text stored at `path`, else `make()`, stored there for the next build.

    With use_cache False the text is made afresh (and stored). An unwritable cache folder only
    costs time: the text is still returned.
    """
    if use_cache:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    text = make()
    try:
        write_atomically(path, text)
    except OSError:
        pass
    return text


def cache_problem(folder: Path) -> str | None:
    """Why `folder` cannot hold the build caches (e.g. it is a file, or read-only), or None if it can.

    Probes by making the folder and writing, then removing, one small file in it.
    """
    if folder.exists() and not folder.is_dir():
        return "it is a file, not a folder"
    probe = folder / f".kdsite-probe-{os.getpid()}-{threading.get_ident()}"  # builds at once never share it
    try:
        write_atomically(probe, b"")
        probe.unlink(missing_ok=True)
    except OSError as problem:
        return problem.strerror or str(problem)
    return None
