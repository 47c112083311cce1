"""The Vega runtime the page draws with, bundled offline by vl-convert and cached on disk.

Charts are compiled from Vega-Lite to Vega at build time, so the page needs Vega alone: its parser,
view, SVG renderer and expression interpreter (no Vega-Lite compiler, no Vega-Embed), plus
vega-tooltip for the hover tooltips. vl-convert bundles them from the same module sources it
compiles with, so the runtime's Vega is the Vega the specs were compiled for (VEGA_VERSION;
a test checks the bundle reports it). The two helper packages are pinned to the versions that
vl-convert 1.9 vendors (pyproject pins vl-convert-python to 1.9.x).

Making the bundle takes a few seconds, so it is cached under a key of the vl-convert version and
the Vega-Lite version it targets; the cache is only a speed-up and is rebuilt when missing or stale.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import vl_convert

from kdsite.charts.cache import ALTAIR_VERSION
from kdsite.diskcache import write_atomically


@functools.cache
def vegalite_version() -> str:
    """The Vega-Lite version (major.minor) of the specs Altair writes, which vl-convert compiles
    them with. Asked only when something is compiled or bundled: it imports Altair, which a build
    served from its caches never needs (kdsite/charts/__init__.py)."""
    import altair

    return ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])


VEGA_VERSION = vl_convert.get_vega_version()
VEGA_INTERPRETER_VERSION = "2.0.0"  # what vl-convert 1.9 vendors; Vega-Embed's `ast: true` uses it
VEGA_TOOLTIP_VERSION = "1.0.0"  # likewise; Vega-Embed's default tooltip handler
_MODULE = "https://cdn.jsdelivr.net/npm/{}/+esm"  # a key of vl-convert's offline module map, not fetched

# The page script reads these three globals (templates/static/site.js, draw()).
RUNTIME_SNIPPET = f"""
import * as vegaModule from "{_MODULE.format('vega@' + VEGA_VERSION)}";
import {{ expressionInterpreter }} from "{_MODULE.format('vega-interpreter@' + VEGA_INTERPRETER_VERSION)}";
import {{ Handler }} from "{_MODULE.format('vega-tooltip@' + VEGA_TOOLTIP_VERSION)}";
window.vega = vegaModule;
window.vegaExpressionInterpreter = expressionInterpreter;
window.vegaTooltipHandler = Handler;
"""


def runtime_key() -> str:
    """Cache key and file-name tag: the vl-convert version and the Vega version it bundles."""
    return f"vlc{vl_convert.__version__}-vega{VEGA_VERSION}"


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
    bundle = vl_convert.javascript_bundle(snippet=RUNTIME_SNIPPET, vl_version=vegalite_version())
    data = (f"/* Vega {VEGA_VERSION}, vega-interpreter {VEGA_INTERPRETER_VERSION} and vega-tooltip "
            f"{VEGA_TOOLTIP_VERSION}, bundled by vl-convert {vl_convert.__version__} */\n"
            f"(function () {{\n{bundle}\n}})();\n").encode("utf-8")
    try:
        write_atomically(cached, data)
    except OSError:
        pass  # an unwritable cache only costs time
    return data


def compiler_key(value: Any) -> str:
    """Cache key of a result vl-convert derives from `value` (a spec): 24 hex digits of the SHA-256
    of the vl-convert version, the Altair version (which fixes the Vega-Lite version the spec is
    compiled at) and the value as sorted compact JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{vl_convert.__version__}|altair {ALTAIR_VERSION}|{text}".encode()).hexdigest()[:24]


def short_hash(data: bytes) -> str:
    """First 10 hex digits of the SHA-256: a content tag for asset file names."""
    return hashlib.sha256(data).hexdigest()[:10]
