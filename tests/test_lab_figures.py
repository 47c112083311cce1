"""The lab section's figures: their tables select the right runs, their sentences match the results,
and the inlined data stays small.

Results are the fixture's tiny lab (tests/fixture), read from the test cache exactly as its build
reads them; the expected values are recomputed here from the raw per-seed arrays, not from the
figures' helpers. Every sentence about results is computed (kdsite/figures/lab_findings.py), so no
test needs the course's own lab.
"""

import json
import re

import numpy as np
import pytest

from kdsite.charts.numbers import percent
from kdsite.page.compiled_charts import CompiledChartCollector
from kdsite.figures import FIGURES
from kdsite.figures import lab_curves, lab_digits, lab_findings, lab_omitted, lab_sweep
from kdsite.figures.common import script_json
from kdsite.science.softmax import softmax_with_temperature
from tests.helpers import CACHE

LAB_FIGURES = ("lab-setup", "lab-findings", "lab-curves", "lab-size-sweep", "lab-omitted-digit", "lab-soft-labels")
INLINE_BUDGET_BYTES = 200_000


@pytest.fixture(scope="module")
def lab(science):
    return science.lab


@pytest.fixture(scope="module")
def contexts(content, science):
    return {name: FIGURES[name](content, science) for name in LAB_FIGURES}


def mean_std(values) -> str:
    values = np.asarray(values, dtype=np.float64)
    return f"{100 * values.mean():.1f}% ± {100 * values.std(ddof=1):.1f}"


def signed_points(difference: float) -> str:
    value = round(100 * difference, 1)
    return "0.0" if value == 0 else (f"+{value:.1f}" if value > 0 else f"\u2212{-value:.1f}")


def test_every_lab_figure_is_registered_and_placed(content):
    section = next(s for s in content.sections if s.id == "lab")
    assert section.title == "KD lab: a real distillation run"
    placed = re.findall(r"^\[\[figure: ([a-z-]+)\]\]$", section.body, re.M)
    assert placed == list(LAB_FIGURES)
    assert set(LAB_FIGURES) <= set(FIGURES)


def test_curve_readouts_select_each_run_by_temperature_index_and_alpha(lab):
    grid = lab.grid
    table = lab_curves.curve_readouts(lab)
    assert table["keys"] == ["temperature_index", "alpha"]
    assert len(table["alpha"]) == len(grid.temperatures) * len(grid.alphas)
    baseline = grid.test_accuracy[0, 0, :, -1].mean()
    for row in range(len(table["alpha"])):
        i = table["temperature_index"][row]
        j = int(np.flatnonzero(grid.alphas == table["alpha"][row])[0])
        final = grid.test_accuracy[i, j, :, -1]
        assert table["temperature_valuetext"][row] == f"T = {grid.temperatures[i]:g}"
        assert table["alpha_valuetext"][row] == f"α = {grid.alphas[j]:g}"
        assert table["final_accuracy"][row] == mean_std(final)
        if grid.alphas[j] > 0:
            # the difference of the two accuracies as shown (one decimal each), so they add up on the page
            shown = round(100 * final.mean(), 1) - round(100 * baseline, 1)
            assert table["versus_baseline"][row].startswith(signed_points(shown / 100) + " points")
        assert f"total {grid.total[i, j, :, -1].mean():.4g}" in table["final_losses"][row]


def test_curve_rows_are_the_seed_mean_every_fifth_epoch(lab):
    grid = lab.grid
    epochs = list(range(0, int(grid.epochs[-1]) + 1, 5))
    losses = lab_curves.loss_rows(grid)
    accuracies = lab_curves.accuracy_rows(grid, "selected")
    i, j = 3, 2
    run = [row for row in losses if row["temperature_index"] == i and row["alpha"] == grid.alphas[j]]
    assert [row["series"] for row in run] == list(lab_curves.LOSS_SERIES.values())
    for row, key in zip(run, lab_curves.LOSS_SERIES):
        assert row["epoch"] == epochs
        expected = getattr(grid, key)[i, j].mean(axis=0)[epochs]
        assert np.allclose(row["loss"], expected, rtol=5e-3)
    (acc,) = [row for row in accuracies if row["temperature_index"] == i and row["alpha"] == grid.alphas[j]]
    curves = grid.test_accuracy[i, j][:, epochs]
    assert np.allclose(acc["accuracy"], curves.mean(axis=0), atol=5e-5)
    assert np.allclose(acc["accuracy_min"], curves.min(axis=0), atol=5e-5)
    assert np.allclose(acc["accuracy_max"], curves.max(axis=0), atol=5e-5)
    assert f"Test accuracy: {percent(grid.test_accuracy[i, j, :, -1].mean())}" in acc["end_label"]


