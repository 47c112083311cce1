"""The three levers (kdsite/figures/levers.py): costs move with architecture and precision only,
distillation moves accuracy only, and every top-1 is the published one for that model and precision."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kdsite.charts import numbers as fmt
from kdsite.content.load import DEFAULT_DEVICE_PRECISIONS
from kdsite.figures import FIGURES, levers
from kdsite.figures.hwshared import STUDENT, STUDENT_INT8, TEACHER
from kdsite.science.roofline import TRAFFIC_MODELS
from kdsite.errors import ContentErrors
from kdsite.content.load import load_content
from tests.helpers import copy_project, edit, line_of


@pytest.fixture(scope="module")
def figure(content, science):
    return levers.three_levers(content, science)


def rows(figure) -> dict[str, dict]:
    return {row["lever"]: row for row in figure["rows"]}


def energies(content, science) -> dict[str, float]:
    """Each workload's modeled energy on the page's default device and traffic model, the setting of
    the latencies beside it."""
    page = content.hardware_page
    return {key: science.hardware.point(page.default_device, page.default_traffic_model, key).energy.total_mj
            for key in (TEACHER, STUDENT, STUDENT_INT8)}


def test_distillation_changes_no_cost(figure, content, science):
    distillation = rows(figure)["Distillation"]
    energy = fmt.millijoules(energies(content, science)[STUDENT_INT8])
    for column in ("params", "macs", "memory", "latency", "energy"):
        assert distillation[column].startswith("unchanged ("), column
    assert distillation["energy"] == f"unchanged ({energy})"


def test_architecture_and_precision_carry_the_cost(figure, content, science):
    energy = energies(content, science)
    architecture, precision = rows(figure)["Architecture"], rows(figure)["Precision"]
    assert architecture["energy"] == (f"{fmt.millijoules(energy[TEACHER])} → {fmt.millijoules(energy[STUDENT])} "
                                      f"({fmt.ratio(energy[TEACHER], energy[STUDENT])} less)")
    assert precision["params"].startswith("unchanged") and precision["macs"].startswith("unchanged")
    assert "4.00× smaller" in precision["memory"]  # FP32 → INT8: 4 bytes → 1 byte a weight
    assert architecture["params"].endswith("× fewer)") and "×" not in architecture["latency"]


def test_a_change_reads_as_what_it_does_to_its_column():
    """A fall reads as what it does to its column ("fewer", "less", "smaller"); a rise the other way,
    its ratio above 1. Latency, a lower bound either side, gets no ratio: two bounds make no speed-up."""
    assert levers._change(480.0, 13.9, fmt.milliseconds, "latency") == "480 ms → 13.9 ms"
    assert levers._change(13.9, 16.68, fmt.milliseconds, "latency") == "13.9 ms → 16.7 ms"
    assert levers._change(2.0, 1.0, fmt.millijoules, "energy").endswith("(2.00× less)")
    assert levers._change(1.0, 2.0, fmt.millijoules, "energy").endswith("(2.00× more)")
    assert levers._change(1.0, 2.0, fmt.megabytes, "memory").endswith("(2.00× larger)")


def test_the_int8_cost_is_shown_with_the_int8_accuracy(figure, content):
    """torchvision's quantized MobileNetV2 (QAT): acc@1 71.658, not the FP32 weights' 71.878."""
    int8 = content.hardware.models["mobilenet_v2"].int8_top1
    assert (int8.percent, int8.reference) == (71.658, "torchvision")
    assert rows(figure)["Precision"]["top1"] == "71.9% → 71.7%"
    assert "torchvision" in rows(figure)["Precision"]["top1_references"]


def test_the_kd_range_is_computed_from_the_results(figure, content):
    effects = [r.kd_effect_points for r in content.hardware_page.results if r.kd_effect_points is not None]
    spread = figure["kd_range"]
    assert (spread.lowest, spread.highest, spread.count) == (min(effects), max(effects), len(effects))
    # the fixture's rows: DIST's MobileNetV2, 73.6 → 71.7; DKD's MobileNet-V1, 68.87 → 70.50
    assert spread.lowest == pytest.approx(71.7 - 73.6)
    assert spread.highest == pytest.approx(70.50 - 68.87)
    assert spread.lowest_source.startswith("DIST") and spread.highest_source.startswith("DKD")
    assert figure["kd_span"] == "−1.9 to +1.6 points"
    # each result's own teacher, once each: the note says whose students these were
    teachers = [r.teacher for r in content.hardware_page.results if r.kd_effect_points is not None]
    assert spread.teachers == tuple(dict.fromkeys(teachers)) and len(spread.teachers) >= 2


def test_the_distillation_row_gives_the_effect_for_its_own_student(figure, content):
    """The row distils MobileNetV2, so it shows MobileNetV2's published effects (DIST's 73.6 → 71.7
    and RangeAugment's 73.0 → 73.4), not a range pooled with MobileNet-V1's +1.6; the note gives both."""
    own = figure["kd_range_student"]
    assert (own.lowest, own.highest, own.count) == (pytest.approx(71.7 - 73.6), pytest.approx(73.4 - 73.0), 2)
    assert rows(figure)["Distillation"]["top1"] == ("no result; other teachers: −1.9 to +0.4 points vs scratch "
                                                     "(2 results, MobileNetV2)")
    assert rows(figure)["Distillation"]["top1_references"] == ["huang2022", "apple_rangeaugment"]


def test_with_no_result_for_its_student_the_row_says_whose_effects_it_shows(tmp_path, science, figure):
    project = copy_project(tmp_path / "project")
    results = project / "content/distillation_results.yaml"
    results.write_text(results.read_text().replace("student: mobilenet_v2", "student: resnet18"))
    content = load_content(project / "content")
    assert levers.kd_range(content, "mobilenet_v2") is None
    assert rows(levers.three_levers(content, science))["Distillation"]["top1"] == \
        ("no result; other teachers: −1.9 to +1.6 points vs scratch "
         f"({figure['kd_range'].count} results, other students)")


def test_the_dkd_row_gives_its_papers_baseline(content):
    """DKD paper Table 9 (quoted in mdistiller issue #4): student 68.87; mdistiller README: KD 70.50, DKD 72.05."""
    [dkd] = [r for r in content.hardware_page.results if r.id == "dkd-r50-mobilenet-v1"]
    assert (dkd.baseline_percent, dkd.kd_percent, dkd.better.top1_percent) == (68.87, 70.50, 72.05)
    assert fmt.points(dkd.kd_effect_points) == "+1.6 points"


def test_rangeaugment_rows_match_the_readme(content):
    """apple/ml-cvnets examples/range_augment/README-distillation.md: ERM vs distillation top-1."""
    rows = {r.student: (r.baseline_percent, r.kd_percent) for r in content.hardware_page.results
            if r.reference == "apple_rangeaugment"}
    assert rows == {"mobilenet_v1": (73.8, 75.2), "mobilenet_v2": (73.0, 73.4), "mobilenet_v3_large": (75.1, 76.0)}


def test_an_unknown_int8_reference_names_file_line_and_field(tmp_path):
    project = copy_project(tmp_path)
    path = project / "content/models/mobilenet_v2.yaml"
    edit(path, "  reference: torchvision", "  reference: torchvisoin")
    with pytest.raises(ContentErrors) as caught:
        load_content(project / "content")
    [error] = caught.value.errors
    assert (error.file, error.line, error.field) == ("content/models/mobilenet_v2.yaml",
                                                      line_of(path, "torchvisoin"), "int8_top1.reference")
    assert "unknown reference id 'torchvisoin'" in error.message


def test_a_distillation_step_costs_the_teacher_forward_on_top(content, science):
    """FACTS §8.6: ResNet-152 forward 11.51 GMAC next to 3 × MobileNetV2's 0.30 GMAC: about 13.8×."""
    cost = levers.kd_training_cost(content, science)
    teacher = science.hardware.models["resnet152"].macs
    student = science.hardware.models["mobilenet_v2"].macs
    assert cost["ratio"] == fmt.ratio(teacher + 3 * student, 3 * student) == "13.8×"
    assert [row["macs"] for row in cost["rows"]] == [fmt.count(3 * student), fmt.count(teacher + 3 * student)]


def test_the_savings_accuracy_card_gives_the_int8_accuracy_its_cost_cards_assume(content, science):
    from kdsite.figures import savings

    cards = savings.static_cards(content, science, content.hardware_page)
    assert cards["accuracy_int8"]["top1"] == "71.7%"  # torchvision QAT MobileNetV2, acc@1 71.658
    assert cards["accuracy_int8"]["reference"] == "torchvision"
    # headline: FP32 teacher (78.312) → INT8 student (71.658); the FP32 student (71.878) is the detail
    # each change is read from the two values as shown: 78.3% → 71.7% is −6.6 points (unrounded, −6.654)
    assert cards["accuracy_int8"]["change"] == fmt.points_between(78.312, 71.658) == "−6.6 points"
    assert cards["accuracy_int8"]["precision_change"] == fmt.points_between(71.878, 71.658) == "−0.2 points"


def test_the_savings_accuracy_card_headlines_the_int8_student(built_site):
    import re

    html = (built_site[0] / "index.html").read_text(encoding="utf-8")
    card = re.search(r'data-card="accuracy".*?</article>', html, re.S).group(0)
    headline = re.search(r'class="before-after">(.*?)</p>', card, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", headline).split() == ["78.3%", "→", "71.7%"]
    assert "The smaller architecture alone (FP32 student, trained from scratch): 71.9%" in card


def test_the_energy_table_gives_each_workload_its_own_precisions_accuracy(content, science):
    from kdsite.figures import hardware

    rows = {row["key"]: row for row in hardware.energy_per_inference(content, science)["rows"]}
    assert rows["student_int8"]["top1"] == "71.7% (QAT)"
    assert rows["student_fp32"]["top1"] == "71.9%"
    assert rows["teacher_int8"]["top1"] == "no INT8 top-1 in the sources used here"  # torchvision has no quantized ResNet-152


def test_no_savings_card_credits_distillation_with_a_cost(content, science):
    from kdsite.figures import savings
    from kdsite.science.roofline import TRAFFIC_MODELS

    for device in content.hardware.devices:
        for traffic_model in TRAFFIC_MODELS:
            fields = savings.device_card_fields(content, science, device, traffic_model)
            assert not any("istillation" in str(value) for value in fields.values()), (device, traffic_model)


@pytest.mark.parametrize("traffic_model", TRAFFIC_MODELS)
def test_every_device_that_runs_fp32_and_int8_can_start_the_hardware_figures(content, science, traffic_model):
    """An instructor may start the figures on any such device and traffic model: every figure that
    reads the defaults builds, and each levers row's latency and energy are those of that setting."""
    able = [key for key, device in content.hardware.devices.items()
            if all(device.peak_for(p).peak_ops_per_s is not None for p in DEFAULT_DEVICE_PRECISIONS)]
    assert len(able) >= 2
    for device in able:
        page = replace(content.hardware_page, default_device=device, default_traffic_model=traffic_model)
        edited = replace(content, hardware_page=page)
        for name in ("model-cards", "cost-comparison", "three-levers", "roofline-explorer", "measured-anchors"):
            FIGURES[name](edited, science)
        architecture = rows(levers.three_levers(edited, science))["Architecture"]
        point = science.hardware.point(device, traffic_model, TEACHER)
        assert architecture["latency"].startswith(fmt.milliseconds(point.roofline.latency_ms) + " → ")
        assert architecture["energy"].startswith(fmt.millijoules(point.energy.total_mj) + " → ")
