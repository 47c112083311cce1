"""Shared chart pieces: colours, rounding of inlined data, and how numbers are printed."""

from __future__ import annotations

import numpy as np

# Colours with at least 4.5:1 contrast on white; series are also told apart by shape or dash.
PALETTE = {"accent": "#1f5fa8", "muted": "#6b7280", "highlight": "#c2410c", "good": "#047857",
           "soft": "#7c3aed"}
WIDTH = "container"


def rounded(values, decimals: int = 4) -> list[float]:
    """Plain floats rounded to what the display needs (keeps inlined JSON small and stable)."""
    return [float(v) for v in np.round(np.asarray(values, dtype=np.float64), decimals)]


def percent(probability: float) -> str:
    """A probability as the page shows it: one decimal of a percent (73.7%)."""
    return f"{100 * probability:.1f}%"
