"""Measured anchors beside the model: one source's teacher and student timed on the same hardware.

The measured speed-up (teacher time ÷ student time) is set beside the ratio of their MACs at the
measured input sizes, and, where this page models the same accelerator, the measured student time
beside the modeled one, which assumes every layer reaches the device's theoretical peak and so is
a lower bound, and beside the illustrative per-layer model where the device file gives one. MACs at another input size are the counter's at 224 × 224 scaled by the input area
(convolutions dominate; the classifier's few MACs do not scale), hence "≈".
"""

from __future__ import annotations

from typing import Any

from kdsite.charts import numbers as fmt
from kdsite.content.load import Content
from kdsite.figures.common import Science
from kdsite.figures.hwshared import STUDENT_INT8, workload
from kdsite.science.roofline import TRAFFIC_MODEL_LABELS

# The Edge TPU keeps a model that fits its on-chip memory there (the INT8 student does), so the
# measurement is compared with the model's on-chip setting.
ANCHOR_TRAFFIC_MODEL = "on_chip"


def macs_at(content: Content, science: Science, model: str, side: int) -> float:
    """The model's MACs at a side × side input: the counted MACs scaled by the input area."""
    spec = content.hardware.models[model]
    counted = science.hardware.models[model].macs
    return counted * (side * side) / (spec.input_height * spec.input_width)


def measured_anchors(content: Content, science: Science) -> dict[str, Any]:
    """A row per measured setup, every ratio computed here."""
    results = science.hardware
    student_key = workload(results, STUDENT_INT8).model
    rows = []
    for pair in content.hardware_page.measured_pairs:
        teacher_macs = macs_at(content, science, pair.teacher.model, pair.teacher.input)
        student_macs = macs_at(content, science, pair.student.model, pair.student.input)
        row = {
            "setup": pair.setup,
            "teacher": f"{pair.teacher.latency_ms:,g} ms",
            "student": f"{pair.student.latency_ms:,g} ms",
            "speedup": fmt.ratio(pair.teacher.latency_ms, pair.student.latency_ms),
            "mac_ratio": "≈" + fmt.ratio(teacher_macs, student_macs),
            "modeled": "–", "measured_over_modeled": "–", "layer_model": "–", "measured_over_layer_model": "–",
            "reference": pair.reference, "locator": pair.locator,
        }
        if pair.device is not None and pair.student.model == student_key and pair.student.input == 224:
            roof = results.point(pair.device, ANCHOR_TRAFFIC_MODEL, STUDENT_INT8).roofline
            row["modeled"] = fmt.milliseconds(roof.latency_ms)
            row["measured_over_modeled"] = fmt.ratio(pair.student.latency_ms, roof.latency_ms)
            if content.hardware.devices[pair.device].has_layer_model:
                row["layer_model"] = fmt.milliseconds(roof.layer_model_ms)
                row["measured_over_layer_model"] = fmt.ratio(pair.student.latency_ms, roof.layer_model_ms)
        rows.append(row)
    first = content.hardware_page.measured_pairs[0] if content.hardware_page.measured_pairs else None
    return {
        "rows": rows,
        "teacher_name": first.teacher.name if first else "",
        "teacher_input": first.teacher.input if first else 0,
        "student_name": first.student.name if first else "",
        "counted_macs": fmt.count(results.models[first.teacher.model].macs) if first else "",
        "scaled_macs": fmt.count(macs_at(content, science, first.teacher.model, first.teacher.input)) if first else "",
        "traffic_model": TRAFFIC_MODEL_LABELS[ANCHOR_TRAFFIC_MODEL],
    }
