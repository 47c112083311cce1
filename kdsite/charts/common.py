"""Shared chart pieces: colours, the dark theme and named inline data (numbers: kdsite/charts/numbers.py)."""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections.abc import Iterable

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)

# Colours with at least 4.5:1 contrast on white; series are also told apart by shape or dash.
PALETTE = {"accent": "#1f5fa8", "muted": "#6b7280", "highlight": "#c2410c", "good": "#047857",
           "soft": "#7c3aed"}
WIDTH = "container"


# Dark mode: each chart is compiled a second time with every light colour swapped for its dark twin
# and this config merged in; the page applies the difference (kdsite/page/compiled_charts.py).
# Every twin keeps at least 3:1 contrast against the dark panel (#1a1f26) for graphical marks.
DARK_THEME = {
    "colors": {
        PALETTE["accent"]: "#7cb7ff",
        PALETTE["muted"]: "#a8b1bd",
        PALETTE["highlight"]: "#fb923c",
        PALETTE["good"]: "#34d399",
        PALETTE["soft"]: "#c4b5fd",
    },
    "config": {
        "background": "transparent",
        "axis": {"labelColor": "#e6e8eb", "titleColor": "#e6e8eb", "gridColor": "#3a434e",
                 "domainColor": "#a8b1bd", "tickColor": "#a8b1bd"},
        "legend": {"labelColor": "#e6e8eb", "titleColor": "#e6e8eb"},
        "title": {"color": "#e6e8eb", "subtitleColor": "#b4bcc6"},
        "text": {"color": "#e6e8eb"},
        "view": {"stroke": "#3a434e"},
    },
}


# Chart text is at least 12 px at every width: the SVG is drawn at the container's width, never
# scaled, so these sizes are the sizes on screen (issue 17). Text marks that set their own size use
# at least MIN_FONT_PX too.
MIN_FONT_PX = 12
TEXT_CONFIG = {
    # Two tick labels closer than 4 px run together on a phone ("1020" for 10 and 20 on a log axis):
    # where an axis drops overlapping labels, it keeps that gap.
    "axis": {"labelFontSize": MIN_FONT_PX, "titleFontSize": MIN_FONT_PX + 1, "labelSeparation": 4},
    "legend": {"labelFontSize": MIN_FONT_PX, "titleFontSize": MIN_FONT_PX + 1, "symbolSize": 80},
    "title": {"fontSize": MIN_FONT_PX + 2, "subtitleFontSize": MIN_FONT_PX},
    "text": {"fontSize": MIN_FONT_PX},
    "header": {"labelFontSize": MIN_FONT_PX, "titleFontSize": MIN_FONT_PX + 1},
}


def wrapped(title: str, width: int = 42) -> str | list[str]:
    """A long axis title as lines of at most `width` characters (Vega-Lite draws a list as lines),
    so it fits a phone-wide chart; a short one unchanged."""
    if len(title) <= width:
        return title
    return textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False)


# Charts whose container is narrower than this (a 320 px screen, or a 360 px phone zoomed in) wrap
# their category labels shorter and split long labels, so the plot keeps room for its bars.
NARROW_PX = 300


def narrow() -> str:
    """A Vega expression true while the chart's container is under NARROW_PX wide. It names `width`
    so a resize re-runs it, and reads the container itself, which the chart's autosize does not
    change; a chart drawn without a container (the static SVG) is not narrow."""
    size = "containerSize()[0]"
    return f"(width > -1 && isFinite({size}) && {size} > 0 && {size} < {NARROW_PX})"


def wrapped_labels(labels: Iterable[str], width: int = 20, narrow_width: int | None = 12) -> str:
    """A Vega `labelExpr` that draws each long category label as lines of at most `width`
    characters (a label given as a list is drawn as lines), so the labels leave a phone-wide chart
    room for its bars; in a narrow container (`narrow()`), lines of at most `narrow_width` (None:
    the same lines, for bands too short for a third line)."""
    labels = list(labels)

    def cases(limit: int) -> str:
        expression = "datum.label"
        for label in labels:
            lines = textwrap.wrap(label, limit, break_long_words=False, break_on_hyphens=False)
            if len(lines) > 1:
                expression = f"datum.label === {json.dumps(label)} ? {json.dumps(lines)} : {expression}"
        return expression

    wide, slim = cases(width), cases(narrow_width or width)
    return wide if slim == wide else f"{narrow()} ? ({slim}) : ({wide})"


