"""The accuracy-vs-size scatter: top-1 against parameters (log x), groups by colour AND shape.

Rows arrive from kdsite.figures.hardware.accuracy_points with every shown string formatted; the
tooltip names each point's source. Each model is named once, at its first row. `x` is the parameter count nudged by a few percent so points of
one student from different papers do not hide each other; the tooltip prints the exact count.
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
    # Names sit right of their points, except the right-most one's, left of it, so no name runs past
    # the chart's edge on a narrow screen.
    # On a phone-wide chart the small models crowd together and any name would sit on another
    # point, so names show only on a wide chart; the legend names the teacher, and tooltips and the
    # data table name every point.
    largest = max(row["x"] for row in values if row.get("named"))
    named = base.transform_filter(alt.datum.named)
    wide_only = {"expr": "width >= 500 ? 1 : 0"}
    labels = [named.transform_filter(alt.datum.x < largest).mark_text(
                  align="left", dx=8, dy=-6, fontSize=12, opacity=wide_only).encode(text="model:N"),
              named.transform_filter(alt.datum.x >= largest).mark_text(
                  align="right", dx=-8, dy=-6, fontSize=12, opacity=wide_only).encode(text="model:N")]
    chart = alt.layer(points, *labels).properties(width=WIDTH, height=340, description=description)
    return data.spec(chart)
