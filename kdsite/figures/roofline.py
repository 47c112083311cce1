"""The roofline explorer: device and traffic-model choosers, roofline chart, bound-by readouts,
the honest verdicts, and the deployment-savings cards driven by the same choosers.

All numbers come from science.hardware (whole networks) and, for the optional per-layer points,
from kdsite.roofline's layer functions; every shown string is formatted here. The page script only
looks rows up by (device, traffic_model, layers).
"""

from __future__ import annotations

import math
from typing import Any

from kdsite.charts import roofline as charts
from kdsite.content.load import Content
from kdsite.charts import numbers as fmt
from kdsite.figures import savings
from kdsite.figures.common import Chart, script_json
from kdsite.figures.hwshared import workload, workload_label
from kdsite.science.hardware import DevicePoint
from kdsite.science.precision import PRECISION_LABELS, PRECISIONS
from kdsite.science.roofline import TRAFFIC_MODEL_LABELS, TRAFFIC_MODELS, arithmetic_intensity, attainable_ops_per_s, layer_operations, layer_traffic
from kdsite.figures.common import Science

SHOWN = ("teacher_fp32", "teacher_int8", "student_fp32", "student_int8")
LAYER_WORKLOAD = "student_int8"
LAYER_CHOICES = {"none": "whole networks only", LAYER_WORKLOAD: "whole networks + student INT8 layers"}
TRAFFIC_DESCRIPTIONS = {
    "weights": "every parameter is read once from DRAM; activations stay on chip",
    "weights_activations": "each conv/FC layer reads its weights and input activations from DRAM and writes "
                           "its output activations back",
    "on_chip": "parameters that fit in the on-chip memory stay there; only the input image, the output and "
               "the parameters that do not fit cross the memory link (a best case)",
}


def bound_text(point: DevicePoint) -> str:
    """"memory-bound", "compute-bound" or "cannot run"."""
    return "cannot run" if not point.supported else f"{point.roofline.bound_by}-bound"


def ordered_devices(content: Content) -> list[str]:
    """Device keys in chooser order: by highest peak, smallest device first."""
    devices = content.hardware.devices
    return sorted(devices, key=lambda key: (max(q.value for q in devices[key].peak_ops_per_s.values()), key))


def _quantity_text(quantity, text: str) -> str:
    how = f"derived: {quantity.formula}" if quantity.kind == "derived" else f"{quantity.kind}: {quantity.source}"
    return f"{text} ({how})"


def layer_model_text(content: Content, device: str) -> str:
    """The per-layer model's inputs on this device with their provenance, or why there is none."""
    spec = content.hardware.devices[device]
    if not spec.has_layer_model:
        return "none for this device: its per-layer model equals the lower bound at the peak"
    parts = []
    if spec.depthwise_peak_ops_per_s is not None:
        parts.append(_quantity_text(spec.depthwise_peak_ops_per_s,
                                    f"depthwise layers at {fmt.giga_ops(spec.depthwise_peak_ops_per_s.value)}"))
    if spec.layer_overhead_s is not None:
        parts.append(_quantity_text(spec.layer_overhead_s,
                                    f"{fmt.significant(spec.layer_overhead_s.value * 1e6)} µs per layer"))
    notes = [q.note for q in (spec.depthwise_peak_ops_per_s, spec.layer_overhead_s) if q is not None and q.note]
    return "; ".join(parts) + "." + "".join(f" {note}." for note in notes)


def device_fields(content: Content, device: str) -> dict[str, str]:
    """What the chosen device is: peaks per precision, bandwidth, on-chip memory, fallbacks and notes."""
    spec = content.hardware.devices[device]
    peaks = "; ".join(_quantity_text(q, f"{PRECISION_LABELS[p]} {fmt.giga_ops(q.value)}")
                      for p, q in spec.peak_ops_per_s.items())
    fallbacks = [spec.peak_for(p).note for p in PRECISIONS if spec.peak_for(p).note]
    notes = [q.note for q in (*spec.peak_ops_per_s.values(), spec.dram_bandwidth_bytes_per_s,
                              spec.on_chip_memory_bytes) if q.note]
    return {
        "device_summary": spec.summary,
        "device_peaks": peaks,
        "device_bandwidth": _quantity_text(spec.dram_bandwidth_bytes_per_s,
                                           f"{fmt.significant(spec.dram_bandwidth_bytes_per_s.value / 1e9)} GB/s over "
                                           f"the {spec.memory_link}"),
        "device_on_chip": _quantity_text(spec.on_chip_memory_bytes, fmt.memory_size(spec.on_chip_memory_bytes.value)),
        "device_notes": " ".join(f"{text[0].upper()}{text[1:]}." for text in fallbacks + notes) or "—",
        "device_layer_model": layer_model_text(content, device),
    }