def test_size_sweep_rows_hold_each_methods_seed_summary(lab):
    sweep = lab.size_sweep
    rows = lab_sweep.sweep_rows(sweep)
    assert len(rows) == 2 * len(sweep.transfer_counts) * len(sweep.widths)
    for f, count in enumerate(sweep.transfer_counts):
        for method, per_seed in zip(lab_sweep.method_names(sweep), (sweep.scratch_accuracy, sweep.distilled_accuracy)):
            picked = [r for r in rows if r["transfer_set"] == str(count) and r["series"] == method]
            assert [r["parameters"] for r in picked] == [int(p) for p in sweep.parameter_counts]
            assert np.allclose([r["accuracy"] for r in picked], per_seed[f].mean(axis=-1), atol=5e-5)
            assert np.allclose([r["accuracy_min"] for r in picked], per_seed[f].min(axis=-1), atol=5e-5)
            for r, w in zip(picked, range(len(sweep.widths))):
                assert f"Test accuracy: {mean_std(per_seed[f, w])}" in r["label"]


def test_omitted_digit_rows_are_per_seed(lab):
    omitted = lab.omitted_class
    seed_rows, mean_rows = lab_omitted.chart_rows(omitted)
    assert len(seed_rows) == 2 * 2 * len(omitted.seeds) and len(mean_rows) == 4
    distilled_after = [r for r in seed_rows if r["condition"] == "Distilled, after shift"]
    assert [r["test_errors"] for r in distilled_after] == [int(e) for e in omitted.distilled.test_errors_after]
    assert np.allclose([r["digit_accuracy"] for r in distilled_after], omitted.distilled.digit_accuracy_after,
                       atol=5e-5)
    table = lab_omitted.table_rows(omitted)
    assert [r["errors_before"] for r in table if r["seed"] == "0"] == [
        str(int(omitted.distilled.test_errors_before[0])), str(int(omitted.hard_labels.test_errors_before[0]))]


def test_soft_label_rows_are_the_teachers_softmax_at_each_temperature(lab):
    examples = lab.soft_labels
    probabilities = lab_digits.teacher_probabilities(lab)
    for k in range(len(examples.labels)):
        rows = lab_digits.bar_rows(lab, probabilities, k)
        for i, t in enumerate(lab.grid.temperatures):
            expected = softmax_with_temperature(np.asarray(examples.teacher_logits[k], dtype=float), float(t))
            shown = [r["probability"] for r in rows if r["temperature_index"] == i]
            assert np.allclose(shown, expected, atol=5e-5)
    table = lab_digits.digit_readouts(lab, probabilities)
    p = softmax_with_temperature(np.asarray(examples.teacher_logits[0], dtype=float), float(lab.grid.temperatures[-1]))
    first, second = np.argsort(-p, kind="stable")[:2]
    alt = table["digit_0_alt"][-1]
    assert f"handwritten {int(examples.labels[0])}" in alt
    assert f"{first} ({percent(p[first])}), {second} ({percent(p[second])})" in alt


def test_digit_images_draw_every_inked_pixel_in_grey(lab):
    image = np.asarray(lab.soft_labels.images[0])
    cells = lab_digits.image_cells(image)
    assert len(cells) == int(np.count_nonzero(image))
    assert lab_digits.grey_hex(0) == "#ffffff" and lab_digits.grey_hex(16) == "#000000"
    y, x = np.unravel_index(int(np.argmax(image)), image.shape)
    assert {"x": int(x), "y": int(y), "fill": lab_digits.grey_hex(int(image.max()))} in cells


def test_findings_quote_the_results(lab):
    grid, sweep, omitted = lab.grid, lab.size_sweep, lab.omitted_class
    text = " ".join(lab_findings.findings(lab))
    assert f"{100 * lab.teacher.test_accuracy:.1f}%" in text
    assert mean_std(grid.test_accuracy[0, 0, :, -1]) in text
    region = grid.test_accuracy[2:, 2:, :, -1].mean(axis=-1)
    assert (grid.temperatures[2], grid.alphas[2]) == (4, 0.5)
    assert f"{100 * region.min():.1f}–{100 * region.max():.1f}%" in text
    small = sweep.distilled_accuracy[0].mean(-1) - sweep.scratch_accuracy[0].mean(-1)
    assert f"width {sweep.widths[0]}: {signed_points(small[0])}" in text
    assert f"{100 * omitted.distilled.digit_accuracy_before.mean():.1f}% of the {omitted.test_digit_count}" in text
    assert f"lifts the distilled student to {100 * omitted.distilled.digit_accuracy_after.mean():.1f}%" in text
    before, after = omitted.distilled.test_errors_before.mean(), omitted.distilled.test_errors_after.mean()
    assert f"from {before:.1f} to {after:.1f}" in text

