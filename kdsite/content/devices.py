"""Read a device file (content/devices/*.yaml) into kdsite/science/devices.py's Device.

Every number is a `Quantity` marked `cited` (a value from a source) or `derived` (the product of
cited `factors`, with the formula as text); the per-layer model's two numbers may also be
`illustrative` (a typed assumption). Derived values are computed here, never typed, so the
formula and the number cannot drift apart.
"""

from __future__ import annotations

import math

from kdsite.content import limits, schema
from kdsite.content.fields import Reader
from kdsite.content.yamlload import Located
from kdsite.errors import ContentError
from kdsite.science.devices import Device, Quantity

_POSITIVE_HINT = "peaks, bandwidths and their factors are positive: the roofline divides by them"


def _quantity(reader: Reader, path: str, values: dict | None, bounds: tuple[float, float],
              unit: str) -> Quantity | None:
    """A cited or derived number in (bounds[0], bounds[1]] of `unit`; a derived product is checked too."""
    if values is None or reader.failed(path):
        return None
    minimum, maximum = bounds
    hint = f"{_POSITIVE_HINT}; the range is {minimum:g} to {maximum:g} {unit}" if minimum >= 0 else \
        f"the range is 0 to {maximum:g} {unit}"
    kind, source, note = values["kind"], values["source"], values["note"]
    if kind in ("cited", "illustrative"):
        for extra in ("formula", "factors"):
            if values[extra] is not None:
                reader.fail(f"{path}.{extra}", "only derived numbers have a formula and factors",
                            "remove it, or set kind: derived")
        value = values["value"]
        if value is None:
            reader.fail(f"{path}.value", "is required but missing",
                        "a cited number needs its value" if kind == "cited" else "an illustrative number needs its value")
            return None
        if not minimum < value <= maximum:
            reader.fail(f"{path}.value", f"{value:g} {unit} is outside the range {max(minimum, 0):g} to {maximum:g}",
                        hint)
            return None
        return Quantity(value, kind, source, note=note)
    if values["value"] is not None:
        reader.fail(f"{path}.value", "a derived number is computed from its factors",
                    "remove value, or set kind: cited")
    for needed in ("formula", "factors"):
        if values[needed] is None:
            reader.fail(f"{path}.{needed}", "is required but missing",
                        "a derived number needs its formula and the factors it multiplies")
    if values["formula"] is None or values["factors"] is None:
        return None
    product = math.prod(values["factors"].values())
    if not minimum < product <= maximum:
        reader.fail(f"{path}.factors", f"multiply to {product:g} {unit}, outside the range "
                    f"{max(minimum, 0):g} to {maximum:g}", hint)
        return None
    return Quantity(product, kind, source, values["formula"], dict(values["factors"]), note)


def parse_device(located: Located, key: str, warnings: list[ContentError] | None = None) -> Device:
    """A typed Device from a device YAML; raises ContentError (one mistake) or ContentErrors (several).

    Unknown keys are appended to `warnings` (an error under --strict).
    """
    reader = Reader(located, warnings=warnings)
    values = reader.read(schema.DEVICE)
    if values is None:
        reader.raise_if_errors()
    peaks: dict[str, Quantity] = {}
    for precision, quantity in (values["peak_ops_per_s"] or {}).items():
        peak = _quantity(reader, f"peak_ops_per_s.{precision}", quantity, limits.PEAK_OPS_RANGE, "operations/s")
        if peak is not None:
            peaks[precision] = peak
    unlisted = values["unlisted_precision"]
    present, listed = reader.value("peak_ops_per_s")  # as written: a bad peak must not also break this reference
    listed = listed if isinstance(listed, dict) else {}
    if unlisted is not None and unlisted != "none" and unlisted not in listed:
        reader.fail("unlisted_precision", f"{unlisted!r} is not a precision listed under peak_ops_per_s",
                    "name a listed precision (e.g. fp32), or none")
    bandwidth = _quantity(reader, "dram_bandwidth_bytes_per_s", values["dram_bandwidth_bytes_per_s"],
                          limits.BANDWIDTH_RANGE, "bytes/s")
    on_chip = _quantity(reader, "on_chip_memory_bytes", values["on_chip_memory_bytes"],
                        (-1.0, limits.MAX_ON_CHIP_BYTES), "bytes")  # 0 is allowed
    depthwise = _quantity(reader, "depthwise_peak_ops_per_s", values["depthwise_peak_ops_per_s"],
                          limits.PEAK_OPS_RANGE, "operations/s")
    overhead = _quantity(reader, "layer_overhead_s", values["layer_overhead_s"],
                         (-1.0, limits.MAX_LAYER_OVERHEAD_S), "s")  # 0 is allowed
    reader.raise_if_errors()
    return Device(key, located.file, values["display_name"], values["summary"], values["memory_link"], peaks,
                  unlisted, bandwidth, on_chip, depthwise, overhead)