def workload_fields(content: Content, science: Science, device: str, traffic_model: str) -> dict[str, str]:
    """Per shown workload: peak used, AI, ridge, bound-by, latency lower bound and per-layer model (where the
    device has one), time in memory-bound layers."""
    fields: dict[str, str] = {}
    refined = content.hardware.devices[device].has_layer_model
    for key in SHOWN:
        point = science.hardware.point(device, traffic_model, key)
        roof = point.roofline
        fields[f"{key}_bound"] = bound_text(point)
        fields[f"{key}_peak"] = fmt.giga_ops(point.peak_ops_per_s) if point.supported else "—"
        fields[f"{key}_ai"] = fmt.ops_per_byte(roof.arithmetic_intensity) if roof else "—"
        fields[f"{key}_ridge"] = fmt.ops_per_byte(roof.ridge_point) if roof else "—"
        fields[f"{key}_latency"] = fmt.milliseconds(roof.latency_ms) if roof else "—"
        fields[f"{key}_layer_model"] = fmt.milliseconds(roof.layer_model_ms) if roof and refined else "—"
        fields[f"{key}_memory_time"] = fmt.percent(roof.memory_bound_time_fraction) if roof else "—"
        fields[f"{key}_note"] = point.note or "—"
    return fields


def readout_table(content: Content, science: Science) -> dict[str, list]:
    """Columns of strings, one row per device × traffic model × layer choice."""
    columns: dict[str, list] = {"keys": ["device", "traffic_model", "layers"]}
    for device in ordered_devices(content):
        for traffic_model in TRAFFIC_MODELS:
            row = {"traffic_description": TRAFFIC_DESCRIPTIONS[traffic_model],
                   **device_fields(content, device), **workload_fields(content, science, device, traffic_model),
                   **savings.device_card_fields(content, science, device, traffic_model)}
            for layers in LAYER_CHOICES:
                for name, value in {"device": device, "traffic_model": traffic_model, "layers": layers,
                                    **row}.items():
                    columns.setdefault(name, []).append(value)
    return columns


def layer_rows(content: Content, science: Science) -> list[dict]:
    """The student INT8's conv/FC layers on every device × traffic model (finite intensities only)."""
    item = workload(science.hardware, LAYER_WORKLOAD)
    table = content.hardware.layers[item.model]
    operations = layer_operations(table)
    rows = []
    for device in ordered_devices(content):
        spec = content.hardware.devices[device]
        peak = spec.peak_for(item.precision).peak_ops_per_s
        if peak is None:
            continue
        bandwidth = spec.dram_bandwidth_bytes_per_s.value
        for traffic_model in TRAFFIC_MODELS:
            traffic = layer_traffic(table, item.precision, traffic_model, spec.on_chip_memory_bytes.value)
            intensity = arithmetic_intensity(operations, traffic.dram_bytes)
            attainable = attainable_ops_per_s(intensity, peak, bandwidth)
            for name, kind, ai, ops in zip(table.names, table.kinds, intensity, attainable):
                if ai != float("inf"):
                    rows.append({"device": device, "traffic_model": traffic_model, "layer": f"{name} ({kind})",
                                 "ai": float(f"{ai:.3g}"), "gops": float(f"{ops / 1e9:.3g}"),
                                 "aria": f"Layer: {name} ({kind}); Intensity: {fmt.ops_per_byte(ai)}; "
                                         f"Attainable: {fmt.giga_ops(ops)}"})
    return rows