def test_specs_name_their_params_and_inline_each_data_set_once(contexts):
    for name in ("lab-curves", "lab-size-sweep", "lab-omitted-digit", "lab-soft-labels"):
        for chart in contexts[name]["charts"]:
            assert set(chart.signals) <= {"temperature_index", "alpha", "transfer_set"}, chart.id
            text = script_json(chart.spec)
            assert "param_" not in text, chart.id
            assert chart.alt_text and re.search(r"\d", chart.alt_text), chart.id
            for layer in chart.spec.get("layer", []):
                if "data" in layer and "data" in chart.spec:
                    assert layer["data"] != chart.spec["data"], chart.id


def test_inlined_json_stays_under_budget(contexts):
    """What the page inlines: each chart compiled to Vega (with its dark patch) and the readout tables."""
    compiled = CompiledChartCollector(CACHE / "vega")
    total = 0
    for context in contexts.values():
        total += sum(len(script_json(compiled.compile_one(chart)).encode()) for chart in context.get("charts", []))
        if "readouts_json" in context:
            total += len(context["readouts_json"].encode())
    assert 50_000 < total < INLINE_BUDGET_BYTES, total


def test_readout_tables_have_equal_length_columns(contexts):
    for name in ("lab-curves", "lab-size-sweep", "lab-soft-labels"):
        table = json.loads(contexts[name]["readouts_json"])
        lengths = {len(column) for key, column in table.items() if key != "keys"}
        assert len(lengths) == 1, name


def test_a_close_runner_up_prints_its_value_a_line_above_the_winners(lab):
    """Two printed values on neighbouring bars of similar height would overlap wherever the
    runner-up's stands (a line above its own bar lands on the winner's value when the bars differ by
    about a line): it is printed at the winner's height, one line up (`label_y`, dy −17 in the chart),
    and both values then name their digit."""
    probabilities = np.zeros((len(lab.grid.temperatures), len(lab.soft_labels.labels), 10))
    probabilities[:, 0] = 0.53 / 8
    probabilities[:, 0, 9], probabilities[:, 0, 8] = 0.301, 0.174  # neighbours, 12.7 points apart

    def printed() -> dict:
        rows = [r for r in lab_digits.bar_rows(lab, probabilities, 0) if r["temperature_index"] == 0]
        return {r["digit"]: (r["shown"], r["raised"], r["label_y"]) for r in rows if r["shown"]}

    # lifted above the winner's value, each names its digit, so "17.4%" is not read as the 9's
    assert printed() == {"9": ("9: 30.1%", 0, 0.301), "8": ("8: 17.4%", 1, 0.301)}
    probabilities[:, 0, 8] = 0.10  # 20 points apart: each value stands on its own bar
    assert printed() == {"9": ("30.1%", 0, 0.301), "8": ("10.0%", 0, 0.1)}


def test_the_omitted_digit_charts_say_what_a_tick_and_the_dashed_line_are(contexts, lab):
    """Under each chart the legend's title says a point is a seed and the grey tick with its number is
    their mean; the dashed rule of the errors chart carries the teacher's name and errors at its foot."""
    charts = {chart.id: chart.spec for chart in contexts["lab-omitted-digit"]["charts"]}
    for spec in charts.values():
        legends = [layer["encoding"]["color"]["legend"] for layer in spec["layer"]
                   if "color" in layer.get("encoding", {}) and "legend" in layer["encoding"]["color"]]
        assert legends and legends[0]["title"] == ["Each point is one seed;", "grey tick and number: mean"]
    errors = charts["lab-omitted-errors"]
    names = [layer for layer in errors["layer"] if layer.get("mark", {}).get("type") == "text"
             and layer["encoding"].get("text", {}).get("field") == "name"]
    assert len(names) == 1
    [rows] = [errors["datasets"][names[0]["data"]["name"]]]
    assert rows[0]["name"] == f"teacher: {lab.teacher.test_errors}"
    assert rows[0]["test_errors"] == lab.teacher.test_errors
