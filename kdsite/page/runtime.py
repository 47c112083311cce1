"""The Vega / Vega-Lite / Vega-Embed runtime, bundled offline by vl-convert and cached on disk.

Making the bundle takes about 2 s, so it is cached under a key of the vl-convert version and the
Vega-Lite version it targets; the cache is only a speed-up and is rebuilt when missing or stale.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from kdsite.diskcache import write_atomically

VEGALITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def runtime_key() -> str:
    """Cache key and file-name tag: vl-convert version plus the Vega-Lite version Altair emits."""
    return f"vlc{vl_convert.__version__}-vl{VEGALITE_VERSION}"


def vega_runtime(cache_dir: Path, use_cache: bool = True) -> bytes:
    """The runtime script as bytes, from `cache_dir` when present, else built and cached.

    The bundle declares top-level consts, so it is wrapped in a function: classic scripts share
    one global scope and its short names would otherwise collide with other scripts' names.
    """
    cached = cache_dir / f"vega-runtime-{runtime_key()}.js"
    if use_cache:
        try:
            return cached.read_bytes()
        except OSError:
            pass  # missing or unreadable: make it afresh
    bundle = vl_convert.javascript_bundle(vl_version=VEGALITE_VERSION)
    data = ("/* Vega, Vega-Lite and Vega-Embed, bundled by vl-convert "
            f"{vl_convert.__version__} */\n(function () {{\n{bundle}\n}})();\n").encode("utf-8")
    try:
        write_atomically(cached, data)
    except OSError:
        pass  # an unwritable cache only costs time
    return data


def compiler_key(value: Any) -> str:
    """Cache key of a result vl-convert derives from `value` (a spec): 24 hex digits of the SHA-256
    of the vl-convert version, the Vega-Lite version and the value as sorted compact JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{vl_convert.__version__}|{VEGALITE_VERSION}|{text}".encode()).hexdigest()[:24]


def short_hash(data: bytes) -> str:
    """First 10 hex digits of the SHA-256: a content tag for asset file names."""
    return hashlib.sha256(data).hexdigest()[:10]
