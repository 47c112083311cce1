"""The figure registry: the names an author may place with [[figure: NAME]].

A figure is a Jinja partial `templates/figures/NAME.html` plus a builder that turns validated
content into that partial's context (chart specs, precomputed readout tables, text alternatives).
To add one: write a module in this package with a builder `(Content, Science) -> dict`, register it here.
"""

from __future__ import annotations

from typing import Any, Callable

from kdsite.content import Content
from kdsite.science import Science
from kdsite.figures import labels, references, temperature, training

FIGURES: dict[str, Callable[[Content, Science], dict[str, Any]]] = {
    "temperature-explorer": temperature.temperature_explorer,
    "label-explorer": labels.label_explorer,
    "distillation-diagram": training.distillation_diagram,
    "loss-weighting": training.loss_weighting,
    "reference-list": references.reference_list,
}
