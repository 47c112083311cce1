"""Bounds on content numbers (kdsite/content/limits.py): the lab's cost estimate and the values at the limits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from kdsite.content import limits
from kdsite.errors import ContentErrors
from kdsite.build.lab import check_lab_cost
from kdsite.content.lab import load_lab_config
from kdsite.science.labcost import estimate_lab_cost
from kdsite.science.softmax import entropy_bits, softmax_with_temperature

LAB = load_lab_config(Path(__file__).resolve().parents[1] / "content" / "lab.yaml", "content/lab.yaml")


def test_the_shipped_lab_config_is_valid_and_has_seeds_to_average():
    assert len(LAB.seeds) >= 3  # the prose reports mean ± std over seeds


def test_the_shipped_lab_counts_every_training_run():
    # 1 teacher + 5 × 5 grid settings × 3 seeds + 2 transfer sets × 5 widths × 2 kinds × 3 seeds + 2 × 3 omitted
    assert estimate_lab_cost(LAB).runs == 1 + 75 + 60 + 6
    assert 10 < estimate_lab_cost(LAB).seconds < 60


def test_the_estimate_is_reported_before_training():
    lines: list[str] = []
    check_lab_cost(LAB, progress=lines.append)
    assert lines == ["lab: 142 training runs, about 26 s (estimate)"]


def test_a_long_lab_is_refused_unless_allowed():
    long_lab = dataclasses.replace(LAB, teacher=dataclasses.replace(LAB.teacher, hidden=(1024,) * 4, epochs=1000))
    with pytest.raises(ContentErrors) as caught:
        check_lab_cost(long_lab)
    [error] = caught.value.errors
    assert (error.file, error.line, error.field) == ("content/lab.yaml", None, "")
    assert error.message == ("the lab would take about 1.8 h to train (142 training runs), "
                             "more than the 10-minute limit")
    assert "--allow-long-lab" in error.hint
    assert check_lab_cost(long_lab, allow_long=True).seconds > 600


def test_softmax_at_the_smallest_temperature_of_the_largest_logits_is_finite():
    logits = np.array([limits.MAX_ABS_LOGIT, -limits.MAX_ABS_LOGIT, 0.0])
    for temperature in (limits.TEMPERATURE_MIN, limits.TEMPERATURE_MAX):
        q = softmax_with_temperature(logits, temperature)
        assert np.all(np.isfinite(q)) and np.isclose(q.sum(), 1.0)
        assert np.isfinite(entropy_bits(q))
    assert np.isfinite(limits.TEMPERATURE_MAX ** 2 * np.log(2))  # the T² factor of the KD loss
