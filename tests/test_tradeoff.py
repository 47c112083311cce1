"""Accuracy against cost (kdsite/figures/tradeoff.py): a student's from-scratch and distilled points
share one cost, the cost is the energy model's, and published MAC counts carry their source."""

from __future__ import annotations

import dataclasses

import pytest

from kdsite.figures import levers, tradeoff
from kdsite.figures.hwshared import STUDENT


def test_scratch_and_distilled_sit_at_the_same_cost(content, science):
    rows = tradeoff.tradeoff_rows(content, science)
    by_pair: dict[str, set[float]] = {}
    for row in rows:
        if row["kind"] in tradeoff.KINDS[:2]:  # the precision pair (KINDS[3]) is meant to move sideways
            by_pair.setdefault(row["pair"], set()).add(row["energy"])
    assert by_pair and all(len(energies) == 1 for energies in by_pair.values())
    kinds = {(row["pair"], row["kind"]) for row in rows}
    for pair in by_pair:
        assert {(pair, "From scratch"), (pair, "Distilled (KD)")} <= kinds


def test_the_cost_is_the_energy_model_for_counted_and_published_models(content, science):
    rows = {(row["model"], row["kind"]): row for row in tradeoff.tradeoff_rows(content, science)}
    student = rows[("MobileNetV2", "From scratch")]
    assert student["energy"] == pytest.approx(science.hardware.energy[STUDENT].total_mj)
    v1 = content.hardware_page.reference_models["mobilenet_v1"]
    assert (v1.macs, v1.macs_reference) == (569e6, "howard2017")  # Howard et al. 2017, Table 6
    assert rows[("MobileNet-V1", "Distilled (KD)")]["energy"] == pytest.approx(
        tradeoff.energy_mj(content, 569e6, 4.23e6))


def test_every_move_is_the_published_pair(content, science):
    figure = tradeoff.accuracy_vs_cost(content, science)
    moves = {move["pair"]: (move["scratch"], move["distilled"], move["change"]) for move in figure["moves"]}
    assert moves["RangeAugment (Apple ml-cvnets): ResNet-101 → MobileNetV3-Large"] == ("75.1%", "76.0%", "+0.9 points")
    assert moves["DIST (Huang et al., NeurIPS 2022): ResNet-50-SB → MobileNetV2"] == ("73.6%", "71.7%", "−1.9 points")
    assert "never sideways" in figure["charts"][0].alt_text


def test_a_published_mac_count_needs_its_source(tmp_path):
    from kdsite.content.load import load_content
    from kdsite.errors import ContentErrors
    from tests.helpers import copy_project, edit, line_of

    project = copy_project(tmp_path)
    path = project / "content/reference_models.yaml"
    edit(path, '    macs_reference: howard2017\n', "")
    with pytest.raises(ContentErrors) as caught:
        load_content(project / "content")
    [error] = caught.value.errors
    assert (error.file, error.line, error.field) == ("content/reference_models.yaml", line_of(path, "macs: 569e6"),
                                                      "models[2].macs")
    assert "no macs_reference" in error.message


def test_the_precision_lever_moves_left_at_the_published_int8_accuracy(content, science):
    """torchvision: MobileNetV2 FP32 acc@1 71.878, its QAT INT8 weights 71.658; costs from the energy model."""
    from kdsite.figures.hwshared import STUDENT_INT8

    quantized = [row for row in tradeoff.tradeoff_rows(content, science) if row["kind"] == tradeoff.KINDS[3]]
    assert [row["top1"] for row in quantized] == [71.878, 71.658]
    energy = science.hardware.energy
    assert [row["energy"] for row in quantized] == [energy[STUDENT].total_mj, energy[STUDENT_INT8].total_mj]
    assert quantized[1]["energy"] < quantized[0]["energy"] / 5  # INT8 moves the point well to the left
    precision = tradeoff.accuracy_vs_cost(content, science)["precision"]
    assert (precision["before"], precision["after"], precision["change"]) == ("71.9%", "71.7%", "−0.2 points")
    assert precision["reference"] == "torchvision"


