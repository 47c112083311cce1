"""What the page draws each chart from: its Vega-Lite spec compiled to Vega at build time (shipped
in its section's spec file, kdsite/page/spec_files.py).

Compiling in the browser cost every reader the Vega-Lite compiler's work (and its first-run
warm-up) before a chart could draw: about 40 ms of the ~350 ms to a section's first view on a
2-core laptop (bench/run.py). vl-convert runs the same compiler, at the Vega-Lite version of the
page's runtime, once per build; the results are cached by a hash of the spec.

Dark mode is compiled too, the one mechanism for it: the spec with each palette colour swapped
for its dark twin (`charts.common.DARK_THEME["colors"]`) and the dark config merged in
(`DARK_THEME["config"]`: background, text colours, the Vega config) is compiled as well, and the
page gets the places where the two compiles differ as a patch, a list of `[path, value]` pairs
the script applies before it draws. The page carries one spec, not two, and the script knows no
colour.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import vl_convert

from kdsite.charts.common import DARK_THEME
from kdsite.diskcache import cached_text
from kdsite.page.runtime import compiler_key, vegalite_version


class ThemeError(RuntimeError):
    """The dark config changed a compiled spec's shape, which a patch of values cannot express."""


def to_vega(spec: dict) -> dict:
    """The Vega spec vl-convert compiles `spec` (a Vega-Lite dict) to."""
    return vl_convert.vegalite_to_vega(spec, vl_version=vegalite_version())


def merged(base: dict, over: dict) -> dict:
    """`over` merged into `base`, key by key at every depth; `over` wins."""
    result = dict(base)
    for key, value in over.items():
        result[key] = merged(result[key], value) if isinstance(value, dict) and isinstance(result.get(key), dict) \
            else value
    return result


def patch(light: Any, dark: Any, path: tuple = ()) -> list[list]:
    """The `[path, value]` pairs that turn `light` into `dark` by setting values, in key order.

    Raises ThemeError where `dark` drops a key or changes a list's length.
    """
    if isinstance(light, dict) and isinstance(dark, dict):
        dropped = sorted(set(light) - set(dark))
        if dropped:
            raise ThemeError(f"dark theme drops {dropped} at {list(path)}")
        pairs: list[list] = []
        for key in sorted(dark):
            if key in light:
                pairs.extend(patch(light[key], dark[key], path + (key,)))
            else:
                pairs.append([list(path + (key,)), dark[key]])
        return pairs
    if isinstance(light, list) and isinstance(dark, list):
        if len(light) != len(dark):
            raise ThemeError(f"dark theme changes a list's length at {list(path)}")
        return [pair for index, (a, b) in enumerate(zip(light, dark)) for pair in patch(a, b, path + (index,))]
    return [] if light == dark else [[list(path), dark]]


def dark_twin(spec: dict) -> dict:
    """`spec` in dark mode: palette colours swapped for their twins, the dark config merged in."""
    text = json.dumps(spec, sort_keys=True)
    for light, dark in DARK_THEME["colors"].items():
        text = text.replace(f'"{light}"', f'"{dark}"')
    recoloured = json.loads(text)
    return {**recoloured, "config": merged(recoloured.get("config") or {}, DARK_THEME["config"])}


def compile_chart(spec: dict) -> dict:
    """{"vega": the compiled spec, "dark": the patch that gives its dark-mode twin}."""
    light = to_vega(spec)
    dark = to_vega(dark_twin(spec))
    return {"vega": light, "dark": patch(light, dark)}


class CompiledChartCollector:
    """Each chart compiled once per build (in the compile stage), through a cache on disk keyed by
    spec and compiler; `collector(chart)` then only looks the result up (for page/spec_files.py)."""

    def __init__(self, cache_dir: Path, use_cache: bool = True):
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.compiled: dict[str, dict] = {}

    def compile(self, charts: list) -> None:
        """Compile every chart (figures.common.Chart) of the page."""
        for chart in charts:
            self.compiled[chart.id] = self.compile_one(chart)

    def compile_one(self, chart) -> dict:
        """`chart` compiled to Vega with its dark patch, from the disk cache when unchanged."""
        path = self.cache_dir / f"{compiler_key({'spec': chart.spec, 'dark': DARK_THEME})}.json"

        def compiled() -> str:
            return json.dumps(compile_chart(chart.spec), sort_keys=True, separators=(",", ":"))

        try:
            return json.loads(cached_text(path, compiled, self.use_cache))
        except ValueError:  # a damaged entry: compile afresh and store it again
            return json.loads(cached_text(path, compiled, use_cache=False))

    def __call__(self, chart) -> dict:
        """What the page embeds for `chart`, compiled by `compile`."""
        return self.compiled[chart.id]
