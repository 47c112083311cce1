"""The lab's own limits (kdsite/figures/lab_findings.py): paired seed differences, ties within one
standard deviation, and whether the teacher is better than the students it teaches."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from kdsite.charts.numbers import points
from kdsite.figures import lab_findings
from kdsite.figures.lab import shown_differences


def fake_grid(mean, std):
    summary = SimpleNamespace(mean=np.array(mean), std=np.array(std))
    grid = SimpleNamespace(final_test_accuracy=summary, temperatures=np.array([1.0, 4.0]),
                           alphas=np.array([0.5, 1.0]), seeds=np.array([0, 1, 2]))
    return SimpleNamespace(grid=grid)


def test_settings_within_one_standard_deviation_of_the_best_are_tied():
    lab = fake_grid([[0.90, 0.91], [0.92, 0.80]], [[0.005, 0.015], [0.005, 0.005]])
    assert sorted(lab_findings.tied_with_best(lab)) == [(0, 1), (1, 0)]  # 0.91 + 0.015 ≥ 0.92; 0.90 is not
    text = lab_findings.best_setting_text(lab)
    # the tied settings are named by the rule that ties them, not as the only ones in their range
    assert text.startswith("No single setting is best: the mean of each of 2 settings (T = 1, α = 1; "
                           "T = 4, α = 0.5; 91.0–92.0%) is")
    assert ("at most one standard deviation over the 3 seeds (its own or the best setting's, whichever is "
            "larger) below the best mean") in text


def test_a_clear_best_setting_is_named_as_best():
    lab = fake_grid([[0.80, 0.85], [0.92, 0.80]], [[0.005, 0.005], [0.005, 0.005]])
    assert lab_findings.tied_with_best(lab) == [(1, 0)]
    assert lab_findings.best_setting_text(lab).startswith("The best setting (T = 4, α = 0.5) gives 92.0%")


def test_paired_differences_are_per_seed_and_reported_with_their_spread(science):
    lab = science.lab
    sweep = lab.size_sweep
    for index in range(len(sweep.transfer_counts)):
        differences = lab_findings.paired_differences(lab, index)
        assert np.array_equal(differences, sweep.distilled_accuracy[index] - sweep.scratch_accuracy[index])
        sentence = lab_findings.paired_sentence(lab, index)
        for width, row, before, after in zip(sweep.widths, differences, sweep.scratch.mean[index],
                                             sweep.distilled.mean[index]):
            gained = int((row > 0).sum())
            shown = round(100 * after, 1) - round(100 * before, 1)  # as the two accuracies print
            assert (f"width {int(width)}: {points(shown, unit=False)} ± {100 * row.std(ddof=1):.1f} "
                    f"({gained} of {row.size} seeds gain)") in sentence


def test_the_teacher_margin_says_when_the_teacher_is_no_better():
    sweep = SimpleNamespace(transfer_counts=np.array([100, 1000]),
                            scratch=SimpleNamespace(mean=np.array([[0.80, 0.85], [0.96, 0.975]])))
    weak = SimpleNamespace(size_sweep=sweep, teacher=SimpleNamespace(test_accuracy=0.973))
    assert "as good as its teacher" in lab_findings.teacher_margin_sentence(weak)
    assert "says little about distilling from a much stronger teacher" in lab_findings.teacher_margin_sentence(weak)
    strong = SimpleNamespace(size_sweep=sweep, teacher=SimpleNamespace(test_accuracy=0.995))
    assert lab_findings.teacher_margin_sentence(strong).startswith("With every label the teacher (99.5%) is +2.0 points")


def test_an_architecture_name_is_explained_where_it_first_appears():
    assert lab_findings.layers_phrase([64, 256, 256, 10]) == "64 pixels in, 2 hidden layers of 256, 10 classes out"
    assert lab_findings.layers_phrase([64, 16, 10]) == "64 pixels in, 16 hidden units, 10 classes out"
    assert lab_findings.layers_phrase([64, 32, 16, 8, 10]) == "64 pixels in, 32, 16 and 8 hidden units, 10 classes out"


def test_a_difference_is_the_one_the_printed_accuracies_give():
    """The course lab's 87.1% → 91.3% (unrounded 87.11% → 91.26%) reads +4.2 points everywhere, as in
    the lab's readout (numbers.points_between), not +4.1 in the findings beside +4.2 in the readout."""
    assert points(100 * float(shown_differences(0.8711111, 0.9125926))) == "+4.2 points"
    sweep = SimpleNamespace(transfer_counts=np.array([136]), widths=np.array([16]), parameter_counts=np.array([1210]),
                            temperature=4.0, alpha=0.75, scratch=SimpleNamespace(mean=np.array([[0.8711111]])),
                            distilled=SimpleNamespace(mean=np.array([[0.9125926]])),
                            scratch_accuracy=np.array([[[0.86, 0.87, 0.8833333]]]),
                            distilled_accuracy=np.array([[[0.90, 0.9177778, 0.92]]]))
    lab = SimpleNamespace(size_sweep=sweep, train_count=1347, test_count=450)
    assert "width 16: +4.2 points" in lab_findings.sweep_sentence(lab, 0)
    assert "width 16: +4.2 ± " in lab_findings.paired_sentence(lab, 0)


