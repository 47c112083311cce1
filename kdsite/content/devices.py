"""Read a device file (content/devices/*.yaml) into kdsite/science/devices.py's Device.

Every number is a `Quantity` marked `cited` (a value from a source) or `derived` (the product of
cited `factors`, with the formula as text). Derived values are computed here, never typed, so the
formula and the number cannot drift apart.
"""

from __future__ import annotations
import math
from kdsite.content import limits
from kdsite.content.fieldreader import FieldReader
from kdsite.science.precision import PRECISIONS
from kdsite.content.yamlload import Located
from kdsite.science.devices import Device, KINDS, Quantity


_QUANTITY_FIELDS = ("value", "kind", "source", "formula", "factors", "note")


_POSITIVE_HINT = "peaks, bandwidths and their factors are positive: the roofline divides by them"


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
