"""Charts of the lab section's training runs: loss curves, accuracy curves and the T × α grid.

The run tables (kdsite/figures/lab_curves.py) hold one row per run with per-epoch arrays; the
specs filter the selected run on the named params `temperature_index` and `alpha` and then
flatten the arrays into points (a reshape, no arithmetic). Every printed string arrives
preformatted. Series differ in colour and in dash or shape.
"""

from __future__ import annotations

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, fixed_domain, wrapped_labels

LOSS_COLORS = [PALETTE["accent"], PALETTE["soft"], PALETTE["highlight"]]
LOSS_DASHES = [[1, 0], [7, 3], [2, 2]]
LOSS_SHAPES = ["circle", "square", "triangle-up"]
CELL_TEXT_COLOR = "#1f2328"
"""Text on the heatmap's light cells (their fills are fixed, so the text stays dark in dark mode too)."""
CELL_COLORS = ["#f4f7fb", "#9cc0e6"]


def run_params(default_index: int, default_alpha: float) -> tuple[alt.Parameter, alt.Parameter]:
    """The params the lab's T and α sliders set: the temperature's grid index and α itself."""
    return (alt.param(name="temperature_index", value=default_index),
            alt.param(name="alpha", value=default_alpha))


def chosen_run(temperature_index: alt.Parameter, alpha: alt.Parameter):
    """Filter predicate: the rows of the run the sliders select."""
    return (alt.datum.temperature_index == temperature_index) & (alt.datum.alpha == alpha)


def series_legend(domain: list[str], values: list) -> dict:
    """A scale for one series channel (colour, dash, shape); same title, so Vega merges the legends."""
    legend = alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=420)
    return dict(field="series", type="nominal", scale=alt.Scale(domain=domain, range=values), legend=legend)


@cached
def loss_curves(rows: list[dict], series: list[str], last_epoch: int, default_index: int,
                default_alpha: float, description: str) -> dict:
    """Per-epoch KL, CE and total loss of the selected run (log y); points mark the final epoch.

    rows: temperature_index, alpha, series, epoch (list), loss (list), end_label.
    """
    data = Datasets()
    temperature_index, alpha = run_params(default_index, default_alpha)
    base = alt.Chart().transform_filter(chosen_run(temperature_index, alpha)).transform_flatten(["epoch", "loss"])
    x = alt.X("epoch:Q", title="Epoch", scale=alt.Scale(domain=[0, last_epoch]))
    y = alt.Y("loss:Q", title="Loss on the transfer set (nats, log scale)",
              scale=alt.Scale(type="log", domain=fixed_domain((row["loss"] for row in rows), log=True)))
    color = alt.Color(**series_legend(series, LOSS_COLORS))
    # The total (series[0]) is drawn first and wider: where it equals a part (KL at α = 1 and T = 1,
    # CE at α = 0) that part's line still shows on top of it.
    encoding = dict(x=x, y=y, color=color, strokeDash=alt.StrokeDash(**series_legend(series, LOSS_DASHES)))
    total = alt.datum.series == series[0]
    lines = alt.layer(base.transform_filter(total).mark_line(strokeWidth=4).encode(**encoding),
                      base.transform_filter(~total).mark_line(strokeWidth=2).encode(**encoding))
    ends = base.transform_filter(alt.datum.epoch == last_epoch).mark_point(filled=True, size=70).encode(
        x=x, y=y, color=color, shape=alt.Shape(**series_legend(series, LOSS_SHAPES)),
        tooltip=[alt.Tooltip("end_label:N", title="Final epoch")],
        description=alt.Description("end_label:N"))
    return data.spec(alt.layer(lines, ends, data=data(rows)).add_params(temperature_index, alpha).properties(
        width=WIDTH, height=200, description=description))


