"""Pieces the hardware figures share: which reference backs a content source, teacher-vs-student
comparisons with their computed reductions, and the modeled setting the "why" cards use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kdsite.content.load import Content
from kdsite.charts import numbers as fmt
from kdsite.science.hardware import HardwareResults, Workload
from kdsite.science.precision import PRECISION_LABELS
from kdsite.science.roofline import TRAFFIC_MODEL_LABELS

# Source keys used inside content/models and content/energy.yaml -> ids in content/references.yaml.
SOURCE_REFERENCES = {
    "torchvision-0.29.1": "torchvision",
    "horowitz-isscc-2014": "horowitz2014",
    "han-nips-2015": "han2015",
}
TEACHER, STUDENT = "teacher_fp32", "student_fp32"  # the like-for-like FP32 pair of the "why" cards
STUDENT_INT8, TEACHER_INT8 = "student_int8", "teacher_int8"


def reference_for(source: str) -> str:
    """The references.yaml id behind a content `source` key (KeyError names the key to add)."""
    try:
        return SOURCE_REFERENCES[source]
    except KeyError:
        raise KeyError(f"no reference id for source {source!r}: add it to SOURCE_REFERENCES") from None


def workload(results: HardwareResults, key: str) -> Workload:
    """The workload with this key (e.g. "student_int8")."""
    return next(item for item in results.workloads if item.key == key)


def workload_label(results: HardwareResults, key: str) -> str:
    """Its label, e.g. "Student MobileNetV2, INT8"."""
    return workload(results, key).label


@dataclass(frozen=True)
class Comparison:
    """Teacher (before) vs student (after) for one quantity, with the reduction computed here."""

    label: str
    before: float
    after: float
    before_text: str
    after_text: str
    bounds: bool = False
    """Both values are lower bounds (a latency at the device's peak): their ratio is no saving to expect,
    so the page prints none (kdsite/figures/levers.py, the same rule)."""

    @property
    def reduction(self) -> float:
        """1 − after / before."""
        return fmt.reduction(self.before, self.after)

    @property
    def reduction_text(self) -> str:
        """e.g. "94.2%"."""
        return fmt.percent(self.reduction)

    @property
    def ratio_text(self) -> str:
        """e.g. "17.2×"."""
        return fmt.ratio(self.before, self.after)


def compare(label: str, before: float, after: float, text: Callable[[float], str], bounds: bool = False) -> Comparison:
    """A Comparison whose values print with `text`; `bounds` when both are lower bounds."""
    return Comparison(label, before, after, text(before), text(after), bounds)


@dataclass(frozen=True)
class ModeledSetting:
    """The device and traffic model a modeled latency assumes, in words."""

    device: str  # key
    traffic_model: str  # key
    device_name: str
    description: str  # e.g. "Raspberry Pi 4, FP32 at its theoretical 48.0 GOP/s peak, weights + activations (B)"


def modeled_setting(content: Content, results: HardwareResults, device: str, traffic_model: str,
                    workload_key: str = TEACHER) -> ModeledSetting:
    """Describe the roofline setting of `workload_key` on `device` under `traffic_model`."""
    spec = content.hardware.devices[device]
    point = results.point(device, traffic_model, workload_key)
    precision = PRECISION_LABELS[workload(results, workload_key).precision]
    peak = fmt.giga_ops(point.peak_ops_per_s) if point.peak_ops_per_s else "no"
    description = (f"{spec.display_name}, {precision} at its theoretical {peak} peak, "
                   f"{fmt.significant(point.bandwidth_bytes_per_s / 1e9)} GB/s {spec.memory_link}, "
                   f"traffic model: {TRAFFIC_MODEL_LABELS[traffic_model]}")
    return ModeledSetting(device, traffic_model, spec.display_name, description)
