"""The hardware figures: loaders of the published results, computed reductions, verdicts, alt texts
and the precomputed readout tables (every device × traffic model × layer choice has its row)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kdsite.content.load import load_content
from kdsite.errors import ContentError, ContentErrors
from kdsite.charts import numbers as fmt
from kdsite.figures import hardware, levers, roofline, savings, why
from kdsite.figures.common import script_json
from kdsite.content.hardware_page import load_hardware_page
from kdsite.science.roofline import TRAFFIC_MODELS
from kdsite.build.results import Science
from tests.helpers import CACHE, PROJECT, copy_project, edit, line_of

# The fixture's content; the hardware model is pure numpy (no lab), computed in milliseconds.
CONTENT = load_content(PROJECT / "content")
SCIENCE = Science(CONTENT, CACHE)
RESULTS = SCIENCE.hardware
PAGE = load_hardware_page(PROJECT / "content")


def errors_for(project: Path) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        load_hardware_page(project / "content")
    return caught.value.errors


# ---------- content ----------

def test_published_results_load_with_sources():
    assert PAGE.default_device in CONTENT.hardware.devices
    assert PAGE.default_traffic_model in TRAFFIC_MODELS
    ids = {reference.id for reference in CONTENT.references}
    assert len(PAGE.results) >= 6
    for result in PAGE.results:
        assert result.reference in ids and result.locator
        assert result.kd_percent is not None or result.better is not None
    apple = next(r for r in PAGE.results if r.reference == "apple_rangeaugment")
    assert (apple.student, apple.baseline_percent, apple.kd_percent) == ("mobilenet_v2", 73.0, 73.4)
    assert apple.kd_effect_points == pytest.approx(0.4)
    dist = next(r for r in PAGE.results if r.student == "mobilenet_v2" and r.reference == "huang2022")
    assert dist.kd_effect_points == pytest.approx(-1.9)  # plain KD below the baseline
    assert PAGE.reference_models["mobilenet_v1"].params == 4.23e6


def test_no_unsourced_student_accuracy_anywhere():
    """FACTS §7.4: the course page's 74.7 % has no source; it must not appear as a result."""
    values = [v for r in PAGE.results for v in (r.baseline_percent, r.kd_percent,
                                               r.better.top1_percent if r.better else None)]
    assert 74.7 not in values


def test_unknown_reference_names_file_line_and_field(tmp_path):
    project = copy_project(tmp_path)
    path = project / "content/distillation_results.yaml"
    edit(path, "reference: apple_rangeaugment", "reference: apple_rangeaugmnt")
    [error] = errors_for(project)
    assert (error.file, error.field) == ("content/distillation_results.yaml", "results[7].reference")
    assert error.line == line_of(path, "apple_rangeaugmnt")
    assert "unknown reference id 'apple_rangeaugmnt'" in error.message


def test_several_mistakes_are_reported_together(tmp_path):
    project = copy_project(tmp_path)
    edit(project / "content/distillation_results.yaml", "kd_percent: 73.4", "kd_percent: 173.4")
    edit(project / "content/distillation_results.yaml", "student: resnet18", "student: resnet19")
    edit(project / "content/hardware_page.yaml", "default_device: raspberry_pi_4", "default_device: pi5")
    edit(project / "content/reference_models.yaml", "params: 5288548", "params: lots")
    errors = errors_for(project)
    assert {(e.file, e.field) for e in errors} == {
        ("content/distillation_results.yaml", "results[7].kd_percent"),
        ("content/distillation_results.yaml", "results[6].student"),
        ("content/hardware_page.yaml", "default_device"),
        ("content/reference_models.yaml", "models[1].params"),
    }
    assert all(e.line for e in errors)


# ---------- formatting and reductions ----------

@pytest.mark.parametrize("value, text", [(480.29, "480"), (13.93, "13.9"), (0.39262, "0.393"), (1234.6, "1235"),
                                         (0.0648, "0.0648")])
def test_significant(value, text):
    assert fmt.significant(value) == text


