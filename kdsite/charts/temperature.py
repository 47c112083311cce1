"""Charts of the temperature section: probability bars at the chosen T and entropy against T.

Specs select rows of precomputed data through named Vega-Lite params; the page script only sets
those params with view.signal(...). Params are named explicitly so two builds give the same bytes.
"""

from __future__ import annotations

import numpy as np

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH
from kdsite.charts.numbers import percent, rounded
from kdsite.science.softmax import TemperatureSweep

def temperature_param(default_index: int) -> alt.Parameter:
    """The `temperature_index` param that the slider sets (its position on the log grid of T); every
    temperature chart shares the name."""
    return alt.param(name="temperature_index", value=default_index)


@cached
def temperature_bars(sweep: TemperatureSweep, classes: tuple[str, ...], default_index: int,
                     description: str) -> dict:
    """Bar chart of q_i(T) per class; shows the rows of the grid point the param selects."""
    data = Datasets()
    rows = [
        {"temperature_index": i, "class": name, "probability": p, "shown": percent(p),
         "label": f"Class: {name}; Probability: {percent(p)}"}
        for i, probabilities in enumerate(sweep.probabilities)
        for name, p in zip(classes, rounded(probabilities))
    ]
    temperature_index = temperature_param(default_index)
    base = alt.Chart(data(rows)).transform_filter(alt.datum.temperature_index == temperature_index)
    x = alt.X("class:N", sort=list(classes), title="Class", axis=alt.Axis(labelAngle=0))
    bars = base.mark_bar(color=PALETTE["accent"]).encode(
        x=x,
        # Headroom above 100 %, so a bar's printed value fits inside the chart even when the bar is full.
        y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1.12], nice=False),
                axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("class:N", title="Class"), alt.Tooltip("shown:N", title="Probability")],
        description=alt.Description("label:N"),
    )
    labels = base.mark_text(dy=-6, baseline="bottom").encode(
        x=x, y="probability:Q", text="shown:N", description=alt.Description("label:N"))
    chart = alt.layer(bars, labels).add_params(temperature_index).properties(
        width=WIDTH, height=190, description=description)
    return data.spec(chart)


@cached
def entropy_curve(sweep: TemperatureSweep, default_index: int, description: str) -> dict:
    """Entropy in bits against T on a log axis, with a point marking the current temperature."""
    data = Datasets()
    rows = [{"temperature_index": i, "temperature": t, "entropy": h, "label": f"T: {t:g}; Entropy (bits): {h:.3f}",
             "current": f"Current T: {t:g}; Entropy (bits): {h:.3f}"}
            for i, (t, h) in enumerate(zip(rounded(sweep.temperatures, 6), rounded(sweep.entropy_bits)))]
    temperature_index = temperature_param(default_index)
    base = alt.Chart(data(rows)).encode(
        x=alt.X("temperature:Q", title="Temperature T (log scale)",
                scale=alt.Scale(type="log", domain=[float(sweep.temperatures[0]),
                                                    float(sweep.temperatures[-1])])),
        y=alt.Y("entropy:Q", title="Entropy (bits)",
                scale=alt.Scale(domain=[0, float(np.log2(sweep.probabilities.shape[1]))])),
    )
    line = base.mark_line(color=PALETTE["accent"]).encode(description=alt.Description("label:N"))
    dots = base.mark_circle(color=PALETTE["accent"], size=14).encode(
        description=alt.Description("label:N"), tooltip=alt.Tooltip("label:N", title="Value"))
    current = base.transform_filter(alt.datum.temperature_index == temperature_index).mark_point(
        filled=True, size=140, color=PALETTE["highlight"], shape="diamond"
    ).encode(description=alt.Description("current:N"), tooltip=alt.Tooltip("current:N", title="Chosen"))
    chart = alt.layer(line, dots, current).add_params(temperature_index).properties(
        width=WIDTH, height=170, description=description)
    return data.spec(chart)
