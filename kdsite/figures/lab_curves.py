"""The lab's T × α explorer: loss and accuracy curves of the selected run, and the final-accuracy grid.

The sliders select one of the grid's runs by (temperature index, α): the temperatures
{1, 2, 4, 8, 16} are not evenly spaced, so the T slider moves over their index and shows T.
Curves are means over seeds, sampled every EPOCH_STEP epochs and rounded to 3 (losses) or 4
(accuracies) significant digits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import lab as charts
from kdsite.charts.numbers import percent, significant_values
from kdsite.content.load import Content
from kdsite.figures.lab_findings import tied_with_best
from kdsite.figures.common import Chart, script_json
from kdsite.charts.numbers import points_between
from kdsite.figures.lab import default_setting, mean_std_text, number_text, seed_count, span_text
from kdsite.science.lab import GridResult, LabResults
from kdsite.figures.common import Science

EPOCH_STEP = 5
"""Inline every 5th epoch of the curves (and always the last)."""

LOSS_DIGITS = 3
"""Significant digits of the inlined loss curves (drawn on a log axis; the readouts print 4)."""

LOSS_SERIES = {"total": "Total loss α·T²·KL + (1 − α)·CE", "kl": "KL(p_T ‖ q_T): soft-target part",
               "ce": "CE(y, q₁): hard-label part"}
LOSS_SHORT = {"total": "total", "kl": "KL", "ce": "CE"}
BASELINE_SERIES = "Hard labels only (α = 0)"
TEACHER_SERIES = "Teacher"
SELECTED_SERIES = "Chosen T, α: seed mean and range"
"""Legend entry of the selected run's accuracy curve: its line is the seeds' mean, its band their
range (short enough for a 360 px screen's legend; the text alternative gives the seed count)."""


def sampled_epochs(grid: GridResult) -> np.ndarray:
    """Indices of the inlined epochs: every EPOCH_STEP-th, plus the last."""
    indices = np.arange(0, len(grid.epochs), EPOCH_STEP)
    return indices if indices[-1] == len(grid.epochs) - 1 else np.append(indices, len(grid.epochs) - 1)


def run_name(grid: GridResult, i: int, j: int) -> str:
    """T = 4, α = 0.75"""
    return f"T = {number_text(grid.temperatures[i])}, α = {number_text(grid.alphas[j])}"


def loss_value_text(value: float) -> str:
    """A loss in nats, 4 significant digits: 0.6630."""
    return f"{float(value):.4g}"


def cells(grid: GridResult):
    """Every (temperature index, alpha index) of the grid, T-major."""
    return [(i, j) for i in range(len(grid.temperatures)) for j in range(len(grid.alphas))]


def loss_rows(grid: GridResult) -> list[dict]:
    """One row per run and loss series: per-epoch mean over seeds, and the final value's label."""
    sample = sampled_epochs(grid)
    epochs = [int(e) for e in grid.epochs[sample]]
    rows = []
    for i, j in cells(grid):
        for key, name in LOSS_SERIES.items():
            mean = getattr(grid, key)[i, j].mean(axis=0)
            rows.append({"temperature_index": i, "alpha": float(grid.alphas[j]), "series": name,
                         "epoch": epochs, "loss": significant_values(mean[sample], LOSS_DIGITS),
                         "end_label": (f"Loss: {name}; Epoch: {epochs[-1]}; "
                                       f"Value (nats): {loss_value_text(mean[-1])}")})
    return rows


def accuracy_label(run: str, epoch: int, per_seed: np.ndarray) -> str:
    """A curve's final point: Run: T = 4, α = 0.75; Epoch: 100; Test accuracy: 91.8%; Seeds: 91.1–92.4%."""
    return (f"Run: {run}; Epoch: {epoch}; Test accuracy: {percent(per_seed.mean())}; "
            f"Seeds: {span_text(per_seed.min(), per_seed.max())}")


def accuracy_rows(grid: GridResult, series: str) -> list[dict]:
    """One row per run: per-epoch mean, min and max test accuracy over seeds (legend entry `series`)."""
    sample = sampled_epochs(grid)
    epochs = [int(e) for e in grid.epochs[sample]]
    rows = []
    for i, j in cells(grid):
        curves = grid.test_accuracy[i, j][:, sample]
        rows.append({"temperature_index": i, "alpha": float(grid.alphas[j]), "epoch": epochs,
                     "accuracy": significant_values(curves.mean(axis=0)),
                     "accuracy_min": significant_values(curves.min(axis=0)),
                     "accuracy_max": significant_values(curves.max(axis=0)),
                     "series": series,
                     "end_label": accuracy_label(run_name(grid, i, j), epochs[-1], grid.test_accuracy[i, j][:, -1])})
    return rows


def setting_text(temperature: float, alpha: float) -> str:
    """What the loss trains on at this (T, α)."""
    if alpha == 0:
        return ("Hard labels only: the KL term has weight 0, so T does not change the training (the KL curve "
                "is still measured at the chosen T).")
    if alpha == 1:
        return f"Soft targets only (T = {number_text(temperature)}): no hard label is used."
    return (f"Weight α = {number_text(alpha)} on the soft-target term (times T² = {number_text(temperature ** 2)}, "
            f"so {number_text(alpha * temperature ** 2)} in all), {number_text(1 - alpha)} on the hard-label term: "
            f"weights, not shares of the loss.")


def curve_readouts(lab: LabResults) -> dict[str, list]:
    """Per run, the strings the readouts show; the browser looks them up by (temperature_index, alpha)."""
    grid = lab.grid
    final = grid.final_test_accuracy
    baseline = float(final.mean[0, 0])
    table: dict[str, list] = {"keys": ["temperature_index", "alpha"]}
    columns = ("temperature_index", "alpha", "temperature_label", "temperature_valuetext", "alpha_label",
               "alpha_valuetext", "final_accuracy", "accuracy_range", "versus_baseline", "final_losses", "setting")
    for column in columns:
        table[column] = []
    for i, j in cells(grid):
        t, a = float(grid.temperatures[i]), float(grid.alphas[j])
        losses = {key: getattr(grid, key)[i, j, :, -1].mean() for key in LOSS_SERIES}
        table["temperature_index"].append(i)
        table["alpha"].append(a)
        table["temperature_label"].append(number_text(t))
        table["temperature_valuetext"].append(f"T = {number_text(t)}")
        table["alpha_label"].append(number_text(a))
        table["alpha_valuetext"].append(f"α = {number_text(a)}")
        table["final_accuracy"].append(mean_std_text(final.mean[i, j], final.std[i, j]))
        table["accuracy_range"].append(span_text(final.min[i, j], final.max[i, j]))
        table["versus_baseline"].append(
            "this is the hard-label baseline" if a == 0 else
            f"{points_between(100 * baseline, 100 * final.mean[i, j])} vs α = 0 ({percent(baseline)})")
        table["final_losses"].append(" · ".join(f"{LOSS_SHORT[key]} {loss_value_text(value)}"
                                               for key, value in losses.items()))
        table["setting"].append(setting_text(t, a))
    return table


def heatmap_rows(grid: GridResult) -> list[dict]:
    """One cell per (T, α): final test accuracy, its printed value and labels."""
    final = grid.final_test_accuracy
    rows = []
    for i, j in cells(grid):
        label = (f"T: {number_text(grid.temperatures[i])}; α: {number_text(grid.alphas[j])}; "
                 f"Final test accuracy: {mean_std_text(final.mean[i, j], final.std[i, j])}")
        rows.append({"temperature_index": i, "temperature_label": number_text(grid.temperatures[i]),
                     "alpha": float(grid.alphas[j]), "alpha_label": number_text(grid.alphas[j]),
                     "accuracy": round(float(final.mean[i, j]), 4), "shown": percent(final.mean[i, j]),
                     "label": label, "selected_label": f"{label}; Selected: yes"})
    return rows


def alt_texts(lab: LabResults, index: int, alpha_index: int) -> dict[str, str]:
    """Text alternatives of the three charts, stating their takeaways at the default setting."""
    grid = lab.grid
    final = grid.final_test_accuracy
    name = run_name(grid, index, alpha_index)
    last = int(grid.epochs[-1])
    mean = {key: getattr(grid, key)[index, alpha_index].mean(axis=0) for key in LOSS_SERIES}
    falls = "; ".join(f"{LOSS_SHORT[key]} from {loss_value_text(mean[key][0])} to {loss_value_text(mean[key][-1])}"
                      for key in LOSS_SERIES)
    best = np.unravel_index(int(np.argmax(final.mean)), final.mean.shape)
    tied = tied_with_best(lab)
    low_t = final.mean[0]
    return {
        "losses": (f"Line chart of the loss on the transfer set per epoch, log scale, for the selected run "
                   f"(opens at {name}; mean of {seed_count(lab)} seeds). From epoch 0 to {last}: {falls} nats."),
        "accuracy": (f"Line chart of test accuracy per epoch. At {name} the student ends at "
                     f"{mean_std_text(final.mean[index, alpha_index], final.std[index, alpha_index])}, against "
                     f"{percent(final.mean[0, 0])} with hard labels only (dashed) and "
                     f"{percent(lab.teacher.test_accuracy)} for the teacher (dotted). A band shows the lowest "
                     f"and highest seed."),
        "grid": (f"Grid of final test accuracy for every T (rows) and α (columns), printed in each cell. "
                 f"α = 0 gives {percent(final.mean[0, 0])} in every row; at T = {number_text(grid.temperatures[0])} "
                 f"every α stays within {span_text(low_t.min(), low_t.max())}; the highest mean is "
                 f"{run_name(grid, *best)} with {percent(final.mean[best])}"
                 + (f", tied within one standard deviation with {len(tied) - 1} other cell{'s' if len(tied) > 2 else ''}"
                    if len(tied) > 1 else "") + ". The selected cell is outlined."),
    }


def lab_curves(content: Content, science: Science) -> dict[str, Any]:
    """The T and α sliders, loss and accuracy curves of the selected run, the grid and readouts."""
    lab = science.lab
    grid = lab.grid
    index, alpha = default_setting(lab)
    alpha_index = int(np.flatnonzero(grid.alphas == alpha)[0])
    if not np.allclose(np.diff(grid.alphas), grid.alphas[1] - grid.alphas[0]):
        raise ValueError("lab-curves: the α slider needs evenly spaced grid.alphas in content/lab.yaml")
    readouts = curve_readouts(lab)
    row = readouts["temperature_index"].index(index) + alpha_index
    last = int(grid.epochs[-1])
    alts = alt_texts(lab, index, alpha_index)
    teacher = {"series": TEACHER_SERIES, "accuracy": round(float(lab.teacher.test_accuracy), 4),
               "label": f"Run: {TEACHER_SERIES}; Test accuracy: {percent(lab.teacher.test_accuracy)}"}
    baseline_curve = grid.test_accuracy[0, 0]
    sample = sampled_epochs(grid)
    baseline = {"series": BASELINE_SERIES, "epoch": [int(e) for e in grid.epochs[sample]],
                "accuracy": significant_values(baseline_curve.mean(axis=0)[sample]),
                "end_label": accuracy_label(BASELINE_SERIES, last, baseline_curve[:, -1])}
    series = SELECTED_SERIES
    runs = accuracy_rows(grid, series)
    temperature_labels = [number_text(t) for t in grid.temperatures]
    return {
        "temperatures": temperature_labels,
        "alphas": [number_text(a) for a in grid.alphas],
        "alpha_step": number_text(grid.alphas[1] - grid.alphas[0]),
        "index": index,
        "alpha": number_text(alpha),
        "row": row,
        "readouts": readouts,
        "readouts_json": script_json(readouts),
        "charts": [
            Chart("lab-losses", charts.loss_curves(loss_rows(grid), list(LOSS_SERIES.values()), last, index, alpha,
                                                   alts["losses"]), alts["losses"]),
            Chart("lab-accuracy", charts.accuracy_curves(runs, baseline, teacher,
                                                         [series, BASELINE_SERIES, TEACHER_SERIES], last, index,
                                                         alpha, alts["accuracy"]), alts["accuracy"]),
            Chart("lab-grid", charts.grid_heatmap(heatmap_rows(grid), temperature_labels,
                                                  [number_text(a) for a in grid.alphas], index, alpha, alts["grid"]),
                  alts["grid"]),
        ],
    }