@cached
def accuracy_curves(runs: list[dict], baseline: dict, teacher: dict, series: list[str], last_epoch: int,
                    default_index: int, default_alpha: float, description: str) -> dict:
    """Test accuracy per epoch of the selected run (mean line, min–max band over seeds), the α = 0
    baseline (dashed) and the teacher's accuracy (dotted rule).

    runs: temperature_index, alpha, epoch, accuracy, accuracy_min, accuracy_max (lists), end_label;
    baseline: series, epoch, accuracy (lists), end_label; teacher: series, accuracy, label.
    """
    data = Datasets()
    temperature_index, alpha = run_params(default_index, default_alpha)
    colors = [PALETTE["accent"], PALETTE["muted"], PALETTE["good"]]
    color = alt.Color(**series_legend(series, colors))
    dash = alt.StrokeDash(**series_legend(series, [[1, 0], [7, 3], [2, 3]]))
    shape = alt.Shape(**series_legend(series, ["circle", "square", "diamond"]))
    x = alt.X("epoch:Q", title="Epoch", scale=alt.Scale(domain=[0, last_epoch]))
    y = alt.Y("accuracy:Q", title="Test accuracy", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%"))
    selected = alt.Chart().transform_filter(
        chosen_run(temperature_index, alpha)).transform_flatten(["epoch", "accuracy", "accuracy_min", "accuracy_max"])
    band = selected.mark_area(opacity=0.22, color=PALETTE["accent"], aria=False).encode(
        x=x, y=alt.Y("accuracy_min:Q"), y2="accuracy_max:Q")
    line = selected.mark_line(strokeWidth=2).encode(x=x, y=y, color=color, strokeDash=dash)
    end = selected.transform_filter(alt.datum.epoch == last_epoch).mark_point(filled=True, size=80).encode(
        x=x, y=y, color=color, shape=shape, description=alt.Description("end_label:N"),
        tooltip=[alt.Tooltip("end_label:N", title="Final epoch")])
    base_rows = alt.Chart(data([baseline])).transform_flatten(["epoch", "accuracy"])
    base_line = base_rows.mark_line(strokeWidth=2).encode(x=x, y=y, color=color, strokeDash=dash)
    base_end = base_rows.transform_filter(alt.datum.epoch == last_epoch).mark_point(filled=True, size=60).encode(
        x=x, y=y, color=color, shape=shape, description=alt.Description("end_label:N"),
        tooltip=[alt.Tooltip("end_label:N", title="Final epoch")])
    teacher_rule = alt.Chart(data([teacher])).mark_rule(strokeWidth=2).encode(
        y=y, color=color, strokeDash=dash, description=alt.Description("label:N"),
        tooltip=[alt.Tooltip("label:N", title="Teacher")])
    return data.spec(alt.layer(band, line, end, base_line, base_end, teacher_rule, data=data(runs)).add_params(
        temperature_index, alpha).properties(width=WIDTH, height=210, description=description))


@cached
def grid_heatmap(rows: list[dict], temperature_labels: list[str], alpha_labels: list[str],
                 default_index: int, default_alpha: float, description: str) -> dict:
    """Final test accuracy of every (T, α) cell, printed in the cell; the selected cell is outlined.

    rows: temperature_index, temperature_label, alpha, alpha_label, accuracy, shown, label.
    """
    data = Datasets()
    temperature_index, alpha = run_params(default_index, default_alpha)
    base = alt.Chart().encode(
        x=alt.X("alpha_label:O", sort=alpha_labels, title="α (soft-loss weight)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("temperature_label:O", sort=temperature_labels, title="Temperature T"))
    cells = base.mark_rect().encode(
        color=alt.Color("accuracy:Q", legend=None, scale=alt.Scale(range=CELL_COLORS)),
        tooltip=[alt.Tooltip("label:N", title="Final test accuracy")],
        description=alt.Description("label:N"))
    text = base.mark_text(fontSize=13, color=CELL_TEXT_COLOR, aria=False).encode(text="shown:N")
    outline = base.transform_filter(chosen_run(temperature_index, alpha)).mark_rect(
        filled=False, stroke=PALETTE["highlight"], strokeWidth=3).encode(
        description=alt.Description("selected_label:N"))
    return data.spec(alt.layer(cells, text, outline, data=data(rows)).add_params(temperature_index, alpha).properties(
        width=WIDTH, height=200, description=description))


@cached
def size_sweep_chart(rows: list[dict], series: list[str], default_set: str, description: str) -> dict:
    """Test accuracy against parameter count (log x) for the chosen transfer set (param `transfer_set`):
    mean line and points per method, a min–max rule over seeds. Methods differ in colour, dash and shape.

    rows: transfer_set, series, position (x, dodged), parameters, accuracy, accuracy_min, accuracy_max, label.
    """
    data = Datasets()
    transfer_set = alt.param(name="transfer_set", value=default_set)
    base = alt.Chart().transform_filter(alt.datum.transfer_set == transfer_set)
    parameters = sorted({row["parameters"] for row in rows})
    domain = [float(f"{parameters[0] / 1.25:.2g}"), float(f"{parameters[-1] * 1.25:.2g}")]
    x = alt.X("position:Q", title="Student parameters (log scale)",
              scale=alt.Scale(type="log", domain=domain, nice=False),
              axis=alt.Axis(values=parameters, format=",d"))
    every_accuracy = [row[key] for row in rows for key in ("accuracy_min", "accuracy_max")]
    y = alt.Y("accuracy:Q", title="Test accuracy", scale=alt.Scale(domain=fixed_domain(every_accuracy)),
              axis=alt.Axis(format=".0%"))
    color = alt.Color(**series_legend(series, [PALETTE["muted"], PALETTE["accent"]]))
    spread = base.mark_rule(strokeWidth=2, opacity=0.7, aria=False).encode(
        x=x, y=alt.Y("accuracy_min:Q"), y2="accuracy_max:Q", color=color)
    line = base.mark_line(strokeWidth=2).encode(
        x=x, y=y, color=color, strokeDash=alt.StrokeDash(**series_legend(series, [[7, 3], [1, 0]])))
    points = base.mark_point(filled=True, size=90).encode(
        x=x, y=y, color=color, shape=alt.Shape(**series_legend(series, ["circle", "square"])),
        tooltip=[alt.Tooltip("label:N", title="Run")], description=alt.Description("label:N"))
    return data.spec(alt.layer(spread, line, points, data=data(rows)).add_params(transfer_set).properties(
        width=WIDTH, height=260, description=description))


# What a point and a tick are, said once under each chart: the legend's title, on two lines.
SEED_LEGEND = {"title": ["Each point is one seed;", "grey tick and number: mean"], "titleLimit": 320,
               "orient": "bottom", "direction": "vertical"}


@cached
def omitted_digit_chart(seed_rows: list[dict], mean_rows: list[dict], field: str, title: str,
                        conditions: list[str], students: list[str], description: str,
                        reference: dict | None = None, domain: list[float] | None = None,
                        percent_axis: bool = False) -> dict:
    """Per-seed points and a mean tick per condition (student × before/after the bias shift).

    Students differ in colour and shape; the mean is a dark tick with its printed value.
    seed_rows: condition, student, `field`, label; mean_rows: condition, `field`, shown, label;
    reference (optional): a vertical rule with `field`, label (e.g. the teacher's errors) and
    `name`, printed at the rule's foot ("teacher: 12").
    """
    data = Datasets()
    y = alt.Y("condition:N", sort=conditions, title=None,
              axis=alt.Axis(labelExpr=wrapped_labels(conditions, 18), labelLimit=140))
    axis = alt.Axis(format=".0%") if percent_axis else alt.Axis(format="d")
    x = alt.X(f"{field}:Q", title=title, axis=axis,
              scale=alt.Scale(domain=domain) if domain else alt.Scale(zero=True))
    seeds = alt.Chart(data(seed_rows)).mark_point(filled=True, size=80, opacity=0.85).encode(
        x=x, y=y,
        color=alt.Color("student:N", scale=alt.Scale(domain=students, range=[PALETTE["accent"], PALETTE["highlight"]]),
                        legend=SEED_LEGEND),
        shape=alt.Shape("student:N", scale=alt.Scale(domain=students, range=["circle", "triangle-up"]),
                        legend=SEED_LEGEND),
        tooltip=[alt.Tooltip("label:N", title="Seed")], description=alt.Description("label:N"))
    means = alt.Chart()
    tick = means.mark_tick(thickness=3, size=26, color=PALETTE["muted"]).encode(
        x=x, y=y, description=alt.Description("label:N"), tooltip=[alt.Tooltip("label:N", title="Mean")])
    text = means.mark_text(dy=-17, fontSize=12, aria=False).encode(x=x, y=y, text="shown:N")
    layers = [seeds, alt.layer(tick, text, data=data(mean_rows))]
    if reference is not None:
        rule = alt.Chart(data([reference]))
        layers[:0] = [
            rule.mark_rule(strokeDash=[4, 3], color=PALETTE["good"], strokeWidth=2).encode(
                x=alt.X(f"{field}:Q"), description=alt.Description("label:N"),
                tooltip=[alt.Tooltip("label:N", title="Reference")]),
            # its name at the foot of the rule, where the bottom row's points are far away
            rule.mark_text(align="left", baseline="bottom", dx=4, dy=-2, fontSize=12, color=PALETTE["good"],
                           aria=False).encode(x=alt.X(f"{field}:Q"), y=alt.value("height"), text="name:N")]
    return data.spec(alt.layer(*layers).properties(width=WIDTH, height=210, description=description))


@cached
def soft_label_bars(rows: list[dict], classes: list[str], true_digit: str, default_index: int,
                    description: str) -> dict:
    """The teacher's probabilities over the 10 digits for one test image at the chosen T (param
    `temperature_index`); the true digit's bar is orange and outlined and its axis label bold,
    printed values on the top two.

    rows: temperature_index, digit, probability, shown, raised (1: printed a line above the winner's
    value), label_y (the height a raised value is printed at: the winner's), label.
    """
    data = Datasets()
    temperature_index = alt.param(name="temperature_index", value=default_index)
    base = alt.Chart().transform_filter(alt.datum.temperature_index == temperature_index)
    is_true = alt.datum.digit == true_digit
    bold = {"condition": {"test": f"datum.value === '{true_digit}'", "value": "bold"}, "value": "normal"}
    x = alt.X("digit:N", sort=classes, title="Digit", axis=alt.Axis(labelAngle=0, labelFontWeight=bold))
    y = alt.Y("probability:Q", title="Teacher probability", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format=".0%", tickCount=3))
    bars = base.mark_bar(stroke=PALETTE["muted"]).encode(
        x=x, y=y,
        color=alt.condition(is_true, alt.value(PALETTE["highlight"]), alt.value(PALETTE["accent"])),
        strokeWidth=alt.condition(is_true, alt.value(2), alt.value(0)),
        tooltip=[alt.Tooltip("label:N", title="Teacher")], description=alt.Description("label:N"))
    # Only the top two bars carry a printed value: the other rows would be empty text marks to update.
    labelled = base.transform_filter(alt.datum.shown != "")
    text = labelled.transform_filter(alt.datum.raised == 0).mark_text(
        dy=-3, baseline="bottom", fontSize=12, aria=False).encode(x=x, y=y, text="shown:N")
    raised = labelled.transform_filter(alt.datum.raised == 1).mark_text(
        dy=-17, baseline="bottom", fontSize=12, aria=False).encode(
        x=x, y=alt.Y("label_y:Q", title="Teacher probability"), text="shown:N")
    return data.spec(alt.layer(bars, text, raised, data=data(rows)).add_params(temperature_index).properties(
        width=WIDTH, height=130, description=description))
