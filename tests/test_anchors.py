"""Measured anchors (kdsite/figures/anchors.py) and the one accumulation rule of the energy model."""

from __future__ import annotations

import pytest

from kdsite.charts import numbers as fmt
from kdsite.figures import anchors
from kdsite.figures.hwshared import STUDENT_INT8


def test_the_coral_pairs_are_table_1(content):
    """coral.ai "Edge TPU performance benchmarks", Table 1: ResNet-152 V2 (299) / MobileNet v2 (224), ms."""
    pairs = [(p.teacher.latency_ms, p.student.latency_ms) for p in content.hardware_page.measured_pairs]
    assert pairs == [(1823, 51), (128, 2.6), (5499, 122), (151, 2.6)]
    assert {p.teacher.input for p in content.hardware_page.measured_pairs} == {299}


def test_speedups_and_mac_ratios_are_computed(content, science):
    figure = anchors.measured_anchors(content, science)
    teacher = science.hardware.models["resnet152"].macs * (299 / 224) ** 2
    student = science.hardware.models["mobilenet_v2"].macs
    for row, pair in zip(figure["rows"], content.hardware_page.measured_pairs):
        assert row["speedup"] == fmt.ratio(pair.teacher.latency_ms, pair.student.latency_ms)
        assert row["mac_ratio"] == "≈" + fmt.ratio(teacher, student)
    # every measured speed-up (35.7× to 58.1×) stays below the MAC ratio (≈68.2×)
    assert all(p.teacher.latency_ms / p.student.latency_ms < teacher / student
               for p in content.hardware_page.measured_pairs)


def test_the_edge_tpu_measurement_sits_beside_the_on_chip_model(content, science):
    figure = anchors.measured_anchors(content, science)
    roof = science.hardware.point("coral_edge_tpu", "on_chip", STUDENT_INT8).roofline
    edge = [row for row, pair in zip(figure["rows"], content.hardware_page.measured_pairs) if pair.device]
    assert [row["setup"] for row in edge] == ["Desktop CPU + USB Accelerator (USB 3.0) with Edge TPU"]
    for row in edge:
        assert row["modeled"] == fmt.milliseconds(roof.latency_ms)
        assert row["measured_over_modeled"] == fmt.ratio(2.6, roof.latency_ms)
        assert row["layer_model"] == fmt.milliseconds(roof.layer_model_ms)
        assert row["measured_over_layer_model"] == fmt.ratio(2.6, roof.layer_model_ms)
    # both models sit below the measurement; the per-layer model closer to it
    assert roof.latency_ms < roof.layer_model_ms < 2.6
    others = [row for row, pair in zip(figure["rows"], content.hardware_page.measured_pairs) if not pair.device]
    # the CPUs and the Dev Board have no like-for-like modeled device (the Pi 4 is not the quad-A53)
    assert len(others) == 3
    assert all(row[name] == "–" for row in others
               for name in ("modeled", "measured_over_modeled", "layer_model", "measured_over_layer_model"))


def test_the_measurements_are_marked_measured(site_dir):
    html = (site_dir / "index.html").read_text()
    table = html[html.index('id="measured-anchors"'):]
    caption = table[:table.index("</caption>")]
    assert "mark-measured" in caption and "mark-cited" not in caption
    assert "ResNet-152 V2 (pre-activation) at 299 × 299" in table


def test_every_precision_accumulates_wider_than_its_operands(content):
    energy = content.hardware.energy
    assert energy.mac_pj("fp16") == pytest.approx(1.1 + 0.9)  # FP16 multiply, FP32 add
    assert energy.mac_pj("int8") == pytest.approx(0.2 + 0.1)  # 8-bit multiply, 32-bit add
    assert energy.mac_pj("fp32") == pytest.approx(3.7 + 0.9)
