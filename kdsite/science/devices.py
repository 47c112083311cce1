"""Edge devices for the roofline: peak compute per precision, memory bandwidth, on-chip memory.

One YAML file per device in content/devices/ (read by kdsite/content/devices.py). Every number is
a `Quantity` marked `cited` or `derived` (the product of cited factors).

A precision missing from `peak_ops_per_s` has no fast path on the device. `unlisted_precision`
says what happens then: the name of a listed precision whose peak is used instead (e.g. INT8 on
a Raspberry Pi 4 runs at its FP32 peak, weights still stored and moved as INT8), or `none` when
the device cannot run it at all (an Edge TPU runs only INT8 models).

Two optional numbers refine the per-layer latency beyond the peak-based lower bound (see
kdsite/science/roofline.py, `layer_model_latency_s`): `depthwise_peak_ops_per_s`, the rate depthwise
layers reach when they cannot use the device's widest units, and `layer_overhead_s`, a fixed cost per
layer (kernel launch, operator dispatch). Either may be `illustrative`: a typed value standing for an
assumption, shown with that mark on the page.
"""

from __future__ import annotations
from dataclasses import dataclass, field
from kdsite.science.precision import PRECISION_LABELS


KINDS = ("cited", "derived")  # peaks, bandwidths, on-chip memory
LAYER_MODEL_KINDS = (*KINDS, "illustrative")  # depthwise rate, per-layer overhead


@dataclass(frozen=True)
class Quantity:
    """A device number with its provenance; `value` in the field's unit (ops/s, bytes/s, bytes)."""

    value: float
    kind: str  # "cited" | "derived" | "illustrative" (a typed assumption, marked so on the page)
    source: str
    formula: str = ""  # derived only: how the factors combine, as shown on the page
    factors: dict[str, float] = field(default_factory=dict)  # derived only: value = Π factors
    note: str = ""


@dataclass(frozen=True)
class PeakLookup:
    """The peak a workload of `precision` gets on a device; `peak_ops_per_s` is None if unsupported."""

    precision: str
    peak_ops_per_s: float | None
    used_precision: str | None  # the listed precision whose peak applies
    note: str  # empty when the device has a fast path for `precision`

    @property
    def supported(self) -> bool:
        return self.peak_ops_per_s is not None


@dataclass(frozen=True)
class Device:
    """One device file, typed."""

    key: str  # file stem, e.g. "jetson_nano"
    file: str  # e.g. "content/devices/jetson_nano.yaml"
    display_name: str
    summary: str  # chip, cores, memory type
    memory_link: str  # what "bandwidth" crosses, e.g. "LPDDR4 DRAM" or "USB 3.0 host link"
    peak_ops_per_s: dict[str, Quantity]  # precision -> peak operations per second
    unlisted_precision: str  # a key of peak_ops_per_s, or "none"
    dram_bandwidth_bytes_per_s: Quantity
    on_chip_memory_bytes: Quantity
    depthwise_peak_ops_per_s: Quantity | None = None  # None: depthwise layers reach the full peak
    layer_overhead_s: Quantity | None = None  # None: no fixed cost per layer

    @property
    def has_layer_model(self) -> bool:
        """True when the file refines the per-layer latency (depthwise rate or per-layer overhead)."""
        return self.depthwise_peak_ops_per_s is not None or self.layer_overhead_s is not None

    def peak_for(self, precision: str) -> PeakLookup:
        """The peak for `precision`, applying the `unlisted_precision` rule when it has no fast path."""
        if precision in self.peak_ops_per_s:
            return PeakLookup(precision, self.peak_ops_per_s[precision].value, precision, "")
        label = PRECISION_LABELS[precision]
        if self.unlisted_precision == "none":
            return PeakLookup(precision, None, None, f"{self.display_name} cannot run {label} models")
        used = self.unlisted_precision
        return PeakLookup(precision, self.peak_ops_per_s[used].value, used,
                          f"no {label} peak given for {self.display_name}: modeled at its "
                          f"{PRECISION_LABELS[used]} peak, data still moved as {label}")

    def ridge_point(self, precision: str) -> float | None:
        """Peak / bandwidth in operations per byte, or None when `precision` cannot run."""
        peak = self.peak_for(precision).peak_ops_per_s
        return None if peak is None else peak / self.dram_bandwidth_bytes_per_s.value
