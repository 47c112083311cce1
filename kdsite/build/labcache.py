"""Disk cache for the distillation lab: results as JSON, keyed by configuration and code.

The key is the sha256 of the canonical lab configuration (sorted-key JSON) and of the source
text of every module that shapes the numbers (TRAINING_MODULES). Editing content/lab.yaml or
the training code therefore misses the cache; anything else (templates, charts) hits it.
Files are written to a temporary name and moved into place with os.replace, so an interrupted
build never leaves a half-written cache entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


from kdsite.diskcache import write_atomically
from kdsite.science.labconfig import LabConfig
from kdsite.science.records import to_jsonable

Progress = Callable[[str], None]

CACHE_FORMAT = 1
"""Bump when the JSON layout changes without a change to the modules below."""

TRAINING_MODULES = ("science/softmax.py", "science/losses.py", "science/mlp.py", "science/digits.py",
                    "science/biasshift.py", "science/labconfig.py", "science/lab.py", "science/records.py",
                    "build/labcache.py")
"""Files under kdsite/ whose source text is part of the cache key: the code that shapes the numbers
(how lab.yaml is read does not; its values are in the key through the canonical configuration)."""


def canonical_config(config: LabConfig) -> str:
    """The configuration as sorted-key JSON: equal configurations give equal text."""
    return json.dumps(to_jsonable(config), sort_keys=True, separators=(",", ":"))


def cache_key(config: LabConfig, source_dir: Path | None = None) -> str:
    """sha256 over the cache format, the canonical configuration and the training modules' source."""
    source_dir = source_dir or Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    digest.update(f"kdsite-lab-cache {CACHE_FORMAT}\n".encode())
    digest.update(canonical_config(config).encode())
    for name in TRAINING_MODULES:
        digest.update(f"\n--- {name}\n".encode())
        digest.update((source_dir / name).read_bytes())
    return digest.hexdigest()


def _read_entry(path: Path, key: str, load: Callable[[dict], Any]) -> Any | None:
    """The cached results at `path` if the file is intact and was written for `key`."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if entry.get("key") != key:
            return None
        return load(entry["results"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def run_cached(config: LabConfig, cache_dir: Path, use_cache: bool, progress: Progress | None,
               run: Callable[[LabConfig, Progress | None], Any],
               load: Callable[[dict], Any]) -> tuple[Any, bool]:
    """`run(config, progress)` unless cache_dir holds results for this key; returns (results, hit).

    `results.to_json_dict()` is what gets stored and `load` turns it back into results.
    With use_cache=False the computation always runs and the entry is rewritten.
    """
    key = cache_key(config)
    path = Path(cache_dir) / f"lab-{key}.json"
    if use_cache:
        cached = _read_entry(path, key, load)
        if cached is not None:
            if progress is not None:
                progress("lab: cached")
            return cached, True
    results = run(config, progress)
    write_atomically(path, json.dumps({"key": key, "results": results.to_json_dict()}, allow_nan=False))
    return results, False
