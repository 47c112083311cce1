"""The shipped lab section's prose against the shipped lab's results: 60-lab.md states these in
words, so a rerun that changes them must change the prose too.

This is the one test module that trains the real content/lab.yaml (about 25 s, once per session,
into the test cache); everything else uses the fixture's tiny lab.
"""

import numpy as np
import pytest

from kdsite.build.results import Science
from kdsite.charts.numbers import percent
from kdsite.content.load import load_content
from tests.helpers import CACHE, ROOT


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "content")


@pytest.fixture(scope="module")
def lab(content):
    return Science(content, CACHE, report=lambda line: None).lab


def test_the_prose_claims_hold_for_these_results(lab):
    """60-lab.md says these things in words; if a rerun changes them, the prose must change too."""
    grid, sweep, omitted = lab.grid, lab.size_sweep, lab.omitted_class
    final = grid.test_accuracy[..., -1].mean(axis=-1)
    assert np.all(grid.test_accuracy[:, 0] == grid.test_accuracy[0, 0])  # α = 0: every T is the same run
    assert np.abs(final[0, 1:] - final[0, 0]).max() < 0.01  # T = 1: the gain is small
    assert final[2:, 2:].min() > final[0, 0] + 0.03  # T ≥ 4, α ≥ 0.5 clearly help
    small = sweep.distilled.mean[0] - sweep.scratch.mean[0]
    assert small[0] < 0 and np.all(small[1:] > 0)  # the smallest student does worse distilled
    full = sweep.distilled.mean[1] - sweep.scratch.mean[1]
    assert sweep.transfer_counts[1] == lab.train_count and full.max() < 0.01  # all labels: nothing measurable
    assert np.all(omitted.hard_labels.digit_accuracy_before == 0)
    assert np.all(omitted.distilled.digit_accuracy_after > omitted.distilled.digit_accuracy_before)


def test_the_markdown_types_no_measured_number(content, lab):
    body = next(s for s in content.sections if s.id == "lab").body
    measured = [percent(lab.teacher.test_accuracy), percent(lab.grid.final_test_accuracy.mean[0, 0]),
                percent(lab.omitted_class.distilled.digit_accuracy_before.mean()), str(lab.train_count),
                str(lab.test_count), str(lab.grid.transfer_count)]
    for value in measured:
        assert value.rstrip("%") not in body, value
