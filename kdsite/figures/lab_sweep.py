"""The lab's student-size sweep: accuracy from scratch vs distilled against parameter count."""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import lab as charts
from kdsite.content.load import Content
from kdsite.figures.common import Chart, script_json
from kdsite.charts.numbers import points
from kdsite.figures.lab import count_text, mean_std_text, number_text, shown_differences, span_text
from kdsite.figures.lab_findings import sweep_sentence
from kdsite.science.lab import LabResults, SizeSweepResult
from kdsite.figures.common import Science

DODGE = 1.06
"""Scratch and distilled points sit this factor left/right of their parameter count so their spreads do not overlap."""


def method_names(sweep: SizeSweepResult) -> list[str]:
    """Legend entries: from scratch, distilled."""
    return ["From scratch (hard labels, α = 0)",
            f"Distilled (T = {number_text(sweep.temperature)}, α = {number_text(sweep.alpha)})"]


def transfer_key(count: int) -> str:
    """The select's value for a transfer set: its digit count as a string."""
    return str(int(count))


def transfer_label(lab: LabResults, count: int, epochs: int) -> str:
    """How the select names a transfer set: 136 training digits (100 epochs)."""
    share = "all" if count == lab.train_count else f"{100 * count / lab.train_count:.0f}%"
    return f"{count_text(count)} training digits ({share}; {int(epochs)} epochs)"


def sweep_rows(sweep: SizeSweepResult) -> list[dict]:
    """One point per transfer set, method and width: mean, min and max test accuracy over seeds."""
    rows = []
    for f, count in enumerate(sweep.transfer_counts):
        for name, summary, factor in zip(method_names(sweep), (sweep.scratch, sweep.distilled), (1 / DODGE, DODGE)):
            for w, (width, parameters) in enumerate(zip(sweep.widths, sweep.parameter_counts)):
                rows.append({
                    "transfer_set": transfer_key(count), "series": name,
                    "position": round(float(parameters) * factor, 1), "parameters": int(parameters),
                    "accuracy": round(float(summary.mean[f, w]), 4),
                    "accuracy_min": round(float(summary.min[f, w]), 4),
                    "accuracy_max": round(float(summary.max[f, w]), 4),
                    "label": (f"Method: {name}; Width: {int(width)}; Parameters: {count_text(parameters)}; "
                              f"Transfer set: {count_text(count)} digits; "
                              f"Test accuracy: {mean_std_text(summary.mean[f, w], summary.std[f, w])}; "
                              f"Seeds: {span_text(summary.min[f, w], summary.max[f, w])}"),
                })
    return rows


def sweep_readouts(lab: LabResults) -> dict[str, list]:
    """Per transfer set: its name and the sentence judging distillation at every width."""
    sweep = lab.size_sweep
    table: dict[str, list] = {"keys": ["transfer_set"], "transfer_set": [], "transfer_label": [],
                              "best_difference": [], "verdict": []}
    for f, (count, epochs) in enumerate(zip(sweep.transfer_counts, sweep.epochs)):
        # as the findings print it: the difference of the two accuracies as shown
        shown = shown_differences(sweep.scratch.mean[f], sweep.distilled.mean[f])
        best = int(np.argmax(sweep.distilled.mean[f] - sweep.scratch.mean[f]))
        table["transfer_set"].append(transfer_key(count))
        table["transfer_label"].append(transfer_label(lab, count, epochs))
        table["best_difference"].append(f"{points(100 * shown[best])} (width {int(sweep.widths[best])})")
        table["verdict"].append(sweep_sentence(lab, f))
    return table


def lab_size_sweep(content: Content, science: Science) -> dict[str, Any]:
    """The transfer-set select, the accuracy-vs-parameters chart and the per-width verdict."""
    lab = science.lab
    sweep = lab.size_sweep
    readouts = sweep_readouts(lab)
    names = method_names(sweep)
    alt_text = (f"Line chart of test accuracy against student parameters (log scale, "
                f"{count_text(sweep.parameter_counts[0])} to {count_text(sweep.parameter_counts[-1])}): "
                f"{names[0].lower()} as grey dashed lines with circles, {names[1][0].lower() + names[1][1:]} as blue "
                f"solid lines with squares; vertical bars span the seeds. " + " ".join(readouts["verdict"]))
    return {
        "options": list(zip(readouts["transfer_set"], readouts["transfer_label"])),
        "default": readouts["transfer_set"][0],
        "index": 0,
        "readouts": readouts,
        "readouts_json": script_json(readouts),
        "charts": [Chart("lab-size-sweep-chart",
                         charts.size_sweep_chart(sweep_rows(sweep), names, readouts["transfer_set"][0], alt_text),
                         alt_text)],
    }