def chart_data(content: Content, science: Science) -> dict[str, Any]:
    """Roofs, ridge markers, whole-network and layer points for every device × traffic model, and axis ranges."""
    results = science.hardware
    roofs, ridges, points = [], [], []
    for device in ordered_devices(content):
        spec = content.hardware.devices[device]
        used: dict[float, list[str]] = {}
        for key in SHOWN:
            lookup = spec.peak_for(workload(results, key).precision)
            if lookup.supported and PRECISION_LABELS[lookup.precision] not in used.setdefault(lookup.peak_ops_per_s, []):
                used[lookup.peak_ops_per_s].append(PRECISION_LABELS[lookup.precision])
        bandwidth = spec.dram_bandwidth_bytes_per_s.value
        highest = max(used)
        for peak, precisions in sorted(used.items()):
            name = next(p for p, q in spec.peak_ops_per_s.items() if q.value == peak)
            # The highest roof is labelled above its line, one under it below (so no label crosses a
            # line); with several roofs the highest ridge's label goes above its slope on a wide chart.
            top = peak == highest
            alone = len(used) == 1
            runs = [p for p in precisions if p != PRECISION_LABELS[name]]
            label = f"{PRECISION_LABELS[name]} peak {fmt.giga_ops(peak)}" + (
                f" ({' and '.join(runs)} {'run' if len(runs) > 1 else 'runs'} here)" if runs else "")
            roofs.append({"device": device, "roof": label, "peak": peak, "bandwidth": bandwidth, "top": top})
            ridges.append({"device": device, "place": "alone" if alone else "top" if top else "under",
                           "ai": float(f"{peak / bandwidth:.4g}"),
                           "gops": float(f"{peak / 1e9:.4g}"),
                           "label": f"ridge {fmt.ops_per_byte(peak / bandwidth)}",
                           "aria": f"Ridge point: {fmt.ops_per_byte(peak / bandwidth)}; Roof: {label}"})
        for traffic_model in TRAFFIC_MODELS:
            for key in SHOWN:
                point = results.point(device, traffic_model, key)
                if not point.supported:
                    continue
                roof = point.roofline
                label, ai = workload_label(results, key), fmt.ops_per_byte(roof.arithmetic_intensity)
                attainable, latency = fmt.giga_ops(roof.attainable_ops_per_s), fmt.milliseconds(roof.latency_ms)
                points.append({"device": device, "traffic_model": traffic_model, "workload": label,
                               "ai": float(f"{roof.arithmetic_intensity:.4g}"),
                               "gops": float(f"{roof.attainable_ops_per_s / 1e9:.4g}"),
                               "tip": f"{ai}, {attainable} attainable, {bound_text(point)}, "
                                      f"{latency} (lower bound at the peak)",
                               "aria": f"Workload: {label}; Intensity: {ai}; Attainable: {attainable}; "
                                       f"Bound by: {bound_text(point)}; Latency, lower bound at the peak: {latency}"})
    layers = layer_rows(content, science)
    x_domain, y_domain = axis_domains(roofs, points + layers)
    return {"roofs": roof_vertices(roofs, x_domain), "ridges": ridges, "points": points, "layers": layers,
            "absent": absent_notes(content, science), "layer_key": LAYER_KEY,
            "x_domain": x_domain, "y_domain": y_domain}


# Drawn beside the student's per-layer points: the legend names the whole networks only.
# Filled dots: the ridge points are open circles, and a narrow chart may leave those unlabelled.
LAYER_KEY = ["● small grey dots:", "the INT8 student's layers, one each"]


def absent_notes(content: Content, science: Science) -> list[dict]:
    """For each device that cannot run some of the shown workloads, the chart's note on the points it
    leaves out (the legend still names them): two short lines, so that it fits a phone's chart, and
    two shorter ones for a narrow chart, which leave room for the roof's label beside them."""
    notes = []
    for device in ordered_devices(content):
        spec = content.hardware.devices[device]
        missing = []
        for key in SHOWN:
            precision = workload(science.hardware, key).precision
            if not spec.peak_for(precision).supported and PRECISION_LABELS[precision] not in missing:
                missing.append(PRECISION_LABELS[precision])
        if missing:
            named = " or ".join(missing)
            lines = [f"{spec.display_name} cannot run {named} models,", f"so no {named} points are drawn"]
            notes.append({"device": device, "lines": lines, "aria": "Note: " + " ".join(lines),
                          "narrow_lines": [f"{spec.display_name} cannot run {named}:", f"no {named} points drawn"]})
    return notes