@pytest.mark.parametrize("before, after, text", [(78.312, 71.658, "−6.6 points"), (17.67, 19.22, "+1.5 points"),
                                                 (71.878, 71.658, "−0.2 points"), (50.04, 49.96, "0.0 points")])
def test_a_difference_is_read_from_the_values_as_shown(before, after, text):
    """78.3% → 71.7% is −6.6 points on the page, though the unrounded difference is −6.654."""
    assert fmt.points_between(before, after) == text
    assert fmt.points_between(before, after, unit=False) == text.removesuffix(" points")


def test_counts_and_sizes_print_as_the_cards_show_them():
    assert fmt.count(60_192_808) == "60.19 M" and fmt.count(300_774_272) == "300.8 M"
    assert fmt.count(11_513_626_624) == "11.51 G"
    assert fmt.memory_size(1_048_576) == "1 MiB (1.05 MB)" and fmt.memory_size(8e6) == "8.00 MB"
    assert fmt.points(-1.9000000001) == "−1.9 points" and fmt.points(0.4) == "+0.4 points"


def test_why_reductions_are_computed_from_the_counts():
    comparisons = {c.label: c for c in why.why_comparisons(CONTENT, SCIENCE, PAGE.default_device,
                                                           PAGE.default_traffic_model)}
    params = comparisons["Parameters"]
    assert (params.before, params.after) == (60_192_808, 3_504_872)  # FACTS §2
    assert params.reduction_text == f"{100 * (1 - 3_504_872 / 60_192_808):.1f}%" == "94.2%"
    assert comparisons["MACs per inference"].reduction_text == "97.4%"
    latency = next(c for label, c in comparisons.items() if label.startswith("Latency"))
    point = RESULTS.point(PAGE.default_device, PAGE.default_traffic_model, "teacher_fp32")
    assert latency.before == point.roofline.latency_ms
    # Energy counts the bytes the latency beside it counts: the same device and traffic model.
    energy = comparisons["Energy per inference (modeled)"]
    assert energy.before == RESULTS.point(PAGE.default_device, PAGE.default_traffic_model, "teacher_fp32").energy.total_mj
    assert energy.after == RESULTS.point(PAGE.default_device, PAGE.default_traffic_model, "student_fp32").energy.total_mj
    # Under traffic model A (every parameter read once) it is FACTS §7.7's ≈ 92 mJ.
    model_a = {c.label: c for c in why.why_comparisons(CONTENT, SCIENCE, PAGE.default_device, "weights")}
    assert model_a["Energy per inference (modeled)"].before == pytest.approx(91.486, abs=1e-3)


def test_why_alt_text_states_the_computed_reductions():
    figure = why.cost_comparison(CONTENT, SCIENCE)
    alt = figure["charts"][0].alt_text
    for comparison in figure["comparisons"]:
        assert comparison.after_text in alt
        assert (comparison.reduction_text in alt) != comparison.bounds
    assert "Not drawn, since two lower bounds give no ratio to expect: Latency" in alt


def test_model_cards_show_counter_values_and_modeled_latency():
    cards = why.model_cards(CONTENT, SCIENCE)["cards"]
    assert [c["params"] for c in cards] == ["60.19 M", "3.505 M"]
    assert [c["footprint"] for c in cards] == ["240.8 MB", "14.0 MB"]
    assert [c["top1"] for c in cards] == ["78.3%", "71.9%"]
    assert "180 ms" not in json.dumps(cards) and "22 ms" not in json.dumps(cards)


# ---------- energy ----------

