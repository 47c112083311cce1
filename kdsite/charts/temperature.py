"""Charts of the temperature section: probability bars at the chosen T and entropy against T.

Specs select rows of precomputed data through named Vega-Lite params; the page script only sets
those params with view.signal(...). Params are named explicitly so two builds give the same bytes.
"""

from __future__ import annotations

import altair as alt
import numpy as np

from kdsite.charts.common import PALETTE, WIDTH, percent, rounded
from kdsite.softmax import TemperatureSweep

def temperature_param(default: float) -> alt.Parameter:
    """The `temperature` param that the slider sets; every temperature chart shares the name."""
    return alt.param(name="temperature", value=default)


def temperature_bars(sweep: TemperatureSweep, classes: tuple[str, ...], default: float,
                     description: str) -> dict:
    """Bar chart of q_i(T) per class; shows the rows whose temperature equals the param."""
    rows = [
        {"temperature": t, "class": name, "probability": p, "shown": percent(p),
         "label": f"{name}: {percent(p)}"}
        for t, probabilities in zip(rounded(sweep.temperatures, 6), sweep.probabilities)
        for name, p in zip(classes, rounded(probabilities))
    ]
    temperature = temperature_param(default)
    base = alt.Chart(alt.Data(values=rows)).transform_filter(alt.datum.temperature == temperature)
    x = alt.X("class:N", sort=list(classes), title="Class", axis=alt.Axis(labelAngle=0))
    bars = base.mark_bar(color=PALETTE["accent"]).encode(
        x=x,
        y=alt.Y("probability:Q", title="Probability", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("class:N", title="Class"), alt.Tooltip("shown:N", title="Probability")],
        description=alt.Description("label:N"),
    )
    labels = base.mark_text(dy=-6, baseline="bottom").encode(
        x=x, y="probability:Q", text="shown:N", description=alt.Description("label:N"))
    chart = alt.layer(bars, labels).add_params(temperature).properties(
        width=WIDTH, height=240, description=description)
    return chart.to_dict()


def entropy_curve(sweep: TemperatureSweep, default: float, description: str) -> dict:
    """Entropy in bits against T on a log axis, with a point marking the current temperature."""
    rows = [{"temperature": t, "entropy": h, "max_probability": m}
            for t, h, m in zip(rounded(sweep.temperatures, 6), rounded(sweep.entropy_bits),
                               rounded(sweep.max_probability))]
    temperature = temperature_param(default)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("temperature:Q", title="Temperature T (log scale)",
                scale=alt.Scale(type="log", domain=[float(sweep.temperatures[0]),
                                                    float(sweep.temperatures[-1])])),
        y=alt.Y("entropy:Q", title="Entropy (bits)",
                scale=alt.Scale(domain=[0, float(np.log2(sweep.probabilities.shape[1]))])),
    )
    line = base.mark_line(color=PALETTE["accent"])
    current = base.transform_filter(alt.datum.temperature == temperature).mark_point(
        filled=True, size=120, color=PALETTE["highlight"], shape="diamond"
    ).encode(tooltip=[alt.Tooltip("temperature:Q", title="T"),
                      alt.Tooltip("entropy:Q", title="Entropy (bits)", format=".2f")])
    chart = alt.layer(line, current).add_params(temperature).properties(
        width=WIDTH, height=200, description=description)
    return chart.to_dict()
