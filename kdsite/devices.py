"""Edge devices for the roofline: peak compute per precision, memory bandwidth, on-chip memory.

One YAML file per device in content/devices/; adding a file adds a device. Every number is a
`Quantity` marked `cited` (a value from a source) or `derived` (the product of cited `factors`,
with the formula as text, e.g. "128 CUDA cores × 2 FLOP/cycle × 0.9216 GHz"). Derived values
are computed here, never typed, so the formula and the number cannot drift apart.

A precision missing from `peak_ops_per_s` has no fast path on the device. `unlisted_precision`
says what happens then: the name of a listed precision whose peak is used instead (e.g. INT8 on
a Raspberry Pi 4 runs at its FP32 peak, weights still stored and moved as INT8), or `none` when
the device cannot run it at all (an Edge TPU runs only INT8 models).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from kdsite import limits
from kdsite.fieldreader import FieldReader
from kdsite.precision import PRECISION_LABELS, PRECISIONS
from kdsite.yamlload import Located

KINDS = ("cited", "derived")
_QUANTITY_FIELDS = ("value", "kind", "source", "formula", "factors", "note")
_POSITIVE_HINT = "peaks, bandwidths and their factors are positive: the roofline divides by them"


@dataclass(frozen=True)
class Quantity:
    """A device number with its provenance; `value` in the field's unit (ops/s, bytes/s, bytes)."""

    value: float
    kind: str  # "cited" | "derived"
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

    def peak_for(self, precision: str) -> PeakLookup:
        """The peak for `precision`, applying the `unlisted_precision` rule when it has no fast path."""
        if precision in self.peak_ops_per_s:
            return PeakLookup(precision, self.peak_ops_per_s[precision].value, precision, "")
        label = PRECISION_LABELS[precision]
        if self.unlisted_precision == "none":
            return PeakLookup(precision, None, None, f"{self.display_name} cannot run {label} models")
        used = self.unlisted_precision
        return PeakLookup(precision, self.peak_ops_per_s[used].value, used,
                          f"no {label} fast path on {self.display_name}: modeled at its "
                          f"{PRECISION_LABELS[used]} peak, data still moved as {label}")

    def ridge_point(self, precision: str) -> float | None:
        """Peak / bandwidth in operations per byte, or None when `precision` cannot run."""
        peak = self.peak_for(precision).peak_ops_per_s
        return None if peak is None else peak / self.dram_bandwidth_bytes_per_s.value


def _quantity(reader: FieldReader, path: str, bounds: tuple[float, float], unit: str) -> Quantity | None:
    """A cited or derived number in (bounds[0], bounds[1]] of `unit`; a derived product is checked too."""
    minimum, maximum = bounds
    hint = f"{_POSITIVE_HINT}; the range is {minimum:g} to {maximum:g} {unit}" if minimum >= 0 else \
        f"the range is 0 to {maximum:g} {unit}"
    if reader.mapping(path, allowed=_QUANTITY_FIELDS) is None:
        return None
    kind = reader.text(f"{path}.kind", choices=KINDS)
    source = reader.text(f"{path}.source")
    note = reader.text(f"{path}.note", default="")
    if kind == "cited":
        for extra in ("formula", "factors"):
            if reader.has(f"{path}.{extra}"):
                reader.fail(f"{path}.{extra}", "only derived numbers have a formula and factors",
                            "remove it, or set kind: derived")
        value = reader.number(f"{path}.value", minimum=min(minimum, 0.0), hint=_POSITIVE_HINT)
        if value is not None and not minimum < value <= maximum:
            reader.fail(f"{path}.value", f"{value:g} {unit} is outside the range {max(minimum, 0):g} to {maximum:g}",
                        hint)
            return None
        return None if value is None else Quantity(value, kind, source, note=note)
    if kind == "derived":
        if reader.has(f"{path}.value"):
            reader.fail(f"{path}.value", "a derived number is computed from its factors",
                        "remove value, or set kind: cited")
        formula = reader.text(f"{path}.formula")
        factors = reader.mapping(f"{path}.factors") or {}
        values = {name: reader.number(f"{path}.factors.{name}", maximum=limits.MAX_FACTOR,
                                      hint=f"{_POSITIVE_HINT}; each factor is > 0 and ≤ {limits.MAX_FACTOR:g}")
                  for name in factors}
        if not factors:
            reader.fail(f"{path}.factors", "is empty", "list the cited numbers the formula multiplies")
        if factors and None not in values.values():
            product = math.prod(values.values())
            if not minimum < product <= maximum:
                reader.fail(f"{path}.factors", f"multiply to {product:g} {unit}, outside the range "
                            f"{max(minimum, 0):g} to {maximum:g}", hint)
                return None
            return Quantity(product, kind, source, formula, values, note)
    return None


def parse_device(located: Located, key: str) -> Device:
    """A typed Device from a device YAML; raises ContentError (one mistake) or ContentErrors (several)."""
    reader = FieldReader(located)
    if reader.mapping("", allowed=("display_name", "summary", "memory_link", "peak_ops_per_s",
                                   "unlisted_precision", "dram_bandwidth_bytes_per_s",
                                   "on_chip_memory_bytes")) is None:
        reader.raise_if_errors()
    display_name = reader.text("display_name")
    summary = reader.text("summary", default="")
    memory_link = reader.text("memory_link", default="DRAM")
    peaks: dict[str, Quantity] = {}
    for precision in reader.mapping("peak_ops_per_s") or {}:
        path = f"peak_ops_per_s.{precision}"
        if precision not in PRECISIONS:
            reader.fail(path, f"unknown precision {precision!r}", f"use one of: {', '.join(PRECISIONS)}")
            continue
        quantity = _quantity(reader, path, limits.PEAK_OPS_RANGE, "operations/s")
        if quantity is not None:
            peaks[precision] = quantity
    if reader.has("peak_ops_per_s") and not reader.get("peak_ops_per_s"):
        reader.fail("peak_ops_per_s", "is empty", "list at least one precision with its peak")
    unlisted = reader.text("unlisted_precision", default="none")
    listed = reader.get("peak_ops_per_s")  # as written: a bad peak must not also break this reference
    listed = listed if isinstance(listed, dict) else {}
    if unlisted is not None and unlisted != "none" and unlisted not in listed:
        reader.fail("unlisted_precision", f"{unlisted!r} is not a precision listed under peak_ops_per_s",
                    "name a listed precision (e.g. fp32), or none")
    bandwidth = _quantity(reader, "dram_bandwidth_bytes_per_s", limits.BANDWIDTH_RANGE, "bytes/s")
    on_chip = _quantity(reader, "on_chip_memory_bytes", (-1.0, limits.MAX_ON_CHIP_BYTES), "bytes")  # 0 is allowed
    if on_chip is not None and on_chip.value < 0:
        reader.fail("on_chip_memory_bytes.value", f"must be ≥ 0, got {on_chip.value:g}",
                    "write 0 for a device without on-chip memory for weights")
    reader.raise_if_errors()
    return Device(key, located.file, display_name, summary, memory_link, peaks, unlisted,
                  bandwidth, on_chip)
