"""Hard labels vs soft labels: an input chooser, the raw logits, the one-hot and the soft target."""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import labels as charts
from kdsite.charts.numbers import percent
from kdsite.content.load import Content, Example
from kdsite.figures.common import Chart, script_json
from kdsite.figures.common import Science
from kdsite.science.softmax import entropy_bits, softmax_with_temperature


def vector_text(values: np.ndarray) -> str:
    """A probability vector as the page prints it: [0.55, 0.32, 0.07, 0.04, 0.02]; one-hots as [1, 0, 0]."""
    return "[" + ", ".join(f"{v:.0f}" if v in (0.0, 1.0) else f"{v:.2f}" for v in values) + "]"


def label_rows(example: Example, classes: tuple[str, ...], soft_temperature: float) -> list[dict]:
    """One row per class: logit, one-hot target, soft target at T, each with its printed string."""
    soft = softmax_with_temperature(np.array(example.logits), soft_temperature)
    rows = []
    for index, name in enumerate(classes):
        hard = 1.0 if name == example.true_class else 0.0
        rows.append({
            "example": example.id, "class": name,
            "logit": example.logits[index], "logit_shown": f"{example.logits[index]:g}",
            "logit_label": f"Class: {name}; Logit: {example.logits[index]:g}",
            "hard": hard, "hard_shown": f"{hard:.0f}", "hard_label": f"Class: {name}; Hard target: {hard:.0f}",
            "soft": round(float(soft[index]), 4), "soft_shown": percent(soft[index]),
            "soft_label": f"Class: {name}; Soft target: {percent(soft[index])}",
        })
    return rows


def similarity_sentence(example: Example, classes: tuple[str, ...], soft: np.ndarray) -> str:
    """The dark-knowledge reading of one soft label: which wrong class it finds closest and farthest."""
    order = [i for i in np.argsort(-soft, kind="stable") if classes[i] != example.true_class]
    near, far = order[0], order[-1]
    return (f"The teacher gives {classes[near]} {percent(soft[near])} but {classes[far]} only "
            f"{percent(soft[far])}: to this teacher a {example.true_class} looks far more like a "
            f"{classes[near]} than like a {classes[far]}.")


def label_explorer(content: Content, science: Science) -> dict[str, Any]:
    """The chooser, the three charts and the per-example readouts (vectors, entropies, reading)."""
    classes = content.examples.classes
    temperature = content.labels.soft_temperature
    default = content.labels.default_example
    examples = content.examples.examples
    rows = [row for example in examples for row in label_rows(example, classes, temperature)]
    table: dict[str, list] = {"keys": ["example"], "example": [], "hard_vector": [], "soft_vector": [],
                              "hard_entropy": [], "soft_entropy": [], "reading": []}
    for example in examples:
        soft = softmax_with_temperature(np.array(example.logits), temperature)
        hard = np.array([1.0 if name == example.true_class else 0.0 for name in classes])
        table["example"].append(example.id)
        table["hard_vector"].append(vector_text(hard))
        table["soft_vector"].append(vector_text(soft))
        table["hard_entropy"].append(f"{entropy_bits(hard):.2f} bits")
        table["soft_entropy"].append(f"{entropy_bits(soft):.2f} bits")
        table["reading"].append(similarity_sentence(example, classes, soft))
    index = table["example"].index(default)
    chosen = content.examples.by_id(default)
    t_text = f"T = {temperature:g}"
    logits_alt = (f"Bar chart of the teacher's raw logits for the {chosen.label.lower()}: "
                  + ", ".join(f"{c} {z:g}" for c, z in zip(classes, chosen.logits))
                  + ". Temperature does not change them.")
    hard_alt = (f"Bar chart of the hard label: 1 for {chosen.true_class}, 0 for every other class. "
                f"Entropy {table['hard_entropy'][index]}.")
    soft_alt = (f"Bar chart of the teacher's soft label at {t_text}: {table['soft_vector'][index]} for "
                f"{', '.join(classes)}. Entropy {table['soft_entropy'][index]}.")
    return {
        "examples": examples,
        "default": default,
        "temperature": f"{temperature:g}",
        "table": table,
        "index": index,
        "table_json": script_json(table),
        "charts": [
            Chart("label-logits", charts.logit_bars(rows, default, logits_alt), logits_alt),
            Chart("label-hard", charts.hard_label_bars(rows, default, hard_alt), hard_alt),
            Chart("label-soft", charts.soft_label_bars(rows, default, soft_alt), soft_alt),
        ],
    }