def test_the_chart_names_its_energy_and_traffic_model(content, science):
    spec = tradeoff.accuracy_vs_cost(content, science)["charts"][0].spec
    titles = [layer["encoding"]["x"].get("title") for layer in spec["layer"] if "x" in layer.get("encoding", {})]
    # a long title is drawn as lines (kdsite/charts/common.py wrapped), so it fits a phone-wide chart
    lines = [title for title in titles if isinstance(title, list)]
    assert lines and " ".join(lines[0]) == \
        "Modeled energy per inference, mJ, log scale (45 nm CMOS, 0.9 V, traffic model weights only (A))"


def test_the_dkd_pair_is_a_vertical_move(content, science):
    figure = tradeoff.accuracy_vs_cost(content, science)
    moves = {move["pair"]: (move["scratch"], move["distilled"], move["change"]) for move in figure["moves"]}
    assert moves["DKD (Zhao et al., CVPR 2022): ResNet-50 → MobileNet-V1"] == ("68.87%", "70.5%", "+1.6 points")


def test_a_line_outside_the_fold_says_when_the_page_counts_other_bytes(content, science):
    """The chart's energies (traffic model A) sit beside the three levers' (the page's model, B): a
    line under the chart names both; a page whose model is the chart's own needs no such line."""
    figure = tradeoff.accuracy_vs_cost(content, science)
    assert (figure["traffic"], figure["page_traffic"]) == ("weights only (A)", "weights + activations (B)")
    # the same student's energy under both, as the line under the chart prints them
    student = [row for row in tradeoff.tradeoff_rows(content, science) if row["model"] == "MobileNetV2"
               and row["kind"] == tradeoff.KINDS[0]][0]
    assert figure["student_here"] == student["energy_text"]
    architecture = levers.three_levers(content, science)["rows"][0]  # teacher → FP32 student, the page's model
    assert architecture["energy"].split(" → ")[1].startswith(figure["student_levers"] + " (")
    same = dataclasses.replace(content, hardware_page=dataclasses.replace(
        content.hardware_page, default_traffic_model=tradeoff.ENERGY_TRAFFIC_MODEL))
    assert tradeoff.accuracy_vs_cost(same, science)["page_traffic"] is None


def test_pairs_at_one_energy_are_drawn_side_by_side_not_on_top_of_each_other():
    """Two published MobileNetV2 pairs sit at 3.63 mJ: their rules and points are drawn DODGE px apart
    around it (a mark offset in pixels; the data keep the one energy), a pair alone stays put."""
    from kdsite.charts.tradeoff import DODGE, dodges, tradeoff_chart
    kinds = tradeoff.KINDS
    rows = [{"pair": pair, "kind": kind, "energy": energy, "top1": top1, "model": "m", "top1_text": "", "energy_text": "",
             "source": "", "label": ""}
            for pair, energy, scratch, distilled in (("A", 3.627, 73.6, 71.7), ("B", 3.627, 73.0, 73.4), ("C", 15.8, 69.8, 71.1))
            for kind, top1 in ((kinds[0], scratch), (kinds[1], distilled))]
    assert dodges(rows, kinds) == {"A": -DODGE // 2, "B": DODGE // 2, "C": 0}
    spec = tradeoff_chart(rows, kinds, "Energy", "description")
    marks = {layer["mark"]["type"]: layer["mark"] for layer in spec["layer"]}
    assert marks["point"]["xOffset"] == marks["rule"]["xOffset"] == {"expr": "datum.dodge"}
    [data] = [rows for rows in spec["datasets"].values() if rows and "dodge" in rows[0]]
    assert {row["pair"]: row["dodge"] for row in data} == {"A": -DODGE // 2, "B": DODGE // 2, "C": 0}
    assert {row["energy"] for row in data} == {3.627, 15.8}