def axis_domains(roofs: list[dict], points: list[dict]) -> tuple[list[float], list[float]]:
    """Fixed log-axis ranges in whole decades covering every point and ridge of every device."""
    xs = [row["ai"] for row in points] + [roof["peak"] / roof["bandwidth"] for roof in roofs]
    x_domain = [10.0 ** math.floor(math.log10(min(xs))), 10.0 ** math.ceil(math.log10(max(xs)))]
    lowest = min(roof["bandwidth"] * x_domain[0] for roof in roofs) / 1e9
    highest = max(roof["peak"] for roof in roofs) / 1e9
    return x_domain, [10.0 ** math.floor(math.log10(lowest)), 10.0 ** math.ceil(math.log10(highest))]


def roof_vertices(roofs: list[dict], x_domain: list[float]) -> list[dict]:
    """Each roof as three vertices: the bandwidth slope from the left edge, the ridge, the flat peak to the right.

    attainable = min(peak, AI × bandwidth); on log-log axes both pieces are straight lines.
    """
    rows = []
    for roof in roofs:
        ridge = roof["peak"] / roof["bandwidth"]
        for order, ai in enumerate((x_domain[0], ridge, x_domain[1])):
            gops = float(attainable_ops_per_s(ai, roof["peak"], roof["bandwidth"])) / 1e9
            rows.append({"device": roof["device"], "roof": roof["roof"], "order": order, "top": roof["top"],
                         "ai": float(f"{ai:.4g}"), "gops": float(f"{gops:.4g}")})
    return rows


def roofline_alt_text(content: Content, science: Science, device: str, traffic_model: str) -> str:
    """The default view's takeaway with its numbers; the verdict list below the chart covers the rest."""
    name = content.hardware.devices[device].display_name
    parts = []
    for key in SHOWN:
        point = science.hardware.point(device, traffic_model, key)
        if point.supported:
            parts.append(f"{workload_label(science.hardware, key)} at {fmt.ops_per_byte(point.roofline.arithmetic_intensity)}"
                         f" against a ridge of {fmt.ops_per_byte(point.roofline.ridge_point)}: {bound_text(point)}")
    return (f"Log-log roofline of attainable performance against arithmetic intensity. Shown first: {name}, "
            f"traffic model {TRAFFIC_MODEL_LABELS[traffic_model]}. " + "; ".join(parts) +
            ". The choosers switch device and traffic model; the table below the chart gives the same values.")


def roofline_explorer(content: Content, science: Science) -> dict[str, Any]:
    """Choosers, roofline chart, readouts, verdicts and savings cards for every device × traffic model."""
    page = content.hardware_page
    device, traffic_model = page.roofline_start, page.default_traffic_model
    table = readout_table(content, science)
    default_row = next(i for i in range(len(table["device"]))
                       if (table["device"][i], table["traffic_model"][i], table["layers"][i])
                       == (device, traffic_model, "none"))
    alt_text = roofline_alt_text(content, science, device, traffic_model)
    spec = charts.roofline_chart(chart_data(content, science), device, traffic_model, "none", alt_text)
    return {
        "devices": [(key, content.hardware.devices[key].display_name) for key in ordered_devices(content)],
        "traffic_models": [(key, TRAFFIC_MODEL_LABELS[key]) for key in TRAFFIC_MODELS],
        "layer_choices": list(LAYER_CHOICES.items()),
        "default": {"device": device, "traffic_model": traffic_model, "layers": "none"},
        "workloads": [(key, workload_label(science.hardware, key)) for key in SHOWN],
        "row": {name: column[default_row] for name, column in table.items() if name != "keys"},
        "table_json": script_json(table),
        "verdicts": savings.verdicts(content, science, SHOWN),
        "course_claim": savings.course_claim(content, science),
        "caveats": savings.caveats(content, science, page),
        "cards": savings.static_cards(content, science, page),
        "charts": [Chart("roofline-chart", spec, alt_text)],
    }
