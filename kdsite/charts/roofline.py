"""The roofline chart (log-log): each device's bandwidth slope and compute ceilings, ridge points,
whole-network workload points and, optionally, the student's per-layer points.

Rows for every device × traffic model are inlined; the named params `device`, `traffic_model` and
`layers` (set by the page's choosers through view.signal) filter them. Axis ranges are fixed across
devices so that switching device moves the roofs and points instead of rescaling the axes.
"""

from __future__ import annotations

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, columns_by_width, narrow, wrapped

WORKLOAD_COLOURS = (PALETTE["highlight"], PALETTE["soft"], PALETTE["accent"], PALETTE["good"])
WORKLOAD_SHAPES = ("square", "diamond", "circle", "triangle-up")
ROOF_GREY = PALETTE["muted"]  # a palette colour, so the dark theme swaps it too


@cached
def roofline_chart(data: dict, device: str, traffic_model: str, layers: str, description: str) -> dict:
    """Layered roofline; `data` from kdsite.figures.roofline.chart_data, defaults name the first view."""
    named = Datasets()
    device_param = alt.param(name="device", value=device)
    traffic_param = alt.param(name="traffic_model", value=traffic_model)
    layers_param = alt.param(name="layers", value=layers)
    x = alt.X("ai:Q", title=wrapped("Arithmetic intensity (operations per byte moved, log scale)", 34),
              scale=alt.Scale(type="log", domain=data["x_domain"]), axis=alt.Axis(format="~s"))
    y = alt.Y("gops:Q", title="Attainable performance (GOP/s, log scale)",
              scale=alt.Scale(type="log", domain=data["y_domain"]), axis=alt.Axis(format="~g"))
    on_device = alt.datum.device == device_param
    chosen = (alt.datum.device == device_param) & (alt.datum.traffic_model == traffic_param)

    roofs = alt.Chart(named(data["roofs"])).transform_filter(on_device).encode(x=x, y=y)
    roof_lines = roofs.mark_line(color=ROOF_GREY, strokeWidth=2, aria=False).encode(
        detail="roof:N", order="order:Q",
        strokeDash=alt.StrokeDash("roof:N", legend=None, scale=alt.Scale(range=[[1, 0], [6, 3]])))
    # Lines and labels are hidden from screen readers: each ridge's circle names its roof and value.
    # In a narrow chart a long roof label ("FP32 peak 48.0 GOP/s (INT8 runs here)") would run over
    # the y axis: its note in brackets goes on a second line, and a label above its roof is raised
    # by that line (Vega adds lines downwards). A label sits 9 px above its roof (8 px below a lower
    # roof), clear of the points on that roof.
    cut = "indexof(datum.roof, ' (')"
    roof_ends = roofs.transform_filter(alt.datum.order == 2).transform_calculate(
        shown=f"{narrow()} && {cut} > 0 ? [substring(datum.roof, 0, {cut}), substring(datum.roof, {cut} + 1)]"
              " : datum.roof")
    roof_labels = alt.layer(
        roof_ends.transform_filter(alt.datum.top).mark_text(
            align="right", baseline="bottom", dx=-4, dy=-9, fontSize=12, lineHeight=15,
            yOffset={"expr": "isArray(datum.shown) ? -15 : 0"}, aria=False).encode(text="shown:N"),
        roof_ends.transform_filter(~alt.datum.top).mark_text(
            align="right", baseline="top", dx=-4, dy=8, fontSize=12, lineHeight=15, aria=False).encode(text="shown:N"))
    ridges = alt.Chart(named(data["ridges"])).transform_filter(on_device).encode(x=x, y=y)
    ridge_marks = ridges.mark_point(shape="circle", size=60, color=ROOF_GREY, strokeWidth=2).encode(
        description=alt.Description("aria:N"))
    # A ridge in the left half of the axis is labelled beside it. With several roofs, a narrow chart
    # has no room between them for the ridges' labels: they are hidden there (each ridge's circle
    # names its value to a screen reader, and the readouts give it); a wide chart labels the highest
    # ridge above its slope, to its left, the others below. A ridge in the right half is labelled at
    # the chart's right edge, a line beyond its roof's own label (above it for the highest roof,
    # below for a lower one), where no line or point can be; a narrow chart has no room for it there
    # beside a device's note, so it is hidden too. A label below its ridge starts 9 px down, clear of
    # a point sitting on the roof just right of the ridge (the FP32 teacher on the Jetson Orin Nano).
    middle = (data["x_domain"][0] * data["x_domain"][1]) ** 0.5
    wide = "width >= 500"
    shown = {"expr": f"{wide} ? 1 : 0"}
    ridge_labels = alt.layer(
        ridges.transform_filter((alt.datum.ai < middle) & (alt.datum.place == "alone")).mark_text(
            align="left", baseline="top", dx=6, dy=9, fontSize=12, aria=False).encode(text="label:N"),
        ridges.transform_filter((alt.datum.ai < middle) & (alt.datum.place == "under")).mark_text(
            align="left", baseline="top", dx=6, dy=9, fontSize=12, opacity=shown, aria=False).encode(text="label:N"),
        ridges.transform_filter((alt.datum.ai < middle) & (alt.datum.place == "top")).mark_text(
            align="right", baseline="bottom", dx=-6, dy=-6, fontSize=12, opacity=shown, aria=False).encode(text="label:N"),
        ridges.transform_filter((alt.datum.ai >= middle) & (alt.datum.place != "under")).transform_calculate(
            ai=str(data["x_domain"][1])).mark_text(
            align="right", baseline="bottom", dx=-4, dy=-24, fontSize=12, opacity=shown, aria=False).encode(
            text="label:N"),
        ridges.transform_filter((alt.datum.ai >= middle) & (alt.datum.place == "under")).transform_calculate(
            ai=str(data["x_domain"][1])).mark_text(
            align="right", baseline="top", dx=-4, dy=23, fontSize=12, opacity=shown, aria=False).encode(
            text="label:N"))
    layer_points = alt.Chart(named(data["layers"])).transform_filter(chosen).transform_filter(
        f"{layers_param.name} == 'student_int8'").mark_point(
        shape="circle", size=28, color=ROOF_GREY, opacity=0.7, strokeWidth=1, filled=True).encode(
        x=x, y=y, tooltip=[alt.Tooltip("layer:N", title="Student INT8 layer"),
                           alt.Tooltip("ai:Q", title="OP/B", format=".3~g"),
                           alt.Tooltip("gops:Q", title="GOP/s attainable", format=".3~g")],
        description=alt.Description("aria:N"))
    # Where no point can be: above the roofs at the top left (the notes on points a device cannot run)
    # and under the flat roofs at the bottom right (the key to the per-layer points).
    corner = {"ai": data["x_domain"][0], "gops": data["y_domain"][1]}
    absent = alt.Chart(named([{**row, **corner} for row in data["absent"]])).transform_filter(
        on_device).transform_calculate(shown=f"{narrow()} ? datum.narrow_lines : datum.lines").mark_text(
        align="left", baseline="top", dx=6, dy=6, fontSize=12, lineHeight=15).encode(
        x=x, y=y, text="shown:N", description=alt.Description("aria:N"))
    layer_key = alt.Chart(named([{"ai": data["x_domain"][1], "gops": data["y_domain"][0], "key": data["layer_key"],
                                      "aria": "Key: " + " ".join(data["layer_key"])}]
                                )).transform_filter(f"{layers_param.name} == 'student_int8'").mark_text(
        align="right", baseline="bottom", dx=-6, dy=-6 - 15 * (len(data["layer_key"]) - 1), fontSize=12,
        lineHeight=15).encode(
        x=x, y=y, text="key:N", description=alt.Description("aria:N"))
    workloads = sorted({row["workload"] for row in data["points"]},
                       key=lambda name: (not name.startswith("Teacher"), "INT8" in name))
    # Four workloads: two a line under a laptop- or tablet-wide chart, one a line on a phone.
    legend = alt.Legend(orient="bottom", columns=columns_by_width((400, 2)), symbolSize=140)
    points = alt.Chart(named(data["points"])).transform_filter(chosen).mark_point(
        filled=True, size=170, opacity=1, stroke="white", strokeWidth=1).encode(
        x=x, y=y,
        color=alt.Color("workload:N", sort=workloads, title=None,
                        scale=alt.Scale(domain=workloads, range=list(WORKLOAD_COLOURS)),
                        legend=legend),
        shape=alt.Shape("workload:N", sort=workloads,
                        scale=alt.Scale(domain=workloads, range=list(WORKLOAD_SHAPES)),
                        legend=legend),
        tooltip=[alt.Tooltip("workload:N", title="Workload"), alt.Tooltip("tip:N", title="Roofline")],
        description=alt.Description("aria:N"),
    )
    chart = alt.layer(roof_lines, roof_labels, ridge_marks, ridge_labels, absent, layer_points, layer_key, points).add_params(
        device_param, traffic_param, layers_param).properties(width=WIDTH, height=250, description=description)
    return named.spec(chart)
