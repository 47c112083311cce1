"""Static SVG copies of every chart at its default setting, rendered at build time by vl-convert.

They are what readers without JavaScript see, and their marks' ARIA labels give each chart's
data-table alternative. Rendering takes ~50 ms a chart, so SVGs are cached by a hash of the
spec and the vl-convert version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import vl_convert

from kdsite.diskcache import cached_text
from kdsite.page.runtime import compiler_key, short_hash

ITEM = re.compile(r'<[a-z]+(?=[^>]*role="graphics-symbol")[^>]*>')
LABEL = re.compile(r'aria-label="([^"]*)"')
ROLE = re.compile(r'aria-roledescription="([^"]*)"')
SKIPPED_ROLES = {"text mark", "axis", "legend", "line mark"}


@dataclass(frozen=True)
class DataTable:
    """A chart's data as a table: column names and rows of the strings its marks are labelled with."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def render_svg(spec: dict, vega: dict, cache_dir: Path, use_cache: bool = True) -> str:
    """The chart as an SVG document at its default param values (cached on disk), drawn from `vega`,
    the build's compile of the Vega-Lite `spec` (page/compiled_charts.py), which names it in the cache.

    vl-convert's vegalite_to_svg would compile the spec again; drawing the compiled spec gives the
    same bytes (every chart of the fixture project compared) and saves that compile (about 0.2 s of
    a cold fixture build), and the static copy is drawn from exactly what the page draws."""
    return cached_text(cache_dir / f"{compiler_key(spec)}.svg", lambda: vl_convert.vega_to_svg(vega), use_cache)


def label_fields(label: str) -> dict[str, str]:
    """A mark's ARIA label ("Key: value; Key: value") as {key: value}, or {} if it has no "Key: ".

    Vega joins the fields with "; " and does not escape one inside a value (a source's locator may
    hold one), so a part without a "Key: " of its own continues the value before it.
    """
    fields: dict[str, str] = {}
    key = None
    for part in label.split("; "):
        name, colon, value = part.partition(": ")
        if colon and name:
            key = name
            fields[key] = value
        elif key is not None:
            fields[key] += "; " + part
        else:
            return {}
    return fields


def data_table(svg: str) -> DataTable:
    """Rows from the marks' ARIA labels ("Key: value; Key: value"), in drawing order.

    Text marks repeat their bar's label and axes describe scales, so both are skipped.
    """
    rows: list[dict[str, str]] = []
    for element in ITEM.findall(svg):
        label, role = LABEL.search(element), ROLE.search(element)
        if not label or (role and (role.group(1) in SKIPPED_ROLES or "line" in role.group(1))):
            continue
        row = label_fields(unescape(label.group(1)))
        if row and row not in rows:
            rows.append(row)
    columns = tuple(dict.fromkeys(key for row in rows for key in row))
    return DataTable(columns, tuple(tuple(row.get(column, "") for column in columns) for row in rows))


@dataclass(frozen=True)
class StaticChart:
    """Where a chart's static SVG lives in the site, and its data table."""

    src: str
    table: DataTable


class StaticChartCollector:
    """Each chart's static SVG and data table, rendered once per build in the compile stage.

    `render(charts)` draws them all (the pipeline's "compile" stage); the template's
    `static_chart(chart)` then only looks the result up, so rendering the page only renders.
    """

    def __init__(self, cache_dir: Path, use_cache: bool = True):
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.files: dict[str, bytes] = {}
        self.charts: list = []
        self.drawn: dict[str, StaticChart] = {}

    def render(self, charts: list, compiled) -> None:
        """Draw every chart (figures.common.Chart) of the page from its compiled Vega (`compiled(chart)`,
        a CompiledChartCollector that has compiled them)."""
        for chart in charts:
            svg = render_svg(chart.spec, compiled(chart)["vega"], self.cache_dir, self.use_cache)
            data = svg.encode("utf-8")
            src = f"assets/charts/{chart.id}.{short_hash(data)}.svg"
            self.files[src] = data
            self.charts.append(chart)
            self.drawn[chart.id] = StaticChart(src, data_table(svg))

    def __call__(self, chart) -> StaticChart:
        """The static copy of `chart`, drawn by `render`."""
        return self.drawn[chart.id]
