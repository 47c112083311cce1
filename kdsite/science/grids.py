"""Grids of slider positions whose values are exact decimals, so the browser can select rows by equality."""

from __future__ import annotations

import numpy as np


def decimal_grid(minimum: float, maximum: float, step: float) -> np.ndarray:
    """Values from `minimum` to `maximum` inclusive every `step`, rounded to the step's decimals.

    Rounding makes each value the same double a range input produces (0.3, not
    0.30000000000000004), so a row can be selected by exact equality with Number(input.value).
    """
    count = int(round((maximum - minimum) / step)) + 1
    decimals = max(0, -int(np.floor(np.log10(step) + 1e-12)))
    return np.round(minimum + step * np.arange(count), decimals)


LOG_GRID_DIGITS = 2  # significant figures of a log-grid point: T = 2.5, 0.32, 6.3


def log_grid_point(position: int, points_per_decade: int) -> float:
    """Point `position` of the log grid: 10^(position / points_per_decade) to LOG_GRID_DIGITS figures.

    Rounding through the decimal text makes the point the double a reader types (0.32, not
    0.32000000000000006), so the T the page prints is the T it computes with, and the browser can
    select a row by equality. Position 0 is exactly 1, and every power of ten is exact.
    """
    return float(f"{10.0 ** (position / points_per_decade):.{LOG_GRID_DIGITS}g}")


def log_grid_position(value: float, points_per_decade: int) -> int | None:
    """The position of `value` on the log grid, or None when it is not a grid point."""
    position = int(round(np.log10(value) * points_per_decade))
    return position if np.isclose(log_grid_point(position, points_per_decade), value, rtol=1e-9, atol=0) else None


def log_grid(minimum: float, maximum: float, points_per_decade: int) -> np.ndarray:
    """Grid points from `minimum` to `maximum` (both grid points), `points_per_decade` steps a decade.

    Evenly spaced in log10 T up to the rounding of log_grid_point; adjacent points stay distinct
    for up to about 20 points a decade (10^(1/20) ≈ 1.12, more than two-figure rounding moves a point).
    """
    first = int(round(np.log10(minimum) * points_per_decade))
    last = int(round(np.log10(maximum) * points_per_decade))
    return np.array([log_grid_point(k, points_per_decade) for k in range(first, last + 1)])
