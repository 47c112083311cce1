"""The accuracy-vs-size scatter: top-1 against parameters (log x), groups by colour AND shape.

Rows arrive from kdsite.figures.hardware.accuracy_points with every shown string formatted; the
tooltip names each point's source. Each model is named once, at its first row, beside its point
where no other point or name is, and not at widths where no such place is (place_names). `x` is
the parameter count nudged by a few percent so points of one student from different papers do not
hide each other; the tooltip prints the exact count.
"""

from __future__ import annotations

import math


from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, colour_and_shape

GROUP_COLOURS = (PALETTE["highlight"], PALETTE["muted"], PALETTE["accent"], PALETTE["good"])
GROUP_SHAPES = ("square", "circle", "triangle-up", "diamond")


def _significant(value: float, digits: int = 4) -> float:
    return float(f"{value:.{digits}g}")


HEIGHT = 340  # the plot's height, px
NARROWEST_WIDE = 500  # names show from this plot width up
WIDEST = 780  # wider than the plot in a laptop's window (the page's column is at most 52rem)
# Plot widths from which each band of widths starts: a name keeps one place within a band, checked
# at the band's two ends and its middle (a box moves linearly with the width between them).
BAND_STARTS = (NARROWEST_WIDE, 600, 700)
POINT_RADIUS = 7  # px: a filled point of size 110 (a diamond reaches furthest), with its stroke and a pixel
CHAR_PX, ASCENT_PX, DESCENT_PX = 6.8, 11, 4  # a 12 px sans-serif label, generously
# (align, dx, dy) from the point: right and left of it, above and below its centre, over and under
# it, then the same a line further out.
NAME_PLACES = (("left", 8, -6), ("left", 8, 12), ("right", -8, -6), ("right", -8, 12), ("center", 0, -10),
               ("center", 0, 21), ("left", 8, -14), ("right", -8, -14), ("left", 8, 20), ("right", -8, 20),
               ("center", 0, -18), ("center", 0, 29))


def band_widths() -> list[tuple[float, ...]]:
    """The plot widths each band is checked at: its start, middle and end."""
    ends = [start - 1 for start in BAND_STARTS[1:]] + [WIDEST]
    return [(start, (start + end) / 2, end) for start, end in zip(BAND_STARTS, ends)]


def band_index() -> str:
    """A Vega expression: the index of the band the plot's current width is in."""
    expression = str(len(BAND_STARTS) - 1)
    for index in range(len(BAND_STARTS) - 2, -1, -1):
        expression = f"width < {BAND_STARTS[index + 1]} ? {index} : {expression}"
    return f"({expression})"


def place_names(values: list[dict], x_domain: list[float], y_domain: list[float]) -> dict[int, dict]:
    """Where each named row's name goes (by row index), in every band of plot widths: the first of
    NAME_PLACES where its box, estimated from its length, is inside the plot and clear of every
    point and of the names placed before it, at every width checked. One place for every band when
    one fits them all, else a place a band; a band with no clear place does not show the name
    (never on a point: the tooltip and the data table still name it).

    Each row gets `name_places`, one dict a band: align, dx and dy (px from the point) and shown
    (1 or 0)."""
    span = math.log10(x_domain[1]) - math.log10(x_domain[0])

    def at(row: dict, width: float) -> tuple[float, float]:
        return (width * (math.log10(row["x"]) - math.log10(x_domain[0])) / span,
                HEIGHT * (1 - (row["top1"] - y_domain[0]) / (y_domain[1] - y_domain[0])))

    def overlap(a: tuple, b: tuple) -> float:
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    widths = sorted({width for band in band_widths() for width in band})
    points = {width: [(x - POINT_RADIUS, y - POINT_RADIUS, x + POINT_RADIUS, y + POINT_RADIUS)
                      for x, y in (at(row, width) for row in values)] for width in widths}
    names: dict[float, list[tuple]] = {width: [] for width in widths}  # boxes of the names placed

    def fits(index: int, text: float, place: int, checked) -> dict | None:
        """The place's box at each width in `checked`, if clear at all of them."""
        align, dx, dy = NAME_PLACES[place]
        found = {}
        for width in checked:
            x, y = at(values[index], width)
            left = {"left": x + dx, "right": x + dx - text, "center": x - text / 2}[align]
            box = (left, y + dy - ASCENT_PX, left + text, y + dy + DESCENT_PX)
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > HEIGHT \
                    or any(overlap(box, other) for other in points[width] + names[width]):
                return None
            found[width] = box
        return found

    placed: dict[int, dict] = {}
    for index, row in enumerate(values):
        if not row.get("named"):
            continue
        text = CHAR_PX * len(row["model"])
        places = range(len(NAME_PLACES))
        everywhere = next(((place, found) for place in places if (found := fits(index, text, place, widths))), None)
        name_places = []
        for band in band_widths():
            place, found = everywhere or next(((place, found) for place in places
                                               if (found := fits(index, text, place, band))), (None, None))
            if place is None:
                name_places.append({"align": "left", "dx": 0, "dy": 0, "shown": 0})
                continue
            for width in band:
                names[width].append(found[width])
            align, dx, dy = NAME_PLACES[place]
            name_places.append({"align": align, "dx": dx, "dy": dy, "shown": 1})
        placed[index] = {"name_places": name_places}
    return placed


