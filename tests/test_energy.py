"""Energy per inference: constants, a hand-calculated layer, and FACTS §7.7."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdsite.science.energy import inference_energy
from kdsite.content.energy import parse_energy
from kdsite.errors import ContentError
from kdsite.science.hardware import compute_hardware
from kdsite.content.hardware import load_hardware
from kdsite.science.roofline import layer_traffic
from kdsite.content.yamlload import load_yaml, parse_yaml

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def data():
    return load_hardware(CONTENT)


@pytest.fixture(scope="module")
def constants():
    return parse_energy(load_yaml(CONTENT / "energy.yaml", "content/energy.yaml"))


def test_energy_per_mac(constants):
    assert constants.mac_pj("fp32") == pytest.approx(4.6)  # 3.7 multiply + 0.9 add
    assert constants.mac_pj("fp16") == pytest.approx(2.0)  # 1.1 + 0.9: FP16 products accumulated in FP32
    assert constants.mac_pj("int8") == pytest.approx(0.3)  # 0.2 8-bit multiply + 0.1 32-bit add
    assert constants.memory["dram"].value_pj == 640 and constants.memory["dram"].unit == "pJ per 32-bit word"
    assert constants.memory["sram"].value_pj == 5 and constants.memory["sram_1mb"].value_pj == 50


def test_one_layer_by_hand(data, constants):
    # MobileNetV2 stem: 3 -> 32 channels, 3×3, stride 2, 224 -> 112.
    table = data.layers["mobilenet_v2"]
    assert table.macs[0] == 32 * 3 * 9 * 112 * 112 == 10_838_016
    assert table.params[0] == 864 + 64  # weights + BN γ, β
    weight_bytes = float(layer_traffic(table, "fp32", "weights").dram_bytes[0])
    assert weight_bytes == 3712
    energy = inference_energy(table.macs[0], "fp32", weight_bytes, constants)
    assert energy.compute_pj == pytest.approx(10_838_016 * 4.6)  # 49,854,873.6 pJ
    assert energy.dram_pj == pytest.approx(928 * 640)  # one 32-bit word per FP32 parameter
    assert energy.dram_high_pj == pytest.approx(928 * 1300)
    assert energy.total_pj == pytest.approx(49_854_873.6 + 593_920)
    int8 = inference_energy(table.macs[0], "int8", 928, constants)
    assert int8.dram_pj == pytest.approx(232 * 640)  # four INT8 parameters per word
    assert int8.compute_pj == pytest.approx(10_838_016 * 0.3)


def test_facts_7_7_teacher_and_student(data):
    results = compute_hardware(data)
    teacher, student = results.energy["teacher_fp32"], results.energy["student_int8"]
    assert round(teacher.compute_mj, 1) == 53.0
    assert round(teacher.dram_mj, 1) == 38.5
    assert round(teacher.total_mj, 1) == 91.5
    assert round(teacher.dram_high_pj * 1e-9) == 78  # "up to 78 mJ" at 2.6 nJ per 64 bits
    assert round(student.compute_mj, 2) == 0.09
    assert round(student.dram_mj, 2) == 0.56
    assert round(student.total_mj, 2) == 0.65
    assert round(teacher.total_mj / student.total_mj) == 141  # ≈140×, not 14×
    assert teacher.sram_pj == student.sram_pj == 0


def test_on_chip_energy_reads_resident_parameters_from_sram(data):
    results = compute_hardware(data)
    point = results.point("coral_edge_tpu", "on_chip", "student_int8")
    assert point.roofline.weights_fit_on_chip
    assert point.energy.sram_pj == pytest.approx(3_504_872 / 4 * 50)
    assert point.energy.dram_pj == pytest.approx((3 * 224 * 224 + 1000) / 4 * 640)


def test_missing_and_negative_constants(constants):
    text = (CONTENT / "energy.yaml").read_text()
    start = text.index("  fp16:\n")
    add = text.index("    add:\n", start)
    broken = text[:add] + text[text.index("  int8:\n", add):]  # fp16 without its add
    with pytest.raises(ContentError) as caught:
        parse_energy(parse_yaml(broken, "content/energy.yaml"))
    assert (caught.value.file, caught.value.field) == ("content/energy.yaml", "mac_pj.fp16.add")
    negative = text.replace("value: 640", "value: -640")
    with pytest.raises(ContentError) as caught:
        parse_energy(parse_yaml(negative, "content/energy.yaml"))
    assert caught.value.field == "memory_pj.dram.value"
    assert caught.value.line == negative.splitlines().index("    value: -640") + 1


def test_every_teacher_energy_on_the_page_names_its_traffic_model(site_dir, content, science):
    """Issue 15 item 4: 91.5 mJ (model A) and 120 mJ (model B) never appear without their model."""
    import html as html_module
    import re

    from kdsite.charts import numbers as fmt
    from kdsite.figures import roofline, savings
    from kdsite.science.roofline import TRAFFIC_MODEL_LABELS

    page = (site_dir / "index.html").read_text()
    results = science.hardware
    model_a = fmt.millijoules(results.energy["teacher_fp32"].total_mj)
    model_b = fmt.millijoules(results.point("raspberry_pi_4", "weights_activations", "teacher_fp32").energy.total_mj)
    assert (model_a, model_b) == ("91.5 mJ", "120 mJ")
    assert results.point("raspberry_pi_4", "weights", "teacher_fp32").energy.total_mj == \
        pytest.approx(results.energy["teacher_fp32"].total_mj)  # the headline is model A on any device
    # the energy figure: title, headline and table each say traffic model A
    panel = page[page.index('id="energy-per-inference"'):]
    panel = panel[:panel.index('id="roofline-explorer"')]
    title = panel[panel.index('<h3'):panel.index('</h3>')]
    headline = panel[panel.index('class="energy-headline"'):]
    headline = headline[:headline.index('</p>')]
    assert "traffic model A" in title and model_a in headline and "traffic model A" in headline
    # the savings card's energy follows the choosers and prints the chosen model beside it, in every row
    table = roofline.readout_table(content, science)
    for index, traffic_model in enumerate(table["traffic_model"]):
        assert table["card_traffic"][index] == TRAFFIC_MODEL_LABELS[traffic_model]
    cards = savings.device_card_fields(content, science, "raspberry_pi_4", "weights_activations")
    assert cards["energy_before"] == model_b and cards["card_traffic"] == TRAFFIC_MODEL_LABELS["weights_activations"]
    # every paragraph or row that prints a teacher energy sits in a figure (or paragraph) naming a traffic model
    text = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    panels = [m.start() for m in re.finditer(r'class="figure-panel', text)] + [len(text)]
    checked = 0
    for match in re.finditer(r"<(p|tr|li|h3|caption)\b.*?</\1>", text, flags=re.S):
        plain = html_module.unescape(re.sub(r"<[^>]+>", " ", match.group(0)))
        if model_a in plain or model_b in plain:
            starts = [start for start in panels if start <= match.start()]
            if starts and match.end() <= min(start for start in panels if start > starts[-1]):
                context = text[starts[-1]:min(start for start in panels if start > starts[-1])]
            else:
                context = match.group(0)
            assert "traffic model" in context, plain
            checked += 1
    assert checked >= 3
