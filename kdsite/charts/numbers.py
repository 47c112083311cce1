"""How the page prints numbers, and how inlined chart data is rounded: the one place for both.

Figures and chart builders format every number the reader sees here, so a percentage, a signed
difference in points or a count reads the same in every section.
"""

from __future__ import annotations

import math

import numpy as np

MINUS = "\u2212"
"""A true minus sign for signed text (the hyphen-minus is shorter and breaks lines)."""


def rounded(values, decimals: int = 4) -> list[float]:
    """Plain floats rounded to what the display needs (keeps inlined JSON small and stable)."""
    return [float(v) for v in np.round(np.asarray(values, dtype=np.float64), decimals)]


def significant_values(values, digits: int = 4) -> list[float]:
    """Plain floats rounded to `digits` significant digits (what a chart can show), flattened."""
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=np.float64).ravel()]


_PREFIXES = ((1e9, "G"), (1e6, "M"), (1e3, "k"))


def significant(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant figures in plain notation: 480.29 → "480", 0.3926 → "0.393"."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(value)))), 0)
    return f"{round(value, decimals):.{decimals}f}"  # 1234 with 3 digits stays "1234"


def count(value: float, digits: int = 4) -> str:
    """A count with a decimal prefix and 4 significant figures: 60192808 → "60.19 M", 300774272 → "300.8 M"."""
    for scale, prefix in _PREFIXES:
        if abs(value) >= scale:
            return f"{significant(value / scale, digits)} {prefix}"
    return significant(value, digits)


def megabytes(mb: float) -> str:
    """Decimal megabytes with one decimal: 240.771 → "240.8 MB"."""
    return f"{mb:.1f} MB"


def milliseconds(ms: float) -> str:
    """Milliseconds to 3 significant figures: 480.29 → "480 ms", 13.93 → "13.9 ms"."""
    return f"{significant(ms)} ms"


def millijoules(mj: float) -> str:
    """Millijoules to 3 significant figures: 91.486 → "91.5 mJ", 0.651 → "0.651 mJ"."""
    return f"{significant(mj)} mJ"


def ops_per_byte(value: float) -> str:
    """Arithmetic intensity: 95.64 → "95.6 OP/B"."""
    return f"{significant(value)} OP/B"


def giga_ops(ops_per_s: float) -> str:
    """Operations per second, 3 significant figures: 4.8e10 → "48.0 GOP/s", 4e12 → "4.00 TOP/s"."""
    if ops_per_s >= 1e12:
        return f"{significant(ops_per_s / 1e12)} TOP/s"
    return f"{significant(ops_per_s / 1e9)} GOP/s"


def memory_size(size_bytes: float) -> str:
    """On-chip memory: binary sizes as vendors state them, with decimal MB: 1048576 → "1 MiB (1.05 MB)"."""
    decimal = f"{significant(size_bytes / 1e6)} MB"
    for scale, unit in ((2 ** 20, "MiB"), (2 ** 10, "KiB")):
        if size_bytes >= scale and size_bytes % scale == 0:
            return f"{size_bytes / scale:g} {unit} ({decimal})"
    return decimal


def percent(fraction: float) -> str:
    """A fraction (a probability, an accuracy, a reduction) as a percentage with one decimal: 0.737 → "73.7%"."""
    return f"{100 * fraction:.1f}%"


def reduction(before: float, after: float) -> float:
    """Fractional reduction 1 − after / before (0.942 = 94.2 % less)."""
    return 1.0 - after / before


def ratio(before: float, after: float) -> str:
    """before / after as "38.3×" (3 significant figures)."""
    return f"{significant(before / after)}×"


def points(delta: float, unit: bool = True) -> str:
    """A difference in percentage points, signed with a true minus, one decimal: 0.4 → "+0.4 points",
    −1.94 → "−1.9 points", a difference that rounds to zero → "0.0 points"; `unit=False` drops " points".

    Accuracies held as fractions are passed as 100 × their difference.
    """
    value = round(float(delta), 1)
    text = "0.0" if value == 0 else (f"+{value:.1f}" if value > 0 else f"{MINUS}{-value:.1f}")
    return f"{text} points" if unit else text


def points_between(before: float, after: float, unit: bool = True) -> str:
    """after − before in points, from the two percentages as the page shows them (one decimal each),
    so "78.3% → 71.7%" reads "−6.6 points", not the −6.7 of the unrounded 78.312 and 71.658."""
    return points(round(float(after), 1) - round(float(before), 1), unit)


def top1(value: float) -> str:
    """Top-1 accuracy with one decimal: 78.312 → "78.3%"."""
    return f"{value:.1f}%"


def published_top1(value: float) -> str:
    """A paper's top-1 with its own precision (one or two decimals): 68.87 → "68.87%", 73.0 → "73.0%"."""
    return f"{value:.1f}%" if round(value, 1) == value else f"{value:.2f}%"