@cached
def accuracy_scatter(rows: list[dict], groups: tuple[str, ...], description: str) -> dict:
    """Scatter of top-1 (%) against parameters on a log axis, with tooltips and model labels."""
    data = Datasets()
    values = [{**row, "x": _significant(row["x"]), "params": _significant(row["params"])} for row in rows]
    low = min(row["x"] for row in values)
    high = max(row["x"] for row in values)
    x_domain = [_significant(10 ** (math.floor(math.log10(low) * 4) / 4), 3),
                _significant(10 ** (math.ceil(math.log10(high) * 4) / 4 + 0.25), 3)]  # a quarter decade for names
    y_domain = [math.floor(min(row["top1"] for row in values) - 1), math.ceil(max(row["top1"] for row in values) + 1)]
    placed = place_names(values, x_domain, y_domain)
    values = [{**row, **placed.get(index, {})} for index, row in enumerate(values)]
    base = alt.Chart(data(values)).encode(
        x=alt.X("x:Q", title="Parameters (log scale)",
                scale=alt.Scale(type="log", domain=x_domain), axis=alt.Axis(format="~s")),
        y=alt.Y("top1:Q", title="ImageNet top-1 accuracy (%)", scale=alt.Scale(domain=y_domain)),
    )
    legend = alt.Legend(orient="bottom", direction="vertical", title=None, columns=1, symbolSize=120)
    points = base.mark_point(filled=True, size=110, opacity=0.9, stroke="white", strokeWidth=0.8).encode(
        **colour_and_shape("group", groups, GROUP_COLOURS, GROUP_SHAPES, legend),
        tooltip=[alt.Tooltip("model:N", title="Model"), alt.Tooltip("group:N", title="Group"),
                 alt.Tooltip("params_text:N", title="Parameters"), alt.Tooltip("top1_text:N", title="Top-1"),
                 alt.Tooltip("teacher:N", title="Teacher"), alt.Tooltip("method:N", title="Method"),
                 alt.Tooltip("source:N", title="Source")],
        description=alt.Description("label:N"),
    )
    # Each name sits at the first of twelve places around its point clear of every point, of the
    # names placed before it and of the plot's edges, in each band of widths; where none is, it is
    # not drawn in that band (place_names, above). On a phone-wide chart the small models crowd
    # together and any name would sit on another point, so names show only on a wide chart; the
    # legend names the teacher, and tooltips and the data table name every point.
    here = f"datum.name_places[{band_index()}]"
    shown = {"expr": f"width >= {NARROWEST_WIDE} && {here}.shown ? 1 : 0"}
    labels = [base.transform_filter(alt.datum.named).mark_text(
        align={"expr": f"{here}.align"}, dx={"expr": f"{here}.dx"}, dy={"expr": f"{here}.dy"},
        fontSize=12, opacity=shown).encode(text="model:N")]
    chart = alt.layer(points, *labels).properties(width=WIDTH, height=HEIGHT, description=description)
    return data.spec(chart)
