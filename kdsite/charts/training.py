"""Charts of the training section: loss along the student's path, and the T² gradient demonstration."""

from __future__ import annotations

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, columns_by_width, fixed_domain, wrapped

# The soft term is drawn with its T² factor, so L = α·(T²·KL) + (1 − α)·CE, the α-weighted average
# of the two other curves, always lies between them.
SERIES = ["Combined loss L", "Soft: T²·KL(p_T‖q_T)", "Hard: CE(y, q₁)"]
DASHES = [[1, 0], [6, 3], [2, 2]]
COLOURS = [PALETTE["accent"], PALETTE["soft"], PALETTE["highlight"]]


@cached
def loss_curves(rows: list[dict], defaults: dict, description: str) -> dict:
    """Three loss curves against path progress s, selected by the example, temperature and alpha params.

    Rows hold arrays `s` and `loss` (flattened here, a selection step, not a computation) plus
    the keys they belong to (T as its position on the slider's grid, `temperature_index`); a key is
    null where the series does not depend on it (CE ignores T and α; T²·KL ignores α).
    """
    data = Datasets()
    params = [alt.param(name=name, value=value) for name, value in sorted(defaults.items())]
    keep = ("datum.example === example"
            " && (datum.temperature_index === null || datum.temperature_index === temperature_index)"
            " && (datum.alpha === null || datum.alpha === alpha)")
    label = ("'Series: ' + datum.series + '; s: ' + format(datum.s, '.1f')"
             " + '; Loss (nats): ' + format(datum.loss, '.4f')")
    legend = alt.Legend(title=None, orient="top", columns=columns_by_width((480, 3), narrow=2))  # one line if it fits
    base = alt.Chart(data(rows)).transform_filter(keep).transform_flatten(
        ["s", "loss"]).transform_calculate(label=label).encode(
        x=alt.X("s:Q", title=wrapped("Student logits = s × teacher logits (0 = uninformed, 1 = matches teacher)"),
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".1f", tickCount=5)),
        y=alt.Y("loss:Q", title="Loss (nats)",
                scale=alt.Scale(domain=fixed_domain((row["loss"] for row in rows), zero=True))),
        color=alt.Color("series:N", scale=alt.Scale(domain=SERIES, range=COLOURS),
                        legend=legend),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=SERIES, range=DASHES),
                                  legend=legend),
        shape=alt.Shape("series:N", scale=alt.Scale(domain=SERIES, range=["circle", "square", "triangle"]),
                        legend=legend),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("s:Q", title="s", format=".1f"),
                 alt.Tooltip("loss:Q", title="Loss (nats)", format=".3f")],
        description=alt.Description("label:N"),
    )
    # L is drawn first and wider: where it equals a term (CE at α = 0; T²·KL at α = 1) that term's
    # line still shows on top of it instead of hiding under it.
    combined = alt.datum.series == SERIES[0]
    chart = alt.layer(base.transform_filter(combined).mark_line(point=alt.OverlayMarkDef(size=60), strokeWidth=4),
                      base.transform_filter(~combined).mark_line(point=True, strokeWidth=2.5))
    return data.spec(chart.add_params(*params).properties(width=WIDTH, height=200, description=description))


@cached
def gradient_scaling(rows: list[dict], default_example: str, description: str) -> dict:
    """Log-log lines of the soft-gradient norm against T, with and without the T² factor."""
    data = Datasets()
    example = alt.param(name="example", value=default_example)
    variants = ["with T² factor", "without T² factor"]
    label = ("'Gradient: ' + datum.variant + '; T: ' + format(datum.temperature, '.3g')"
             " + '; Norm: ' + format(datum.norm, '.3g')")
    chart = alt.Chart(data(rows)).transform_filter(alt.datum.example == example).transform_calculate(
        label=label).mark_line(strokeWidth=2.5, point=True).encode(
        x=alt.X("temperature:Q", title="Temperature T (log scale)", scale=alt.Scale(type="log")),
        y=alt.Y("norm:Q", title="‖∂ soft loss / ∂z‖ (log scale)",
                scale=alt.Scale(type="log", domain=fixed_domain((row["norm"] for row in rows), log=True))),
        color=alt.Color("variant:N", scale=alt.Scale(domain=variants, range=[PALETTE["accent"], PALETTE["highlight"]]),
                        legend=alt.Legend(title=None, orient="top")),
        strokeDash=alt.StrokeDash("variant:N", scale=alt.Scale(domain=variants, range=[[1, 0], [6, 3]]),
                                  legend=alt.Legend(title=None, orient="top")),
        tooltip=[alt.Tooltip("variant:N", title="Gradient"), alt.Tooltip("temperature:Q", title="T", format=".3g"),
                 alt.Tooltip("norm:Q", title="Norm", format=".3g")],
        description=alt.Description("label:N"),
    )
    return data.spec(chart.add_params(example).properties(width=WIDTH, height=240, description=description))
