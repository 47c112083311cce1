"""Real test digits as the teacher sees them: each 8×8 image beside its soft label at a chosen T.

The images are drawn as 64 grey squares whose levels are computed here (pixel 0 → white,
16 → black); the teacher's softmax is precomputed at every grid temperature, so the slider
only looks rows up.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import lab as charts
from kdsite.charts.numbers import percent
from kdsite.content.load import Content
from kdsite.figures.common import Chart, script_json
from kdsite.figures.lab import number_text
from kdsite.science.lab import LabResults
from kdsite.figures.common import Science
from kdsite.science.softmax import entropy_bits, softmax_with_temperature

PIXEL_MAX = 16
"""The digits' pixels count inked cells of a 4×4 block: 0 to 16."""
CLASSES = [str(d) for d in range(10)]
DEFAULT_INDEX = 0
"""The slider opens on the grid's lowest temperature (T = 1: the teacher's own softmax); the reader raises it."""


def grey_hex(pixel: int) -> str:
    """A pixel 0–16 as a grey fill: 0 white (#ffffff), 16 black (#000000)."""
    level = round(255 * (1 - int(pixel) / PIXEL_MAX))
    return f"#{level:02x}{level:02x}{level:02x}"


def image_cells(image: np.ndarray) -> list[dict]:
    """The non-blank pixels of an 8×8 image as squares: column x, row y, fill (blank ones show the white background)."""
    return [{"x": int(x), "y": int(y), "fill": grey_hex(image[y, x])}
            for y in range(image.shape[0]) for x in range(image.shape[1]) if image[y, x] > 0]


def teacher_probabilities(lab: LabResults) -> np.ndarray:
    """Softmax of the teacher's logits at every grid temperature: shape (temperature, digit, class)."""
    logits = np.asarray(lab.soft_labels.teacher_logits, dtype=np.float64)
    return np.stack([softmax_with_temperature(logits, float(t)) for t in lab.grid.temperatures])


def top_two(probabilities: np.ndarray) -> list[int]:
    """Indices of the two largest probabilities (ties: lower digit first)."""
    return [int(i) for i in np.argsort(-probabilities, kind="stable")[:2]]


def top_two_text(probabilities: np.ndarray) -> str:
    """3 (38.2%), 8 (20.1%)"""
    return ", ".join(f"{i} ({percent(probabilities[i])})" for i in top_two(probabilities))


def digit_readouts(lab: LabResults, probabilities: np.ndarray) -> dict[str, list]:
    """Per temperature: the slider's strings and, per digit, its alt text and visible summary."""
    examples = lab.soft_labels
    table: dict[str, list] = {"keys": ["temperature_index"], "temperature_index": [], "temperature_label": [],
                              "temperature_valuetext": []}
    for k in range(len(examples.labels)):
        table[f"digit_{k}_alt"] = []
        table[f"digit_{k}_summary"] = []
    for i, temperature in enumerate(lab.grid.temperatures):
        t = number_text(temperature)
        table["temperature_index"].append(i)
        table["temperature_label"].append(t)
        table["temperature_valuetext"].append(f"T = {t}")
        for k, label in enumerate(examples.labels):
            p = probabilities[i, k]
            table[f"digit_{k}_alt"].append(
                f"8×8 image of a handwritten {int(label)} (scikit-learn digit {int(examples.dataset_indices[k])}). "
                f"Teacher's top two at T = {t}: {top_two_text(p)}.")
            table[f"digit_{k}_summary"].append(
                f"Top two at T = {t}: {top_two_text(p)}; entropy {entropy_bits(p):.2f} bits")
    return table


# Two printed values on bars at most two apart (a phone's narrow card) closer than this (a fraction of the axis) would overlap:
# the runner-up's value goes one line above the winner's (printed at the winner's height, a line higher),
# wherever its own bar ends.
CLOSE = 0.15


def bar_rows(lab: LabResults, probabilities: np.ndarray, k: int) -> list[dict]:
    """Bars of digit k's soft label at every temperature; the top two carry printed values, the
    runner-up's one line above the winner's when it would overlap it (`raised`; `label_y` is the
    height its value is printed at), and then both values name their digit ("8: 17.4%")."""
    label = int(lab.soft_labels.labels[k])
    rows = []
    for i in range(len(lab.grid.temperatures)):
        p = probabilities[i, k]
        shown = top_two(p)
        first, second = shown
        raised = abs(first - second) <= 2 and abs(p[first] - p[second]) < CLOSE
        for digit in range(len(CLASSES)):
            role = "true digit" if digit == label else "other digit"
            rows.append({"temperature_index": i, "digit": CLASSES[digit], "probability": round(float(p[digit]), 4),
                         # when the runner-up's value is lifted above the winner's, both name their digit,
                         # so the lifted value is not read as the winner's
                         "shown": (f"{digit}: {percent(p[digit])}" if raised else percent(p[digit]))
                         if digit in shown else "",
                         "raised": int(raised and digit == second),
                         "label_y": round(float(p[first] if raised and digit == second else p[digit]), 4),
                         "label": f"Digit: {digit}; Role: {role}; Probability: {percent(p[digit])}"})
    return rows


def lab_soft_labels(content: Content, science: Science) -> dict[str, Any]:
    """The T slider, six real test digits as images, and the teacher's probabilities for each at T."""
    lab = science.lab
    examples = lab.soft_labels
    probabilities = teacher_probabilities(lab)
    index = DEFAULT_INDEX
    readouts = digit_readouts(lab, probabilities)
    t = readouts["temperature_label"][index]
    digits, chart_list = [], []
    for k, label in enumerate(examples.labels):
        p = probabilities[index, k]
        hottest = readouts["temperature_label"][-1]
        alt_text = (f"Bar chart of the teacher's probabilities for the handwritten {int(label)} over the digits "
                    f"0–9 at T = {t}: top two {top_two_text(p)}; at T = {hottest} they become "
                    f"{top_two_text(probabilities[-1, k])}. The true digit's bar is orange and outlined.")
        chart_list.append(Chart(f"lab-digit-{k}", charts.soft_label_bars(bar_rows(lab, probabilities, k), CLASSES,
                                                                         str(int(label)), index, alt_text), alt_text))
        digits.append({"index": k, "label": int(label), "dataset_index": int(examples.dataset_indices[k]),
                       "cells": image_cells(np.asarray(examples.images[k])),
                       "entropy": f"{examples.teacher_entropy_bits[k]:.2f}"})
    return {
        "temperatures": readouts["temperature_label"],
        "index": index,
        "readouts": readouts,
        "readouts_json": script_json(readouts),
        "digits": digits,
        "charts": chart_list,
        "chart_ids": " ".join(chart.id for chart in chart_list),
        "count": len(examples.labels),
    }
