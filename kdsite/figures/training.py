"""The distillation training section: the α slider with its weights and formula, loss curves, T² demo."""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import training as charts
from kdsite.charts.numbers import rounded
from kdsite.content.load import Content
from kdsite.figures.common import Chart, script_json
from kdsite.science.losspath import gradient_scaling, loss_path
from kdsite.figures.common import Science
from kdsite.charts.numbers import significant_values
from kdsite.science.grids import decimal_grid, log_grid

GRADIENT_TEMPERATURES = np.geomspace(1, 50, 25)


def weight_table(temperatures: np.ndarray, alphas: np.ndarray) -> dict[str, list]:
    """Per (T, α): the two weights and the coefficients of L = α·T²·KL + (1−α)·CE, as printed; rows are
    selected by the T slider's position on the grid (temperature_index) and α."""
    table: dict[str, list] = {"keys": ["temperature_index", "alpha"], "temperature_index": [], "temperature": [],
                              "alpha": [],
                              "alpha_valuetext": [], "temperature_valuetext": [], "alpha_label": [],
                              "temperature_label": [], "soft_weight": [], "hard_weight": [],
                              "alpha_coefficient": [], "hard_coefficient": [], "soft_multiplier": []}
    for ti, t in enumerate(temperatures):
        for a in alphas:
            table["temperature_index"].append(ti)
            table["temperature"].append(float(t))
            table["alpha"].append(float(a))
            table["alpha_label"].append(f"{a:.2f}")
            table["alpha_valuetext"].append(f"α = {a:.2f}: soft-loss weight {a:.2f}, hard {1 - a:.2f}")
            table["temperature_label"].append(f"{t:g}")
            table["temperature_valuetext"].append(f"T = {t:g}")
            # Weights, not percentages: "70% soft" read as the soft term's share of the loss, which it
            # is not (the soft term is also multiplied by T², and each term's size varies).
            table["soft_weight"].append(f"α = {a:.2f}")
            table["hard_weight"].append(f"1 − α = {1 - a:.2f}")
            table["alpha_coefficient"].append(f"{a:.2f}")
            table["hard_coefficient"].append(f"{1 - a:.2f}")
            table["soft_multiplier"].append(f"{a:.2f} × {t:g}² = {a * t * t:.4g}")
    return table


def curve_rows(content: Content, temperatures: np.ndarray, alphas: np.ndarray, progress: np.ndarray) -> list[dict]:
    """Loss-curve rows for every example: T²·KL per T (by its grid position), CE once, combined per
    (T, α), arrays over s."""
    s = rounded(progress, 3)
    rows: list[dict] = []
    for example in content.examples.examples:
        path = loss_path(np.array(example.logits), content.examples.classes.index(example.true_class),
                         temperatures, alphas, progress)
        rows.append({"example": example.id, "series": charts.SERIES[2], "temperature_index": None, "alpha": None,
                     "s": s, "loss": significant_values(path.ce)})
        for ti, t in enumerate(temperatures):
            rows.append({"example": example.id, "series": charts.SERIES[1], "temperature_index": ti,
                         "alpha": None, "s": s, "loss": significant_values(t * t * path.kl[ti])})
            for ai, a in enumerate(alphas):
                rows.append({"example": example.id, "series": charts.SERIES[0], "temperature_index": ti,
                             "alpha": float(a), "s": s, "loss": significant_values(path.combined[ti, ai])})
    return rows


def gradient_rows(content: Content) -> tuple[list[dict], dict[str, float]]:
    """T² demonstration rows per example, and for the default example the falls it shows."""
    rows = []
    falls = {}
    for example in content.examples.examples:
        scaling = gradient_scaling(np.array(example.logits), GRADIENT_TEMPERATURES)
        for variant, norms in (("without T² factor", scaling.plain), ("with T² factor", scaling.scaled)):
            rows += [{"example": example.id, "variant": variant, "temperature": t, "norm": n}
                     for t, n in zip(significant_values(GRADIENT_TEMPERATURES, 3), significant_values(norms, 3))]
        if example.id == content.training.default_example:
            falls = {"plain": scaling.plain[0] / scaling.plain[-1], "scaled": scaling.scaled[-1] / scaling.scaled[0],
                     "plain_low": scaling.plain[0], "plain_high": scaling.plain[-1]}
    return rows, falls


def loss_weighting(content: Content, science: Science) -> dict[str, Any]:
    """α slider, weights, the combined-loss formula with live coefficients, curves and the T² chart."""
    settings = content.training
    alphas = decimal_grid(0.0, 1.0, settings.alpha_step)
    temperatures = log_grid(settings.temperature_minimum, settings.temperature_maximum,
                            settings.temperature_points_per_decade)
    temperature_index = int(np.flatnonzero(temperatures == settings.temperature_default)[0])
    progress = np.linspace(0.0, 1.0, settings.progress_points)
    table = weight_table(temperatures, alphas)
    index = next(i for i, (ti, a) in enumerate(zip(table["temperature_index"], table["alpha"]))
                 if ti == temperature_index and np.isclose(a, settings.alpha_default))
    example = content.examples.by_id(settings.default_example)
    path = loss_path(np.array(example.logits), content.examples.classes.index(example.true_class),
                     np.array([settings.temperature_default]), np.array([settings.alpha_default]), progress)
    curves_alt = (
        f"Line chart of three losses as the student's logits move from all zero (s = 0) to the teacher's "
        f"(s = 1), for the {example.label.lower()} at T = {settings.temperature_default:g} and "
        f"α = {settings.alpha_default:.2f}. The soft term T²·KL falls from "
        f"{settings.temperature_default ** 2 * path.kl[0, 0]:.3f} to 0 nats; the hard "
        f"loss CE falls from {path.ce[0]:.3f} to {path.ce[-1]:.3f} nats, the teacher's own cross-entropy; the "
        f"combined loss falls from {path.combined[0, 0, 0]:.3f} to {path.combined[0, 0, -1]:.3f} nats.")
    rows, falls = gradient_rows(content)
    t_low, t_high = GRADIENT_TEMPERATURES[0], GRADIENT_TEMPERATURES[-1]
    gradient_alt = (
        f"Log-log line chart of the soft-loss gradient norm against T for an uninformed student "
        f"({example.label.lower()}). Without the T² factor it falls {falls['plain']:.0f}-fold from T = {t_low:g} "
        f"to T = {t_high:g}, close to 1/T² at large T; with the factor it changes by a factor of only "
        f"{falls['scaled']:.2f} over the same range.")
    defaults = {"example": settings.default_example, "temperature_index": temperature_index,
                "alpha": float(settings.alpha_default)}
    return {
        "settings": settings,
        "alphas": alphas,
        "temperatures": temperatures,
        "temperature_index": temperature_index,
        "examples": content.examples.examples,
        "table": table,
        "index": index,
        "table_json": script_json(table),
        "falls": falls,
        "charts": [
            Chart("loss-curves", charts.loss_curves(curve_rows(content, temperatures, alphas, progress),
                                                    defaults, curves_alt), curves_alt),
            Chart("gradient-scaling", charts.gradient_scaling(rows, settings.default_example, gradient_alt),
                  gradient_alt),
        ],
    }


def distillation_diagram(content: Content, science: Science) -> dict[str, Any]:
    """The knowledge-flow diagram is static markup; it needs no data."""
    return {}