class Datasets:
    """Inline data kept out of Altair and put back into the finished spec.

    Altair's to_dict walks every row of inline data, which dominates build time for the larger
    charts. Charts refer to rows by name instead (`data(rows)`), and `spec(chart)` adds them as
    top-level Vega-Lite `datasets`. Names are content hashes, so builds stay byte-identical.
    """

    def __init__(self):
        self.rows: dict[str, list] = {}

    def __call__(self, rows: list) -> alt.Data:
        text = json.dumps(rows, sort_keys=True, separators=(",", ":"))
        name = f"data-{hashlib.sha256(text.encode()).hexdigest()[:16]}"
        self.rows[name] = rows
        return alt.Data(name=name)

    def spec(self, chart) -> dict:
        """The chart as a Vega-Lite dict with its named data sets filled in."""
        spec = chart.to_dict(validate=False)
        spec["datasets"] = {**spec.get("datasets", {}), **self.rows}
        config = spec.setdefault("config", {})
        for part, sizes in TEXT_CONFIG.items():
            config[part] = {**sizes, **config.get(part, {})}
        return spec


def columns_by_width(*steps: tuple[int, int], narrow: int = 1) -> dict:
    """A legend's `columns` that follow its chart's width, so a legend under a wide chart lies in one
    or two rows and a phone's keeps one entry a line: `steps` are (container width in px at least,
    columns), widest first. An expression on `containerSize()`, re-read whenever the `width` signal
    changes (a window resize); a chart drawn without a container (the static SVG) gets `narrow`."""
    size = "(width > -1 ? containerSize()[0] : 0)"  # names `width`, so a resize re-runs it
    expression = str(narrow)
    for minimum, columns in reversed(steps):
        expression = f"{size} >= {minimum} ? {columns} : {expression}"
    return {"expr": expression}


def colour_and_shape(field: str, categories: tuple[str, ...], colours: tuple[str, ...], shapes: tuple[str, ...],
                     legend: alt.Legend) -> dict:
    """Encode one nominal field by colour AND shape (readable without colour), one shared legend."""
    order = list(categories)
    return {"color": alt.Color(f"{field}:N", sort=order, scale=alt.Scale(domain=order, range=list(colours)),
                               legend=legend),
            "shape": alt.Shape(f"{field}:N", sort=order, scale=alt.Scale(domain=order, range=list(shapes)),
                               legend=legend)}


def fixed_domain(values: Iterable, *, zero: bool = False, log: bool = False) -> list[float]:
    """An axis domain that covers every value a chart can show over its controls' whole range.

    A chart that filters its rows on a control would otherwise rescale its axis at each move, hiding
    the change the control makes; with this domain the axis stays put. `values` may hold numbers,
    lists of numbers (series stored as arrays) and None (skipped). Linear domains get 5 % room and
    are rounded outward; `zero` keeps 0 inside; log domains get 15 % room at each end.
    """
    flat: list[float] = []
    for value in values:
        if isinstance(value, (list, tuple)):
            flat.extend(float(v) for v in value if v is not None)
        elif value is not None:
            flat.append(float(value))
    low, high = min(flat), max(flat)
    if log:
        return [float(f"{low / 1.15:.2g}"), float(f"{high * 1.15:.2g}")]
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    room = 0.05 * (high - low) or 1.0
    step = 10.0 ** (math.floor(math.log10(room)))
    down = low if zero and low == 0.0 else low - room
    up = high if zero and high == 0.0 else high + room
    return [float(f"{math.floor(down / step) * step:.12g}"), float(f"{math.ceil(up / step) * step:.12g}")]
