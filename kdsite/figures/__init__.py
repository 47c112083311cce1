"""The figure registry: the names an author may place with [[figure: NAME]].

A figure is a Jinja partial `templates/figures/NAME.html` plus a builder that turns validated
content into that partial's context (chart specs, precomputed readout tables, text alternatives).
To add one: write a module in this package with a builder `(Content, Science) -> dict`, register it here.
"""

from __future__ import annotations

from typing import Any, Callable

from kdsite.content.load import Content
from kdsite.figures.common import Science
from kdsite.figures import labels, references, temperature, training
from kdsite.figures import anchors, hardware, levers, roofline, tradeoff, why
from kdsite.figures import lab, lab_curves, lab_digits, lab_findings, lab_omitted, lab_sweep
from kdsite.figures import selfcheck

FIGURES: dict[str, Callable[[Content, Science], dict[str, Any]]] = {
    "temperature-explorer": temperature.temperature_explorer,
    "label-explorer": labels.label_explorer,
    "distillation-diagram": training.distillation_diagram,
    "loss-weighting": training.loss_weighting,
    "model-cards": why.model_cards,
    "cost-comparison": why.cost_comparison,
    "three-levers": levers.three_levers,
    "kd-training-cost": levers.kd_training_cost,
    "accuracy-vs-size": hardware.accuracy_vs_size,
    "accuracy-vs-cost": tradeoff.accuracy_vs_cost,
    "energy-per-inference": hardware.energy_per_inference,
    "roofline-explorer": roofline.roofline_explorer,
    "measured-anchors": anchors.measured_anchors,
    "lab-setup": lab.lab_setup,
    "lab-findings": lab_findings.lab_findings,
    "lab-curves": lab_curves.lab_curves,
    "lab-size-sweep": lab_sweep.lab_size_sweep,
    "lab-omitted-digit": lab_omitted.lab_omitted_digit,
    "lab-soft-labels": lab_digits.lab_soft_labels,
    "self-check": selfcheck.self_check,
    "reference-list": references.reference_list,
}
