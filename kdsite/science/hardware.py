"""The hardware section's numbers, computed from loaded models, devices and energy constants (pure).

`compute_hardware(data)`: per-model totals, and for every device × traffic model × workload the
roofline numbers (the latency lower bound at the peak and, where the device file gives its inputs,
the per-layer model) and the energy per inference. Pages and charts read from HardwareResults and
compute nothing.
"""

from __future__ import annotations
from dataclasses import dataclass
from kdsite.science.architecture import LayerTable, ModelSpec
from kdsite.science.devices import Device
from kdsite.science.energy import EnergyBreakdown, EnergyConstants, inference_energy
from kdsite.science.precision import footprints_mb
from kdsite.science.roofline import TRAFFIC_MODELS, RooflinePoint, evaluate, layer_operations, layer_traffic


@dataclass(frozen=True)
class Workload:
    """A model run at a precision, e.g. the FP32 teacher or the INT8 student."""

    key: str  # e.g. "student_int8"
    label: str  # e.g. "Student MobileNetV2, INT8"
    model: str  # model key (file stem)
    precision: str  # "fp32" | "fp16" | "int8"


DEFAULT_WORKLOADS = (
    Workload("teacher_fp32", "Teacher ResNet-152, FP32", "resnet152", "fp32"),
    Workload("teacher_int8", "Teacher ResNet-152, INT8", "resnet152", "int8"),
    Workload("student_fp32", "Student MobileNetV2, FP32", "mobilenet_v2", "fp32"),
    Workload("student_fp16", "Student MobileNetV2, FP16", "mobilenet_v2", "fp16"),
    Workload("student_int8", "Student MobileNetV2, INT8", "mobilenet_v2", "int8"),
)


@dataclass(frozen=True)
class HardwareData:
    """Everything the hardware model reads from content/, typed and validated."""

    models: dict[str, ModelSpec]  # key -> spec, sorted by key
    layers: dict[str, LayerTable]  # key -> per-layer records at batch 1
    devices: dict[str, Device]  # key -> device, sorted by key
    energy: EnergyConstants


@dataclass(frozen=True)
class ModelSummary:
    """Per-model totals for tables: counts, footprint, biggest activation."""

    key: str
    display_name: str
    top1_percent: float
    source: str
    params: int  # weights + BN γ,β + biases
    macs: int  # per 224×224 image
    operations: int  # 2 × MACs
    footprint_mb: dict[str, float]  # precision -> params × bytes / 1e6
    largest_activation_elements: int


@dataclass(frozen=True)
class DevicePoint:
    """One workload on one device under one traffic model."""

    device: str
    traffic_model: str
    workload: str
    supported: bool  # False: the device cannot run this precision (all numbers below are None)
    note: str  # fallback or unsupported explanation; empty when the device has a fast path
    peak_ops_per_s: float | None  # the peak actually used (after any fallback)
    bandwidth_bytes_per_s: float
    roofline: RooflinePoint | None
    energy: EnergyBreakdown | None


@dataclass(frozen=True)
class HardwareResults:
    """Everything the hardware page shows, computed once."""

    models: dict[str, ModelSummary]
    workloads: tuple[Workload, ...]
    # (workload, traffic model) -> network AI in OP/B, for the device-independent models A and B
    intensity: dict[tuple[str, str], float]
    # workload -> energy with parameters read once from DRAM (model A): the headline comparison
    energy: dict[str, EnergyBreakdown]
    points: list[DevicePoint]

    def point(self, device: str, traffic_model: str, workload: str) -> DevicePoint:
        """The DevicePoint for one combination; KeyError if absent."""
        for item in self.points:
            if (item.device, item.traffic_model, item.workload) == (device, traffic_model, workload):
                return item
        raise KeyError((device, traffic_model, workload))


def summarize_model(spec: ModelSpec, table: LayerTable) -> ModelSummary:
    """Totals of one model's layer table."""
    return ModelSummary(spec.key, spec.display_name, spec.top1_percent, spec.source, table.total_params,
                        table.total_macs, 2 * table.total_macs, footprints_mb(table.total_params),
                        table.largest_activation_elements)


def compute_hardware(data: HardwareData, workloads: tuple[Workload, ...] = DEFAULT_WORKLOADS) -> HardwareResults:
    """Totals per model, AI per workload, and roofline + energy per device × traffic model × workload."""
    models = {key: summarize_model(spec, data.layers[key]) for key, spec in data.models.items()}
    intensity: dict[tuple[str, str], float] = {}
    energy: dict[str, EnergyBreakdown] = {}
    points: list[DevicePoint] = []
    for workload in workloads:
        table = data.layers[workload.model]
        operations = float(layer_operations(table).sum())
        for traffic_model in ("weights", "weights_activations"):
            traffic = layer_traffic(table, workload.precision, traffic_model)
            intensity[(workload.key, traffic_model)] = operations / traffic.total_bytes
        weights_only = layer_traffic(table, workload.precision, "weights")
        energy[workload.key] = inference_energy(table.total_macs, workload.precision,
                                                weights_only.total_bytes, data.energy)
        for device in data.devices.values():
            lookup = device.peak_for(workload.precision)
            bandwidth = device.dram_bandwidth_bytes_per_s.value
            depthwise, overhead = device.depthwise_peak_ops_per_s, device.layer_overhead_s
            layer_model = (None if depthwise is None else depthwise.value, 0.0 if overhead is None else overhead.value)
            for traffic_model in TRAFFIC_MODELS:
                if not lookup.supported:
                    points.append(DevicePoint(device.key, traffic_model, workload.key, False, lookup.note,
                                              None, bandwidth, None, None))
                    continue
                traffic = layer_traffic(table, workload.precision, traffic_model,
                                        device.on_chip_memory_bytes.value)
                points.append(DevicePoint(
                    device.key, traffic_model, workload.key, True, lookup.note, lookup.peak_ops_per_s,
                    bandwidth, evaluate(table, traffic, lookup.peak_ops_per_s, bandwidth, *layer_model),
                    inference_energy(table.total_macs, workload.precision, traffic.total_bytes, data.energy,
                                     traffic.resident_weight_bytes)))
    return HardwareResults(models, tuple(workloads), intensity, energy, points)
