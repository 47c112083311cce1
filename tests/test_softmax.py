import numpy as np
import pytest

from kdsite.science.grids import decimal_grid
from kdsite.science.softmax import entropy_bits, softmax_with_temperature, temperature_sweep

LOGITS = np.array([6.8, 5.7, 2.7, 1.6, 0.2])


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0, 100.0])
def test_probabilities_sum_to_one(temperature):
    p = softmax_with_temperature(LOGITS, temperature)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(p >= 0)


def test_matches_the_definition_at_moderate_temperature():
    expected = np.exp(LOGITS / 2) / np.exp(LOGITS / 2).sum()
    np.testing.assert_allclose(softmax_with_temperature(LOGITS, 2.0), expected, rtol=1e-12)


def test_course_page_soft_label_comes_out_of_the_logits():
    # The course page shows [0.55, 0.32, 0.07, 0.04, 0.02] for the cat at T = 2.
    np.testing.assert_array_equal(np.round(softmax_with_temperature(LOGITS, 2.0), 2),
                                  [0.55, 0.32, 0.07, 0.04, 0.02])


def test_small_temperature_tends_to_one_hot_at_argmax():
    p = softmax_with_temperature(LOGITS, 0.01)
    np.testing.assert_allclose(p, np.eye(5)[np.argmax(LOGITS)], atol=1e-12)


def test_large_temperature_tends_to_uniform():
    np.testing.assert_allclose(softmax_with_temperature(LOGITS, 1e6), np.full(5, 0.2), atol=1e-5)


def test_entropy_rises_with_temperature_for_non_constant_logits():
    grid = decimal_grid(0.1, 10, 0.1)
    h = temperature_sweep(LOGITS, grid).entropy_bits
    assert np.all(np.diff(h) > 0)
    assert h[-1] < np.log2(5)


def test_entropy_in_bits_of_known_distributions():
    assert entropy_bits(np.full(4, 0.25)) == pytest.approx(2.0)
    assert entropy_bits(np.array([1.0, 0.0, 0.0])) == 0.0
    assert entropy_bits(np.array([0.5, 0.5])) == pytest.approx(1.0)


def test_extreme_logits_stay_finite():
    z = np.array([1e4, -1e4, 0.0, 1e4 - 1])
    p = softmax_with_temperature(z, 0.1)
    assert np.all(np.isfinite(p))
    assert p.sum() == pytest.approx(1.0)
    assert np.isfinite(entropy_bits(p))


def test_grid_points_are_the_decimals_a_slider_produces():
    grid = decimal_grid(0.1, 10, 0.1)
    assert len(grid) == 100
    assert grid[0] == 0.1 and grid[-1] == 10.0
    # Exact equality with the decimal literal: what Number("0.3") gives in the browser.
    assert grid[2] == 0.3 and grid[6] == 0.7 and grid[68] == 6.9
    assert all(float(repr(float(t))) == t and len(repr(float(t))) <= 4 for t in grid)


def test_sweep_rows_match_pointwise_softmax():
    grid = np.array([0.5, 1.0, 4.0])
    sweep = temperature_sweep(LOGITS, grid)
    for row, t in enumerate(grid):
        np.testing.assert_allclose(sweep.probabilities[row], softmax_with_temperature(LOGITS, t))
    np.testing.assert_allclose(sweep.max_probability, sweep.probabilities.max(axis=1))
