"""Roofline model at batch 1 (pure numpy): DRAM traffic, arithmetic intensity, latency, bound-by.

Operations = 2 × MACs (one multiply + one add). Three traffic models say which bytes cross the
device's memory link (FACTS §6):

- "weights" (A): every parameter (weights, BN γ,β, biases) is read once; activations stay on chip.
- "weights_activations" (B): every conv/FC layer reads its weight tensor (and bias) and its input
  activations and writes its output activations. BN γ,β are left out here, as if folded into the
  conv (0.25 % of ResNet-152's and 1 % of MobileNetV2's parameters); this is the convention that
  gives FACTS' table (ResNet-152 FP32 55.0 OP/B, MobileNetV2 INT8 35.6 OP/B).
- "on_chip" (C): parameters that fit in the device's on-chip memory are resident; only the network
  input, the network output and the parameters that do not fit cross the link. Parameters are
  placed layer by layer from the input until the next layer's would overflow; the rest stream once
  per inference. Activations are assumed to stay on chip: a best case, not a measurement.

Latency = Σ_layers max(ops / peak, bytes / bandwidth): each layer is limited by compute or memory,
with no overlap between layers. It assumes every layer, depthwise included, reaches the device's
theoretical peak, so it is a lower bound at the peak, not a prediction. Attainable performance =
min(peak, AI × bandwidth).

The per-layer model refines it with two device numbers (kdsite/science/devices.py):

  latency = Σ_layers [max(ops / rate_l, bytes / bandwidth) + overhead]
  rate_l  = min(peak, depthwise_peak) for depthwise layers, peak for the others

With no depthwise rate and no overhead it equals the lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kdsite.science.architecture import LayerTable
from kdsite.science.precision import bytes_per_element

TRAFFIC_MODELS = ("weights", "weights_activations", "on_chip")
TRAFFIC_MODEL_LABELS = {
    "weights": "weights only (A)",
    "weights_activations": "weights + activations (B)",
    "on_chip": "parameters on chip (C)",
}


def layer_operations(table: LayerTable) -> np.ndarray:
    """Operations per layer = 2 × MACs."""
    return 2 * table.macs


@dataclass(frozen=True)
class Traffic:
    """Bytes crossing the memory link per layer for one traffic model and precision."""

    traffic_model: str
    dram_bytes: np.ndarray  # per layer, float64
    resident_weight_bytes: float  # parameters held on chip (on_chip model; 0 otherwise)
    spilled_weight_bytes: float  # parameters that did not fit on chip (on_chip model; 0 otherwise)

    @property
    def total_bytes(self) -> float:
        return float(self.dram_bytes.sum())

    @property
    def weights_fit_on_chip(self) -> bool:
        return self.traffic_model == "on_chip" and self.spilled_weight_bytes == 0


def layer_traffic(table: LayerTable, precision: str, traffic_model: str,
                  on_chip_bytes: float = 0.0) -> Traffic:
    """Per-layer bytes over the memory link; see the module docstring for the three models."""
    width = bytes_per_element(precision)
    params = table.params.astype(np.float64) * width
    if traffic_model == "weights":
        return Traffic(traffic_model, params, 0.0, 0.0)
    if traffic_model == "weights_activations":
        moved = table.weight_params + table.input_elements + table.output_elements
        return Traffic(traffic_model, moved.astype(np.float64) * width, 0.0, 0.0)
    if traffic_model == "on_chip":
        resident = np.cumsum(params) <= on_chip_bytes  # a prefix of the layers
        dram = np.where(resident, 0.0, params)
        dram[0] += table.input_elements[0] * width
        dram[-1] += table.output_elements[-1] * width
        return Traffic(traffic_model, dram, float(params[resident].sum()), float(params[~resident].sum()))
    raise ValueError(f"unknown traffic model {traffic_model!r}; known: {', '.join(TRAFFIC_MODELS)}")


def arithmetic_intensity(operations: np.ndarray | float, dram_bytes: np.ndarray | float) -> np.ndarray:
    """AI = operations / bytes (OP/B); infinite where no bytes move."""
    operations = np.asarray(operations, dtype=np.float64)
    dram_bytes = np.asarray(dram_bytes, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(dram_bytes > 0, operations / np.where(dram_bytes > 0, dram_bytes, 1.0), np.inf)


def ridge_point(peak_ops_per_s: float, bandwidth_bytes_per_s: float) -> float:
    """Ridge = peak / bandwidth (OP/B): below it a workload is memory-bound."""
    return peak_ops_per_s / bandwidth_bytes_per_s


def attainable_ops_per_s(intensity: np.ndarray | float, peak_ops_per_s: float,
                         bandwidth_bytes_per_s: float) -> np.ndarray:
    """Roofline: min(peak, AI × bandwidth) in operations per second."""
    return np.minimum(peak_ops_per_s, np.asarray(intensity, dtype=np.float64) * bandwidth_bytes_per_s)


def bound_by(intensity: float, ridge: float) -> str:
    """"memory" when AI is below the ridge, else "compute"."""
    return "memory" if intensity < ridge else "compute"


def layer_latency_s(operations: np.ndarray, dram_bytes: np.ndarray, peak_ops_per_s: float,
                    bandwidth_bytes_per_s: float) -> np.ndarray:
    """Per-layer time = max(ops / peak, bytes / bandwidth) in seconds."""
    return np.maximum(np.asarray(operations, dtype=np.float64) / peak_ops_per_s,
                      np.asarray(dram_bytes, dtype=np.float64) / bandwidth_bytes_per_s)


def layer_rates(table: LayerTable, peak_ops_per_s: float,
                depthwise_peak_ops_per_s: float | None = None) -> np.ndarray:
    """Per-layer compute rate (OP/s): min(peak, depthwise peak) for depthwise layers, the peak elsewhere."""
    rates = np.full(len(table.kinds), float(peak_ops_per_s))
    if depthwise_peak_ops_per_s is not None:
        rates[table.kinds == "depthwise"] = min(peak_ops_per_s, depthwise_peak_ops_per_s)
    return rates


def layer_model_latency_s(operations: np.ndarray, dram_bytes: np.ndarray, rates_ops_per_s: np.ndarray,
                          bandwidth_bytes_per_s: float, overhead_s: float = 0.0) -> np.ndarray:
    """Per-layer time = max(ops / rate, bytes / bandwidth) + overhead, in seconds."""
    return np.maximum(np.asarray(operations, dtype=np.float64) / rates_ops_per_s,
                      np.asarray(dram_bytes, dtype=np.float64) / bandwidth_bytes_per_s) + overhead_s


@dataclass(frozen=True)
class RooflinePoint:
    """One workload on one device under one traffic model (whole network, batch 1)."""

    operations: float  # 2 × MACs
    dram_bytes: float
    arithmetic_intensity: float  # OP/B
    ridge_point: float  # OP/B
    attainable_ops_per_s: float
    bound_by: str  # "memory" | "compute", from AI vs ridge
    latency_ms: float  # Σ per layer max(compute, memory): the lower bound at the theoretical peak
    layer_model_ms: float  # Σ per layer max(ops / rate, memory) + overhead (equals latency_ms without them)
    compute_only_ms: float  # operations / peak
    memory_only_ms: float  # bytes / bandwidth
    memory_bound_time_fraction: float  # share of latency spent in layers whose memory time wins
    weights_fit_on_chip: bool
    spilled_weight_bytes: float


def evaluate(table: LayerTable, traffic: Traffic, peak_ops_per_s: float, bandwidth_bytes_per_s: float,
             depthwise_peak_ops_per_s: float | None = None, layer_overhead_s: float = 0.0) -> RooflinePoint:
    """Whole-network roofline numbers for `table` with the given per-layer `traffic`.

    `depthwise_peak_ops_per_s` and `layer_overhead_s` shape only `layer_model_ms`.
    """
    operations = layer_operations(table).astype(np.float64)
    total_ops, total_bytes = float(operations.sum()), traffic.total_bytes
    intensity = float(arithmetic_intensity(total_ops, total_bytes))
    ridge = ridge_point(peak_ops_per_s, bandwidth_bytes_per_s)
    latency = layer_latency_s(operations, traffic.dram_bytes, peak_ops_per_s, bandwidth_bytes_per_s)
    memory_layers = traffic.dram_bytes / bandwidth_bytes_per_s > operations / peak_ops_per_s
    refined = layer_model_latency_s(operations, traffic.dram_bytes,
                                    layer_rates(table, peak_ops_per_s, depthwise_peak_ops_per_s),
                                    bandwidth_bytes_per_s, layer_overhead_s)
    return RooflinePoint(
        operations=total_ops,
        dram_bytes=total_bytes,
        arithmetic_intensity=intensity,
        ridge_point=ridge,
        attainable_ops_per_s=float(attainable_ops_per_s(intensity, peak_ops_per_s, bandwidth_bytes_per_s)),
        bound_by=bound_by(intensity, ridge),
        latency_ms=float(latency.sum()) * 1e3,
        layer_model_ms=float(refined.sum()) * 1e3,
        compute_only_ms=total_ops / peak_ops_per_s * 1e3,
        memory_only_ms=total_bytes / bandwidth_bytes_per_s * 1e3,
        memory_bound_time_fraction=float(latency[memory_layers].sum() / latency.sum()),
        weights_fit_on_chip=traffic.weights_fit_on_chip,
        spilled_weight_bytes=traffic.spilled_weight_bytes,
    )
