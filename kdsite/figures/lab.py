"""The lab section's shared pieces: how lab numbers are printed, and the "what was trained" figure.

Every number the lab section shows is read from `science.lab` (kdsite/science/lab.py's LabResults) and
printed by the helpers here, so the prose, readouts and text alternatives agree to the digit.
The other lab figures live in lab_curves.py, lab_sweep.py, lab_omitted.py, lab_digits.py and
lab_findings.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts.numbers import MINUS, percent, points
from kdsite.content.load import Content
from kdsite.science.lab import LabResults
from kdsite.figures.common import Science



def number_text(value: float) -> str:
    """A grid value as the page prints it: 4, 0.25, 16 (no trailing zeros)."""
    return f"{float(value):g}"


def count_text(count: int) -> str:
    """A count with thousands separators: 85,002."""
    return f"{int(count):,}"


def signed(value: float, decimals: int = 1) -> str:
    """A signed number with a true minus sign: +3.0, −1.2."""
    rounded = round(float(value), decimals)
    text = f"{abs(rounded):.{decimals}f}"
    return f"{MINUS}{text}" if rounded < 0 else f"+{text}"


def mean_std_text(mean: float, std: float) -> str:
    """An accuracy over seeds: mean ± sample standard deviation, e.g. 91.2% ± 1.3 (std in points)."""
    return f"{percent(mean)} ± {100 * float(std):.1f}"


def span_text(low: float, high: float) -> str:
    """A range of accuracies: 69.6–73.9% (one value if both print the same)."""
    if percent(low) == percent(high):
        return percent(low)
    return f"{100 * float(low):.1f}–{percent(high)}"


def shown_differences(before, after) -> np.ndarray:
    """after − before, accuracies as fractions, from the two as the page prints them (percentages to
    one decimal), as a fraction: 87.1% → 91.3% is +4.2 points, the reader's own subtraction, not the
    +4.1 of the unrounded 87.11% and 91.26% (the convention of numbers.points_between)."""
    shown = lambda values: np.round(100 * np.asarray(values, dtype=np.float64), 1)
    return (shown(after) - shown(before)) / 100


def points_span(differences) -> str:
    """The smallest and largest of several point differences: −1.0 to +0.1 points."""
    values = np.asarray(differences, dtype=np.float64)
    low, high = points(100 * values.min(), unit=False), points(100 * values.max(), unit=False)
    return f"{low} points" if low == high else f"{low} to {high} points"


def widths_text(widths) -> str:
    """Layer widths as an architecture name: 64-16-10."""
    return "-".join(str(int(w)) for w in widths)


def set_text(values) -> str:
    """A grid as a set: {1, 2, 4, 8, 16}."""
    return "{" + ", ".join(number_text(v) for v in values) + "}"


def seed_count(lab: LabResults) -> int:
    """How many seeds every student setting was trained with."""
    return len(lab.grid.seeds)


def default_setting(lab: LabResults) -> tuple[int, float]:
    """The (temperature index, α) the lab figures open on: the size sweep's distillation setting."""
    temperatures = np.asarray(lab.grid.temperatures, dtype=np.float64)
    alphas = np.asarray(lab.grid.alphas, dtype=np.float64)
    index = int(np.argmin(np.abs(temperatures - lab.size_sweep.temperature)))
    alpha = float(alphas[int(np.argmin(np.abs(alphas - lab.size_sweep.alpha)))])
    return index, alpha


def run_counts(lab: LabResults) -> dict[str, int]:
    """Networks the build trained per experiment (one teacher, then students × seeds)."""
    grid = lab.grid
    sweep = lab.size_sweep
    counts = {
        "teacher": 1,
        "grid": len(grid.temperatures) * len(grid.alphas) * len(grid.seeds),
        "size_sweep": 2 * len(sweep.transfer_counts) * len(sweep.widths) * len(sweep.seeds),
        "omitted_class": 2 * len(lab.omitted_class.seeds),
    }
    counts["total"] = sum(counts.values())
    return counts


