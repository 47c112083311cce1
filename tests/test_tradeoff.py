"""Accuracy against cost (kdsite/figures/tradeoff.py): a student's from-scratch and distilled points
share one cost, the cost is the energy model's, and published MAC counts carry their source."""

from __future__ import annotations

import pytest

from kdsite.figures import tradeoff
from kdsite.figures.hwshared import STUDENT


def test_scratch_and_distilled_sit_at_the_same_cost(content, science):
    rows = tradeoff.tradeoff_rows(content, science)
    by_pair: dict[str, set[float]] = {}
    for row in rows:
        if row["kind"] != "Teacher":
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
