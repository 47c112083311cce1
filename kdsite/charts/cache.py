"""A cache of finished chart specs, so a build with unchanged content skips Altair.

Building a spec through Altair (objects, validation, deep copies) took about 0.8 s of a 2 s warm
build. A chart function decorated with @cached returns the spec stored under a key made of its
name, its arguments, Altair's version and the source of the chart code it runs: its own module
and every kdsite/charts module that one imports, directly or not (this module and the package's
__init__ always), so any change to data, wording, that chart's code or Altair builds afresh, while
a new or edited chart module leaves the other charts' specs cached. The cache is used only inside
`spec_cache(directory)`; elsewhere (tests, --no-cache) the functions simply run.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from kdsite.diskcache import write_atomically

_directory: Path | None = None


CHARTS = Path(__file__).resolve().parent
ALTAIR_VERSION = importlib.metadata.version("altair")  # read without importing Altair


def chart_imports(path: Path, package: Path = CHARTS) -> set[Path]:
    """The modules of `package` (kdsite/charts) that `path` imports, directly or through each other,
    with `path` itself, this module and the package's __init__."""
    found = {path, package / "cache.py", package / "__init__.py"}
    waiting = [path]
    while waiting:
        tree = ast.parse(waiting.pop().read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("kdsite.charts."):
                    module = package / f"{name.split('.')[2]}.py"
                    if module.is_file() and module not in found:
                        found.add(module)
                        waiting.append(module)
    return found


@functools.cache
def code_version(module_file: str, package: Path = CHARTS) -> str:
    """Altair's version and the source of every chart module the module at `module_file` runs."""
    digest = hashlib.sha256(ALTAIR_VERSION.encode())
    for path in sorted(chart_imports(Path(module_file).resolve(), package)):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """JSON for the argument types chart functions take; anything else is not cached."""
    if isinstance(value, np.ndarray):
        return {"ndarray": value.tolist(), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return value.item()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"dataclass": type(value).__qualname__,
                "fields": {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
    raise TypeError(f"not cacheable: {type(value).__name__}")


def _key(function: Callable, args: tuple, kwargs: dict) -> str:
    module_file = getattr(sys.modules.get(function.__module__), "__file__", None)
    if not module_file:
        raise TypeError(f"not cacheable: {function.__qualname__} has no source file to key on")
    code = code_version(module_file)
    text = json.dumps({"function": f"{function.__module__}.{function.__qualname__}", "args": args,
                       "kwargs": kwargs, "code": code}, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextmanager
def spec_cache(directory: Path | None) -> Iterator[None]:
    """Within this block, @cached chart functions read and write specs in `directory` (None: off)."""
    global _directory
    previous, _directory = _directory, directory
    try:
        yield
    finally:
        _directory = previous


def cached(function: Callable[..., dict]) -> Callable[..., dict]:
    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> dict:
        directory = _directory
        if directory is None:
            return function(*args, **kwargs)
        try:
            key = _key(function, args, kwargs)
        except (TypeError, ValueError):
            return function(*args, **kwargs)
        path = directory / f"{key[:40]}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        spec = function(*args, **kwargs)
        try:
            write_atomically(path, json.dumps(spec, separators=(",", ":"), allow_nan=False))
        except (OSError, ValueError):
            pass  # an unwritable cache only costs time
        return spec
    return wrapper
