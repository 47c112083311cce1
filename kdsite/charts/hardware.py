"""Bar charts of the hardware figures: teacher-vs-student cost comparison and energy per inference.

Data in, Vega-Lite spec out: every value and label arrives computed and formatted by the figure
builder; these functions only place them. No params: these charts have no controls.
"""

from __future__ import annotations

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, narrow, wrapped, wrapped_labels
from kdsite.charts.numbers import rounded

TEACHER_GREY = PALETTE["muted"]  # a palette colour, so the dark theme swaps it too


@cached
def cost_comparison_chart(comparisons, teacher: str, student: str, description: str) -> dict:
    """Grouped horizontal bars per metric: teacher at 100 %, student at its share of the teacher.

    `comparisons` are hwshared.Comparison records; labels carry the values and reductions, so the
    bars are told apart by text as well as by colour.
    """
    data = Datasets()
    who_teacher, who_student = f"Teacher {teacher}", f"Student {student}"
    rows = []
    comparisons = [item for item in comparisons if not item.bounds]  # lower bounds: no share to draw
    for item in comparisons:
        [share] = rounded([item.after / item.before])
        for who, value, fraction, label in ((who_teacher, item.before_text, 1.0, item.before_text),
                                            (who_student, item.after_text, share,
                                             f"{item.after_text} ({item.reduction_text} less)")):
            rows.append({"metric": item.label, "who": who, "share": fraction, "label": label,
                         "tip": f"{who}: {value}",
                         "aria": f"Quantity: {item.label}; Model: {who}; Value: {value}; "
                                 f"Reduction: {'—' if fraction == 1.0 else item.reduction_text}"})
    order = [item.label for item in comparisons]
    base = alt.Chart(data(rows)).encode(
        y=alt.Y("metric:N", sort=order, title=None, axis=alt.Axis(labelExpr=wrapped_labels(order, narrow_width=16), labelLimit=150)),
        yOffset=alt.YOffset("who:N", sort=[who_teacher, who_student]),
    )
    bars = base.mark_bar(height={"band": 0.8}).encode(
        x=alt.X("share:Q", title=wrapped("Share of the teacher's value", 20),
                scale=alt.Scale(domain=[0, 1.8], nice=False),  # room right of 100 % for its label, even on a phone
                axis=alt.Axis(format=".0%", values=[0, 0.25, 0.5, 0.75, 1])),
        color=alt.Color("who:N", title=None, sort=[who_teacher, who_student],
                        scale=alt.Scale(domain=[who_teacher, who_student], range=[TEACHER_GREY, PALETTE["accent"]]),
                        legend=alt.Legend(orient="bottom", direction="vertical")),
        tooltip=[alt.Tooltip("tip:N", title="Value")],
        description=alt.Description("aria:N"),
    )
    labels = base.mark_text(align="left", dx=4).encode(x="share:Q", text="label:N")
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=46 * len(comparisons),
                                                        description=description)
    return data.spec(chart)


@cached
def energy_chart(rows: list[dict], totals: list[dict], description: str) -> dict:
    """Stacked horizontal bars of energy per inference (mJ), compute then DRAM, one bar per workload.

    `rows`: {workload, component, mj, tip, aria}; `totals`: {workload, mj, label}. Components differ
    by colour and by outline dash.
    """
    data = Datasets()
    order = [item["workload"] for item in totals]
    components = ["Compute (MACs)", "DRAM traffic"]
    rows = [{**row, "mj": rounded([row["mj"]], 4)[0], "order": components.index(row["component"])}
            for row in rows]
    totals = [{**row, "mj": rounded([row["mj"]], 4)[0]} for row in totals]
    # Each bar's band is 40 px: room for two lines of label, not three, so a narrow chart keeps the
    # labels' lines and leaves its longest bar more room for its printed total instead.
    y = alt.Y("workload:N", sort=order, title=None,
              axis=alt.Axis(labelExpr=wrapped_labels(order, narrow_width=None), labelLimit=150))
    most = max(row["mj"] for row in totals)
    bars = alt.Chart(data(rows)).mark_bar(stroke="#1f2328", strokeWidth=1).encode(
        y=y,
        x=alt.X("mj:Q", stack="zero", title=wrapped("Energy per inference (mJ), 45 nm", 24),
                scale=alt.Scale(domainMin=0, domainMax={"expr": f"{narrow()} ? {1.8 * most:.6g} : {1.45 * most:.6g}"},
                                nice=False)),
        color=alt.Color("component:N", title=None, sort=components,
                        scale=alt.Scale(domain=components, range=[PALETTE["accent"], PALETTE["highlight"]]),
                        legend=alt.Legend(orient="bottom", direction="vertical")),
        strokeDash=alt.StrokeDash("component:N", sort=components, title=None,
                                  legend=alt.Legend(orient="bottom", direction="vertical"),
                                  scale=alt.Scale(domain=components, range=[[1, 0], [4, 2]])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("tip:N", title="Energy")],
        description=alt.Description("aria:N"),
    )
    labels = alt.Chart(data(totals)).mark_text(align="left", dx=4).encode(y=y, x="mj:Q", text="label:N")
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=40 * len(totals), description=description)
    return data.spec(chart)
