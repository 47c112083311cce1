"""The lab's own limits (kdsite/figures/lab_findings.py): paired seed differences, ties within one
standard deviation, and whether the teacher is better than the students it teaches."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from kdsite.charts.numbers import points
from kdsite.figures import lab_findings


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
        for width, row in zip(sweep.widths, differences):
            gained = int((row > 0).sum())
            assert (f"width {int(width)}: {points(100 * row.mean(), unit=False)} ± {100 * row.std(ddof=1):.1f} "
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
