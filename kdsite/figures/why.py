"""The "Why knowledge distillation?" figures: teacher and student cards, and the cost comparison.

Every value comes from science.hardware: parameters and MACs from the layer counter, footprints
as params × 4 bytes (FP32, decimal MB), latency from the roofline model on the device and traffic
model named in content/hardware_page.yaml, energy from Horowitz's 45 nm constants. Top-1 is the
model YAML's torchvision accuracy. Reductions are 1 − student / teacher, computed here.
"""

from __future__ import annotations

from typing import Any

from kdsite.charts import hardware as charts
from kdsite.content.load import Content
from kdsite.charts import numbers as fmt
from kdsite.figures.common import Chart
from kdsite.figures.hwshared import STUDENT, TEACHER, Comparison, compare, modeled_setting, reference_for, workload
from kdsite.figures.common import Science


def _card(role: str, key: str, content: Content, science: Science, device: str, traffic_model: str) -> dict:
    results = science.hardware
    model = results.models[workload(results, key).model]
    point = results.point(device, traffic_model, key)
    return {
        "role": role,
        "role_key": role.lower(),
        "name": model.display_name,
        "params": fmt.count(model.params),
        "macs": fmt.count(model.macs),
        "footprint": fmt.megabytes(model.footprint_mb["fp32"]),
        "latency": fmt.milliseconds(point.roofline.latency_ms),
        "top1": fmt.top1(model.top1_percent),
        "top1_reference": reference_for(model.source),
    }


def why_comparisons(content: Content, science: Science, device: str, traffic_model: str) -> list[Comparison]:
    """Teacher FP32 vs student FP32: parameters, MACs, footprint, modeled latency and energy."""
    results = science.hardware
    teacher = results.models[workload(results, TEACHER).model]
    student = results.models[workload(results, STUDENT).model]
    name = content.hardware.devices[device].display_name
    return [
        compare("Parameters", teacher.params, student.params, fmt.count),
        compare("MACs per inference", teacher.macs, student.macs, fmt.count),
        compare("Weight memory (FP32)", teacher.footprint_mb["fp32"], student.footprint_mb["fp32"],
                fmt.megabytes),
        compare(f"Latency, {name} (modeled lower bound)", results.point(device, traffic_model, TEACHER).roofline.latency_ms,
                results.point(device, traffic_model, STUDENT).roofline.latency_ms, fmt.milliseconds, bounds=True),
        compare("Energy per inference (modeled)", results.point(device, traffic_model, TEACHER).energy.total_mj,
                results.point(device, traffic_model, STUDENT).energy.total_mj, fmt.millijoules),
    ]


def model_cards(content: Content, science: Science) -> dict[str, Any]:
    """Two cards: the ResNet-152 teacher and the MobileNetV2 student, with modeled latency."""
    page = content.hardware_page
    device, traffic = page.default_device, page.default_traffic_model
    return {
        "cards": [_card("Teacher", TEACHER, content, science, device, traffic),
                  _card("Student", STUDENT, content, science, device, traffic)],
        "setting": modeled_setting(content, science.hardware, device, traffic),
    }


def comparison_alt_text(comparisons: list[Comparison], teacher: str, student: str) -> str:
    """The takeaway of the comparison chart, with every computed number."""
    parts = [f"{c.label}: {c.reduction_text} lower ({c.before_text} → {c.after_text})" for c in comparisons
             if not c.bounds]
    bounds = [f"{c.label}: {c.before_text} → {c.after_text}" for c in comparisons if c.bounds]
    return (f"Bar chart of the student {student} as a share of the teacher {teacher} (teacher = 100%). "
            f"The student needs less of everything: {'; '.join(parts)}."
            + (f" Not drawn, since two lower bounds give no ratio to expect: {'; '.join(bounds)}." if bounds else ""))


def cost_comparison(content: Content, science: Science) -> dict[str, Any]:
    """Grouped bars, teacher = 100 %, with each reduction computed from the data."""
    page = content.hardware_page
    device, traffic = page.default_device, page.default_traffic_model
    results = science.hardware
    comparisons = why_comparisons(content, science, device, traffic)
    teacher = results.models[workload(results, TEACHER).model].display_name
    student = results.models[workload(results, STUDENT).model].display_name
    alt_text = comparison_alt_text(comparisons, teacher, student)
    return {
        "comparisons": comparisons,
        "teacher": teacher,
        "student": student,
        "setting": modeled_setting(content, results, device, traffic),
        "energy_constants": content.hardware.energy,
        "charts": [Chart("cost-comparison-chart",
                         charts.cost_comparison_chart(comparisons, teacher, student, alt_text), alt_text)],
    }
