"""Roofline invariants, FACTS §6 intensities and bound-by labels, and device-file errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from kdsite.content.devices import parse_device
from kdsite.errors import ContentError, ContentErrors
from kdsite.science.hardware import compute_hardware
from kdsite.content.hardware import load_hardware
from kdsite.science.roofline import (arithmetic_intensity, attainable_ops_per_s, evaluate, layer_operations, layer_rates,
                                     layer_traffic, ridge_point)
from kdsite.content.yamlload import parse_yaml

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def data():
    return load_hardware(CONTENT)


@pytest.fixture(scope="module")
def results(data):
    return compute_hardware(data)


# FACTS §6, "Arithmetic intensity at batch 1": (workload, traffic model) -> OP/B
FACTS_INTENSITY = {
    ("teacher_fp32", "weights"): 95.6, ("teacher_fp32", "weights_activations"): 55.0,
    ("teacher_int8", "weights"): 382.6, ("teacher_int8", "weights_activations"): 219.9,
    ("student_fp32", "weights"): 42.9, ("student_fp32", "weights_activations"): 8.9,
    ("student_int8", "weights"): 171.6, ("student_int8", "weights_activations"): 35.6,
}


@pytest.mark.parametrize("workload, traffic_model", sorted(FACTS_INTENSITY))
def test_intensity_table(results, workload, traffic_model):
    assert round(results.intensity[(workload, traffic_model)], 1) == FACTS_INTENSITY[(workload, traffic_model)]


def test_operations_are_two_per_mac(results):
    assert round(results.models["resnet152"].operations / 1e9, 2) == 23.03
    assert round(results.models["mobilenet_v2"].operations / 1e9, 2) == 0.60


def test_stride2_depthwise_int8_intensity(data):
    table = data.layers["mobilenet_v2"]
    traffic = layer_traffic(table, "int8", "weights_activations")
    intensity = arithmetic_intensity(layer_operations(table), traffic.dram_bytes)
    stride2 = (table.kinds == "depthwise") & (table.stride == 2)
    assert table.names[stride2].tolist() == ["features.2.depthwise", "features.4.depthwise",
                                             "features.7.depthwise", "features.14.depthwise"]
    assert [round(x, 1) for x in intensity[stride2][:3]] == [3.6, 3.6, 3.6]
    assert intensity[stride2].max() < 4.0


@pytest.mark.parametrize("device, precision, expected", [
    ("raspberry_pi_4", "fp32", 3.75), ("jetson_nano", "fp32", 9.216), ("jetson_nano", "fp16", 18.4375),
    ("jetson_orin_nano", "fp32", 18.82), ("jetson_orin_nano", "int8", 294.12), ("coral_edge_tpu", "int8", 6400.0),
])
def test_ridge_is_peak_over_bandwidth(data, device, precision, expected):
    item = data.devices[device]
    peak = item.peak_ops_per_s[precision].value
    bandwidth = item.dram_bandwidth_bytes_per_s.value
    assert item.ridge_point(precision) == ridge_point(peak, bandwidth) == peak / bandwidth
    assert item.ridge_point(precision) == pytest.approx(expected, abs=0.01)


def test_attainable_never_exceeds_either_roof():
    rng = np.random.default_rng(0)
    intensity = 10 ** rng.uniform(-2, 5, size=2000)
    for peak, bandwidth in [(48e9, 12.8e9), (20e12, 68e9), (4e12, 0.625e9)]:
        attainable = attainable_ops_per_s(intensity, peak, bandwidth)
        assert np.all(attainable <= peak)
        assert np.all(attainable <= intensity * bandwidth * (1 + 1e-12))
        assert np.all(np.isclose(attainable, peak) | np.isclose(attainable, intensity * bandwidth))


def test_latency_is_at_least_each_bound(data, results):
    # every device × traffic model × workload, however many devices the content lists; a point the
    # device cannot run (the Edge TPU's FP32 and FP16) says why and has no numbers
    combinations = {(p.device, p.traffic_model, p.workload) for p in results.points}
    assert len(combinations) == len(results.points) == len(data.devices) * len(
        {p.traffic_model for p in results.points}) * len({p.workload for p in results.points})
    assert all(p.note and p.roofline is None for p in results.points if not p.supported)
    supported = [point for point in results.points if point.supported]
    assert len(supported) > len(results.points) / 2
    for point in supported:
        roof = point.roofline
        assert roof.latency_ms >= roof.compute_only_ms * (1 - 1e-12)
        assert roof.latency_ms >= roof.memory_only_ms * (1 - 1e-12)
        assert roof.latency_ms <= roof.compute_only_ms + roof.memory_only_ms + 1e-12
        assert roof.attainable_ops_per_s <= point.peak_ops_per_s


def test_latency_by_hand_for_two_layers(data):
    table = data.layers["mobilenet_v2"]
    traffic = layer_traffic(table, "fp32", "weights")
    peak, bandwidth = 1e9, 1e8
    point = evaluate(table, traffic, peak, bandwidth)
    by_hand = sum(max(2 * m / peak, 4 * p / bandwidth) for m, p in zip(table.macs, table.params))
    assert point.latency_ms == pytest.approx(by_hand * 1e3, rel=1e-12)


def test_layer_model_by_hand(data):
    """Σ max(ops / rate, bytes / bandwidth) + overhead, depthwise layers at min(peak, depthwise rate)."""
    table = data.layers["mobilenet_v2"]
    traffic = layer_traffic(table, "int8", "weights")
    peak, depthwise, bandwidth, overhead = 1e12, 1e10, 1e9, 7e-6
    point = evaluate(table, traffic, peak, bandwidth, depthwise, overhead)
    by_hand = sum(max(2 * m / (depthwise if kind == "depthwise" else peak), p / bandwidth) + overhead
                  for m, p, kind in zip(table.macs, table.params, table.kinds))
    assert point.layer_model_ms == pytest.approx(by_hand * 1e3, rel=1e-12)
    assert (table.kinds == "depthwise").sum() == 17 and len(table.kinds) == 53
    # a depthwise rate above the peak changes nothing: the peak still caps every layer
    assert (layer_rates(table, peak, 2 * peak) == peak).all()
    plain = evaluate(table, traffic, peak, bandwidth)
    assert plain.layer_model_ms == pytest.approx(plain.latency_ms, rel=1e-12)


def test_layer_model_inputs_and_results(data, results):
    devices = data.devices
    orin = devices["jetson_orin_nano"]
    # the CUDA-core rate, from the same factors as the FP32 peak, and marked an assumption
    assert orin.depthwise_peak_ops_per_s.kind == "derived"
    assert orin.depthwise_peak_ops_per_s.value == pytest.approx(1024 * 2 * 0.625e9)
    assert orin.depthwise_peak_ops_per_s.note.startswith("Illustrative")
    coral = devices["coral_edge_tpu"].depthwise_peak_ops_per_s
    assert (coral.kind, coral.value) == ("illustrative", pytest.approx(4e12 / 64))
    for key in ("jetson_nano", "jetson_orin_nano"):
        assert (devices[key].layer_overhead_s.kind, devices[key].layer_overhead_s.value) == ("illustrative", 5e-6)
    assert not devices["raspberry_pi_4"].has_layer_model
    for point in results.points:
        if point.supported:
            assert point.roofline.layer_model_ms >= point.roofline.latency_ms * (1 - 1e-12)
            if point.device == "raspberry_pi_4":
                assert point.roofline.layer_model_ms == pytest.approx(point.roofline.latency_ms, rel=1e-12)
    # Orin Nano, INT8 student, parameters on chip: 0.6 GOP at 20 TOP/s is tens of microseconds at the peak;
    # depthwise layers at the CUDA-core rate and 53 launches of 5 µs make it about ten times longer
    student = results.point("jetson_orin_nano", "on_chip", "student_int8").roofline
    assert 2e-2 < student.latency_ms < 5e-2
    table = data.layers["mobilenet_v2"]
    ops = layer_operations(table)
    dense = ops[table.kinds != "depthwise"].sum() / 20e12 + ops[table.kinds == "depthwise"].sum() / 1.28e12
    # (within 1 %: the first layer waits for the image to arrive over LPDDR5, 2.2 µs, not its compute)
    assert student.layer_model_ms == pytest.approx((dense + 53 * 5e-6) * 1e3, rel=1e-2)


def test_bound_by_depends_on_device_and_traffic_model(results):
    for device in ("raspberry_pi_4", "jetson_nano", "jetson_orin_nano"):  # FACTS §7.11
        assert results.point(device, "weights_activations", "teacher_fp32").roofline.bound_by == "compute"
    for traffic_model in ("weights", "weights_activations"):
        assert results.point("jetson_orin_nano", traffic_model, "student_int8").roofline.bound_by == "memory"
    on_chip = results.point("jetson_orin_nano", "on_chip", "student_int8").roofline
    assert on_chip.weights_fit_on_chip and on_chip.bound_by == "compute"
    assert results.point("jetson_nano", "weights_activations", "student_fp32").roofline.bound_by == "memory"


def test_on_chip_traffic(data):
    student = data.layers["mobilenet_v2"]
    fits = layer_traffic(student, "int8", "on_chip", on_chip_bytes=8e6)
    assert fits.weights_fit_on_chip and fits.spilled_weight_bytes == 0
    assert fits.total_bytes == 3 * 224 * 224 + 1000  # only the image in and the logits out
    teacher = data.layers["resnet152"]
    spills = layer_traffic(teacher, "fp32", "on_chip", on_chip_bytes=262_144)
    assert not spills.weights_fit_on_chip
    assert 0 < spills.resident_weight_bytes <= 262_144
    assert spills.resident_weight_bytes + spills.spilled_weight_bytes == 4 * teacher.total_params
    assert spills.total_bytes == spills.spilled_weight_bytes + 4 * (3 * 224 * 224 + 1000)


def test_unlisted_precisions(data, results):
    pi = data.devices["raspberry_pi_4"].peak_for("int8")
    assert (pi.peak_ops_per_s, pi.used_precision) == (48e9, "fp32")
    assert pi.note == "no INT8 peak given for Raspberry Pi 4: modeled at its FP32 peak, data still moved as INT8"
    assert data.devices["jetson_nano"].peak_for("int8").used_precision == "fp16"
    coral = results.point("coral_edge_tpu", "weights", "teacher_fp32")
    assert not coral.supported and coral.roofline is None
    assert coral.note == "Coral Edge TPU cannot run FP32 models"


def test_derived_numbers_come_from_their_factors(data):
    nano = data.devices["jetson_nano"].peak_ops_per_s["fp32"]
    assert nano.kind == "derived" and nano.value == pytest.approx(128 * 2 * 0.9216e9)
    assert "0.9216 GHz" in nano.formula
    assert data.devices["raspberry_pi_4"].dram_bandwidth_bytes_per_s.value == pytest.approx(12.8e9)


# --- mistakes in device files ------------------------------------------------------------------

DEVICE = (CONTENT / "devices" / "jetson_nano.yaml").read_text()


def parse(text: str):
    return parse_device(parse_yaml(text, "content/devices/jetson_nano.yaml"), "jetson_nano")


def test_zero_bandwidth_names_file_line_and_field():
    text = DEVICE.replace("value: 25.6e9", "value: 0")
    with pytest.raises(ContentError) as caught:
        parse(text)
    error = caught.value
    assert (error.file, error.field) == ("content/devices/jetson_nano.yaml", "dram_bandwidth_bytes_per_s.value")
    assert error.line == text.splitlines().index("  value: 0") + 1
    assert error.message == "must be > 0, got 0"


def test_several_device_mistakes_at_once():
    text = (DEVICE.replace("fp16:\n", "bf16:\n", 1).replace("kind: derived", "kind: estimated")
            .replace("value: 262144", "value: lots"))
    with pytest.raises(ContentErrors) as caught:
        parse(text)
    fields = [error.field for error in caught.value.errors]
    assert fields == ["peak_ops_per_s.bf16", "peak_ops_per_s.fp32.kind", "unlisted_precision",
                      "on_chip_memory_bytes.value"]


def test_derived_number_with_a_typed_value_is_refused():
    text = DEVICE.replace("    kind: derived\n", "    kind: derived\n    value: 236e9\n")
    with pytest.raises(ContentError) as caught:
        parse(text)
    assert caught.value.field == "peak_ops_per_s.fp32.value"


def test_load_hardware_reports_paths_from_the_project_root(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / "devices" / "jetson_nano.yaml"
    path.write_text(path.read_text().replace("value: 25.6e9", "value: -1"))
    models = content / "models" / "resnet18.yaml"
    models.write_text(models.read_text().replace("blocks: 2, stride: 2}", "blocks: 0, stride: 2}", 1))
    with pytest.raises(ContentErrors) as caught:
        load_hardware(content)
    assert [(error.file, error.field) for error in caught.value.errors] == [
        ("content/models/resnet18.yaml", "architecture.stages[1].blocks"),
        ("content/devices/jetson_nano.yaml", "dram_bandwidth_bytes_per_s.value"),
    ]


def test_layer_model_quantities_are_checked():
    plain = DEVICE[:DEVICE.index("# Per-layer model")]  # the Nano without its per-layer overhead
    illustrative = plain + "layer_overhead_s: {kind: illustrative, source: assumption}\n"
    with pytest.raises(ContentError) as caught:
        parse(illustrative)
    assert "layer_overhead_s.value" in str(caught.value) and "an illustrative number needs its value" in str(caught.value)
    negative = plain + "layer_overhead_s: {value: -1e-6, kind: illustrative, source: assumption}\n"
    with pytest.raises((ContentError, ContentErrors)) as caught:
        parse(negative)
    assert "layer_overhead_s" in str(caught.value)
    illustrative_peak = DEVICE.replace("kind: cited", "kind: illustrative", 1)
    with pytest.raises((ContentError, ContentErrors)) as caught:
        parse(illustrative_peak)
    assert "kind" in str(caught.value)