def test_energy_headline_matches_the_model():
    figure = hardware.energy_per_inference(CONTENT, SCIENCE)
    headline = figure["headline"]
    assert headline.before_text == "91.5 mJ" and headline.after_text == "0.651 mJ"
    ratio = RESULTS.energy["teacher_fp32"].total_mj / RESULTS.energy["student_int8"].total_mj
    assert headline.ratio_text == f"{fmt.significant(ratio)}×" and 135 < ratio < 145  # FACTS: ≈ 140×
    assert "91.5 mJ" in figure["charts"][0].alt_text and "0.651 mJ" in figure["charts"][0].alt_text
    assert figure["dram_over_sram"] == "128×"
    # Beside it, the same pair under the traffic model the page's other energy figures use: the three
    # levers' teacher and INT8 student, so the page's two headlines can be read together.
    rows = {row["lever"]: row for row in levers.three_levers(CONTENT, SCIENCE)["rows"]}
    default = figure["default_headline"]
    assert PAGE.default_traffic_model != "weights" and default is not None
    assert rows["Architecture"]["energy"].startswith(default.before_text + " → ")
    assert rows["Precision"]["energy"].split(" → ")[1].startswith(default.after_text + " (")
    units = {row["what"]: row["unit"] for row in figure["constants"]}
    assert units["DRAM read"] == units["SRAM read, 8 KB array"] == "pJ per 32-bit word"


# ---------- accuracy scatter ----------

def test_scatter_points_name_their_source_and_use_shape_and_colour():
    figure = hardware.accuracy_vs_size(CONTENT, SCIENCE)
    rows = figure["rows"]
    assert {row["group"] for row in rows} == set(hardware.GROUPS)
    assert all(row["source"] for row in rows)
    kd = [row for row in rows if row["group"] == hardware.GROUPS[2]]
    assert len(kd) == sum(r.kd_percent is not None for r in PAGE.results)
    spec = figure["charts"][0].spec
    point_layer = spec["layer"][0]
    assert point_layer["encoding"]["shape"]["field"] == point_layer["encoding"]["color"]["field"] == "group"
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"
    assert "−1.9 points" in figure["charts"][0].alt_text  # the worst published KD effect


# ---------- roofline ----------

def test_every_device_traffic_model_and_layer_choice_has_one_row():
    table = roofline.readout_table(CONTENT, SCIENCE)
    lengths = {len(column) for name, column in table.items() if name != "keys"}
    assert len(lengths) == 1
    combos = list(zip(table["device"], table["traffic_model"], table["layers"]))
    expected = {(d, t, l) for d in CONTENT.hardware.devices for t in TRAFFIC_MODELS for l in roofline.LAYER_CHOICES}
    assert len(combos) == len(set(combos)) and set(combos) == expected


def test_bound_labels_follow_the_ridge_point():
    table = roofline.readout_table(CONTENT, SCIENCE)
    for row, (device, traffic) in enumerate(zip(table["device"], table["traffic_model"])):
        for key in roofline.SHOWN:
            point = RESULTS.point(device, traffic, key)
            shown = table[f"{key}_bound"][row]
            if not point.supported:
                assert shown == "cannot run"
                continue
            memory = point.roofline.arithmetic_intensity < point.roofline.ridge_point
            assert shown == ("memory-bound" if memory else "compute-bound")
            assert table[f"{key}_latency"][row] == fmt.milliseconds(point.roofline.latency_ms)


def test_savings_cards_reduce_teacher_to_student_int8():
    fields = savings.device_card_fields(CONTENT, SCIENCE, "jetson_orin_nano", "weights")
    teacher = RESULTS.point("jetson_orin_nano", "weights", "teacher_fp32")
    student = RESULTS.point("jetson_orin_nano", "weights", "student_int8")
    # two lower bounds: no percentage saving, for the pair or for the architecture alone
    assert "latency_reduction" not in fields and "%" not in fields["latency_architecture_only"]
    assert fields["latency_before"] == fmt.milliseconds(teacher.roofline.latency_ms)
    assert fields["energy_after"] == fmt.millijoules(student.energy.total_mj)
    coral = savings.device_card_fields(CONTENT, SCIENCE, "coral_edge_tpu", "on_chip")
    assert coral["card_pair"].startswith("Teacher ResNet-152, INT8")  # FP32 cannot run on the Edge TPU
    assert "cannot run FP32" in coral["latency_architecture_only"]


