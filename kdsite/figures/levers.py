"""The three levers on a deployed model, one row each, so no cost is credited to the wrong one.

Architecture (teacher → student) and precision (FP32 → INT8) change what the device computes and
moves: parameters, MACs, weight bytes, modeled latency and energy. Distillation is a training
method: it leaves all of those as they are and changes only the student's accuracy. Every cost is
computed by the hardware model; every accuracy is published (torchvision for the models, the cited
KD papers for the distillation range, computed here from content/distillation_results.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kdsite.charts import numbers as fmt
from kdsite.content.load import Content
from kdsite.figures.common import Science
from kdsite.figures.hwshared import STUDENT, STUDENT_INT8, TEACHER, reference_for, workload
from kdsite.science.roofline import TRAFFIC_MODEL_LABELS


@dataclass(frozen=True)
class KdRange:
    """The published plain-KD effect (distilled minus from-scratch top-1, same source), in points."""

    lowest: float
    highest: float
    lowest_source: str  # e.g. "DIST (Huang et al., NeurIPS 2022), MobileNetV2"
    highest_source: str
    count: int  # rows with both numbers from the same source
    references: tuple[str, ...]
    teachers: tuple[str, ...]  # the results' own teachers, each once


def kd_range(content: Content, student: str | None = None) -> KdRange | None:
    """The spread of kd_effect_points over the results that give both a baseline and a KD top-1
    (only those for `student`, a model key, when given); None if there are none."""
    rows = [r for r in content.hardware_page.results
            if r.kd_effect_points is not None and student in (None, r.student)]
    if not rows:
        return None
    low = min(rows, key=lambda r: r.kd_effect_points)
    high = max(rows, key=lambda r: r.kd_effect_points)
    names = content.hardware_page.reference_models

    def label(result) -> str:
        model = names.get(result.student)
        name = model.display_name if model is not None else content.hardware.models[result.student].display_name
        return f"{result.paper}, {name}"

    references = tuple(dict.fromkeys(r.reference for r in rows))
    teachers = tuple(dict.fromkeys(r.teacher for r in rows))
    return KdRange(low.kd_effect_points, high.kd_effect_points, label(low), label(high), len(rows), references,
                   teachers)


def _span(spread: KdRange) -> str:
    """"−1.9 to +1.6 points", or "−1.9 points" when the results agree."""
    if spread.lowest == spread.highest:
        return fmt.points(spread.lowest)
    return f"{fmt.points(spread.lowest, unit=False)} to {fmt.points(spread.highest)}"


def _kd_cell(spread: KdRange, whose: str) -> str:
    """The distillation row's top-1 cell: the published effect, for whom and from how many results,
    worded as a difference between two trainings of another student, so that it does not read as
    points to add to the precision row's top-1."""
    results = "1 result" if spread.count == 1 else f"{spread.count} results"
    return f"no result; other teachers: {_span(spread)} vs scratch ({results}, {whose})"


def _cost(science: Science, key: str, device: str, traffic_model: str) -> dict[str, float]:
    """Latency and energy under one traffic model, so a row's two modeled costs count the same bytes
    (and agree with the roofline explorer's cards at its starting setting)."""
    results = science.hardware
    item = workload(results, key)
    model = results.models[item.model]
    point = results.point(device, traffic_model, key)
    return {"params": model.params, "macs": model.macs, "megabytes": model.footprint_mb[item.precision],
            "latency_ms": point.roofline.latency_ms, "energy_mj": point.energy.total_mj}


# How each column's fall reads: "17.2× fewer" parameters, "9.83× less" energy. A rise (a lever that
# costs more) reads as its ratio the other way: "1.20× more". Latency has no ratio: both times are
# lower bounds (every layer at the peak), and the ratio of two bounds is no speed-up to expect.
_FALL_RISE = {"params": ("fewer", "more"), "macs": ("fewer", "more"), "memory": ("smaller", "larger"),
              "latency": None, "energy": ("less", "more")}


def _change(before: float, after: float, text, column: str) -> str:
    if before == after:
        return f"unchanged ({text(after)})"
    if _FALL_RISE[column] is None:
        return f"{text(before)} → {text(after)}"
    fall, rise = _FALL_RISE[column]
    ratio = fmt.ratio(before, after) if after < before else fmt.ratio(after, before)
    return f"{text(before)} → {text(after)} ({ratio} {fall if after < before else rise})"