def test_a_setting_inside_the_tied_span_that_the_rule_leaves_out_is_explained():
    # (0, 0) is tied through its wide spread; (0, 1) lies between it and the best, but its seeds and
    # the best's agree more closely than its 0.5-point gap
    lab = fake_grid([[0.90, 0.915], [0.92, 0.80]], [[0.025, 0.001], [0.001, 0.005]])
    assert sorted(lab_findings.tied_with_best(lab)) == [(0, 0), (1, 0)]
    text = lab_findings.best_setting_text(lab)
    assert text.endswith("T = 1, α = 1 (91.5% ± 0.1) is left out although its mean lies in that span: its seeds "
                         "agree so closely that its gap to the best, 0.5 points, is larger than its standard "
                         "deviation and the best setting's (± 0.1).")
    clear = fake_grid([[0.90, 0.85], [0.92, 0.80]], [[0.025, 0.001], [0.001, 0.005]])
    assert "left out" not in lab_findings.best_setting_text(clear)


def test_the_findings_say_the_teacher_saw_every_label_and_the_students_few(science):
    lab = science.lab
    assert f"trained with the labels of all {lab.train_count:,} training digits" in lab_findings.teacher_sentence(lab)
    assert lab_findings.grid_headline(lab).startswith(
        f"Each student learns from only {lab.grid.transfer_count:,} of them, its transfer set:")


def test_gains_are_called_above_only_when_every_one_is_a_gain(science):
    lab = science.lab
    grid = lab.grid
    final = grid.final_test_accuracy.mean
    region = final[np.ix_(grid.temperatures >= 4, grid.alphas >= 0.5)]
    gains = shown_differences(final[0, 0], region)
    assert gains.min() < 0 < gains.max()  # the fixture's tiny lab: soft targets help some settings only
    assert lab_findings.grid_headline(lab).endswith(" points relative to it.")
    all_gain = SimpleNamespace(grid=SimpleNamespace(
        final_test_accuracy=SimpleNamespace(mean=np.array([[0.80, 0.80], [0.80, 0.90]]), std=np.full((2, 2), 0.01)),
        temperatures=np.array([1.0, 4.0]), alphas=np.array([0.0, 0.5]), widths=np.array([64, 16, 10]),
        transfer_count=136, seeds=np.array([0, 1])), train_count=1347, config={"seeds": [0, 1]})
    assert lab_findings.grid_headline(all_gain).endswith("+10.0 points above it.")


def test_the_sweep_readout_and_the_findings_print_the_same_difference(science):
    """A width's distilled − scratch difference reads the same in the size sweep's readout and in the
    findings (it read +4.7 in one and +4.8 in the other, from unrounded and from shown accuracies)."""
    from kdsite.figures.lab_sweep import sweep_readouts
    # the course lab's width-8 student: 82.52% from scratch, 87.26% distilled (4.74 points apart,
    # 4.8 between the accuracies as printed)
    sweep = SimpleNamespace(transfer_counts=np.array([136]), epochs=np.array([100]), widths=np.array([4, 8]),
                            parameter_counts=np.array([310, 610]), temperature=4.0, alpha=0.75,
                            scratch=SimpleNamespace(mean=np.array([[0.67555556, 0.82518519]])),
                            distilled=SimpleNamespace(mean=np.array([[0.63925926, 0.87259259]])))
    fake = SimpleNamespace(size_sweep=sweep, train_count=1347, test_count=450)
    for lab in (fake, science.lab):
        readouts = sweep_readouts(lab)
        for index, best in enumerate(readouts["best_difference"]):
            value, width = best.split(" points (width ")
            assert f"width {width.rstrip(')')}: {value}" in lab_findings.sweep_sentence(lab, index)
    assert sweep_readouts(fake)["best_difference"] == ["+4.8 points (width 8)"]
