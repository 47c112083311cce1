import numpy as np
import pytest

from kdsite.science.grids import log_grid, log_grid_position


@pytest.mark.parametrize("points_per_decade", [1, 2, 5, 10, 20])
def test_log_grid_is_even_in_log_with_one_in_the_middle(points_per_decade):
    grid = log_grid(0.1, 10, points_per_decade)
    assert len(grid) == 2 * points_per_decade + 1
    assert grid[points_per_decade] == 1.0 and grid[0] == 0.1 and grid[-1] == 10.0
    assert np.all(np.diff(grid) > 0)
    exact = 10.0 ** (np.arange(-points_per_decade, points_per_decade + 1) / points_per_decade)
    assert np.all(np.abs(grid / exact - 1) < 0.05)  # two significant figures move a point by < 5%


def test_log_grid_points_are_the_decimals_they_print():
    grid = log_grid(0.1, 10, 10)
    assert [f"{t:g}" for t in grid[8:15]] == ["0.63", "0.79", "1", "1.3", "1.6", "2", "2.5"]
    assert all(float(f"{t:g}") == t for t in grid)


def test_log_grid_can_be_asymmetric():
    assert list(log_grid(1, 10, 5)) == [1.0, 1.6, 2.5, 4.0, 6.3, 10.0]


def test_log_grid_position_finds_grid_points_only():
    assert log_grid_position(1, 10) == 0
    assert log_grid_position(0.1, 10) == -10
    assert log_grid_position(2.5, 10) == 4
    assert log_grid_position(0.25, 5) == -3 and log_grid_position(4, 5) == 3
    assert log_grid_position(2.4, 10) is None and log_grid_position(0.3, 10) is None
