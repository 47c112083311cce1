"""Accuracy against cost: top-1 against modeled energy (log x), each from-scratch point joined to
its distilled twin by a vertical rule, and the FP32 → INT8 pair of one student by a dashed line.
Rows arrive formatted from kdsite.figures.tradeoff."""

from __future__ import annotations

import math


from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, colour_and_shape, columns_by_width, wrapped

KIND_COLOURS = (PALETTE["muted"], PALETTE["accent"], PALETTE["highlight"], PALETTE["soft"])
KIND_SHAPES = ("circle", "triangle-up", "square", "diamond")


@cached
def tradeoff_chart(rows: list[dict], kinds: tuple[str, ...], x_title: str, description: str) -> dict:
    """Points by kind (colour and shape), a vertical rule per scratch/distilled pair, a dashed line
    for the precision pair (kinds[3]); x_title names the energy and traffic model."""
    data = Datasets()
    values = [{**row, "energy": float(f"{row['energy']:.4g}")} for row in rows]
    low, high = min(r["energy"] for r in values), max(r["energy"] for r in values)
    x_domain = [float(f"{low * 0.8:.2g}"), float(f"{high * 1.25:.2g}")]
    y_domain = [math.floor(min(r["top1"] for r in values) - 1), math.ceil(max(r["top1"] for r in values) + 1)]
    x = alt.X("energy:Q", title=wrapped(x_title),
              scale=alt.Scale(type="log", domain=x_domain))
    y = alt.Y("top1:Q", title="ImageNet top-1 accuracy (%)", scale=alt.Scale(domain=y_domain))
    offsets = dodges(values, kinds)
    values = [{**row, "dodge": offsets[row["pair"]]} for row in values]
    base = alt.Chart(data(values)).encode(x=x, y=y)
    # A pair's sideways offset in pixels, per datum (a signal in the mark's encoding): one layer each
    # for the rules and the points, as without offsets, so the chart costs no more to draw.
    dodge = {"expr": "datum.dodge"}
    rules = alt.Chart(data(values)).transform_filter(
        (alt.datum.kind == kinds[0]) | (alt.datum.kind == kinds[1])).transform_aggregate(
        low="min(top1)", high="max(top1)", groupby=["pair", "energy", "dodge"]).mark_rule(
        color=PALETTE["muted"], strokeWidth=1.5, xOffset=dodge).encode(
        x=x, y=alt.Y("low:Q", scale=alt.Scale(domain=y_domain)), y2="high:Q")
    # Four short entries: one line under a laptop-wide chart, two lines narrower, one a line on a
    # narrow phone (two columns left "FP32 → INT8 (same student)" past a 360 px screen's chart).
    legend = alt.Legend(orient="bottom", direction="vertical", columns=columns_by_width((640, 4), (400, 2)),
                        title=None, symbolSize=120)
    points = base.mark_point(filled=True, size=110, opacity=0.95, stroke="white", strokeWidth=0.8,
                             xOffset=dodge).encode(
        **colour_and_shape("kind", kinds, KIND_COLOURS, KIND_SHAPES, legend),
        tooltip=[alt.Tooltip("model:N", title="Model"), alt.Tooltip("kind:N", title="Trained"),
                 alt.Tooltip("top1_text:N", title="Top-1"), alt.Tooltip("energy_text:N", title="Energy"),
                 alt.Tooltip("source:N", title="Source")],
        description=alt.Description("label:N"),
    )
    precision = base.transform_filter(alt.datum.kind == kinds[3]).mark_line(
        color=PALETTE["soft"], strokeDash=[4, 3], strokeWidth=1.5).encode(detail="pair:N")
    chart = alt.layer(rules, precision, points).properties(width=WIDTH, height=260, description=description)
    return data.spec(chart)


DODGE = 12
"""Pixels between the rules of two scratch/distilled pairs drawn at one energy."""


def dodges(values: list[dict], kinds: tuple[str, ...]) -> dict[str, int]:
    """Each pair's sideways offset in pixels: 0, unless several scratch/distilled pairs share one
    energy (two published MobileNetV2 pairs at 3.63 mJ), which are then drawn DODGE apart around it.
    A visual offset only: the data, tooltips and text alternative keep the one energy."""
    by_energy: dict[float, list[str]] = {}
    for row in values:
        if row["kind"] in kinds[:2]:
            pairs = by_energy.setdefault(row["energy"], [])
            if row["pair"] not in pairs:
                pairs.append(row["pair"])
    offsets = {row["pair"]: 0 for row in values}
    for pairs in by_energy.values():
        for index, pair in enumerate(sorted(pairs)):
            offsets[pair] = round((index - (len(pairs) - 1) / 2) * DODGE)
    return offsets
