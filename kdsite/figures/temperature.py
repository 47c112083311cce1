"""The temperature explorer: slider, formula, probability bars, entropy curve and readouts."""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import temperature as charts
from kdsite.charts.numbers import percent
from kdsite.content.load import Content
from kdsite.figures.common import Science
from kdsite.figures.common import Chart, script_json
from kdsite.science.grids import log_grid
from kdsite.science.softmax import TemperatureSweep, temperature_sweep


def format_temperature(temperature: float) -> str:
    """T as the page prints it: the grid point's own two significant figures (0.13, 2.5, 10)."""
    return f"{temperature:g}"


def temperature_regime(temperature: float) -> str:
    """Name the regime correctly: higher T is hotter, which makes the distribution softer (Hinton §2)."""
    if np.isclose(temperature, 1.0):
        return "T = 1: standard softmax"
    if temperature < 1.0:
        return "T < 1: colder, sharper than standard softmax"
    return "T > 1: hotter, softer and flatter than standard softmax"


def temperature_readouts(sweep: TemperatureSweep) -> dict[str, list]:
    """Per grid point, the strings the readouts show; the browser looks them up by the slider's
    position on the grid (temperature_index) and writes T itself to the URL."""
    return {
        "keys": ["temperature_index"],
        "temperature_index": list(range(len(sweep.temperatures))),
        "temperature": [float(t) for t in sweep.temperatures],
        "temperature_label": [format_temperature(t) for t in sweep.temperatures],
        "temperature_valuetext": [f"T = {format_temperature(t)}" for t in sweep.temperatures],
        "max_probability": [percent(p) for p in np.round(sweep.max_probability, 4)],
        "entropy": [f"{h:.2f} bits" for h in sweep.entropy_bits],
        "regime": [temperature_regime(t) for t in sweep.temperatures],
    }


def temperature_explorer(content: Content, science: Science) -> dict[str, Any]:
    """The temperature slider, formula, probability bars, entropy curve and readouts."""
    settings = content.temperature
    example = content.examples.by_id(settings.example)
    grid = log_grid(settings.minimum, settings.maximum, settings.points_per_decade)
    sweep = temperature_sweep(np.array(example.logits), grid)
    default_index = int(np.flatnonzero(grid == settings.default)[0])
    readouts = temperature_readouts(sweep)
    low, high = sweep.temperatures[0], sweep.temperatures[-1]
    bars_alt = (
        f"Bar chart of the softmax probabilities of the {len(example.logits)} classes for the "
        f"{example.label.lower()} at the chosen temperature. At T = {format_temperature(settings.default)} "
        f"the top class gets {readouts['max_probability'][default_index]}; at T = {format_temperature(low)} "
        f"it gets {readouts['max_probability'][0]} (nearly one-hot) and at T = {format_temperature(high)} "
        f"{readouts['max_probability'][-1]} (close to uniform, {percent(1 / len(example.logits))})."
    )
    curve_alt = (
        f"Line chart of entropy in bits against temperature on a log scale. Entropy rises from "
        f"{readouts['entropy'][0]} at T = {format_temperature(low)} to {readouts['entropy'][-1]} at "
        f"T = {format_temperature(high)}, approaching the {np.log2(len(example.logits)):.2f}-bit maximum "
        f"of a uniform distribution. A diamond marks the chosen temperature."
    )
    return {
        "example": example,
        "classes": content.examples.classes,
        "settings": settings,
        "default_index": default_index,
        "readouts": readouts,
        "readouts_json": script_json(readouts),
        "charts": [
            Chart("temperature-bars",
                  charts.temperature_bars(sweep, content.examples.classes, default_index, bars_alt),
                  bars_alt),
            Chart("temperature-entropy", charts.entropy_curve(sweep, default_index, curve_alt), curve_alt),
        ],
    }