def three_levers(content: Content, science: Science) -> dict[str, Any]:
    """Rows: architecture, precision, distillation; columns: what each does to cost and to top-1."""
    page = content.hardware_page
    device, traffic = page.default_device, page.default_traffic_model
    results = science.hardware
    teacher, student, student_int8 = (_cost(science, key, device, traffic) for key in (TEACHER, STUDENT, STUDENT_INT8))
    teacher_model = results.models[workload(results, TEACHER).model]
    student_key = workload(results, STUDENT).model
    student_model = results.models[student_key]
    int8 = content.hardware.models[workload(results, STUDENT_INT8).model].int8_top1
    spread = kd_range(content)
    own = kd_range(content, student_key)
    shown = own or spread  # the row's own student's results, else every student's

    def costs(before: dict, after: dict) -> dict[str, str]:
        return {"params": _change(before["params"], after["params"], fmt.count, "params"),
                "macs": _change(before["macs"], after["macs"], fmt.count, "macs"),
                "memory": _change(before["megabytes"], after["megabytes"], fmt.megabytes, "memory"),
                "latency": _change(before["latency_ms"], after["latency_ms"], fmt.milliseconds, "latency"),
                "energy": _change(before["energy_mj"], after["energy_mj"], fmt.millijoules, "energy")}

    rows = [
        {"lever": "Architecture", "move": f"{teacher_model.display_name} → {student_model.display_name}, both FP32",
         **costs(teacher, student),
         "top1": f"{fmt.top1(teacher_model.top1_percent)} → {fmt.top1(student_model.top1_percent)}",
         "top1_references": [reference_for(teacher_model.source)]},
        {"lever": "Precision", "move": f"{student_model.display_name}, FP32 → INT8",
         **costs(student, student_int8),
         "top1": (f"{fmt.top1(student_model.top1_percent)} → {fmt.top1(int8.percent)}" if int8 is not None
                  else "no INT8 accuracy in the sources used here"),
         "top1_references": list(dict.fromkeys([reference_for(student_model.source)]
                                               + ([int8.reference] if int8 is not None else [])))},
        {"lever": "Distillation", "move": f"{student_model.display_name} trained from scratch → distilled",
         **costs(student_int8, student_int8),
         "top1": (_kd_cell(shown, student_model.display_name if own else "other students") if shown
                  else "no result in the sources used here"),
         "top1_references": list(shown.references) if shown else []},
    ]
    return {
        "rows": rows,
        "kd_range": spread,
        "kd_range_student": own,
        "kd_span": _span(spread) if spread else "",
        "kd_span_student": _span(own) if own else "",
        "student": student_model.display_name,
        "int8": int8,
        "device": content.hardware.devices[device].display_name,
        "traffic": TRAFFIC_MODEL_LABELS[traffic],
        "traffic_model": traffic,
        # e.g. INT8 on a device with no INT8 peak of its own: the precision row's latency gain is then
        # the bytes alone, an assumption the reader should see beside it
        "precision_note": results.point(device, traffic, STUDENT_INT8).note,
    }


BACKWARD_FACTOR = 2  # a backward pass costs about twice the forward MACs (gradients for inputs and weights)


def kd_training_cost(content: Content, science: Science) -> dict[str, Any]:
    """MACs per training image: a plain student step vs a distillation step that also runs the teacher.

    Plain step ≈ (1 + BACKWARD_FACTOR) × student MACs; KD step adds one teacher forward pass, the
    teacher frozen (no backward through it). The MACs are the counter's, at the models' input size."""
    results = science.hardware
    teacher = results.models[workload(results, TEACHER).model]
    student = results.models[workload(results, STUDENT).model]
    student_step = (1 + BACKWARD_FACTOR) * student.macs
    kd_step = teacher.macs + student_step
    return {
        "teacher": teacher.display_name,
        "student": student.display_name,
        "rows": [
            {"step": f"Train {student.display_name} alone",
             "parts": f"{student.display_name} forward and backward: {1 + BACKWARD_FACTOR} × {fmt.count(student.macs)}",
             "macs": fmt.count(student_step), "ratio": "1×"},
            {"step": f"Distil from {teacher.display_name}",
             "parts": (f"the same, plus {teacher.display_name} forward (frozen, no backward): "
                       f"{fmt.count(teacher.macs)}"),
             "macs": fmt.count(kd_step), "ratio": fmt.ratio(kd_step, student_step)},
        ],
        "ratio": fmt.ratio(kd_step, student_step),
        "backward_factor": BACKWARD_FACTOR,
    }
