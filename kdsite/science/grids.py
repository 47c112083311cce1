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


def log_grid(minimum: float, maximum: float, points_per_decade: int) -> np.ndarray:
    """Values from `minimum` to `maximum` evenly spaced in log10, `points_per_decade` steps a decade.

    Point k is 10^(k / points_per_decade) for whole k, rounded to LOG_GRID_DIGITS significant
    figures, so 1 and every power of ten are exact, the T the page prints is the T it computes
    with, and the browser can select a row by equality. Adjacent points stay distinct for up to
    about 20 points a decade (10^(1/20) ≈ 1.12 > the 10% a two-figure rounding can move a point).
    """
    first = int(round(np.log10(minimum) * points_per_decade))
    last = int(round(np.log10(maximum) * points_per_decade))
    exact = 10.0 ** (np.arange(first, last + 1) / points_per_decade)
    # Through the decimal text, so each point is the double a reader types (0.32, not 0.32000000000000006).
    return np.array([float(f"{value:.{LOG_GRID_DIGITS}g}") for value in exact])