def setup_rows(lab: LabResults) -> list[dict[str, str]]:
    """What was trained, one row per part of the lab: a term and its description."""
    config = lab.config
    teacher, grid, sweep, omitted = lab.teacher, lab.grid, lab.size_sweep, lab.omitted_class
    students = config["student_training"]
    teacher_config = config["teacher"]
    runs = run_counts(lab)
    seeds = ", ".join(str(int(s)) for s in grid.seeds)
    total = lab.train_count + lab.test_count
    transfer_sets = " and ".join(
        f"{count_text(count)} digits ({int(epochs)} epochs)"
        for count, epochs in zip(sweep.transfer_counts, sweep.epochs))
    return [
        {"term": "Data",
         "text": (f"scikit-learn's bundled 8×8 handwritten digits: {count_text(total)} images of 10 classes, "
                  f"pixels 0–16. A stratified split gives {count_text(lab.train_count)} training and "
                  f"{count_text(lab.test_count)} test digits; every accuracy below is on those "
                  f"{count_text(lab.test_count)} test digits.")},
        {"term": "Teacher",
         "text": (f"{widths_text(teacher.widths)} ReLU network, {count_text(teacher.parameter_count)} parameters, "
                  f"trained on all {count_text(lab.train_count)} training digits with hard labels and Gaussian "
                  f"input noise (σ = {number_text(teacher_config['input_noise'])} in standardized pixels), "
                  f"{teacher_config['epochs']} epochs: {percent(teacher.test_accuracy)} test accuracy "
                  f"({teacher.test_errors} errors).")},
        {"term": "Students",
         "text": (f"Small ReLU networks trained with Adam (learning rate {number_text(students['learning_rate'])}, "
                  f"batch {students['batch_size']}) on L = α·T²·KL(p_T ‖ q_T) + (1 − α)·CE(y, q_1), "
                  f"where p_T is the teacher's soft target and q the student's softmax. Each setting ran "
                  f"with {seed_count(lab)} seeds ({seeds}); a seed fixes the initialization, the batch order "
                  f"and which training digits form the transfer set, so scratch and distilled runs are paired.")},
        {"term": "Temperature × α grid",
         "text": (f"{widths_text(grid.widths)} student ({count_text(grid.parameter_count)} parameters) on "
                  f"{count_text(grid.transfer_count)} transfer digits, {int(grid.epochs[-1])} epochs, "
                  f"T ∈ {set_text(grid.temperatures)} × α ∈ {set_text(grid.alphas)}: {runs['grid']} runs.")},
        {"term": "Size sweep",
         "text": (f"64-w-10 students for w ∈ {set_text(sweep.widths)} "
                  f"({count_text(sweep.parameter_counts[0])}–{count_text(sweep.parameter_counts[-1])} parameters), "
                  f"from scratch (α = 0) and distilled (T = {number_text(sweep.temperature)}, "
                  f"α = {number_text(sweep.alpha)}), on {transfer_sets}: {runs['size_sweep']} runs.")},
        {"term": "Omitted digit",
         "text": (f"{widths_text(omitted.widths)} students on the {count_text(omitted.transfer_count)} training "
                  f"digits that are not {omitted.digit}s, distilled (T = {number_text(omitted.distilled.temperature)}, "
                  f"α = {number_text(omitted.distilled.alpha)}) and with hard labels only, "
                  f"{config['omitted_class']['epochs']} epochs: {runs['omitted_class']} runs.")},
        {"term": "Total",
         "text": (f"{runs['total']} networks ({runs['total'] - 1} students and the teacher), all trained "
                  f"for this page with numpy on a CPU.")},
    ]


def lab_setup(content: Content, science: Science) -> dict[str, Any]:
    """What the lab trained: data, teacher, students, grids and seeds, read from the results."""
    return {"rows": setup_rows(science.lab)}