def test_verdicts_state_where_each_workload_is_bound():
    text = {item["workload"]: item["text"] for item in savings.verdicts(CONTENT, SCIENCE, roofline.SHOWN)}
    teacher = text["Teacher ResNet-152, FP32"]
    assert "cannot run on Coral Edge TPU" in teacher and "memory-bound" not in teacher
    student = text["Student MobileNetV2, INT8"]
    assert "memory-bound on Coral Edge TPU under all three traffic models" in student
    assert "on Jetson Orin Nano memory-bound with weights only (A) and weights + activations (B) but " \
           "compute-bound with parameters on chip (C)" in student
    claim = savings.course_claim(CONTENT, SCIENCE)
    assert "the FP32 teacher is memory-bound in 0 of the 9" in claim and "both hold at once, on the same device under the same traffic model, in none of them." in claim


def test_coral_is_link_bound_even_with_the_student_on_chip():
    items = [c["text"] for c in savings.caveats(CONTENT, SCIENCE, PAGE)]
    coral = next(text for text in items if text.startswith("On the Coral Edge TPU"))
    assert "150.5 kB input image" in coral and "still memory-bound" in coral  # 3 × 224 × 224 bytes
    point = RESULTS.point("coral_edge_tpu", "on_chip", "student_int8")
    assert point.roofline.weights_fit_on_chip and point.roofline.memory_only_ms > point.roofline.compute_only_ms
    assert any("2.6 ms" in text for text in items)  # the measured Coral latency, beside the model's


def test_roofline_spec_names_its_params_and_keeps_inlined_data_modest():
    figure = roofline.roofline_explorer(CONTENT, SCIENCE)
    chart = figure["charts"][0]
    assert chart.signals == ["device", "layers", "traffic_model"]
    assert len(script_json(chart.spec)) < 150_000
    assert len(figure["table_json"]) < 100_000
    layers = [row for row in roofline.layer_rows(CONTENT, SCIENCE)]
    assert all(np.isfinite(row["ai"]) and row["ai"] == float(f"{row['ai']:.3g}") for row in layers)
    default = RESULTS.point(PAGE.default_device, PAGE.default_traffic_model, "student_int8")
    assert fmt.ops_per_byte(default.roofline.arithmetic_intensity) in chart.alt_text


def test_model_cards_say_their_top1_is_fp32_without_a_teacher(built_site):
    """The cards cost FP32 models trained from scratch: their top-1 must say so, and point at the levers."""
    html = (built_site[0] / "index.html").read_text(encoding="utf-8")
    cards = html[html.index('id="model-cards"'):html.index('id="cost-comparison"')]
    assert cards.count("<dt>Top-1 accuracy (ImageNet, FP32, no teacher)</dt>") == 2
    assert 'href="#three-levers"' in cards and "distilling the student would change only its top-1" in cards


def test_model_names_show_only_on_a_wide_accuracy_chart():
    """On a phone-wide chart the small models' names sat on other points: every name layer is drawn
    only at 500 px and wider (the legend names the teacher; tooltips and the table name every point)."""
    spec = hardware.accuracy_vs_size(CONTENT, SCIENCE)["charts"][0].spec
    names = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert len(names) == 1  # one layer, each name at its own place (place_names)
    assert all(layer["mark"]["opacity"]["expr"].startswith("width >= 500 && ") for layer in names)


@pytest.mark.parametrize("line, start", [("", "raspberry_pi_4"), ("roofline_device: jetson_orin_nano\n", "jetson_orin_nano"),
                                         ("roofline_device: coral_edge_tpu\n", "coral_edge_tpu")])
def test_the_roofline_starts_on_roofline_device_else_on_default_device(tmp_path, line, start):
    """The roofline explorer opens on hardware_page.yaml's roofline_device (any device, an INT8-only one
    too), or on default_device without one; the other figures keep default_device."""
    project = copy_project(tmp_path / "project")
    edit(project / "content/hardware_page.yaml", "roofline_device: jetson_orin_nano\n", line)
    content = load_content(project / "content")
    science = Science(content, CACHE)
    figure = roofline.roofline_explorer(content, science)
    name = content.hardware.devices[start].display_name
    assert figure["default"]["device"] == start and figure["row"]["device"] == start
    assert f"Shown first: {name}, " in figure["charts"][0].alt_text
    assert why.model_cards(content, science)["setting"] == why.model_cards(CONTENT, SCIENCE)["setting"]
