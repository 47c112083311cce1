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
